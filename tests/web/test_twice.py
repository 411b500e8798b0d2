"""A form sent twice (a double click, a reload) does its work once and says so politely."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from storage import Database
from tests.web import test_pages
from tests.web.support import Seeded, csrf_of
from tests.web.test_pages import _results_file

seeded = test_pages.seeded  # a Vĩnh Long officer signed in, on the pages' seed
client = test_pages.client


@pytest.mark.slow  # the upload is read by the reader process
async def test_confirming_one_preview_twice_at_once_records_once_and_says_so(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    csrf = csrf_of((await client.get("/web/results")).text)
    files = {"file": ("ket-qua.xlsx", _results_file(seeded.products["accepted"]),
                      "application/octet-stream")}
    preview = await client.post("/web/results/preview", data={"csrf": csrf}, files=files)
    key = preview.text.split('name="key" value="')[1].split('"')[0]
    confirm = {"csrf": csrf, "key": key}
    async with db.transaction():  # the database is busy a moment: both clicks wait for it
        clicks = [asyncio.create_task(client.post("/web/results/confirm", data=confirm))
                  for _ in range(2)]
        while len(db._lock._waiters or ()) < 2 and not any(c.done() for c in clicks):
            await asyncio.sleep(0.01)  # until both clicks are in, not timing anything
    answers = await asyncio.gather(*clicks)
    assert sorted(a.status_code for a in answers) == [200, 410], [a.text for a in answers]
    refused = next(a for a in answers if a.status_code == 410)
    assert "đã được xác nhận (kết quả chỉ được ghi một lần)" in refused.text
    async with db.reading() as store:
        assert len(await store.audit.entries("results_imported")) == 1


@pytest.mark.slow  # the upload is read by the reader process
async def test_confirming_two_previews_of_one_file_records_once_and_says_so(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    csrf = csrf_of((await client.get("/web/results")).text)
    keys = []
    for _ in range(2):  # the same file previewed in two tabs
        files = {"file": ("ket-qua.xlsx", _results_file(seeded.products["accepted"]),
                          "application/octet-stream")}
        preview = await client.post("/web/results/preview", data={"csrf": csrf}, files=files)
        keys.append(preview.text.split('name="key" value="')[1].split('"')[0])
    first = await client.post("/web/results/confirm", data={"csrf": csrf, "key": keys[0]})
    assert first.status_code == 200
    second = await client.post("/web/results/confirm", data={"csrf": csrf, "key": keys[1]})
    assert second.status_code in (409, 410), second.text
    async with db.reading() as store:
        assert len(await store.audit.entries("results_imported")) == 1


async def _announcements(db: Database) -> int:
    async with db.reading() as store, store.outbox._db.execute(
        "SELECT COUNT(*) FROM outbox WHERE kind = 'announcement'"
    ) as cur:
        row = await cur.fetchone()
    assert row is not None
    return int(row[0])


async def test_a_broadcast_form_sent_twice_queues_once(
    client: httpx.AsyncClient, db: Database
) -> None:
    csrf = csrf_of((await client.get("/web/broadcasts")).text)
    form = {"csrf": csrf, "text": "Hội chợ OCOP ngày 20/12", "f_commune": "28840"}
    preview = await client.post("/web/broadcasts/preview", data=form)
    once = preview.text.split('name="once" value="')[1].split('"')[0]
    send = {**form, "once": once, "action": "send"}
    async with db.transaction():  # both clicks arrive while the database is busy
        clicks = [asyncio.create_task(client.post("/web/broadcasts/send", data=send))
                  for _ in range(2)]
        while len(db._lock._waiters or ()) < 2 and not any(c.done() for c in clicks):
            await asyncio.sleep(0.01)  # until both clicks are in, not timing anything
    first, second = await asyncio.gather(*clicks)
    again = await client.post("/web/broadcasts/send", data=send)  # a reload, later
    assert first.status_code == second.status_code == again.status_code == 303
    assert first.headers["location"] == second.headers["location"] == again.headers["location"]
    assert await _announcements(db) == 1
    async with db.reading() as store:
        assert len(await store.audit.entries("broadcast")) == 1
    fresh = await client.post("/web/broadcasts/preview", data=form)  # a new preview: a new one
    once = fresh.text.split('name="once" value="')[1].split('"')[0]
    assert (await client.post("/web/broadcasts/send", data={**send, "once": once})
            ).status_code == 303
    assert await _announcements(db) == 2
