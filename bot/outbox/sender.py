"""The outbox sender of one channel: claim due rows, pace, send through a Transport, settle.

Delivery is at-least-once: a row is marked `sending` before the request and `sent` after it,
so a crash in between sends that one message again after the restart (`recover`), and nothing
is ever lost. Each recipient gets at most one duplicate per crash. Transient errors (5xx,
timeouts, the network down, flood control) are retried with capped exponential backoff for as
long as the row is relevant (its `expires_at`): an outage delays a message, it does not drop it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.health import Health
from bot.leader import Leadership, worker_name
from bot.outbox.pacing import Pacer, Sleep
from bot.outbox.policy import SenderStats, SendGate, SendPolicy, admitted
from bot.outbox.progress import ProgressEdits
from bot.outbox.shared_pace import SharedSlots
from bot.outbox.transport import SendResult, SendStatus, Transport
from messages import Renderer
from storage import Database, Store
from storage.outbox_models import OutboxRow

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class Sender(ProgressEdits):
    """Drains one channel's outbox through its Transport, within the channel's limits."""

    def __init__(
        self,
        db: Database,
        transport: Transport,
        renderer: Renderer,
        policy: SendPolicy,
        *,
        clock: Clock,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        max_in_flight: int | None = None,
        idle_poll: float = 1.0,
        only_chat: str | None = None,
        gate: SendGate | None = None,
        health: Health | None = None,
        worker: str | None = None,
        shared: SharedSlots | None = None,
        lead: Leadership | None = None,
    ) -> None:
        self._db, self._transport, self._renderer = db, transport, renderer
        self._policy = policy
        self._clock = clock
        self._monotonic = monotonic
        self._sleep = sleep
        self._pacer = Pacer(policy.rate, policy.chat_interval, monotonic, sleep, shared)
        # Rows it claims are held by this worker for `policy.lease` seconds, renewed meanwhile.
        self.worker, self._renewed = worker or worker_name(), monotonic()
        self._lead = lead  # whose lease the progress edits need (several workers)
        self._max_in_flight = max_in_flight or max(8, min(1000, int(policy.rate * 2)))
        # Requests on the wire at once: the transport's connections. A row takes its pace
        # slot only once it can go out, so rows piled up during a stall (a slow answer, a
        # busy CPU) leave at the pace afterwards instead of all at once into flood control.
        self._wire = asyncio.Semaphore(getattr(transport, "connections", self._max_in_flight))
        self._idle_poll, self._gate = idle_poll, gate  # gate: the channel's monthly quota
        self._only_chat = only_chat  # a terminal chat's sender delivers its own rows only
        self._shown: dict[int, str] = {}
        self._outcomes: list[tuple[OutboxRow, SendResult]] = []
        self._settling = asyncio.Lock()
        self.channel = transport.channel
        self.stats = SenderStats()
        self._health = health or Health()  # last claim, sends and failures (/healthz)

    async def recover(self) -> int:
        """Put back rows a previous run left `sending` (call once at start-up)."""
        async with self._db.transaction() as store:
            count = await store.outbox.recover(self.channel, self._clock(), self.worker)
        if count:
            log.warning("%s: %d rows were being sent at the last stop; sending again",
                        self.channel, count)
        return count

    async def drain_once(self, limit: int | None = None) -> int:
        """Claim what is due now, deliver it all, update progress; returns rows claimed."""
        await self._flush_quietly()
        rows = await self._claim(limit or self._max_in_flight)
        await asyncio.gather(*(self._deliver(row) for row in rows))
        await self.update_progress()
        return len(rows)

    async def run(self) -> None:
        """Send forever: keep up to `max_in_flight` rows moving, refresh progress on the side."""
        await self.recover()
        progress = asyncio.create_task(  # on a shared server, by one worker (a lease)
            self._lead.run(self._progress_loop) if self._lead else self._progress_loop(),
            name=f"{self.channel}-progress")
        in_flight: set[asyncio.Task[None]] = set()
        # Set by every row that ends: waiting on it costs the same with 10 rows in flight or
        # 600, where asyncio.wait(in_flight) would hook into and unhook from each of them.
        ended = asyncio.Event()

        def row_ended(task: asyncio.Task[None]) -> None:
            in_flight.discard(task)
            ended.set()

        claim_min = max(1, self._max_in_flight // 4)
        try:
            while True:
                ended.clear()  # a row ending from here on wakes the wait below
                room = self._max_in_flight - len(in_flight)
                if self._outcomes and not self._settling.locked():
                    await self._flush_quietly()  # outcomes a failed commit left behind
                await self._renew_leases(bool(in_flight or self._outcomes))
                try:
                    rows = await self._claim(room) if room >= claim_min else []
                except Exception:  # e.g. the database is busy: log, wait, go on
                    log.exception("%s: claiming due rows failed", self.channel)
                    rows = []
                for row in rows:
                    task = asyncio.create_task(self._deliver(row))
                    in_flight.add(task)
                    task.add_done_callback(row_ended)
                if not in_flight:
                    await self._sleep(self._idle_poll)
                elif len(rows) < room or room < claim_min:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self._idle_poll):
                            await ended.wait()
        finally:
            for task in (*in_flight, progress):
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*in_flight, progress, return_exceptions=True)
            # Sent but not yet recorded: record now, or they would be sent again after a restart.
            await self._flush_quietly()

    async def _claim(self, limit: int) -> list[OutboxRow]:
        now = self._clock()
        policy = self._policy
        if (urgent_only := await admitted(self._gate, now, policy.quiet.is_quiet(now))) is None:
            self._health.claimed(self.channel)  # alive: everything waits for the quota
            return []
        async with self._db.read_committed() as store:
            rows = await store.outbox.claim_due(
                self.channel, now, limit, urgent_only=urgent_only,
                daily_cap=policy.cap.limit, day_start=policy.cap.day_start(now),
                cap_resume=policy.cap.resume_at(now, policy.quiet), only_chat=self._only_chat,
                worker=self.worker, lease_until=now + timedelta(seconds=policy.lease),
            )
            taken_over = store.outbox.taken_over
        self._health.claimed(self.channel, len(rows), taken_over)
        return rows

    async def _renew_leases(self, holding: bool) -> None:
        """Every third of a lease, extend the lease of the rows this worker is sending."""
        if not holding or self._monotonic() - self._renewed < self._policy.lease / 3:
            return
        self._renewed = self._monotonic()
        try:
            async with self._db.read_committed() as store:
                until = self._clock() + timedelta(seconds=self._policy.lease)
                await store.outbox.renew(self.channel, self.worker, until)
        except Exception:  # a busy database: the next pass tries again, well within the lease
            log.exception("%s: renewing the lease of the rows in hand failed", self.channel)

    async def _deliver(self, row: OutboxRow) -> None:
        waits = 0
        while True:
            await self._pacer.chat_ready(row.chat_id)
            async with self._wire:  # paced once a connection is free: a stall is no burst
                await self._pacer.acquire(row.chat_id)
                try:
                    payload = await self._fresh_payload(row)
                    result = await self._transport.send(row.chat_id, payload)
                except Exception as exc:  # a transport bug or a busy database: retry later
                    log.exception("%s: sending row %d raised", self.channel, row.id)
                    result = SendResult(SendStatus.TRANSIENT, error=repr(exc))
            if result.status is not SendStatus.RETRY_AFTER:
                break
            self.stats.retry_after += 1
            wait = result.retry_after or 1.0
            self._pacer.penalize(row.chat_id, wait)
            if waits >= self._policy.retry_after_waits:
                break
            waits += 1
        self._health.outcome(self.channel, result.status.value)
        self._outcomes.append((row, result))
        await self._flush_quietly()

    async def _fresh_payload(self, row: OutboxRow) -> dict[str, Any]:
        if row.kind != "progress" or row.broadcast_id is None:
            return row.payload
        async with self._db.transaction() as store:
            broadcast = await store.broadcasts.get(row.broadcast_id)
            report = await store.broadcasts.report(row.broadcast_id)
        if broadcast is None:
            return row.payload
        return self._progress_payload(broadcast, report)

    async def _flush_quietly(self) -> None:
        """Commit the outcomes waiting to be recorded, together; if that fails, keep them.

        Outcomes kept after a failed commit (a busy or full disk) are committed by a later
        call, so their rows do not stay `sending` until a restart and are not sent twice.
        """
        async with self._settling:  # the holder commits everything queued so far
            batch, self._outcomes = self._outcomes, []
            if not batch:
                return  # an earlier holder committed ours
            try:
                now = self._clock()
                sent = [(r.id, res.message_id) for r, res in batch
                        if res.status is SendStatus.SENT]
                async with self._db.read_committed() as store:  # rows this worker holds
                    if sent:
                        await store.outbox.mark_sent_many(sent, now)
                    for one, outcome in batch:
                        await self._record(store, one, outcome, now)
            except BaseException as error:  # keep them, to record later (or at shutdown)
                self._outcomes[:0] = batch
                if not isinstance(error, Exception):
                    raise
                log.exception("%s: recording %d outcomes failed; will retry",
                              self.channel, len(batch))

    async def _record(self, store: Store, row: OutboxRow, result: SendResult,
                      now: datetime) -> None:
        error = result.error or result.status.value
        match result.status:
            case SendStatus.SENT:
                self.stats.sent += 1
                if row.kind == "progress" and row.broadcast_id and result.message_id:
                    await store.broadcasts.set_progress_message(
                        row.broadcast_id, result.message_id
                    )
            case SendStatus.BLOCKED:
                self.stats.blocked += 1
                await store.outbox.mark_dead(row.id, row.user_id, error, now)
                if row.user_id is not None:
                    await store.users.mark_unreachable(row.user_id)
            case SendStatus.FAILED:
                self.stats.failed += 1
                await store.outbox.mark_failed(row.id, error, now)
            case SendStatus.QUOTA:  # held, untried, until the quota renews (never expired)
                await store.outbox.hold(row.id, now + self._backoff(row, result), error, now)
            case SendStatus.RETRY_AFTER | SendStatus.TRANSIENT:
                self.stats.transient += result.status is SendStatus.TRANSIENT
                if row.expires_at is not None and now >= row.expires_at:
                    self.stats.failed += 1
                    await store.outbox.mark_expired(row.id, error, now)
                    return
                again = now + self._backoff(row, result)
                if row.expires_at is not None:
                    again = min(again, row.expires_at)  # one last try when relevance ends
                await store.outbox.mark_retry(row.id, again, error, now)

    def _backoff(self, row: OutboxRow, result: SendResult) -> timedelta:
        if result.status in (SendStatus.RETRY_AFTER, SendStatus.QUOTA) and result.retry_after:
            return timedelta(seconds=result.retry_after)
        doublings = min(row.attempts - 1, 40)  # past the cap long before; no overflow
        delay = self._policy.backoff_base * 2.0 ** doublings
        return timedelta(seconds=min(delay, self._policy.backoff_max))
