"""One-time claim codes: an officer draws one for an unclaimed producer, the producer types it."""

from __future__ import annotations

from datetime import datetime, timedelta

from handlers.account import codes
from storage import Store

CODE_TTL = timedelta(days=30)  # handed over on paper or by phone, so it lives a while


async def draw(store: Store, producer_id: int, by: str, now: datetime) -> str | None:
    """A fresh one-time claim code for an unclaimed producer; None if it is not one."""
    if await store.existing.candidate(producer_id) is None:
        return None
    code = codes.new_code()
    await store.existing.add_code(code, producer_id, by, now, now + CODE_TTL)
    await store.audit.record(by, "claim_code_drawn", now, subject=f"producer:{producer_id}")
    return code
