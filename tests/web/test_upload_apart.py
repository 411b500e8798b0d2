"""An uploaded spreadsheet is read apart: the chat goes on meanwhile; bad files are refused."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import httpx
import psutil
import pytest
from openpyxl import Workbook

from tests.chat import ChatFor
from tests.cli.test_sheet_bombs import cell_bomb
from tests.web import test_pages
from tests.web.support import csrf_of

seeded = test_pages.seeded  # a Vĩnh Long officer signed in, on the pages' seed
client = test_pages.client


def _long_results(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["product_id", "score", "decision_number", "decision_date",
                  "certificate_number"])
    for n in range(rows):
        sheet.append([n + 1000, 70, f"{n}/QĐ-UBND", "20/11/2026", f"VL-{n}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _reading() -> bool:
    """Whether a spreadsheet reader process is running under this test."""
    for child in psutil.Process().children(recursive=True):
        try:
            if "bot.cli.sheet_child" in " ".join(child.cmdline()):
                return True
        except psutil.Error:  # it ended while we looked
            continue
    return False


@pytest.mark.slow  # the reader is a real process
async def test_the_chat_answers_while_an_upload_is_read(
    client: httpx.AsyncClient, chat_for: ChatFor
) -> None:
    csrf = csrf_of((await client.get("/web/results")).text)
    files = {"file": ("ket-qua.xlsx", _long_results(15_000), "application/octet-stream")}
    upload = asyncio.create_task(
        client.post("/web/results/preview", data={"csrf": csrf}, files=files))
    while not (_reading() or upload.done()):
        await asyncio.sleep(0.01)  # waiting for the reader to start, not timing anything
    chat = chat_for("700")
    await chat.say("/start")
    assert chat.templates, "the chat answered nothing"
    assert not upload.done(), "the chat waited for the upload to be read"
    answer = await upload
    assert answer.status_code == 200 and "(15999)" in answer.text  # every row was read


async def test_a_csv_cell_over_the_field_limit_is_refused_politely(
    client: httpx.AsyncClient
) -> None:
    csrf = csrf_of((await client.get("/web/results")).text)
    huge = ("product_id,score,decision_number\n1,70," + "a" * 131_073 + "\n").encode()
    files = {"file": ("ket-qua.csv", huge, "text/csv")}
    answer = await client.post("/web/results/preview", data={"csrf": csrf}, files=files)
    assert answer.status_code == 400, answer.text
    assert "Không đọc được tệp" in answer.text


async def test_a_spreadsheet_bomb_is_refused_saying_why(
    client: httpx.AsyncClient, tmp_path: Path
) -> None:
    csrf = csrf_of((await client.get("/web/results")).text)
    bomb = cell_bomb(tmp_path / "ket-qua.xlsx", 2_500_000).read_bytes()
    files = {"file": ("ket-qua.xlsx", bomb, "application/octet-stream")}
    answer = await client.post("/web/results/preview", data={"csrf": csrf}, files=files)
    assert answer.status_code == 400, answer.text
    assert "nén chặt bất thường" in answer.text
