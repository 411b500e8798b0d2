"""The jobs that must run once in a deployment (the reminder scheduler, a channel's poller)
run on one worker at a time; when it dies another takes over after the lease.

The leases are judged by an injected clock: they expire only when the test moves it, so a
slow machine cannot make a live leader lose its lease."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine

from bot.leader import Leadership
from storage import Database, open_database
from tests.chat import Clock
from tests.engines import PostgresServer
from tests.workers.support import two_workers

LEASE = 15.0  # seconds of the injected clock
WAIT = 10.0  # real seconds, a deadline only


class Job:
    """A long-lived job that says when it starts and when it is stopped."""

    def __init__(self) -> None:
        self.ran, self.stopped = asyncio.Event(), asyncio.Event()

    def __call__(self) -> Coroutine[object, object, None]:
        return self.run()

    async def run(self) -> None:
        """Run until cancelled."""
        self.ran.set()
        try:
            await asyncio.Event().wait()
        finally:
            self.stopped.set()


def leader(db: Database, holder: str, clock: Clock) -> Leadership:
    """A candidate that tries (and renews) every 10 ms of real time."""
    return Leadership(db, "scheduler", holder, lease=LEASE, renew=0.01, clock=clock)


async def holder(db: Database, clock: Clock) -> str | None:
    """Who holds the scheduler's lease by the injected clock."""
    async with db.reading() as store:
        return await store.leases.holder("scheduler", clock())


async def test_one_leader_and_another_takes_over_when_it_dies(
    pg_server: PostgresServer, clock: Clock,
) -> None:
    url = pg_server.fresh_database()
    async with two_workers(url) as (_, survivor), contextlib.AsyncExitStack() as stack:
        doomed = await stack.enter_async_context(open_database(url))  # closed mid-test
        a, b = leader(doomed, "a", clock), leader(survivor, "b", clock)
        jobs = {"a": Job(), "b": Job()}
        first = asyncio.create_task(a.run(jobs["a"]))
        await asyncio.wait_for(jobs["a"].ran.wait(), WAIT)
        second = asyncio.create_task(b.run(jobs["b"]))
        await until(lambda: b.attempts >= 20)  # b has tried many times while a renews
        assert a.leading.is_set() and not b.leading.is_set() and b.terms == 0
        assert await holder(survivor, clock) == "a"

        await doomed.close()  # a loses the database: it cannot renew, so it stops its job
        await asyncio.wait_for(jobs["a"].stopped.wait(), WAIT)
        assert not b.leading.is_set()  # a's lease still runs
        clock.advance(seconds=LEASE + 1)  # … until it has passed
        await asyncio.wait_for(jobs["b"].ran.wait(), WAIT)
        assert b.terms == 1 and not a.leading.is_set()
        assert await holder(survivor, clock) == "b"
        for task in (first, second):
            task.cancel()
        await asyncio.gather(first, second, return_exceptions=True)


async def test_a_worker_that_stops_cleanly_hands_over_at_once(
    pg_server: PostgresServer, clock: Clock,
) -> None:
    url = pg_server.fresh_database()
    async with two_workers(url) as (one, two):
        a, b = leader(one, "a", clock), leader(two, "b", clock)
        jobs = {"a": Job(), "b": Job()}
        first = asyncio.create_task(a.run(jobs["a"]))
        await asyncio.wait_for(jobs["a"].ran.wait(), WAIT)
        second = asyncio.create_task(b.run(jobs["b"]))
        first.cancel()  # a stops (SIGTERM): it gives the lease back
        await asyncio.gather(first, return_exceptions=True)
        await asyncio.wait_for(jobs["b"].ran.wait(), WAIT)  # no clock moved: at once
        assert await holder(two, clock) == "b"
        second.cancel()
        await asyncio.gather(second, return_exceptions=True)


async def until(condition: Callable[[], bool]) -> None:
    """Poll a condition until it holds, within the deadline."""
    async with asyncio.timeout(WAIT):
        while not condition():
            await asyncio.sleep(0.01)
