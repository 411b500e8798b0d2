"""Scope in the console: only admins address the whole country; an officer without a
province sees and sends nothing of any province."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from storage import Database
from storage.models import Role
from tests.web.support import Seeded, console_server, csrf_of, now, seed, sign_in
from tests.web.test_trainings_console import _new_form


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    """The seed, plus an officer whose role was granted without a province."""
    seeded = await seed(db)
    async with db.transaction() as store:
        user = await store.users.seen("telegram", "300", "300", now())
        await store.users.grant(user.id, Role.OFFICER, None, "test", now())
        seeded.users["nowhere"] = user.id
    return seeded


@pytest.fixture
async def client(db: Database, seeded: Seeded) -> AsyncIterator[httpx.AsyncClient]:
    """A Vĩnh Long officer signed in."""
    async with console_server(db) as http:
        await sign_in(http, db, seeded.users["vl"])
        yield http


async def _trainings(db: Database) -> list[str]:
    async with db.reading() as store:
        return [t.audience for t in await store.trainings.managed(None, now())]


async def test_only_an_admin_publishes_a_training_to_every_province(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    page = await client.get("/web/trainings")
    assert 'value="all"' not in page.text  # not offered to an officer
    form = _new_form(csrf_of(page.text))
    refused = await client.post("/web/trainings", data={**form, "audience": "all"})
    assert refused.status_code == 400 and "Anh/chị chọn đối tượng" in refused.text
    assert await _trainings(db) == []
    async with console_server(db) as admin:
        await sign_in(admin, db, seeded.users["admin"])
        page = await admin.get("/web/trainings")
        assert 'value="all"' in page.text
        made = await admin.post("/web/trainings", data={
            **_new_form(csrf_of(page.text)), "audience": "all", "province": "VL"})
        assert made.status_code == 303
    assert await _trainings(db) == ["all"]


async def test_an_officer_without_a_province_has_no_scope(
    db: Database, seeded: Seeded
) -> None:
    async with db.transaction() as store:
        await store.broadcasts.create(
            officer_id=seeded.users["ct"], actor="telegram:200", province_code="CT",
            audience=[], text="Cần Thơ", urgent=False, not_before=now(),
            progress_locale="vi", now=now())
    async with console_server(db) as http:
        await sign_in(http, db, seeded.users["nowhere"])
        reach = (await http.get("/web/broadcasts/reach")).json()
        assert reach == {"accounts": 0, "producers": 0, "shown": "0"}
        page = await http.get("/web/broadcasts")
        assert "Cần Thơ" not in page.text
        sent = await http.post("/web/broadcasts/send", data={
            "csrf": csrf_of((await http.get("/web/")).text), "text": "Cả nước",
            "action": "send"})
        assert sent.status_code == 403 and "chưa gắn với tỉnh/thành" in sent.text
        products = await http.get("/web/products")
        assert "Kẹo dừa" not in products.text and "Trà sen" not in products.text
    async with db.reading() as store:
        assert [b.text for b in await store.broadcasts.recent(None, 10)] == ["Cần Thơ"]
