"""Persistence: the SQLite database, its migrations, repositories and reference data."""

from storage.db import Database, open_database
from storage.store import Store

__all__ = ["Database", "Store", "open_database"]
