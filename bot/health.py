"""What the health check and `/metrics` report: the last success of every part, and counters.

The parts write here as they work (a channel's successful call, the sender's claim, a send,
an update answered); `/healthz` judges freshness from it, `/metrics` exports it. Each process
has its own registry, so tests and several cores never share counters.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from storage import Database

Clock = Callable[[], float]  # seconds, like time.time


@dataclass
class Health:
    """Last successes and counters of one running bot."""

    clock: Clock = time.time
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    last_call: dict[str, float] = field(default_factory=dict)  # channel → last successful call
    last_claim: dict[str, float] = field(default_factory=dict)  # sender's channel → last claim
    polling: set[str] = field(default_factory=set)  # channels that poll (calls are expected)
    standby: set[str] = field(default_factory=set)  # channels another worker polls for now
    last_webhook: dict[str, float] = field(default_factory=dict)  # channel → last update in
    last_error: dict[str, str] = field(default_factory=dict)  # channel → why its probe failed

    def __post_init__(self) -> None:
        self.started = self.clock()
        self.sends = Counter("ocop_outbox_sends", "Outbox messages delivered", ["channel"],
                             registry=self.registry)
        self.failures = Counter("ocop_outbox_failures", "Outbox send attempts that failed",
                                ["channel", "status"], registry=self.registry)
        self.backlog = Gauge("ocop_outbox_backlog", "Outbox rows due and not yet sent",
                             registry=self.registry)
        self.latency = Histogram(
            "ocop_update_seconds", "Time to answer one update", ["channel"],
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30), registry=self.registry)
        self.database = Gauge("ocop_database_use", "Database work since start: transactions,"
                              " statements, round trips (waits for answers), retries", ["kind"],
                              registry=self.registry)
        self.claimed_rows = Counter("ocop_outbox_claimed", "Outbox rows this worker claimed",
                                    ["channel"], registry=self.registry)
        self.rows_taken_over = Counter(
            "ocop_outbox_taken_over", "Outbox rows of a dead worker this worker put back",
            ["channel"], registry=self.registry)
        self.lease_held = Gauge("ocop_lease_held", "1 while this worker holds the lease",
                                ["lease"], registry=self.registry)
        self.lease_takeovers = Counter(
            "ocop_lease_takeovers", "Leases this worker took over from a worker that let them"
            " expire", ["lease"], registry=self.registry)
        self.last_success = Gauge("ocop_last_success_timestamp_seconds",
                                  "When a part last succeeded (Unix time)", ["part"],
                                  registry=self.registry)

    def channel_ok(self, channel: str, *, polling: bool = False) -> None:
        """A call to the platform succeeded."""
        now = self.clock()
        self.last_call[channel] = now
        self.last_error.pop(channel, None)
        if polling:
            self.polling.add(channel)
        self.last_success.labels(part=channel).set(now)

    def probe_failed(self, channel: str, error: str) -> None:
        """The channel's getMe failed (webhook mode): the last success is not refreshed."""
        self.last_error[channel] = error

    def webhook_received(self, channel: str) -> None:
        """A webhook update came in from the platform (shown, not judged: people may be quiet)."""
        self.last_webhook[channel] = self.clock()

    def claimed(self, channel: str, rows: int = 0, taken_over: int = 0) -> None:
        """The channel's sender claimed `rows` due rows (possibly none) from the database,
        after putting back `taken_over` rows a dead worker held."""
        now = self.clock()
        self.last_claim[channel] = now
        self.last_success.labels(part=f"{channel}-sender").set(now)
        self.claimed_rows.labels(channel=channel).inc(rows)
        self.rows_taken_over.labels(channel=channel).inc(taken_over)

    def leading(self, lease: str, held: bool, *, took_over: bool = False) -> None:
        """This worker took (`held`) or lost the lease `lease` (several workers);
        `took_over`: from a worker that let it expire."""
        self.lease_held.labels(lease=lease).set(1 if held else 0)
        if took_over:
            self.lease_takeovers.labels(lease=lease).inc()

    def outcome(self, channel: str, status: str) -> None:
        """One send attempt ended with `status` (a SendStatus value)."""
        if status == "sent":
            self.sent(channel)
        else:
            self.failed(channel, status)

    def sent(self, channel: str) -> None:
        """One outbox message was delivered."""
        self.sends.labels(channel=channel).inc()
        self.channel_ok(channel)

    def failed(self, channel: str, status: str) -> None:
        """One send attempt failed (`status`: retry_after, blocked, transient, failed)."""
        self.failures.labels(channel=channel, status=status).inc()

    def answered(self, channel: str, seconds: float) -> None:
        """One update was answered in `seconds`."""
        self.latency.labels(channel=channel).observe(seconds)

    def database_use(self, db: Database) -> None:
        """Copy the database's counters into the gauges."""
        for kind, value in (("transactions", db.transactions), ("statements", db.statements),
                            ("round_trips", db.round_trips), ("retries", db.busy_retries)):
            self.database.labels(kind=kind).set(value)

    def age(self, moment: float | None) -> float | None:
        """Seconds since `moment` (None if it never happened)."""
        return None if moment is None else max(0.0, self.clock() - moment)
