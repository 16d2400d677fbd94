from django.apps import AppConfig


class BookshelfConfig(AppConfig):
    """The bookshelf app."""

    name = "bookshelf"
    default_auto_field = "django.db.models.BigAutoField"
