"""The console's pages do the chat's work: review, results, broadcasts, products, exports."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from storage import Database
from storage.product_models import ProductStatus
from tests.web.support import Seeded, console_server, csrf_of, now, seed, sign_in


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    """The seeded database."""
    return await seed(db)


async def _photo(channel: str, file_id: str) -> tuple[bytes, str] | None:
    return (b"\x89PNG\r\n\x1a\n fake", "image/png") if file_id == "photo-1" else None


@pytest.fixture
async def client(db: Database, seeded: Seeded) -> AsyncIterator[httpx.AsyncClient]:
    """A Vĩnh Long officer signed in to the console."""
    async with console_server(db, fetch_photo=_photo) as http:
        await sign_in(http, db, seeded.users["vl"])
        yield http


async def _outbox(db: Database) -> list[dict[str, object]]:
    async with db.reading() as store, store.outbox._db.execute(
        "SELECT * FROM outbox ORDER BY id"
    ) as cur:
        return [dict(row) for row in await cur.fetchall()]


async def _status(db: Database, pid: int) -> ProductStatus:
    async with db.reading() as store:
        product = await store.products.get(pid)
    assert product is not None
    return product.status


async def test_dashboard_counts_the_province(client: httpx.AsyncClient) -> None:
    page = (await client.get("/web/")).text
    assert "Tổng quan: Vĩnh Long" in page
    assert '<b>1</b>chủ thể' in page and "<b>1</b>hồ sơ chờ tiếp nhận" in page


async def test_accepting_a_dossier_tells_the_producer_and_is_audited(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    pid = seeded.products["submitted"]
    page = await client.get(f"/web/products/{pid}")
    assert page.status_code == 200 and "Kẹo dừa Bến Tre" in page.text
    assert f"/web/products/{pid}/photo/1" in page.text
    photo = await client.get(f"/web/products/{pid}/photo/1")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"
    answer = await client.post(f"/web/products/{pid}/decide",
                               data={"csrf": csrf_of(page.text), "action": "accept"})
    assert answer.status_code == 303
    done = await client.get(answer.headers["location"])
    assert "Đã tiếp nhận hồ sơ" in done.text and "Cán bộ tiếp nhận hồ sơ" in done.text
    assert await _status(db, pid) is ProductStatus.ACCEPTED
    notices = [row for row in await _outbox(db) if str(row["dedupe_key"]).startswith("review:")]
    assert len(notices) == 1 and "Kẹo dừa Bến Tre" in str(notices[0]["payload"])
    async with db.reading() as store:
        assert [e.subject for e in await store.audit.entries("product_accepted")] == [
            f"product:{pid}"]


async def test_returning_needs_a_note_which_the_producer_receives(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    pid = seeded.products["submitted"]
    csrf = csrf_of((await client.get(f"/web/products/{pid}")).text)
    short = await client.post(f"/web/products/{pid}/decide",
                              data={"csrf": csrf, "action": "return", "note": "x"})
    assert "problem=bad_note" in short.headers["location"]
    assert await _status(db, pid) is ProductStatus.SUBMITTED
    await client.post(f"/web/products/{pid}/decide",
                      data={"csrf": csrf, "action": "return", "note": "Thiếu giấy kiểm nghiệm"})
    assert await _status(db, pid) is ProductStatus.RETURNED
    payloads = [str(row["payload"]) for row in await _outbox(db)]
    assert any("Thiếu giấy kiểm nghiệm" in p for p in payloads)
    again = await client.post(f"/web/products/{pid}/decide", data={"csrf": csrf,
                                                                    "action": "accept"})
    assert "problem=not_pending" in again.headers["location"]


async def test_products_filter_search_without_diacritics_and_export(
    client: httpx.AsyncClient,
) -> None:
    found = (await client.get("/web/products", params={"q": "keo dua"})).text
    assert "Kẹo dừa Bến Tre" in found and "Bánh tráng" not in found
    accepted = (await client.get("/web/products", params={"status": "accepted"})).text
    assert "Bánh tráng" in accepted and "Kẹo dừa" not in accepted
    unclaimed = (await client.get("/web/products", params={"claimed": "no"})).text
    assert "0 sản phẩm" in unclaimed  # the seeded producer has an account
    claimed = (await client.get("/web/products", params={"claimed": "yes"})).text
    assert "2 sản phẩm" in claimed
    export = await client.get("/web/products.xlsx", params={"q": "banh trang"})
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    product = rows[0].index("Tên sản phẩm")
    assert [row[product] for row in rows[1:]] == ["Bánh tráng"]


def _results_file(pid: int) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["product_id", "score", "decision_number", "decision_date",
                  "certificate_number"])
    sheet.append([pid, 82, "15/QĐ-UBND", (now() - timedelta(days=1)).strftime("%d/%m/%Y"),
                  "VL-2026-001"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def test_results_upload_previews_then_records_on_confirm(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    pid = seeded.products["accepted"]
    csrf = csrf_of((await client.get("/web/results")).text)
    files = {"file": ("ket-qua.xlsx", _results_file(pid), "application/octet-stream")}
    preview = await client.post("/web/results/preview", data={"csrf": csrf}, files=files)
    assert preview.status_code == 200 and "1 kết quả sẵn sàng" in preview.text
    assert "VL-2026-001" in preview.text
    assert await _status(db, pid) is ProductStatus.ACCEPTED  # a dry run writes nothing
    key = preview.text.split('name="key" value="')[1].split('"')[0]
    done = await client.post("/web/results/confirm", data={"csrf": csrf, "key": key})
    assert done.status_code == 200 and "Đã ghi 1 kết quả" in done.text
    assert await _status(db, pid) is ProductStatus.CERTIFIED
    again = await client.post("/web/results/confirm", data={"csrf": csrf, "key": key})
    assert again.status_code == 410
    async with db.reading() as store:
        assert len(await store.audit.entries("results_imported")) == 1


async def test_results_typed_in_the_table_with_a_wrong_row_record_nothing(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    csrf = csrf_of((await client.get("/web/results")).text)
    form = {"csrf": csrf, "r0_product_id": str(seeded.products["accepted"]), "r0_score": "82",
            "r0_decision_number": "15/QĐ", "r0_decision_date": "01/12/2026",
            "r0_certificate_number": "VL-1", "r1_product_id": str(seeded.products["other"]),
            "r1_score": "abc"}
    preview = await client.post("/web/results/preview", data=form)
    assert "1 dòng chưa đúng" in preview.text and "điểm không phải là số" in preview.text
    assert "sản phẩm thuộc tỉnh khác" in preview.text
    assert 'name="key"' not in preview.text
    bad = await client.post("/web/results/preview",
                            data={"csrf": csrf},
                            files={"file": ("x.txt", b"hello", "text/plain")})
    assert bad.status_code == 400 and "Không đọc được tệp" in bad.text


async def test_broadcast_reach_preview_test_copy_send_and_report(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    page = await client.get("/web/broadcasts")
    reach = (await client.get("/web/broadcasts/reach")).json()
    assert reach == {"accounts": 1, "producers": 1, "shown": "1"}
    narrowed = await client.get("/web/broadcasts/reach", params={"f_commune": "-"})
    assert narrowed.json()["accounts"] == 0  # no producer of the province is unplaced
    assert '<option value="28840" >Xã Tân Phú</option>' in page.text  # the commune's code
    csrf = csrf_of(page.text)
    form = {"csrf": csrf, "text": "Hội chợ OCOP ngày 20/12 <b>tại</b> Vĩnh Long",
            "f_commune": "28840"}
    preview = await client.post("/web/broadcasts/preview", data=form)
    assert preview.status_code == 200 and "&lt;b&gt;tại&lt;/b&gt;" in preview.text
    test = await client.post("/web/broadcasts/send", data={**form, "action": "test"})
    assert "Đã gửi bản thử" in test.text
    sent = await client.post("/web/broadcasts/send", data={**form, "action": "send"})
    assert sent.status_code == 303
    report = await client.get(sent.headers["location"])
    assert report.status_code == 200 and 'data-outcome="waiting">1<' in report.text
    rows = await _outbox(db)
    kinds = sorted(str(row["kind"]) for row in rows)
    assert kinds.count("announcement") == 1 and "progress" in kinds
    async with db.reading() as store:
        audit = await store.audit.entries("broadcast")
    assert audit[0].details["audience"] == [["commune", "28840", "Xã Tân Phú"]]
    empty = await client.post("/web/broadcasts/preview", data={"csrf": csrf, "text": " "})
    assert empty.status_code == 400
    forged = await client.post("/web/broadcasts/preview",
                               data={"csrf": csrf, "text": "x", "f_commune": "Nowhere"})
    assert forged.status_code == 400


async def test_another_provinces_broadcast_report_is_refused(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    async with db.transaction() as store:
        bid = await store.broadcasts.create(
            officer_id=seeded.users["ct"], actor="telegram:200", province_code="CT",
            audience=[], text="Cần Thơ", urgent=False, not_before=now(),
            progress_locale="vi", now=now())
    assert (await client.get(f"/web/broadcasts/{bid}")).status_code == 403
    async with db.reading() as store:  # the attempt is in the audit log, as the README says
        denied = await store.audit.entries("denied")
    assert [entry.subject for entry in denied] == [f"broadcast:{bid}"]
