"""Steps the product tests share: register a product by chat, make an officer, read the outbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from handlers.engine.events import Attachment, InputKind
from storage import Database
from storage.models import Role
from tests.chat import Chat


async def make_officer(
    db: Database, chat: Chat, province: str | None = "VL", role: Role = Role.OFFICER
) -> None:
    """Give the chat's account an officer (or admin) role."""
    async with db.transaction() as store:
        user = await store.users.seen(chat.channel, chat.user, chat.user, datetime.now(UTC))
        await store.users.grant(user.id, role, province, "test", datetime.now(UTC))


async def document(chat: Chat, file_id: str, mime: str, size: int = 80_000) -> None:
    """Send a file (a document) the way the Telegram adapter delivers one."""
    await chat.send(
        InputKind.DOCUMENT, attachment=Attachment(file_id=file_id, mime=mime, size=size)
    )


async def register(chat: Chat, name: str = "Kẹo dừa Tân Phú", photos: int = 2) -> int:
    """Register a product from the menu to the summary (first rating, food); its id."""
    await chat.say("/dangky")
    if "products/resume" in chat.templates:
        await chat.press("r:new")
    assert "products/ask_name" in chat.templates, chat.templates
    await chat.say(name)
    await chat.press("g:food")
    await chat.press("s:food07")
    await chat.press("k:first")
    await chat.say("Kẹo dừa làm thủ công theo cách truyền thống, không chất bảo quản.")
    await chat.say("Dừa khô, đường mía")
    await chat.say("Vườn nhà và các hộ trong xã Tân Phú")
    assert "products/ask_photos" in chat.templates, chat.templates
    for n in range(photos):
        await chat.photo(f"photo-{name}-{n}")
        assert "products/photo_saved" in chat.templates, chat.templates
    await chat.press("ph:done")
    assert chat.templates[-1] == "products/summary", chat.templates
    return int(chat.last.replies[-1].context["product"]["id"])


async def outbox(db: Database) -> list[dict[str, Any]]:
    """Every queued outbox row, oldest first, with its payload decoded."""
    async with db.transaction() as store:
        conn = store.outbox._db  # the test reads rows directly; the sender is not ours
        async with conn.execute("SELECT * FROM outbox ORDER BY id") as cur:
            rows = [dict(row) for row in await cur.fetchall()]
    for row in rows:
        row["payload"] = json.loads(row["payload"])
    return rows
