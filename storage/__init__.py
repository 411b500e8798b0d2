"""Persistence: the database (SQLite or PostgreSQL), migrations, repositories, reference data."""

from storage.busy import BusyPolicy, DatabaseBusy
from storage.db import Database
from storage.engine import open_database
from storage.store import Store

__all__ = ["BusyPolicy", "Database", "DatabaseBusy", "Store", "open_database"]
