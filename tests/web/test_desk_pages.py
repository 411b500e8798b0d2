"""The pages an officer expects at the desk: a certified dossier, results waiting, the
broadcast's recipients, officers by name, the audit log in Vietnamese, typed dates."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook

from storage import Database
from storage.models import Role
from storage.product_models import ProductStatus
from tests.web.support import Seeded, console_server, csrf_of, now, seed, sign_in


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    """The seed, with a certified product (expired), marked items, and a former province."""
    seeded = await seed(db)
    async with db.transaction() as store:
        producer = await store.users.create_producer(
            {"name": "Hộ Lê Văn Minh", "entity_type": "household",
             "contact_person": "Lê Văn Minh", "phone": "+84912345679", "province_code": "VL",
             "commune": "Xã Long Hồ"}, now())
        certified = seeded.products["certified"] = await store.products.create_draft(
            producer, now())
        await store.products.set_field(certified, "name", "Mật ong", now())
        await store.products.set_field(certified, "group_code", "food", now())
        await store.products.set_status(certified, ProductStatus.CERTIFIED, now())
        await store.certifications.record(
            certified, score=92.5, stars=4, certified=True, certificate_number="VL-2023-01",
            decision_number="15/QĐ-UBND", decision_date=date(2023, 1, 10),
            expires_on=date(2026, 1, 10), recorded_by="test", now=now())
        pid = seeded.products["submitted"]
        await store.products.mark_item(pid, "reg_form", "file", now(), "telegram", "photo-1",
                                       "image/jpeg")
        await store.products.mark_item(pid, "samples", "paper", now())
        await store.figures.set_origin(producer, "Bến Tre")
        await store.audit.record("telegram:100", "results_imported", now(),
                                 details={"decision": "15/QĐ-UBND"})
    return seeded


async def _photo(channel: str, file_id: str) -> tuple[bytes, str] | None:
    return (b"\x89PNG fake", "image/png") if file_id == "photo-1" else None


@pytest.fixture
async def client(db: Database, seeded: Seeded) -> AsyncIterator[httpx.AsyncClient]:
    """A Vĩnh Long officer signed in to the console."""
    async with console_server(db, fetch_photo=_photo) as http:
        await sign_in(http, db, seeded.users["vl"])
        yield http


@pytest.fixture
async def admin(db: Database, seeded: Seeded) -> AsyncIterator[httpx.AsyncClient]:
    """The admin signed in to the console."""
    async with db.transaction() as store:
        await store.users.grant(seeded.users["admin"], Role.ADMIN, None, "test", now())
    async with console_server(db) as http:
        await sign_in(http, db, seeded.users["admin"])
        yield http


async def test_a_certified_dossier_shows_its_certificate_marked_expired(
    client: httpx.AsyncClient, seeded: Seeded
) -> None:
    page = (await client.get(f"/web/products/{seeded.products['certified']}")).text
    assert 'id="certificate"' in page and "VL-2023-01" in page
    assert "số 15/QĐ-UBND ngày 10/01/2023" in page and "10/01/2026" in page
    assert "Đã hết hạn" in page and "92,5" in page


async def test_the_dossier_counts_items_opens_them_and_shows_samples_prepared(
    client: httpx.AsyncClient, seeded: Seeded
) -> None:
    pid = seeded.products["submitted"]
    page = (await client.get(f"/web/products/{pid}")).text
    assert "Đã có 2/" in page and " mục" in page
    assert "Đã chuẩn bị (nộp trực tiếp)" in page and "Nộp bản giấy" not in page
    assert f'href="/web/products/{pid}/item/reg_form"' in page
    item = await client.get(f"/web/products/{pid}/item/reg_form")
    assert item.status_code == 200 and item.content.startswith(b"\x89PNG")
    assert (await client.get(f"/web/products/{pid}/item/samples")).status_code == 404


async def test_products_filter_by_former_province_and_mark_the_expired(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/web/products")).text
    assert '<option value="Bến Tre"' in page and 'class="cards"' in page
    assert "10/01/2026" in page and "2026-01-10" not in page and "(Đã hết hạn)" in page
    former = (await client.get("/web/products", params={"former": "Bến Tre"})).text
    assert "Mật ong" in former and "Bánh tráng" not in former
    waiting = (await client.get("/web/products", params={"status": "submitted"})).text
    assert "<h1>Hồ sơ chờ tiếp nhận</h1>" in waiting


async def test_results_list_the_dossiers_waiting_and_the_template_holds_them(
    client: httpx.AsyncClient, seeded: Seeded
) -> None:
    page = (await client.get("/web/results")).text
    assert "Hồ sơ đã tiếp nhận, chờ kết quả (1)" in page and "Bánh tráng" in page
    answer = await client.get("/web/results/template.xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None and sheet.title == "Kết quả đánh giá"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == (seeded.products["accepted"], "Bánh tráng")
    csrf = csrf_of(page)
    day = (now() - timedelta(days=1)).strftime("%d/%m/%Y")
    preview = await client.post("/web/results/preview", data={
        "csrf": csrf, "r0_product_id": str(seeded.products["accepted"]), "r0_score": "92.5",
        "r0_decision_number": "20/QĐ-UBND", "r0_decision_date": day,
        "r0_certificate_number": "VL-2026-9"})
    assert preview.status_code == 200, preview.text
    assert "92,5" in preview.text and f"số 20/QĐ-UBND ngày {day}" in preview.text


async def test_the_broadcast_report_says_who_received_it_and_why_not(
    client: httpx.AsyncClient, db: Database
) -> None:
    csrf = csrf_of((await client.get("/web/broadcasts")).text)
    sent = await client.post("/web/broadcasts/send", data={
        "csrf": csrf, "text": "Họp chủ thể OCOP", "action": "send"})
    assert sent.status_code == 303
    async with db.transaction() as store:
        await store.outbox._db.execute(
            "UPDATE outbox SET status = 'dead', last_error = 'blocked'"
            " WHERE kind = 'announcement'")
    report = (await client.get(sent.headers["location"])).text
    assert "HTX Tân Phú" in report and "Người nhận đã chặn Trợ lý OCOP" in report
    sheet_file = await client.get(sent.headers["location"], params={"xlsx": "1"})
    sheet = load_workbook(io.BytesIO(sheet_file.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Chủ thể", "Xã/phường", "Kênh", "Kết quả")
    assert rows[1][0] == "HTX Tân Phú" and rows[1][3] == "Đã chặn Trợ lý OCOP"


async def test_officers_by_name_and_the_province_picker_asks(
    admin: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    async with db.transaction() as store:
        user = await store.users.seen("telegram", "500", "500", now())
        await store.users.grant(user.id, Role.OFFICER, "VL", "test", now())
    page = (await admin.get("/web/officers")).text
    assert "Nguyễn Thị Lan" in page and "Thu hồi quyền của Nguyễn Thị Lan" in page
    assert '<option value="">— Chọn tỉnh —</option>' in page
    csrf = csrf_of(page)
    own = await admin.post(f"/web/officers/{seeded.users['admin']}/revoke", data={"csrf": csrf})
    assert own.status_code == 400 and "không thể tự thu hồi quyền" in own.text


async def test_the_audit_log_speaks_vietnamese_and_filters_by_action_and_day(
    admin: httpx.AsyncClient,
) -> None:
    page = (await admin.get("/web/audit")).text
    assert "Nhập kết quả đánh giá từ tệp" in page and "decision: 15/QĐ-UBND" in page
    assert "\\u0110" not in page
    today = now().astimezone(client_zone()).strftime("%d/%m/%Y")  # the officer's day
    one = (await admin.get("/web/audit", params={"action": "results_imported",
                                                  "since": today, "until": today})).text
    assert "15/QĐ-UBND" in one
    later = (now() + timedelta(days=3)).astimezone(client_zone()).strftime("%d/%m/%Y")
    none = (await admin.get("/web/audit", params={"since": later})).text
    assert "15/QĐ-UBND" not in none
    bad = await admin.get("/web/audit", params={"since": "hôm kia nữa"})
    assert bad.status_code == 400 and 'role="alert"' in bad.text


async def test_a_typed_date_is_read_as_in_the_chat_and_said_back(
    client: httpx.AsyncClient,
) -> None:
    read = (await client.get("/web/dates", params={"typed": "15/12/2030 8h30"})).json()
    assert read["shown"] == "Đã hiểu là: 08:30 15/12/2030"
    day = (await client.get("/web/dates", params={"typed": "15/12/2030",
                                                   "default": "08:00"})).json()
    assert day["shown"].endswith("08:00 15/12/2030")
    wrong = (await client.get("/web/dates", params={"typed": "ngày nào đó"})).json()
    assert wrong["shown"] == "" and "08:30 15/12/2026" in wrong["problem"]


async def test_a_round_is_created_from_dates_typed_as_officers_write_them(
    client: httpx.AsyncClient, db: Database
) -> None:
    page = (await client.get("/web/rounds")).text
    year = now().year + 1
    form = {"csrf": csrf_of(page), "name": "Đợt I", "kinds": "all",
            "registration_opens_at": f"01/02/{year}", "registration_deadline": f"15/02/{year}",
            "dossier_deadline": f"01/03/{year}", "council_at": f"15/03/{year} 8h",
            "results_at": f"01/04/{year}"}
    unread = await client.post("/web/rounds", data={**form, "council_at": "sau Tết"})
    assert unread.status_code == 400 and 'aria-invalid="true"' in unread.text
    assert "Chưa đọc được ngày họp Hội đồng đánh giá" in unread.text  # "Hội đồng" kept
    created = await client.post("/web/rounds", data=form)
    assert created.status_code == 303
    async with db.reading() as store:
        rounds = await store.rounds.managed("VL", now() - timedelta(days=1))
    council = rounds[0].council_at.astimezone(client_zone())
    assert (council.day, council.month, council.hour) == (15, 3, 8)


def client_zone() -> ZoneInfo:
    """The bot's time zone (the console's default)."""
    return ZoneInfo("Asia/Ho_Chi_Minh")
