"""The console over real HTTP: an admin loads the criteria (zip or CSVs, a broken file refused
with its line); officers see a product's self-score and download its report and sheet."""

from __future__ import annotations

import io
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from docx import Document as read_docx
from openpyxl import load_workbook

from storage import Database
from storage.criteria_files import parse_criteria
from tests.assessment.criteria_files import small_files
from tests.web.support import Seeded, console_server, csrf_of, seed, sign_in


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    """The web tests' seeded database (officers of VL and CT, an admin, products)."""
    return await seed(db)


@pytest.fixture
async def client(db: Database, seeded: Seeded) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the console on 127.0.0.1."""
    async with console_server(db) as http:
        yield http


def _zip(files: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


async def _versions(db: Database) -> list[str]:
    async with db.reading() as store:
        return [v.version for v in await store.criteria.versions()]


async def _scored_70(db: Database, pid: int, now: datetime) -> None:
    """Load the small criteria and score product `pid` to 70 points (every criterion answered)."""
    bundle = parse_criteria({n: t.encode() for n, t in small_files().items()})
    async with db.transaction() as store:
        await store.criteria.load(bundle, "test", now)
        started = await store.assessments.start(pid, "26/2026", 7, now)
        for key, option in {"A:1.1": 2, "A:1.2": 3, "B:2": 3, "C:3": 3, "C:4": 1}.items():
            await store.assessments.answer(started.id, key, option, now)


async def test_an_admin_loads_a_zip_and_a_broken_upload_changes_nothing(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    await sign_in(client, db, seeded.users["admin"])
    page = await client.get("/web/criteria")
    assert page.status_code == 200 and "Chưa tải bộ tiêu chí nào" in page.text
    csrf = csrf_of(page.text)
    files = small_files()
    broken = {n: t.replace("đến 100%,20,4", "đến 100%,20,6") for n, t in files.items()}
    refused = await client.post("/web/criteria", data={"csrf": csrf, "version": "26/2026"},
                                files={"files": ("tieuchi.zip", _zip(broken))})
    assert refused.status_code == 400
    assert "qd26-2026-options.csv:4: yêu cầu tối thiểu “6” sao" in refused.text
    assert 'value="26/2026"' in refused.text  # what was typed is kept
    assert await _versions(db) == []
    loaded = await client.post("/web/criteria", data={"csrf": csrf},
                               files={"files": ("tieuchi.zip", _zip(files))})
    assert loaded.status_code == 303
    page = await client.get(loaded.headers["location"])
    assert "Đã tải bộ tiêu chí 26/2026" in page.text and "đang dùng" in page.text
    assert await _versions(db) == ["26/2026"]


async def test_the_csv_files_load_together_and_officers_may_not(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    await sign_in(client, db, seeded.users["vl"])
    assert (await client.get("/web/criteria")).status_code == 403
    await sign_in(client, db, seeded.users["admin"])
    csrf = csrf_of((await client.get("/web/criteria")).text)
    upload = [("files", (name, text.encode("utf-8"))) for name, text in small_files().items()]
    loaded = await client.post("/web/criteria", data={"csrf": csrf}, files=upload)
    assert loaded.status_code == 303, loaded.text
    assert await _versions(db) == ["26/2026"]


async def test_the_dossier_page_shows_the_self_score_and_its_downloads(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    pid = seeded.products["submitted"]
    now = datetime.now(UTC)
    await _scored_70(db, pid, now)
    await sign_in(client, db, seeded.users["vl"])
    page = (await client.get(f"/web/products/{pid}")).text
    assert "70/100 điểm, đã trả lời 5/5 tiêu chí" in page
    assert "Hạng sao có thể đạt: 3 sao" in page and "1.1. Nguồn gốc nguyên liệu (4 sao)" in page
    report = await client.get(f"/web/products/{pid}/self-assessment.docx")
    assert report.status_code == 200
    text = "\n".join(p.text for p in read_docx(io.BytesIO(report.content)).paragraphs)
    assert "Tổng điểm tự chấm: 70/100" in text
    sheet = await client.get(f"/web/products/{pid}/self-assessment.xlsx")
    book = load_workbook(io.BytesIO(sheet.content)).active
    assert book is not None
    rows = list(book.iter_rows(values_only=True))
    assert rows[-1][4] == 70
    other = seeded.products["other"]  # Cần Thơ's: not this officer's
    assert (await client.get(f"/web/products/{other}/self-assessment.docx")).status_code == 403


async def test_the_results_preview_shows_the_self_score_beside_the_council(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    pid = seeded.products["accepted"]
    now = datetime.now(UTC)
    await _scored_70(db, pid, now)
    await sign_in(client, db, seeded.users["vl"])
    csrf = csrf_of((await client.get("/web/results")).text)
    day = (now - timedelta(days=1)).astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    form = {"csrf": csrf, "r0_product_id": str(pid), "r0_score": "82",
            "r0_decision_number": "15/QĐ-UBND", "r0_decision_date": day.strftime("%d/%m/%Y"),
            "r0_certificate_number": "VL-2026-001"}
    preview = await client.post("/web/results/preview", data=form)
    assert preview.status_code == 200, preview.text
    assert "<th>Chủ thể tự chấm</th>" in preview.text and "<td>70 (3★)</td>" in preview.text
