"""Our bot against a bare python-telegram-bot echo bot: `python -m bench.throughput`.

Both run as real processes (`ocop-bot run`, `python -m bench.echo_bot`), one after the other,
against the fake Bot API served from this process, with no flood limits. Scenarios:

- drain: 200 users each send `/start` then 10 texts, all queued at once; how many updates a
  second each bot works off, messages sent per update, peak RSS;
- paced: 100 users each send one message a second; p50/p95 time to the first reply.

Each bot runs `--runs` times (best of them counts); with `--registered N` our bot's database
holds N registered producers before it starts. `--engine postgresql` (or `both`) runs our bot
on a throwaway PostgreSQL server too, with the statements and server time per update.
Prints JSON, with our/echo and PostgreSQL/SQLite ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.measure import Probe, free_port, peak_rss_mb
from bench.pg_engine import BenchPostgres
from bench.support import seed_producers
from fakes.telegram import TOKEN, FakeTelegram
from fakes.telegram_api import SEND_METHODS, Call
from storage import open_database

WORKLOAD = ("/start", "menu", "/help", "xin chao", "1", "2", "Mật ong hoa nhãn",
            "0912 345 678", "Vĩnh Long", "huy", "tro giup")
FIRST_USER = 7_000_000  # far from the seeded producers' ids
BOT_TREE = Path(__file__).resolve().parents[1]  # whose `ocop-bot` runs (--bot-tree)
POOL_SIZE = ""  # OCOP_DB_POOL_SIZE of our bot on PostgreSQL (--pool-size; unset: its default)
SEED_FIRST = 1_000


class TimedFake(FakeTelegram):
    """The fake Bot API, noting when each accepted message went to which chat."""

    def __init__(self) -> None:
        super().__init__()
        self.sends: list[tuple[float, str]] = []

    def _record(self, call: Call) -> None:
        if call.ok and call.method in SEND_METHODS:
            with self._lock:
                self.sends.append((time.monotonic(), str(call.params["chat_id"])))
        super()._record(call)


def bot_process(kind: str, fake: FakeTelegram, folder: Path, profile: Path | None,
                url: str | None = None, port: int = 0) -> subprocess.Popen[bytes]:
    """Start our bot (`ocop-bot run`) or the echo bot against the fake."""
    if kind == "echo":
        command = [sys.executable, "-m", "bench.echo_bot", fake.base_url, TOKEN]
    else:
        prefix = ["-m", "cProfile", "-o", str(profile)] if profile else []
        command = [sys.executable, *prefix, "-m", "bot", "run"]
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(folder),
        "PYTHONPATH": str(BOT_TREE),
        "OCOP_DB_PATH": str(folder / "ocop.db"), "OCOP_LOG_LEVEL": "WARNING",
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url,
        "OCOP_HEALTH_PORT": str(port),  # /metrics: the database counters
        **({"OCOP_DB_POOL_SIZE": POOL_SIZE} if POOL_SIZE else {}),
        **({"OCOP_DATABASE_URL": url} if url else {}),
    }
    log = (folder / f"{kind}.log").open("wb")
    return subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=log)


@contextmanager
def running(kind: str, folder: Path, profile: Path | None = None, url: str | None = None,
            server_pid: int | None = None) -> Iterator[tuple[TimedFake, subprocess.Popen[bytes],
                                                               Probe]]:
    """A fresh fake and a bot polling it, and a probe of what the bot (and the database
    server) use from now on; the bot is stopped (SIGTERM) afterwards."""
    fake = TimedFake()
    port = free_port() if kind != "echo" else None
    with fake.running_in_thread():
        proc = bot_process(kind, fake, folder, profile, url, port or 0)
        try:
            fake.wait_for_sync(lambda: fake.calls("getUpdates"), timeout=60)
            yield fake, proc, Probe(proc.pid, port, server_pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


def drain(kind: str, folder: Path, users: int, profile: Path | None = None,
          url: str | None = None, server_pid: int | None = None) -> dict[str, Any]:
    """Queue every user's messages at once; time until all are handled and confirmed, and
    what each update cost (CPU, database work)."""
    with running(kind, folder, profile, url, server_pid) as (fake, proc, probe):
        sent_before = len(fake.sends)
        started = time.monotonic()
        last = 0
        for text in WORKLOAD:  # round robin: everyone's first message, then the second, …
            for user in range(users):
                last = fake.push_text(FIRST_USER + user, text)
        count = users * len(WORKLOAD)

        def done() -> bool:
            replies = len(fake.sends) - sent_before
            return fake.confirmed_offset > last and (kind != "echo" or replies >= count)

        fake.wait_for_sync(done, timeout=600)
        elapsed = time.monotonic() - started
        cost = probe.per_update(count)
        rss = peak_rss_mb(proc.pid)
        messages = len(fake.sends) - sent_before
    return {
        "updates": count, "seconds": round(elapsed, 2),
        "updates_per_s": round(count / elapsed, 1),
        "messages_per_update": round(messages / count, 2), "peak_rss_mb": round(rss, 1),
        **cost,
    }


def paced(kind: str, folder: Path, users: int, seconds: int, url: str | None = None
          ) -> dict[str, Any]:
    """Each user sends one message a second; the time from each message to its first reply."""
    with running(kind, folder, None, url) as (fake, proc, _):
        pushes: list[tuple[float, str]] = []
        start = time.monotonic() + 0.2
        for second in range(seconds):
            for user in range(users):
                due = start + second + user / users
                time.sleep(max(0.0, due - time.monotonic()))
                chat = FIRST_USER + user
                pushes.append((time.monotonic(), str(chat)))
                fake.push_text(chat, WORKLOAD[second % len(WORKLOAD)])
        fake.wait_for_sync(lambda: fake.pending_updates() == 0, timeout=120)
        time.sleep(0.5)  # the last replies
        rss = peak_rss_mb(proc.pid)
        with fake._lock:
            sends = list(fake.sends)
    latencies = _latencies(pushes, sends)
    return {
        "messages": len(pushes), "answered": len(latencies),
        "p50_ms": round(_quantile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(_quantile(latencies, 0.95) * 1000, 1),
        "peak_rss_mb": round(rss, 1),
    }


def _latencies(pushes: list[tuple[float, str]], sends: list[tuple[float, str]]) -> list[float]:
    """For each push, the time to the first message sent to its chat after it."""
    by_chat: dict[str, list[float]] = {}
    for at, chat in sends:
        by_chat.setdefault(chat, []).append(at)
    result = []
    for at, chat in pushes:
        later = [t for t in by_chat.get(chat, []) if t >= at]
        if later:
            result.append(min(later) - at)
    return result


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[round(q * 100) - 1]


async def _seed(path: Path, count: int) -> None:
    """`count` registered producers with consent, as onboarding leaves them."""
    async with open_database(path) as db:
        await seed_producers(db, count, datetime.now(UTC), first_id=SEED_FIRST)


def _fresh(root: Path, name: str, seeded: Path | None) -> Path:
    folder = root / name
    folder.mkdir()
    if seeded is not None:
        shutil.copy(seeded, folder / "ocop.db")
    return folder


def _best(runs: list[dict[str, Any]], key: str, low: bool = False) -> dict[str, Any]:
    return (min if low else max)(runs, key=lambda r: r[key])


def _pg_seed(count: int) -> Any:
    async def seed(db: Any) -> None:
        await seed_producers(db, count, datetime.now(UTC), first_id=SEED_FIRST)

    return seed if count else None


def _one(kind: str, folder: Path, args: argparse.Namespace, pg: BenchPostgres | None,
         paced_run: bool = False) -> dict[str, Any]:
    """One drain (or paced) run of `kind`; on PostgreSQL with the server's cost per update."""
    url = pg.database(_pg_seed(args.registered)) if kind == "ours_pg" and pg else None
    bot = "ours" if kind == "ours_pg" else kind
    if paced_run:
        return paced(bot, folder, args.paced_users, args.paced_seconds, url)
    result = drain(bot, folder, args.users, url=url, server_pid=pg.pid if url and pg else None)
    if url and pg:
        cost = pg.cost(url)
        result["server_statements_per_update"] = round(cost["statements"] / result["updates"], 1)
        result["server_ms_per_update"] = round(cost["server_ms"] / result["updates"], 3)
        result["rollbacks_per_update"] = round(cost["rollbacks"] / result["updates"], 3)
    return result


