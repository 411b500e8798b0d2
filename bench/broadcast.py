"""Broadcast throughput against the fake Bot API: `python -m bench.broadcast --recipients N`.

The fake runs in its own process (as Telegram would), with flood control a little above our
rate (Telegram allows ~30/s where we default to 25/s). Prints JSON: delivered per second
against the configured rate, 429s received, time to confirm (queue) the broadcast, peak RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import resource
import tempfile
import time
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from bench.support import Officer, make_officer, seed_producers, send_policy
from bot.outbox.sender import Sender
from bot.outbox.telegram import TelegramTransport
from fakes.telegram import TOKEN, FakeTelegram
from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import open_database


def _serve(conn: Connection, global_rate: float) -> None:
    """Child process: run the fake, report its port, answer 'stats' until 'stop'."""
    fake = FakeTelegram(per_chat_rate=1.0, global_rate=global_rate)
    with fake.running_in_thread():
        conn.send(fake.base_url)
        while (request := conn.recv()) != "stop":
            if request == "stats":
                conn.send({
                    "accepted": len(fake.calls("sendMessage")),
                    "edits": len(fake.calls("editMessageText")),
                    "flood_429": len([c for c in fake.rejected if c.status == 429]),
                    "recipients_reached": len({c.params["chat_id"]
                                               for c in fake.calls("sendMessage")}),
                })


async def _bench(recipients: int, rate: float, base_url: str, conn: Connection) -> dict[str, Any]:
    now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam: not quiet

    def clock() -> datetime:
        return now

    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "bench.db") as db:
            started = time.perf_counter()
            await seed_producers(db, recipients, clock())
            seeded = time.perf_counter() - started
            await make_officer(db, clock(), "555", "VL")
            renderer = Renderer()
            dispatcher = Dispatcher(db, HandlerConfig(), renderer, clock=clock, features=FEATURES)
            officer = Officer(dispatcher, "555", now)
            for step in ("/canbo", "o:bc", "Benchmark announcement", "a:ok", "c:now"):
                await (officer.press(step) if ":" in step else officer.say(step))
            started = time.perf_counter()
            await officer.press("c:go")
            confirm = time.perf_counter() - started

            transport = TelegramTransport(TOKEN, base_url, pool_size=8 + int(rate) // 100)
            await transport.start()
            sender = Sender(db, transport, renderer, send_policy(rate), clock=clock,
                            idle_poll=0.05)
            started = time.perf_counter()
            task = asyncio.create_task(sender.run())
            while sender.stats.sent + sender.stats.blocked < recipients + 1:  # + progress
                await asyncio.sleep(0.05)
            elapsed = time.perf_counter() - started
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await transport.stop()
            async with db.transaction() as store:
                report = await store.broadcasts.report(1)
    conn.send("stats")
    fake_stats = conn.recv()
    delivered_per_s = report.delivered / elapsed
    return {
        "recipients": recipients,
        "rate_configured": rate,
        "delivered": report.delivered,
        "seconds": round(elapsed, 2),
        "delivered_per_s": round(delivered_per_s, 1),
        "ratio_to_rate": round(delivered_per_s / rate, 3),
        "flood_429_received": sender.stats.retry_after,
        "fake": fake_stats,
        "confirm_seconds": round(confirm, 2),
        "seed_seconds": round(seeded, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    """Parse arguments, start the fake in a child process, run, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--fake-rate", type=float, default=None,
                        help="the fake's global limit (default: 1.2 × rate)")
    args = parser.parse_args()
    ours, theirs = multiprocessing.Pipe()
    limit = args.fake_rate or args.rate * 1.2
    child = multiprocessing.Process(target=_serve, args=(theirs, limit), daemon=True)
    child.start()
    try:
        base_url = ours.recv()
        result = asyncio.run(_bench(args.recipients, args.rate, base_url, ours))
    finally:
        ours.send("stop")
        child.join(10)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
