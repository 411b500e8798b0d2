"""Rounds and trainings in the console: lists, attendance, cancel (told in chat), scope."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook

from storage import Database
from storage.rounds import DATE_FIELDS, NewRound, ProductRow, Round
from storage.trainings import NewTraining
from tests.web.support import Seeded, console_server, csrf_of, now, seed, sign_in


@pytest.fixture
async def seeded(db: Database) -> tuple[Seeded, dict[str, int]]:
    """The seed, plus a round and a training in each of Vĩnh Long and Cần Thơ."""
    seeded = await seed(db)
    ids: dict[str, int] = {}
    day = now() + timedelta(days=10)
    async with db.transaction() as store:
        for province in ("VL", "CT"):
            ids[f"round_{province}"] = await store.rounds.create(NewRound(
                name=f"Đợt 1/2027 {province}", province_code=province,
                registration_opens_at=now(), registration_deadline=day,
                dossier_deadline=day + timedelta(days=5), council_at=day + timedelta(days=10),
                results_at=day + timedelta(days=20)), "test", now())
            ids[f"training_{province}"] = await store.trainings.create(NewTraining(
                title=f"Tập huấn bao bì {province}", topic_code="packaging",
                province_code=province, starts_at=day, ends_at=day + timedelta(hours=3),
                place="Hội trường UBND", capacity=30, registration_deadline=day
                - timedelta(days=1)), "test", now())
        product = await store.products.get(seeded.products["submitted"])
        assert product is not None
        await store.rounds.enter(ids["round_VL"], ProductRow(
            id=product.id, producer_id=product.producer_id, name=product.name or "",
            status="submitted"), now())
        await store.trainings.enrol(ids["training_VL"], seeded.users["producer"], now())
    return seeded, ids


@pytest.fixture
async def client(
    db: Database, seeded: tuple[Seeded, dict[str, int]]
) -> AsyncIterator[httpx.AsyncClient]:
    """A Vĩnh Long officer signed in."""
    async with console_server(db) as http:
        await sign_in(http, db, seeded[0].users["vl"])
        yield http


async def _outbox_keys(db: Database) -> list[str]:
    async with db.reading() as store, store.outbox._db.execute(
        "SELECT dedupe_key FROM outbox ORDER BY id"
    ) as cur:
        return [str(row[0]) for row in await cur.fetchall()]


async def test_rounds_list_and_cancel_tells_the_producers(
    client: httpx.AsyncClient, db: Database, seeded: tuple[Seeded, dict[str, int]]
) -> None:
    ids = seeded[1]
    page = await client.get("/web/rounds")
    assert "Đợt 1/2027 VL" in page.text and "Đợt 1/2027 CT" not in page.text
    assert "Sản phẩm đã đăng ký (1)" in page.text  # the entered product is listed by name
    csrf = csrf_of(page.text)
    other = await client.post(f"/web/rounds/{ids['round_CT']}/cancel", data={"csrf": csrf})
    assert other.status_code == 403
    unticked = await client.post(f"/web/rounds/{ids['round_VL']}/cancel", data={"csrf": csrf})
    assert unticked.status_code == 400 and "đánh dấu ô xác nhận" in unticked.text
    assert 'role="alert"' in unticked.text
    async with db.reading() as store:
        assert not await store.audit.entries("round_cancelled")
    answer = await client.post(f"/web/rounds/{ids['round_VL']}/cancel",
                               data={"csrf": csrf, "confirm": "1"})
    assert answer.status_code == 303
    done = await client.get(answer.headers["location"])
    assert "1 chủ thể được báo" in done.text and "Đợt 1/2027 VL" not in done.text
    assert any(key.startswith(f"round:{ids['round_VL']}:cancelled")
               for key in await _outbox_keys(db))
    async with db.reading() as store:
        assert len(await store.audit.entries("round_cancelled")) == 1


async def test_trainings_attendance_export_and_cancel(
    client: httpx.AsyncClient, db: Database, seeded: tuple[Seeded, dict[str, int]]
) -> None:
    ids = seeded[1]
    page = await client.get("/web/trainings")
    assert "Tập huấn bao bì VL" in page.text and "bao bì CT" not in page.text
    attendance = await client.get(f"/web/trainings/{ids['training_VL']}")
    assert "Nguyễn Thị Lan" in attendance.text and "Đã đăng ký" in attendance.text
    sheet = await client.get(f"/web/trainings/{ids['training_VL']}", params={"xlsx": "1"})
    book = load_workbook(io.BytesIO(sheet.content))
    assert any("Nguyễn Thị Lan" in str(cell) for row in book.active.iter_rows(values_only=True)
               for cell in row)
    assert (await client.get(f"/web/trainings/{ids['training_CT']}")).status_code == 403
    csrf = csrf_of(page.text)
    assert (await client.post(f"/web/trainings/{ids['training_CT']}/cancel",
                              data={"csrf": csrf})).status_code == 403
    answer = await client.post(f"/web/trainings/{ids['training_VL']}/cancel",
                               data={"csrf": csrf})
    assert "done=1" in answer.headers["location"]
    async with db.reading() as store:
        assert len(await store.audit.entries("training_cancelled")) == 1
    missing = await client.post(f"/web/trainings/{ids['training_VL']}/cancel",
                                data={"csrf": "forged"})
    assert missing.status_code == 403


def _local(moment: object) -> str:
    assert isinstance(moment, datetime)
    return moment.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m-%dT%H:%M")


async def test_create_a_round_checked_like_the_chat(
    client: httpx.AsyncClient, db: Database
) -> None:
    csrf = csrf_of((await client.get("/web/rounds")).text)
    day = now() + timedelta(days=3)
    form = {"csrf": csrf, "name": "Đợt 2/2027", "kinds": "first",
            "registration_opens_at": _local(now()),
            "registration_deadline": _local(day),
            "dossier_deadline": _local(day + timedelta(days=5)),
            "council_at": _local(day + timedelta(days=2)),  # before the dossier deadline
            "results_at": _local(day + timedelta(days=20))}
    wrong = await client.post("/web/rounds", data=form)
    assert wrong.status_code == 400 and "Ngày họp Hội đồng đánh giá phải sau" in wrong.text
    form["council_at"] = _local(day + timedelta(days=10))
    made = await client.post("/web/rounds", data=form)
    assert made.status_code == 303
    assert "Đợt 2/2027" in (await client.get("/web/rounds")).text
    taken = await client.post("/web/rounds", data=form)
    assert "Tỉnh đã có đợt với tên này" in taken.text
    async with db.reading() as store:
        created = await store.audit.entries("round_created")
    assert len(created) == 1 and created[0].details["province"] == "VL"


async def _dates_form(
    client: httpx.AsyncClient, db: Database, rid: int
) -> tuple[Round, dict[str, str]]:
    """The round as stored, and its dates form filled as the page shows it."""
    csrf = csrf_of((await client.get("/web/rounds")).text)
    async with db.reading() as store:
        found = await store.rounds.get(rid)
    assert found is not None
    return found, {"csrf": csrf, **{field: _local(getattr(found, field))
                                    for field in DATE_FIELDS}}


async def test_change_a_rounds_date_tells_the_producers_entered(
    client: httpx.AsyncClient, db: Database, seeded: tuple[Seeded, dict[str, int]]
) -> None:
    rid = seeded[1]["round_VL"]
    found, form = await _dates_form(client, db, rid)
    later = found.dossier_deadline + timedelta(days=2)
    bad = await client.post(f"/web/rounds/{rid}/dates",
                            data={**form, "dossier_deadline": _local(found.results_at
                                                                     + timedelta(days=1))})
    assert bad.status_code == 400
    answer = await client.post(f"/web/rounds/{rid}/dates",
                               data={**form, "dossier_deadline": _local(later)})
    assert answer.status_code == 303
    async with db.reading() as store:
        changed = await store.rounds.get(rid)
        logged = await store.audit.entries("round_date_changed")
    assert changed is not None and changed.dossier_deadline == later.replace(second=0,
                                                                             microsecond=0)
    assert len(logged) == 1 and logged[0].details["field"] == "dossier_deadline"
    assert any(key.startswith(f"round:{rid}:date") for key in await _outbox_keys(db))
    other = seeded[1]["round_CT"]
    assert (await client.post(f"/web/rounds/{other}/dates", data=form)).status_code == 403


async def test_a_dates_form_with_one_bad_date_changes_nothing(
    client: httpx.AsyncClient, db: Database, seeded: tuple[Seeded, dict[str, int]]
) -> None:
    rid = seeded[1]["round_VL"]
    found, form = await _dates_form(client, db, rid)
    keys_before = await _outbox_keys(db)
    # the deadline moves (valid), the council goes before the dossier deadline (not valid)
    form["registration_deadline"] = _local(found.registration_deadline + timedelta(days=1))
    form["council_at"] = _local(found.dossier_deadline - timedelta(days=1))
    answer = await client.post(f"/web/rounds/{rid}/dates", data=form)
    assert answer.status_code == 400
    async with db.reading() as store:
        after = await store.rounds.get(rid)
        logged = await store.audit.entries("round_date_changed")
    assert after == found  # one form, one transaction: nothing saved, nobody told
    assert logged == [] and await _outbox_keys(db) == keys_before
