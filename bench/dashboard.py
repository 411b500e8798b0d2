"""Console dashboard speed: `python -m bench.dashboard --products 2000`.

Seeds one province with N products (a third certified, with certificates expiring over the
next three years), serves the real console app on 127.0.0.1, signs in as the province's
officer, and times the dashboard and the products page over real HTTP. Prints JSON; exits 1
when the dashboard's median is over the budget (300 ms).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bot.channels.webhook import build_app, serving
from bot.web.app import web_routes
from bot.web.context import Console
from handlers.engine.config import HandlerConfig
from messages import Renderer
from storage import Database, open_database
from storage.models import Role
from storage.product_models import ProductStatus

BUDGET_MS = 300.0
STATUSES = (ProductStatus.DRAFT, ProductStatus.SUBMITTED, ProductStatus.ACCEPTED,
            ProductStatus.CERTIFIED, ProductStatus.CERTIFIED, ProductStatus.NOT_CERTIFIED)


async def _seed(db: Database, products: int) -> int:
    now = datetime.now(UTC)
    async with db.transaction() as store:
        officer = await store.users.seen("telegram", "100", "100", now)
        await store.users.grant(officer.id, Role.OFFICER, "VL", "bench", now)
        producer = 0
        for n in range(products):
            if n % 3 == 0:
                producer = await store.users.create_producer(
                    {"name": f"HTX {n}", "entity_type": "cooperative", "contact_person": "Lan",
                     "phone": "+84912345678", "province_code": "VL",
                     "commune": f"Xã {n % 40}"}, now)
            pid = await store.products.create_draft(producer, now)
            await store.products.set_field(pid, "name", f"Sản phẩm {n}", now)
            await store.products.set_field(pid, "group_code", "food", now)
            status = STATUSES[n % len(STATUSES)]
            await store.products.set_status(pid, status, now)
            if status is ProductStatus.CERTIFIED:
                decided = date.today() - timedelta(days=(n * 7) % 1000)
                await store.certifications.record(
                    pid, score=75.0, stars=3 + n % 3, certified=True,
                    certificate_number=f"VL-{n}", decision_number=f"{n}/QĐ",
                    decision_date=decided, expires_on=decided + timedelta(days=1095),
                    recorded_by="bench", now=now,
                )
        return officer.id


async def _time(client: httpx.AsyncClient, path: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = await client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.status_code
    return times


async def bench(products: int, runs: int) -> dict[str, Any]:
    """Seed, serve, sign in, time; the figures as a dict."""
    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "bench.db") as db:
            officer = await _seed(db, products)
            console = Console(db=db, renderer=Renderer(), config=HandlerConfig())
            app = build_app(extra_routes=web_routes(console))
            async with serving(app, "127.0.0.1", 0) as port, httpx.AsyncClient(
                base_url=f"http://127.0.0.1:{port}", timeout=30
            ) as client:
                async with db.transaction() as store:
                    token = await store.web_sessions.new_link(
                        officer, datetime.now(UTC), timedelta(minutes=10))
                page = await client.get(f"/web/login/{token}")  # sets the browser's cookie
                nonce = page.text.split('name="nonce" value="')[1].split('"')[0]
                signed = await client.post(f"/web/login/{token}", data={"nonce": nonce})
                assert signed.status_code == 303
                await client.get("/web/")  # warm up templates
                dashboard = await _time(client, "/web/", runs)
                listing = await _time(client, "/web/products", max(3, runs // 4))
    median = statistics.median(dashboard)
    return {
        "products": products,
        "dashboard_median_ms": round(median, 1),
        "dashboard_max_ms": round(max(dashboard), 1),
        "products_page_median_ms": round(statistics.median(listing), 1),
        "budget_ms": BUDGET_MS,
        "ok": median < BUDGET_MS,
    }


def main() -> None:
    """Run the bench from the command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    figures = asyncio.run(bench(args.products, args.runs))
    print(json.dumps(figures))
    sys.exit(0 if figures["ok"] else 1)


if __name__ == "__main__":
    main()
