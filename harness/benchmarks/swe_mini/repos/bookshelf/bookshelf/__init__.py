"""bookshelf: a small lending-library app for Django (books, copies, members and loans)."""
