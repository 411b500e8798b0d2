"""One worker at a time runs the jobs that must run once in a deployment (the reminder
scheduler, a channel's poller): a lease in the database, renewed by the worker that holds
it; when that worker dies, another takes the lease once it has expired and starts the job.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime, timedelta

from bot.health import Health
from storage import Database

log = logging.getLogger(__name__)

Job = Callable[[], Coroutine[object, object, None]]


def worker_name() -> str:
    """This process among the deployment's workers: `host:pid` and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


class Leadership:
    """Run a job only while this worker holds the named lease.

    `lease`: how long the lease lasts without renewal (another worker takes over after at
    most that); it is renewed every `renew` seconds (a third of the lease unless said).
    """

    def __init__(
        self, db: Database, name: str, holder: str, *, lease: float = 15.0,
        renew: float | None = None, clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_change: Callable[[bool], None] | None = None, health: Health | None = None,
    ) -> None:
        self._db, self.name, self.holder = db, name, holder
        self._health = health  # /metrics: whether this worker holds it, takeovers
        self.took_over = False  # the last time it was taken, its holder had let it expire
        self._lease, self._renew = lease, renew if renew is not None else lease / 3
        self._clock, self._sleep = clock, sleep
        self.leading = asyncio.Event()  # set while this worker leads (for tests and health)
        self.terms = 0  # how many times this worker became the leader
        self.attempts = 0  # how many times it asked for (or renewed) the lease
        self._on_change = on_change or (lambda leading: None)  # told when it leads or stops
        self._on_change(False)
        if health is not None:
            health.leading(name, False)

    async def _take(self) -> bool:
        """Take or renew the lease; a database error counts as not holding it."""
        now = self._clock()
        self.attempts += 1
        try:
            outcome = await self._db.run(lambda store: store.leases.taken(
                self.name, self.holder, now, now + timedelta(seconds=self._lease)))
        except Exception:
            log.exception("%s: could not reach the lease", self.name)
            return False
        if outcome in ("new", "taken_over"):
            self.took_over = outcome == "taken_over"
        return outcome is not None

    async def run(self, job: Job) -> None:
        """Wait for the lease, run `job` while it is renewed, stop the job if it is lost (and
        wait again); returns (or raises) when the job ends by itself."""
        while True:
            while not await self._take():
                await self._sleep(self._renew)
            self.terms += 1
            log.info("%s: this worker (%s) now runs it", self.name, self.holder)
            if await self._lead(job):
                return

    async def _lead(self, job: Job) -> bool:
        """Run the job while renewing; True if the job ended by itself, False if the lease
        was lost."""
        task = asyncio.create_task(job(), name=self.name)
        self.leading.set()
        self._on_change(True)
        if self._health is not None:
            self._health.leading(self.name, True, took_over=self.took_over)
        try:
            while True:
                done, _ = await asyncio.wait({task}, timeout=self._renew)
                if done:
                    task.result()  # raises what the job raised
                    return True
                if not await self._take():
                    log.warning("%s: the lease was lost; stopping it here", self.name)
                    return False
        finally:
            self.leading.clear()
            self._on_change(False)
            if self._health is not None:
                self._health.leading(self.name, False)
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await self._give_up()

    async def _give_up(self) -> None:
        """Hand the lease back so another worker takes over at once (not after it expires)."""
        with contextlib.suppress(Exception):
            async with self._db.transaction() as store:
                await store.leases.give_up(self.name, self.holder)


def led(
    db: Database, name: str, holder: str, job: Job, *, lease: float,
    on_change: Callable[[bool], None] | None = None, health: Health | None = None,
) -> Job:
    """`job` run only while this worker holds the lease `name` (for `supervise`)."""
    return lambda: Leadership(db, name, holder, lease=lease, on_change=on_change,
                              health=health).run(job)
