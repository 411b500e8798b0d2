"""The glossary's rules on every other surface: the console's pages, the spreadsheets the bot
writes, and the command line's messages, on a province with thousands of products (so that
"1000" or "2950" written without the thousands dot is caught)."""

from __future__ import annotations

import html
import io
import re
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from bot.cli.certified import write_template as certified_template
from bot.cli.results_file import write_template
from bot.sheets.products import products_workbook, sheet_names
from bot.sheets.recipients import recipient, recipients_workbook
from handlers.broadcasts.queue import queue_announcement
from handlers.figures.report import report_file
from handlers.trainings.common import attendance_file
from messages import Format, Renderer
from storage import Database
from storage.models import Role
from storage.product_models import ProductStatus
from storage.training_models import Attendee, Training
from storage.trainings import NewTraining
from tests.messages.test_wording import _offences
from tests.web.support import console_server, csrf_of, now, seed, sign_in

MANY = 1_050  # certified products of the province: every count on the pages is over a thousand
RENDERER = Renderer()
PAGES = ("/web/", "/web/products", "/web/products?status=certified", "/web/results",
         "/web/broadcasts", "/web/rounds", "/web/trainings", "/web/officers", "/web/audit",
         "/web/products?status=submitted", "/web/products?expiring=90",
         "/web/products?claimed=yes", "/web/products/{submitted}", "/web/products/{certified}",
         "/web/broadcasts/{broadcast}", "/web/trainings/{training}", "/web/communes",
         "/web/certified", "/web/invitations", "/web/criteria")


async def _many(db: Database) -> dict[str, int]:
    """A province of MANY producers on the bot, each with a certified product, a training of
    1.200 seats and an announcement to them all; the ids of the admin and of what the pages
    show."""
    seeded = await seed(db)
    ids = {"admin": seeded.users["admin"], "submitted": seeded.products["submitted"],
           "accepted": seeded.products["accepted"]}
    async with db.transaction() as store:
        await store.users.grant(seeded.users["admin"], Role.ADMIN, None, "test", now())
        letters = "abcdeghiklmnopqrstuvxy"
        for n in range(MANY):
            word = letters[n % 22] + letters[n // 22 % 22] + letters[n // 484]  # no digits
            user = await store.users.seen("zalo", f"z{n}", f"z{n}", now())
            producer = await store.users.create_producer(
                {"name": f"Hộ sản xuất {word}", "entity_type": "household",
                 "contact_person": f"Người {word}", "phone": f"+8491{n:07d}",
                 "province_code": "VL", "commune": "Xã Tân Phú"}, now())
            await store.users.attach_producer(user.id, producer)
            await store.users.give_consent(user.id, now())
            pid = await store.products.create_draft(producer, now())
            await store.products.set_field(pid, "name", f"Sản phẩm {word}", now())
            await store.products.set_field(pid, "group_code", "food", now())
            await store.products.set_status(pid, ProductStatus.CERTIFIED, now())
            ids.setdefault("certified", pid)
            await store.certifications.record(
                pid, score=92.5, stars=4, certified=True, certificate_number=f"VL-{n}",
                decision_number="15/QĐ-UBND", decision_date=date.today() - timedelta(days=10),
                expires_on=date.today() + timedelta(days=60), recorded_by="test", now=now())
        await store.targets.set("VL", now().year, 2950, by="test", now=now())
        day = now() + timedelta(days=10)
        ids["training"] = await store.trainings.create(NewTraining(
            title="Tập huấn bao bì", topic_code="packaging", province_code="VL", starts_at=day,
            ends_at=day + timedelta(hours=3), place="Hội trường UBND tỉnh", capacity=1200,
            registration_deadline=day - timedelta(days=1)), "test", now())
        officer = await store.users.get(seeded.users["vl"])
        assert officer is not None
        ids["broadcast"], _ = await queue_announcement(
            store, RENDERER, officer, now(), "Hội chợ OCOP Vĩnh Long khai mạc ngày 20/12.", [],
            urgent=False, not_before=now())
    return ids


@pytest.fixture
async def admin(db: Database) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, int]]]:
    """The admin signed in to the console on the crowded province, and the seeded ids."""
    ids = await _many(db)
    async with console_server(db) as client:
        await sign_in(client, db, ids["admin"])
        yield client, ids


