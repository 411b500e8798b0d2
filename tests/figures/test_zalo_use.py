"""An admin's `/thongke` ends with the month's Zalo use when a Zalo bot runs."""

from __future__ import annotations

import pytest

from handlers.engine.config import HandlerConfig
from storage import Database
from storage.models import Role
from tests.chat import ChatFor, Clock
from tests.rounds.support import officer


@pytest.fixture
def config() -> HandlerConfig:
    """Handler settings with one configured admin and a Zalo plan of 3 000 messages."""
    return HandlerConfig(admins=frozenset({"telegram:999"}), zalo_monthly_quota=3000)


async def test_an_admin_sees_the_months_zalo_use_and_an_officer_does_not(
    chat_for: ChatFor, db: Database, clock: Clock
) -> None:
    async with db.transaction() as store:
        await store.channel_usage.add("zalo", "2026-12", 2140, clock())
    admin = await officer(db, chat_for, user="adm", province=None, role=Role.ADMIN)
    await admin.say("/thongke")
    assert "Zalo: đã dùng 2.140 / 3.000 tin trong tháng 12/2026." in admin.text
    local = await officer(db, chat_for, user="off1", province="HN")
    await local.say("/thongke")
    assert "Zalo" not in local.text