def _compare(args: argparse.Namespace, kinds: list[str], root: Path, seeded: Path | None,
             pg: BenchPostgres | None, result: dict[str, Any]) -> None:
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in kinds}
    for n in range(args.runs):
        for kind in kinds:
            runs[kind].append(_one(kind, _fresh(root, f"{kind}{n}", seeded), args, pg))
            print(kind, runs[kind][-1], file=sys.stderr, flush=True)
    for kind in kinds:
        result[f"{kind}_drain_runs_updates_per_s"] = [r["updates_per_s"] for r in runs[kind]]
        result[f"{kind}_drain_best"] = _best(runs[kind], "updates_per_s")
    for ours, other, name in (("ours", "echo", "ratio"), ("ours_pg", "ours", "pg_over_sqlite")):
        if ours in runs and other in runs:
            result[f"{name}_best"] = round(result[f"{ours}_drain_best"]["updates_per_s"]
                                           / result[f"{other}_drain_best"]["updates_per_s"], 3)
            result[f"{name}_per_run"] = [
                round(o["updates_per_s"] / e["updates_per_s"], 3)
                for o, e in zip(runs[ours], runs[other], strict=True)
            ]
    if not args.skip_paced:
        for kind in kinds:
            result[f"{kind}_paced"] = _one(kind, _fresh(root, f"{kind}-paced", seeded), args, pg,
                                           paced_run=True)
            print(kind, result[f"{kind}_paced"], file=sys.stderr, flush=True)


