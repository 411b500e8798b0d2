"""Steps the self-assessment tests share: load criteria, open a product's self-assessment."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from storage import Database
from storage.criteria_files import parse_criteria, read_folder
from tests.chat import Chat
from tests.products.steps import register


async def load(db: Database, folder: Path) -> int:
    """Load the criteria of a folder into the test database; the scored criteria of set 7."""
    bundle = parse_criteria(read_folder(folder))
    async with db.transaction() as store:
        await store.criteria.load(bundle, "test", datetime.now(UTC))
    return len(next(s for s in bundle.sets if s.set_no == 7).scored)


async def product_for(chat: Chat) -> int:
    """Onboard and register a food product of set 7 (the tests' product); its id."""
    await chat.onboard()
    return await register(chat)


async def open_assessment(chat: Chat, pid: int) -> None:
    """Open the product and press "Tự chấm điểm"."""
    await chat.say("/sanpham")
    await chat.press(f"p:{pid}")
    await chat.press("v:assess")


async def scored(chat: Chat, db: Database, folder: Path, picks: tuple[int, ...]) -> int:
    """Load the small criteria, register a product and answer with these option numbers."""
    await load(db, folder)
    pid = await product_for(chat)
    await open_assessment(chat, pid)
    for n in picks:
        await chat.say(str(n))
    return pid
