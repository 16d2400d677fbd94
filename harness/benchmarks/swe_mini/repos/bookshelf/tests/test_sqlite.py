"""Settings for the test suite: an in-memory SQLite database, as Django's own test_sqlite."""

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}
INSTALLED_APPS = ["bookshelf", "catalog", "lending"]
SECRET_KEY = "bookshelf-tests-not-secret"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
