"""Persistence: the SQLite database, its migrations, repositories and reference data."""

from storage.busy import BusyPolicy, DatabaseBusy
from storage.db import Database, open_database
from storage.store import Store

__all__ = ["BusyPolicy", "Database", "DatabaseBusy", "Store", "open_database"]
