"""`/healthz` tells the truth: 503 once a part stops; `/metrics` in the Prometheus format."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.channels.telegram import run_telegram
from bot.channels.webhook import build_app
from bot.core import Core, open_core
from bot.health import Health
from bot.health_routes import STALE_AFTER, health_routes
from bot.leader import Leadership
from bot.outbox.tasks import run_sender
from fakes.telegram import FakeTelegram
from storage.outbox_models import OutboxMessage
from tests.channels.test_telegram_e2e import fake, telegram_settings

__all__ = ["fake"]  # the fixture used by the tests below


class FakeClock:
    """Seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def core(fake: FakeTelegram, tmp_path: Path) -> AsyncIterator[Core]:
    """The bot's core on a database under tmp_path, its health on a fake clock."""
    async with open_core(telegram_settings(fake, tmp_path)) as opened:
        opened.health = Health(clock=FakeClock())
        yield opened


async def until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait (on the event loop) until `condition` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def get(core: Core, path: str) -> httpx.Response:
    """GET `path` from the app `run` serves the health check with."""
    app = build_app(extra_routes=health_routes(core))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://bot") as client:
        return await client.get(path)


async def test_healthz_turns_503_when_the_sender_is_stopped(core: Core) -> None:
    clock = core.health.clock
    assert isinstance(clock, FakeClock)
    poller = asyncio.create_task(run_telegram(core))
    sender = asyncio.create_task(run_sender(core, "telegram"))
    try:
        await until(lambda: {"telegram"} <= core.health.last_claim.keys()
                    and {"telegram"} <= core.health.last_call.keys())
        clock.now += STALE_AFTER + 1  # both parts keep working: both refresh
        await until(lambda: core.health.last_claim["telegram"] == clock.now
                    and core.health.last_call["telegram"] == clock.now)
        alive = await get(core, "/healthz")
        assert alive.status_code == 200, alive.json()
        assert alive.json()["database"] == {"ok": True, "backlog": 0}

        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sender
        clock.now += STALE_AFTER + 1
        await until(lambda: core.health.last_call["telegram"] == clock.now)  # still polling
        stale = await get(core, "/healthz")
        assert stale.status_code == 503
        body = stale.json()
        assert body["senders"]["telegram"]["ok"] is False
        assert body["channels"]["telegram"]["ok"] is True
    finally:
        for task in (poller, sender):
            task.cancel()
        await asyncio.gather(poller, sender, return_exceptions=True)


async def test_metrics_count_sends_by_channel_and_the_backlog(core: Core) -> None:
    core.health.sent("telegram")
    core.health.failed("zalo", "transient")
    core.health.answered("telegram", 0.2)
    shown = await get(core, "/metrics")
    assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/plain")
    text = shown.text
    assert 'ocop_outbox_sends_total{channel="telegram"} 1.0' in text
    assert 'ocop_outbox_failures_total{channel="zalo",status="transient"} 1.0' in text
    assert "ocop_outbox_backlog 0.0" in text
    assert 'ocop_update_seconds_count{channel="telegram"} 1.0' in text
    use = {line.split('"')[1]: float(line.split()[-1]) for line in text.splitlines()
           if line.startswith("ocop_database_use{")}
    assert set(use) == {"transactions", "statements", "round_trips", "retries"}
    assert use["transactions"] >= 2 and use["statements"] > use["transactions"]  # + the probe
    assert use["retries"] == 0


async def test_a_database_that_cannot_be_written_is_unhealthy(core: Core) -> None:
    async with core.db.transaction() as store:  # the probe's table gone: every write fails
        await store.outbox_health._db.execute("DROP TABLE health_probe")
    shown = await get(core, "/healthz")
    assert shown.status_code == 503 and shown.json()["database"]["ok"] is False


class LeaseClock:
    """The leases' clock (UTC datetimes), moved only by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_metrics_show_the_scheduler_lease_held_and_taken_over(core: Core) -> None:
    clock = LeaseClock()
    async with core.db.transaction() as store:  # a worker that then died holds it
        assert await store.leases.take("scheduler", "dead", clock.now,
                                       clock.now + timedelta(seconds=15))
    ran = asyncio.Event()

    async def job() -> None:
        ran.set()
        await asyncio.Event().wait()

    lead = Leadership(core.db, "scheduler", "me", lease=15, renew=0.01, clock=clock,
                      health=core.health)
    task = asyncio.create_task(lead.run(job))
    try:
        await until(lambda: lead.attempts >= 3)
        waiting = (await get(core, "/metrics")).text
        assert 'ocop_lease_held{lease="scheduler"} 0.0' in waiting
        clock.now += timedelta(seconds=16)  # the dead worker's lease has passed
        await asyncio.wait_for(ran.wait(), 10)
        text = (await get(core, "/metrics")).text
        assert 'ocop_lease_held{lease="scheduler"} 1.0' in text
        assert 'ocop_lease_takeovers_total{lease="scheduler"} 1.0' in text
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert 'ocop_lease_held{lease="scheduler"} 0.0' in (await get(core, "/metrics")).text


async def test_metrics_count_the_rows_this_worker_claimed(core: Core) -> None:
    now = datetime.now(UTC)
    async with core.db.transaction() as store:
        for n in range(2):
            await store.outbox.enqueue(OutboxMessage(
                user_id=None, channel="telegram", chat_id=str(500 + n), kind="notice",
                payload={"text": f"tin {n}", "format": "html"}, dedupe_key=f"m:{n}",
                not_before=now, urgent=True), now)  # urgent: sent in quiet hours too
    sender = asyncio.create_task(run_sender(core, "telegram"))
    try:
        await until(lambda: _sends(core) == 2)
    finally:
        sender.cancel()
        await asyncio.gather(sender, return_exceptions=True)
    text = (await get(core, "/metrics")).text
    assert 'ocop_outbox_claimed_total{channel="telegram"} 2.0' in text
    assert 'ocop_outbox_taken_over_total{channel="telegram"} 0.0' in text


def _sends(core: Core) -> float:
    """Messages the sender delivered on Telegram, as /metrics counts them."""
    return core.health.registry.get_sample_value(
        "ocop_outbox_sends_total", {"channel": "telegram"}) or 0.0


async def test_a_claim_counts_the_rows_it_took_over_from_a_dead_worker(core: Core) -> None:
    now = datetime.now(UTC)
    async with core.db.transaction() as store:
        await store.outbox.enqueue(OutboxMessage(
            user_id=None, channel="telegram", chat_id="500", kind="notice",
            payload={"text": "tin", "format": "html"}, dedupe_key="m", not_before=now), now)
    async with core.db.read_committed() as store:
        held = await store.outbox.claim_due(
            "telegram", now, 5, urgent_only=False, daily_cap=9, day_start=now,
            cap_resume=now, worker="dead", lease_until=now + timedelta(seconds=60))
    assert len(held) == 1
    later = now + timedelta(seconds=61)
    async with core.db.read_committed() as store:
        again = await store.outbox.claim_due(
            "telegram", later, 5, urgent_only=False, daily_cap=9, day_start=later,
            cap_resume=later, worker="me", lease_until=later + timedelta(seconds=60))
        assert store.outbox.taken_over == 1 and [r.id for r in again] == [held[0].id]
