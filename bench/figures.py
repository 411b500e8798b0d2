"""Province figures on a country-shaped database: `python -m bench.figures`.

Fills a database through the storage repositories (34 provinces, 20,000 products, 10,000
producers, 60,000 outbox rows, certificates decided over 3 years, rounds, trainings), then
times `/thongke` through the dispatcher for one province and for the whole country (an
admin), a drill-down, the chart drawing, and the Excel report. Prints JSON (medians).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.charts import render_png
from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.feature import ReminderContext
from handlers.figures.monthly import monthly_figures
from handlers.figures.report import report_file
from messages import Renderer
from storage import Database, Store, open_database
from storage.models import Role
from storage.outbox_models import OutboxMessage
from storage.product_models import ProductStatus
from storage.rounds import NewRound, ProductRow
from storage.trainings import NewTraining
from tests.chat import Chat, Clock

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
YEARS = (2024, 2025, 2026)
GROUPS = ("food", "drink", "herbal", "craft", "ornamental", "tourism")
STATUSES = (*(["certified"] * 14), "draft", "draft", "submitted", "accepted", "returned",
            "rated")
BATCH = 2_000


def _day(n: int, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=(n * 7919) % (335 if year == 2026 else 365))


async def _producers(store: Store, provinces: list[Any], start: int, stop: int) -> None:
    for n in range(start, stop):
        province = provinces[n % len(provinces)]
        producer = await store.users.create_producer(
            {"name": f"HTX {n}", "entity_type": "cooperative", "contact_person": f"Người {n}",
             "phone": f"+8490{n:07d}", "province_code": province.code,
             "commune": f"Xã {n // len(provinces) % 40}"}, NOW - timedelta(days=900))
        names = (province.name, *province.former)
        await store.figures.set_origin(producer, names[n % len(names)])
        if n % 5 < 2:  # two producers in five are on the bot
            seen = NOW - timedelta(days=(n * 31) % 90)
            user = await store.users.seen("telegram", f"p{n}", f"p{n}", seen)
            await store.users.attach_producer(user.id, producer)


async def _products(store: Store, start: int, stop: int, producers: int) -> None:
    for n in range(start, stop):
        producer = n % producers + 1
        product = await store.products.create_draft(producer, NOW - timedelta(days=800))
        await store.products.set_field(product, "name", f"Sản phẩm {n}", NOW)
        await store.products.set_field(product, "group_code", GROUPS[n % len(GROUPS)], NOW)
        status = STATUSES[n % len(STATUSES)]
        await store.products.set_status(product, ProductStatus(status), NOW)
        if status != "certified":
            continue
        stars = 5 if n % 33 == 0 else 4 if n % 5 == 0 else 3
        year = YEARS[n % len(YEARS)]
        if n % 10 == 0:  # re-rated: an older certificate first
            await _certify(store, product, 3, _day(n, year - 3))
        await _certify(store, product, stars, _day(n, year))


async def _certify(store: Store, product: int, stars: int, decided: date) -> None:
    await store.certifications.record(
        product, score=50.0 + stars * 8, stars=stars, certified=True,
        certificate_number=f"C{product}-{decided.isoformat()}", decision_number=None,
        decision_date=decided, expires_on=decided + timedelta(days=3 * 365),
        recorded_by="bench", now=NOW)


async def _rounds_and_trainings(
    store: Store, provinces: list[Any], count: int, producers: int
) -> None:
    products = 0
    for province in provinces:
        for year in YEARS:
            for half in (1, 2):
                start = datetime(year, 3 if half == 1 else 8, 1, 1, tzinfo=UTC)
                round_id = await store.rounds.create(NewRound(
                    name=f"Đợt {half} năm {year}", province_code=province.code,
                    registration_opens_at=start,
                    registration_deadline=start + timedelta(days=30),
                    dossier_deadline=start + timedelta(days=60),
                    council_at=start + timedelta(days=90),
                    results_at=start + timedelta(days=150)), "bench", start)
                for _ in range(20):
                    products = products % count + 1
                    await store.rounds.enter(round_id, ProductRow(
                        id=products, producer_id=(products - 1) % producers + 1, name="",
                        status=""), start)
                training = await store.trainings.create(NewTraining(
                    title=f"Tập huấn {half}/{year}", topic_code="criteria",
                    province_code=province.code, starts_at=start + timedelta(days=10),
                    ends_at=start + timedelta(days=10, hours=4), capacity=60,
                    registration_deadline=start + timedelta(days=9)), "bench", start)
                del training


async def _outbox(store: Store, rows: int, start: int) -> None:
    await store.outbox.enqueue_many(
        (OutboxMessage(user_id=None, channel="telegram", chat_id=str(n), kind="notice",
                       payload={"text": f"Thông báo {n}", "format": "plain"},
                       dedupe_key=f"bench:{n}", not_before=NOW - timedelta(days=n % 900))
         for n in range(start, min(start + BATCH * 5, rows))), NOW)


async def fill(db: Database, producers: int, products: int, outbox: int) -> None:
    """The country-shaped database, written through the repositories in batches."""
    async with db.transaction() as store:
        provinces = await store.reference.provinces()
    for first in range(0, producers, BATCH):
        async with db.transaction() as store:
            await _producers(store, provinces, first, min(first + BATCH, producers))
    for first in range(0, products, BATCH):
        async with db.transaction() as store:
            await _products(store, first, min(first + BATCH, products), producers)
    async with db.transaction() as store:
        await _rounds_and_trainings(store, provinces, products, producers)
        for province in provinces:
            for year in YEARS:
                await store.targets.set(province.code, year, 40, by="bench", now=NOW)
    for first in range(0, outbox, BATCH * 5):
        async with db.transaction() as store:
            await _outbox(store, outbox, first)


async def _median(work: Callable[[], Awaitable[object]], times: int = 5) -> float:
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        await work()
        spent.append(time.perf_counter() - started)
    return round(statistics.median(spent) * 1000, 1)


async def _bench(producers: int, products: int, outbox: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    renderer, clock = Renderer(), Clock(NOW)
    with tempfile.TemporaryDirectory() as folder:
        async with open_database(Path(folder) / "bench.db") as db:
            started = time.perf_counter()
            await fill(db, producers, products, outbox)
            results["seed_s"] = round(time.perf_counter() - started, 1)
            dispatcher = Dispatcher(db, HandlerConfig(), renderer, clock=clock,
                                    features=FEATURES)
            officer = Chat(dispatcher, renderer, clock, channel="telegram", user="off")
            admin = Chat(dispatcher, renderer, clock, channel="telegram", user="adm")
            for chat, role, province in ((officer, Role.OFFICER, "HP"), (admin, Role.ADMIN,
                                                                           None)):
                await chat.say("/menu")
                async with db.transaction() as store:
                    user = await store.users.find("telegram", chat.user)
                    assert user is not None
                    await store.users.grant(user.id, role, province, "bench", NOW)
            results["thongke_province_ms"] = await _median(lambda: officer.say("/thongke"))
            chart = next(r.chart for r in officer.last.replies if r.chart is not None)
            results["province"] = _lines(officer.text, ("⭐", "🆕"))
            results["drill_down_commune_ms"] = await _median(lambda: _drill(officer))
            results["thongke_country_ms"] = await _median(lambda: admin.say("/thongke"))
            results["country"] = _lines(admin.text, ("⭐", "🆕"))
            results["country_by_province_ms"] = await _median(lambda: _by_province(admin))
            results["chart_png_ms"] = await _median(
                lambda: asyncio.to_thread(render_png, chart), times=3)
            for name, province in (("report_province_ms", "HP"), ("report_country_ms", None)):
                async def report(province: str | None = province) -> None:
                    async with db.transaction() as store:
                        await report_file(store, renderer, "vi", province, 2026, NOW.date())
                results[name] = await _median(report, times=3)
            await _monthly(db, renderer, results)
    return results


async def _monthly(db: Database, renderer: Renderer, results: dict[str, Any]) -> None:
    """The size of a province's workbook, and queueing it for the province's officers."""
    async with db.transaction() as store:
        document = await report_file(store, renderer, "vi", "HP", 2026, NOW.date())
        await store.targets.schedule("HP", True, by="bench", now=NOW)
    results["report_province_kb"] = round(len(document.content) / 1024, 1)
    started = time.perf_counter()
    async with db.transaction() as store:
        ctx = ReminderContext(store=store, renderer=renderer, now=NOW, config=HandlerConfig())
        results["monthly_rows"] = await monthly_figures(ctx)
    results["monthly_queue_ms"] = round((time.perf_counter() - started) * 1000, 1)


def _lines(text: str, starts: tuple[str, ...]) -> list[str]:
    return [line for line in text.splitlines() if line.startswith(starts)]


async def _drill(chat: Chat) -> None:
    await chat.say("/thongke")
    await chat.press("f:commune")


async def _by_province(chat: Chat) -> None:
    await chat.say("/thongke")
    await chat.press("f:province")


def main() -> None:
    """Parse arguments, fill, time, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--producers", type=int, default=10_000)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--outbox", type=int, default=60_000)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(_bench(args.producers, args.products, args.outbox)),
                     indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
