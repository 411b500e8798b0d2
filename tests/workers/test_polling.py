"""In polling mode, several workers on one PostgreSQL database: one of them polls each
channel (a lease), the others stand by and their health check does not expect polls; when
the poller stops, another worker polls."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.channels.telegram import run_telegram
from bot.core import Core, open_core
from bot.health import Health
from bot.health_routes import STALE_AFTER
from bot.run import polled
from fakes.telegram import FakeTelegram
from tests.channels.test_health import FakeClock, get
from tests.channels.test_telegram_e2e import fake, telegram_settings
from tests.engines import PostgresServer
from tests.workers.test_leader import until

__all__ = ["fake"]  # the fixture used by the tests below


@pytest.fixture
async def cores(
    fake: FakeTelegram, tmp_path: Path, pg_server: PostgresServer,
) -> AsyncIterator[tuple[Core, Core]]:
    """Two workers' cores on one PostgreSQL database, polling the fake Bot API."""
    settings = telegram_settings(fake, tmp_path).model_copy(update={  # tried every second
        "database_url": SecretStr(pg_server.fresh_database()), "leader_lease": 3})
    async with open_core(settings) as one, open_core(settings) as two:
        for core in (one, two):
            core.health = Health(clock=FakeClock())
        yield one, two


async def test_one_worker_polls_and_the_other_stands_by_until_it_stops(
    cores: tuple[Core, Core], fake: FakeTelegram,
) -> None:
    one, two = cores
    first = asyncio.create_task(polled(one, "telegram", lambda: run_telegram(one))())
    await until(lambda: "telegram" in one.health.polling)
    second = asyncio.create_task(polled(two, "telegram", lambda: run_telegram(two))())
    await until(lambda: "telegram" in two.health.standby)
    polls = len(fake.calls("getUpdates"))
    await until(lambda: len(fake.calls("getUpdates")) >= polls + 2)
    assert "telegram" not in two.health.polling  # every poll since came from the first

    two.health.clock.now += STALE_AFTER + 1  # type: ignore[attr-defined]
    standing_by = (await get(two, "/healthz")).json()
    assert standing_by["channels"]["telegram"]["ok"] is True  # no polls expected of it

    first.cancel()  # the first worker stops: it hands the poller over
    await asyncio.gather(first, return_exceptions=True)
    await until(lambda: "telegram" in two.health.polling)
    assert "telegram" not in two.health.standby
    second.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await second
