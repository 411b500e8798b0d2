"""The jobs that must run once in a deployment (the reminder scheduler, a channel's poller)
run on one worker at a time; when it dies another takes over after the lease."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

from bot.leader import Leadership
from storage import open_database
from tests.engines import PostgresServer
from tests.workers.support import two_workers

LEASE = 0.6  # seconds; renewed every 0.2 s
WAIT = 10.0


def job(ran: asyncio.Event, stopped: asyncio.Event) -> object:
    """A long-lived job that says when it starts and when it is stopped."""

    async def run() -> None:
        ran.set()
        try:
            await asyncio.Event().wait()
        finally:
            stopped.set()

    return run


async def test_one_leader_and_another_takes_over_when_it_dies(
    pg_server: PostgresServer,
) -> None:
    url = pg_server.fresh_database()
    async with two_workers(url) as (_, survivor), contextlib.AsyncExitStack() as stack:
        doomed = await stack.enter_async_context(open_database(url))  # closed mid-test
        a, b = (Leadership(db, "scheduler", name, lease=LEASE)
                for db, name in ((doomed, "a"), (survivor, "b")))
        events = {name: (asyncio.Event(), asyncio.Event()) for name in "ab"}
        first = asyncio.create_task(a.run(job(*events["a"])))  # type: ignore[arg-type]
        await asyncio.wait_for(events["a"][0].wait(), WAIT)
        second = asyncio.create_task(b.run(job(*events["b"])))  # type: ignore[arg-type]
        for _ in range(4):  # several of b's attempts pass while a renews
            await asyncio.sleep(LEASE / 3)
            assert a.leading.is_set() and not b.leading.is_set() and b.terms == 0
        async with survivor.reading() as store:
            assert await store.leases.holder("scheduler", _now()) == "a"

        await doomed.close()  # a loses the database: it cannot renew, so it stops its job
        await asyncio.wait_for(events["a"][1].wait(), WAIT)
        await asyncio.wait_for(events["b"][0].wait(), WAIT)  # b took over after the lease
        assert b.terms == 1 and not a.leading.is_set()
        async with survivor.reading() as store:
            assert await store.leases.holder("scheduler", _now()) == "b"
        for task in (first, second):
            task.cancel()
        await asyncio.gather(first, second, return_exceptions=True)


async def test_a_worker_that_stops_cleanly_hands_over_at_once(
    pg_server: PostgresServer,
) -> None:
    url = pg_server.fresh_database()
    async with two_workers(url) as (one, two):
        a = Leadership(one, "telegram-poller", "a", lease=30.0)  # long: no waiting for it
        b = Leadership(two, "telegram-poller", "b", lease=30.0, renew=0.05)
        events = {name: (asyncio.Event(), asyncio.Event()) for name in "ab"}
        first = asyncio.create_task(a.run(job(*events["a"])))  # type: ignore[arg-type]
        await asyncio.wait_for(events["a"][0].wait(), WAIT)
        second = asyncio.create_task(b.run(job(*events["b"])))  # type: ignore[arg-type]
        first.cancel()  # a stops (SIGTERM): it gives the lease back
        await asyncio.gather(first, return_exceptions=True)
        await asyncio.wait_for(events["b"][0].wait(), WAIT)
        second.cancel()
        await asyncio.gather(second, return_exceptions=True)


def _now() -> datetime:
    return datetime.now(UTC)
