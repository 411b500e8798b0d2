"""The console shows an expired certificate as expired and records a revocation (ground,
number, date): the producer is told, the figures drop it, the export and the audit log say so."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from openpyxl import load_workbook

from handlers.engine.config import HandlerConfig
from handlers.rating.rules import add_months, make_result, record
from storage import Database
from storage.figure_models import Scope
from storage.product_models import ProductStatus
from tests.web.support import Seeded, console_server, csrf_of, now, seed, sign_in


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    """The seeded database with the accepted product certified long ago (now expired) and the
    submitted one certified this month."""
    seeded = await seed(db)
    today = now().date()
    async with db.transaction() as store:
        for key, decided, number in (("accepted", add_months(today, -40), "VL-OLD"),
                                     ("submitted", today - timedelta(days=10), "VL-NEW")):
            pid = seeded.products[key]
            await store.products.set_status(pid, ProductStatus.ACCEPTED, now())
            product = await store.products.get(pid)
            assert product is not None
            result = await make_result(store, HandlerConfig(), product, 72,
                                       decision_number=f"{number}/QĐ", decision_date=decided,
                                       certificate_number=number)
            await record(store, HandlerConfig(), result, "test", now())
    return seeded


@pytest.fixture
async def client(db: Database, seeded: Seeded) -> AsyncIterator[httpx.AsyncClient]:
    """A Vĩnh Long officer signed in to the console."""
    async with console_server(db) as http:
        await sign_in(http, db, seeded.users["vl"])
        yield http


async def _in_force(db: Database) -> int:
    async with db.reading() as store:
        summary = await store.figures.summary(Scope(province="VL"), now().year, now().date())
    return summary.in_force.total


async def test_expired_reads_expired_and_a_revocation_is_recorded(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    expired_on = add_months(add_months(now().date(), -40), 36).strftime("%d/%m/%Y")
    listing = (await client.get("/web/products")).text
    assert f"Hết hạn ngày {expired_on}" in listing
    assert listing.count("<td>Đã được công nhận là sản phẩm OCOP</td>") == 1  # in force
    assert await _in_force(db) == 1

    pid = seeded.products["submitted"]
    page = (await client.get(f"/web/products/{pid}")).text
    assert 'id="revoke"' in page and "VL-NEW" in page
    token = csrf_of(page)
    tomorrow = (now() + timedelta(days=2)).strftime("%d/%m/%Y")
    answer = await client.post(f"/web/products/{pid}/revoke", data={
        "csrf": token, "ground": "quality", "number": "77/QĐ-UBND", "date": tomorrow})
    assert answer.status_code == 303 and "revoke_bad_date" in answer.headers["location"]
    answer = await client.post(f"/web/products/{pid}/revoke", data={
        "csrf": token, "ground": "quality", "number": "", "date": "01/12/2026"})
    assert "revoke_incomplete" in answer.headers["location"]
    assert await _in_force(db) == 1  # nothing recorded yet

    today = now().strftime("%d/%m/%Y")
    answer = await client.post(f"/web/products/{pid}/revoke", data={
        "csrf": token, "ground": "quality", "number": "77/QĐ-UBND", "date": today})
    assert "done_revoked" in answer.headers["location"]
    page = (await client.get(answer.headers["location"])).text
    assert "Đã ghi Quyết định thu hồi" in page and "Đã bị thu hồi" in page
    assert 'id="revoke"' not in page and "77/QĐ-UBND" in page
    assert await _in_force(db) == 0

    again = await client.post(f"/web/products/{pid}/revoke", data={
        "csrf": token, "ground": "quality", "number": "78/QĐ", "date": today})
    assert "revoke_not_possible" in again.headers["location"]

    async with db.reading() as store:
        audit = [e for e in await store.audit.entries() if e.action == "certificate_revoked"]
        conn = store.outbox._db
        async with conn.execute("SELECT dedupe_key, payload FROM outbox") as cur:
            rows = [dict(r) for r in await cur.fetchall()]
    assert len(audit) == 1 and audit[0].details["decision"] == "77/QĐ-UBND"
    [notice] = [r for r in rows if r["dedupe_key"].startswith("revoked:")]
    assert "đã bị thu hồi" in notice["payload"] and "chất lượng" in notice["payload"]

    export = await client.get("/web/products.xlsx")
    rows_xlsx = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(  # type: ignore[union-attr]
        values_only=True))
    state = rows_xlsx[0].index("Trạng thái hồ sơ")
    states = sorted(str(row[state]) for row in rows_xlsx[1:])
    assert "Đã bị thu hồi" in states and f"Hết hạn ngày {expired_on}" in states


async def test_the_product_code_is_typed_on_the_dossier_page(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    pid = seeded.products["submitted"]
    page = (await client.get(f"/web/products/{pid}")).text
    token = csrf_of(page)
    answer = await client.post(f"/web/products/{pid}/code",
                               data={"csrf": token, "code": "86-2925-1-2026"})
    assert "code_bad" in answer.headers["location"]
    answer = await client.post(f"/web/products/{pid}/code",
                               data={"csrf": token, "code": "86 – 29254 – 7 – 2026"})
    assert "done_code" in answer.headers["location"]
    page = (await client.get(answer.headers["location"])).text
    assert "Đã ghi mã sản phẩm OCOP" in page and 'value="86-29254-7-2026"' in page
    other = seeded.products["accepted"]
    answer = await client.post(f"/web/products/{other}/code",
                               data={"csrf": token, "code": "86-29254-7-2026"})
    assert "code_used" in answer.headers["location"]
    async with db.reading() as store:
        product = await store.products.get(pid)
    assert product is not None and product.product_code == "86-29254-7-2026"
