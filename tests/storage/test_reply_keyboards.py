"""The chats that still show a reply keyboard, kept per channel, on both database engines."""

from __future__ import annotations

from datetime import UTC, datetime

from storage import Database
from tests.engines import BOTH_ENGINES

pytestmark = BOTH_ENGINES
NOW = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)


async def test_a_keyboard_shown_is_kept_until_put_away(db: Database) -> None:
    async with db.transaction() as store:
        await store.reply_keyboards.shown("telegram", "701", NOW)
        await store.reply_keyboards.shown("telegram", "701", NOW)  # shown again: one row
        await store.reply_keyboards.shown("telegram", "702", NOW)
        await store.reply_keyboards.shown("zalo", "701", NOW)
    async with db.reading() as store:
        assert await store.reply_keyboards.showing("telegram") == {"701", "702"}
    async with db.transaction() as store:
        await store.reply_keyboards.put_away("telegram", "701")
        await store.reply_keyboards.put_away("telegram", "999")  # none shown: nothing to do
    async with db.reading() as store:
        assert await store.reply_keyboards.showing("telegram") == {"702"}
        assert await store.reply_keyboards.showing("zalo") == {"701"}
