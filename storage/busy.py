"""When another program holds the write lock: wait it out within a budget, then give up."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

# SQLite's result code for "another connection holds the lock" (extended codes keep it in the
# low byte: SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_TIMEOUT).
SQLITE_BUSY = 5


class DatabaseBusy(Exception):
    """The database stayed write-locked by another program for the whole retry budget."""


@dataclass(frozen=True)
class BusyPolicy:
    """How long one transaction may wait for the write lock, and in what steps.

    Each attempt waits at most `attempt_timeout` seconds inside SQLite (its busy timeout),
    holding the one connection; between attempts the transaction is rolled back and the
    connection is free for others while we pause (`first_pause`, doubled up to `max_pause`).
    After `budget` seconds in all the caller is told the database is busy.
    """

    budget: float = 60.0
    attempt_timeout: float = 3.0
    first_pause: float = 0.1
    max_pause: float = 1.0

    @classmethod
    def within(cls, budget: float) -> BusyPolicy:
        """The policy for a total budget: attempts of 3 s at most, shorter for a short budget."""
        return cls(budget=budget, attempt_timeout=max(0.05, min(3.0, budget / 5)))

    def pause(self, retry: int) -> float:
        """Seconds to pause before retry number `retry` (1, 2, …)."""
        return float(min(self.max_pause, self.first_pause * 2 ** (retry - 1)))


def is_busy(error: BaseException) -> bool:
    """Whether an error means another connection holds the lock (not a broken database)."""
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == SQLITE_BUSY
    return "database is locked" in str(error) or "database is busy" in str(error)
