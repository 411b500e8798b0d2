"""The audit log: who did what, when."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import aiosqlite
from pydantic import BaseModel, ConfigDict

from storage.timefmt import from_db, to_db

# The details of an entry about someone who deleted their data.
REDACTED = {"personal_data_deleted": True}


class AuditEntry(BaseModel):
    """One line of the audit log."""

    model_config = ConfigDict(frozen=True)
    id: int
    at: datetime
    actor: str
    action: str
    subject: str | None
    details: dict[str, Any]


class AuditRepo:
    """Append-only record of officer and admin actions."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._db = conn

    async def record(
        self,
        actor: str,
        action: str,
        now: datetime,
        subject: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Append an entry."""
        await self._db.execute(
            "INSERT INTO audit_log (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)",
            (to_db(now), actor, action, subject, json.dumps(details or {}, ensure_ascii=False)),
        )

    async def redact_details(self, subjects: list[str]) -> int:
        """Drop the details (notes, numbers) of entries about these subjects, keeping who did
        what and when (personal data deletion)."""
        if not subjects:
            return 0
        cur = await self._db.execute(
            "UPDATE audit_log SET details = ? WHERE subject IN (SELECT value FROM json_each(?))",
            (json.dumps(REDACTED), json.dumps(subjects)),
        )
        return cur.rowcount

    async def entries(self, action: str | None = None, limit: int = 100,
                      since: datetime | None = None, until: datetime | None = None,
                      ) -> list[AuditEntry]:
        """The latest entries, newest first, optionally of one action and within [since, until)."""
        sql = "SELECT * FROM audit_log WHERE 1 = 1"
        params: tuple[Any, ...] = ()
        if action is not None:
            sql += " AND action = ?"
            params = (action,)
        if since is not None:
            sql += " AND at >= ?"
            params = (*params, to_db(since))
        if until is not None:
            sql += " AND at < ?"
            params = (*params, to_db(until))
        async with self._db.execute(f"{sql} ORDER BY id DESC LIMIT ?", (*params, limit)) as cur:
            rows = await cur.fetchall()
        return [
            AuditEntry(
                id=row["id"],
                at=from_db(row["at"]),
                actor=row["actor"],
                action=row["action"],
                subject=row["subject"],
                details=json.loads(row["details"]),
            )
            for row in rows
        ]