def main() -> None:
    """Parse arguments, run both bots in turn, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--paced-users", type=int, default=100)
    parser.add_argument("--paced-seconds", type=int, default=10)
    parser.add_argument("--registered", type=int, default=0,
                        help="registered producers in our bot's database before it starts")
    parser.add_argument("--skip-paced", action="store_true")
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="sqlite",
                        help="where our bot keeps its data (both: one run of each, in turn)")
    parser.add_argument("--only-ours", action="store_true", help="leave the echo bot out")
    parser.add_argument("--profile", type=Path, default=None,
                        help="run our bot once under cProfile (drain) and write the stats here")
    parser.add_argument("--bot-tree", type=Path, default=None,
                        help="run our bot from this checkout (an older version, to compare)")
    parser.add_argument("--pool-size", type=int, default=None,
                        help="OCOP_DB_POOL_SIZE for our bot (PostgreSQL connections)")
    args = parser.parse_args()
    global BOT_TREE, POOL_SIZE
    BOT_TREE = (args.bot_tree or BOT_TREE).resolve()
    POOL_SIZE = str(args.pool_size or "")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        seeded: Path | None = None
        result: dict[str, Any] = {"registered": args.registered}
        if args.registered:
            seeded = root / "seeded.db"
            started = time.monotonic()
            asyncio.run(_seed(seeded, args.registered))
            result["seed_seconds"] = round(time.monotonic() - started, 1)
        if args.profile is not None:
            result["profiled"] = drain("ours", _fresh(root, "profile", seeded), args.users,
                                       args.profile.resolve())
            print(json.dumps(result, indent=2))
            return
        kinds = {"sqlite": ["ours"], "postgresql": ["ours_pg"],
                 "both": ["ours", "ours_pg"]}[args.engine] + ([] if args.only_ours else ["echo"])
        pg = BenchPostgres() if "ours_pg" in kinds else None
        try:
            _compare(args, kinds, root, seeded, pg, result)
        finally:
            if pg is not None:
                pg.stop()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
