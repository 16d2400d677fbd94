"""Root conftest: lets `pytest` import the `textcase` package from this checkout."""