def _shown(page: str) -> str:
    """What a page shows: its text without tags, scripts or the values of form fields."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<option\b[^>]*>", " ", page)  # option values are codes; their text stays
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _sheet_offences(book: Workbook) -> list[str]:
    """Rule-breaking words in a workbook's text cells, and counts shown without separators
    (ids, in the columns headed "Mã …", are not counts)."""
    found = []
    for sheet in book.worksheets:
        found += _offences("vi", sheet.title, Format.PLAIN)
        ids = {cell.column for row in sheet.iter_rows(max_row=3) for cell in row
               if str(cell.value or "").startswith("Mã")}  # a header row, under a title
        for row in sheet.iter_rows():
            for cell in row:
                if cell.column in ids:
                    continue
                if isinstance(cell.value, str):
                    found += [f"{sheet.title}!{cell.coordinate}: {o}"
                              for o in _offences("vi", cell.value, Format.PLAIN)]
                elif type(cell.value) is int and cell.value >= 1000 and not (
                        1900 <= cell.value <= 2100) and "#,##0" not in cell.number_format:
                    found.append(f"{sheet.title}!{cell.coordinate}: {cell.value} unformatted")
    return found


async def test_every_console_page_keeps_to_the_glossary(
    admin: tuple[httpx.AsyncClient, dict[str, int]]
) -> None:
    client, ids = admin
    seen = {}
    for path in PAGES:
        answer = await client.get(path.format(**ids))
        assert answer.status_code == 200, path
        seen[path] = _offences("vi", _shown(answer.text), Format.HTML)
    csrf = csrf_of((await client.get("/web/broadcasts")).text)
    forms = {  # the pages a form leads to: a broadcast's preview, a results preview
        "/web/broadcasts/preview": {"csrf": csrf, "text": "Hội chợ OCOP khai mạc ngày 20/12."},
        "/web/results/preview": {"csrf": csrf, "r0_product_id": str(ids["accepted"]),
                                 "r0_score": "92.5", "r0_decision_number": "20/QĐ-UBND",
                                 "r0_certificate_number": "VL-2026-9"},
    }
    for path, form in forms.items():
        answer = await client.post(path, data=form)
        assert answer.status_code == 200, (path, answer.text)
        seen[path] = _offences("vi", _shown(answer.text), Format.HTML)
    assert not {path: found for path, found in seen.items() if found}
    preview = _shown((await client.post("/web/broadcasts/preview", data=forms[
        "/web/broadcasts/preview"])).text)
    assert "1.05" in preview  # the crowd's accounts, counted with the dot
    report = _shown((await client.get(f"/web/broadcasts/{ids['broadcast']}")).text)
    assert "1.05" in report  # every producer of the crowd is a recipient
    seats = _shown((await client.get(f"/web/trainings/{ids['training']}")).text)
    assert "1.200" in seats
    dashboard = _shown((await client.get("/web/")).text)
    assert "1.051" in dashboard  # the seed's own certified product and the crowd's
    products = _shown((await client.get("/web/products")).text)
    assert re.search(r"1\.05\d sản phẩm", products)
    score = _shown((await client.get(f"/web/products/{ids['certified']}")).text)
    assert "92,5" in score


async def test_every_spreadsheet_keeps_to_the_glossary(db: Database, tmp_path: Path) -> None:
    await _many(db)
    today = now().astimezone(RENDERER.zone).date()
    async with db.reading() as store:
        report = await report_file(store, RENDERER, "vi", "VL", today.year, today)
        rows = await store.existing.export_rows("VL")
        names = await sheet_names(store)
    books = {"report": load_workbook(io.BytesIO(report.content)),
             "products": products_workbook(RENDERER, rows, names, today)}
    person = Attendee(contact_person="Nguyễn Thị Lan", organisation="HTX Tân Phú",
                      phone="+84912345678", commune="Xã Tân Phú", province_code="VL",
                      status="enrolled", queued_at=now())
    training = Training(id=12, status="active", title="Tập huấn bao bì", topic_code="packaging",
                        province_code="VL", starts_at=now(), ends_at=now() + timedelta(hours=3),
                        place="Hội trường", capacity=1200, registration_deadline=now(),
                        enrolled=1100)
    books["participants"] = load_workbook(io.BytesIO(
        attendance_file(RENDERER, "vi", training, [person]).content))
    write_template(tmp_path / "ket-qua.xlsx", RENDERER, [(1200, "Kẹo dừa")])
    books["results template"] = load_workbook(tmp_path / "ket-qua.xlsx")
    certified_template(tmp_path / "cong-nhan.xlsx", RENDERER, "vi")
    books["certified template"] = load_workbook(tmp_path / "cong-nhan.xlsx")
    books["recipients"] = recipients_workbook(RENDERER, "vi", [recipient(RENDERER, "vi", {
        "producer": "HTX Tân Phú", "commune": "Xã Tân Phú", "channel": "zalo",
        "status": "failed", "last_error": "expired: 500", "sent_at": None})])
    found = {name: _sheet_offences(book) for name, book in books.items()}
    assert not {name: offences for name, offences in found.items() if offences}
    summary = books["report"].worksheets[0]
    counts = [c for row in summary.iter_rows() for c in row if type(c.value) is int]
    assert any(c.value >= 1000 and c.number_format == "#,##0" for c in counts)


def test_the_number_rule_catches_counts_and_lets_years_codes_and_ids_pass() -> None:
    assert _offences("vi", "Hà Nội: 3.620 còn hiệu lực (3★ 2950 · 4★ 610), mới 1000",
                     Format.PLAIN) == ["2950", "1000"]
    assert not _offences("vi", "năm 2026: 1.200 sản phẩm; mã 4821 0937 5512; số VL-2026-015; "
                         "số điện thoại “12345” không hợp lệ", Format.PLAIN)
