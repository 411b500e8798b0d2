"""Several workers on one PostgreSQL database, in webhook mode: `python -m bench.workers`.

For each worker count asked (`--workers 1 2`), a fresh database on a throwaway PostgreSQL
server, that many `ocop-bot run` processes listening for webhooks, and the fake Bot API;
`--users` people each send the throughput workload (`/start` then 10 texts), one message
after the other (the next once the previous one was answered), all people at once, the
webhooks posted to the workers in turn. Prints JSON: updates a second, the statements, the
server's time and the transactions rolled back per update, for each worker count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.pg_engine import BenchPostgres
from bench.throughput import WORKLOAD
from fakes.telegram import TOKEN, FakeTelegram
from fakes.telegram_webhooks import WebhookPoster

SECRET = "bench-workers-secret"
FIRST_USER = 8_000_000


def _port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _worker(fake: FakeTelegram, url: str, port: int, folder: Path) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", ""), "HOME": str(folder),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        "OCOP_DB_PATH": str(folder / "ocop.db"), "OCOP_LOG_LEVEL": "WARNING",
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url,
        "OCOP_DATABASE_URL": url, "OCOP_WEBHOOK_BASE_URL": "https://bench.example.vn",
        "TELEGRAM_WEBHOOK_SECRET": SECRET, "OCOP_WEBHOOK_PORT": str(port),
    }
    log = (folder / f"worker-{port}.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=folder, env=env,
                            stdout=log, stderr=log)


async def _ready(ports: list[int], procs: list[subprocess.Popen[bytes]]) -> None:
    async with httpx.AsyncClient() as client:
        for port in ports:
            end = time.monotonic() + 60
            while True:
                if any(p.poll() is not None for p in procs):
                    raise SystemExit("a worker stopped at start-up (see its log)")
                try:
                    if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > end:
                    raise SystemExit("a worker did not start within 60 s")
                await asyncio.sleep(0.1)


async def _drive(ports: list[int], users: int) -> tuple[float, int]:
    poster = WebhookPoster([f"http://127.0.0.1:{p}/telegram/webhook" for p in ports], SECRET)

    async def person(chat: int) -> None:
        for text in WORKLOAD:
            await poster.say(chat, text)

    started = time.monotonic()
    await asyncio.gather(*(person(FIRST_USER + n) for n in range(users)))
    took = time.monotonic() - started
    await poster.aclose()
    return took, len(poster.deliveries)


def run(pg: BenchPostgres, workers: int, users: int, root: Path) -> dict[str, Any]:
    """One measured run with `workers` worker processes."""
    url = pg.database()
    folder = root / f"workers-{workers}"
    folder.mkdir()
    fake = FakeTelegram()
    with fake.running_in_thread():
        ports = [_port() for _ in range(workers)]
        procs = [_worker(fake, url, port, folder) for port in ports]
        try:
            asyncio.run(_ready(ports, procs))
            took, updates = asyncio.run(_drive(ports, users))
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    proc.kill()
    cost = pg.cost(url)
    return {
        "workers": workers, "updates": updates, "seconds": round(took, 2),
        "updates_per_s": round(updates / took, 1),
        "statements_per_update": round(cost.get("statements", 0) / updates, 1),
        "server_ms_per_update": round(cost.get("server_ms", 0) / updates, 3),
        "rollbacks_per_update": round(cost.get("rollbacks", 0) / updates, 3),
    }


def main() -> None:
    """Measure each worker count in turn on one throwaway server."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--users", type=int, default=100)
    args = parser.parse_args()
    pg = BenchPostgres()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results = [run(pg, n, args.users, Path(tmp)) for n in args.workers]
    finally:
        pg.server.stop()
    print(json.dumps({"users": args.users, "messages_each": len(WORKLOAD),
                      "cpus": os.cpu_count(), "runs": results}, indent=2))


if __name__ == "__main__":
    main()
