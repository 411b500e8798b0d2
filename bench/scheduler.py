"""One reminder-scheduler pass over many users: `python -m bench.scheduler --users 100000`.

Users are added in steps (10k, 50k, then the full count); a fifth of them left a draft some
time in the last 60 days. At each size it times the pass that finds the newly due nudges and
then a steady pass (what runs every minute when nothing new is due). Prints JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.support import Clock
from bot.outbox.scheduler import Scheduler
from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from messages import Renderer
from storage import Database, open_database

DRAFT_SHARE = 5  # one user in five has an unfinished draft
BATCH = 5_000


async def _add_users(db: Database, start: int, stop: int, now: datetime) -> None:
    for first in range(start, stop, BATCH):
        async with db.transaction() as store:
            for n in range(first, min(first + BATCH, stop)):
                user = await store.users.seen("telegram", str(n), str(n), now)
                if n % DRAFT_SHARE == 0:
                    touched = now - timedelta(minutes=(n * 7919) % (60 * 24 * 60))
                    await store.conversations.save_draft(user.id, "onboarding",
                                                         {"name": f"HTX {n}"}, touched)


async def _timed_pass(scheduler: Scheduler) -> tuple[float, int]:
    started = time.perf_counter()
    queued = await scheduler.run_once()
    return time.perf_counter() - started, queued


async def _bench(sizes: list[int]) -> dict[str, Any]:
    clock = Clock(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "bench.db") as db:
            scheduler = Scheduler(db, Renderer(), HandlerConfig(), clock=clock, features=FEATURES)
            have = 0
            for size in sizes:
                seeded = time.perf_counter()
                await _add_users(db, have, size, clock())
                have = size
                seeded = time.perf_counter() - seeded
                clock.advance(minutes=1)
                first, queued = await _timed_pass(scheduler)
                clock.advance(minutes=1)
                steady, again = await _timed_pass(scheduler)
                results[str(size)] = {
                    "pass_with_new_nudges_s": round(first, 3),
                    "nudges_queued": queued,
                    "steady_pass_s": round(steady, 4),
                    "queued_by_steady_pass": again,
                    "seed_s": round(seeded, 1),
                }
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return results


def main() -> None:
    """Parse arguments, run the passes, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100_000)
    args = parser.parse_args()
    sizes = sorted({s for s in (10_000, 50_000) if s < args.users} | {args.users})
    print(json.dumps(asyncio.run(_bench(sizes)), indent=2))


if __name__ == "__main__":
    main()
