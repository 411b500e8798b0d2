"""Helpers for the round and training tests: officers, producers, products, the outbox."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from handlers.engine.config import HandlerConfig
from handlers.engine.feature import ReminderContext, reminder_rules
from handlers.rounds import ROUNDS
from handlers.trainings import TRAININGS
from messages import Renderer
from storage import Database
from storage.models import Role
from storage.product_models import ProductStatus
from tests.chat import Chat, ChatFor


async def officer(
    db: Database, chat_for: ChatFor,
    user: str = "off1", province: str | None = "VL", role: Role = Role.OFFICER,
) -> Chat:
    """A chat with an officer of `province` (on Telegram, so notices can reach them)."""
    chat = chat_for(user)
    await chat.say("/menu")
    async with db.transaction() as store:
        found = await store.users.find("telegram", user)
        assert found is not None
        await store.users.grant(found.id, role, province, "test", chat.clock())
    return chat


async def producer(
    chat_for: ChatFor, user: str = "101", name: str = "HTX Tân Phú", province: str = "vinh long",
) -> Chat:
    """A registered producer chatting on Telegram."""
    chat = chat_for(user)
    await chat.onboard(name=name, province=province)
    return chat


async def producer_id(db: Database, user: str) -> int:
    """The producer id of a Telegram test user."""
    async with db.transaction() as store:
        found = await store.users.find("telegram", user)
    assert found is not None and found.producer_id is not None
    return found.producer_id


async def user_id(db: Database, user: str) -> int:
    """The user id of a Telegram test user."""
    async with db.transaction() as store:
        found = await store.users.find("telegram", user)
    assert found is not None
    return found.id


async def product(
    db: Database, producer: int, name: str, now: datetime,
    status: ProductStatus = ProductStatus.SUBMITTED, group: str = "food",
) -> int:
    """A product row made through the products repository."""
    async with db.transaction() as store:
        pid = await store.products.create_draft(producer, now)
        await store.products.set_field(pid, "name", name, now)
        await store.products.set_field(pid, "group_code", group, now)
        await store.products.set_field(pid, "application", "first", now)
        await store.products.set_status(pid, status, now)
    return pid


def outbox(path: Path, prefix: str = "") -> list[dict[str, Any]]:
    """Outbox rows whose dedupe key starts with `prefix`, read with a separate connection."""
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT * FROM outbox WHERE dedupe_key LIKE ? ORDER BY id", (f"{prefix}%",)
        ).fetchall()
    finally:
        conn.close()
    found = [dict(row) for row in rows]
    for row in found:
        row["payload"] = json.loads(row["payload"])
    return found




async def run_reminders(db: Database, renderer: Renderer, config: HandlerConfig,
                        now: datetime) -> int:
    """Run the round and training reminder rules once, as the scheduler does each minute."""
    queued = 0
    async with db.transaction() as store:
        ctx = ReminderContext(store=store, renderer=renderer, now=now, config=config)
        for rule in reminder_rules((ROUNDS, TRAININGS)):
            queued += await rule(ctx)
    return queued
