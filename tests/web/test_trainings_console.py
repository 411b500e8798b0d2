"""Trainings published and changed in the console, checked and told exactly as in the chat."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from storage import Database
from storage.models import Role
from storage.trainings import NewTraining
from tests.web.support import Seeded, console_server, csrf_of, now, seed, sign_in

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def _local(moment: datetime) -> str:
    return moment.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")


def _minute(moment: datetime) -> datetime:
    return moment.astimezone(ZONE).replace(second=0, microsecond=0)


@pytest.fixture
async def seeded(db: Database) -> tuple[Seeded, dict[str, int]]:
    """The seed, a training in each of Vĩnh Long and Cần Thơ; the VL producer is enrolled."""
    seeded = await seed(db)
    ids: dict[str, int] = {}
    day = now() + timedelta(days=10)
    async with db.transaction() as store:
        for province in ("VL", "CT"):
            ids[province] = await store.trainings.create(NewTraining(
                title=f"Tập huấn bao bì {province}", topic_code="packaging",
                province_code=province, starts_at=day, ends_at=day + timedelta(hours=3),
                place="Hội trường UBND", capacity=30,
                registration_deadline=day - timedelta(days=1)), "test", now())
        await store.trainings.enrol(ids["VL"], seeded.users["producer"], now())
    return seeded, ids


@pytest.fixture
async def client(
    db: Database, seeded: tuple[Seeded, dict[str, int]]
) -> AsyncIterator[httpx.AsyncClient]:
    """A Vĩnh Long officer signed in."""
    async with console_server(db) as http:
        await sign_in(http, db, seeded[0].users["vl"])
        yield http


async def _outbox(db: Database) -> list[tuple[str, str]]:
    async with db.reading() as store, store.outbox._db.execute(
        "SELECT dedupe_key, payload FROM outbox ORDER BY id"
    ) as cur:
        return [(str(row[0]), json.loads(row[1])["text"]) for row in await cur.fetchall()]


def _new_form(csrf: str) -> dict[str, str]:
    start = now() + timedelta(days=5)
    return {"csrf": csrf, "title": "Tập huấn truy xuất nguồn gốc", "topic": "packaging",
            "audience": "province", "commune": "", "group": "", "place": "https://meet.example/ocop",
            "capacity": "40", "starts_at": _local(start),
            "ends_at": _local(start + timedelta(hours=2)),
            "registration_deadline": _local(start - timedelta(days=1))}


async def test_publish_a_training_checked_and_announced_like_the_chat(
    client: httpx.AsyncClient, db: Database
) -> None:
    csrf = csrf_of((await client.get("/web/trainings")).text)
    form = _new_form(csrf)
    late = await client.post("/web/trainings", data={
        **form, "registration_deadline": _local(now() + timedelta(days=6))})
    assert late.status_code == 400 and "Hạn đăng ký phải trước giờ bắt đầu" in late.text
    assert 'value="Tập huấn truy xuất nguồn gốc"' in late.text  # what was typed is kept
    past = await client.post("/web/trainings", data={
        **form, "starts_at": _local(now() - timedelta(hours=1))})
    assert past.status_code == 400 and "Giờ bắt đầu đã qua" in past.text
    seats = await client.post("/web/trainings", data={**form, "capacity": "0"})
    assert seats.status_code == 400 and "Số chỗ phải là một số từ 1 đến 10.000" in seats.text
    nameless = await client.post("/web/trainings", data={**form, "title": "  "})
    assert nameless.status_code == 400 and "Anh/chị nhập tên lớp" in nameless.text
    nowhere = await client.post("/web/trainings", data={**form, "place": "x"})
    assert nowhere.status_code == 400 and "địa điểm hoặc đường dẫn học trực tuyến" in nowhere.text
    no_group = await client.post("/web/trainings", data={**form, "audience": "group"})
    assert no_group.status_code == 400 and "Anh/chị chọn nhóm sản phẩm" in no_group.text
    elsewhere = dict(form, province="CT")  # an officer publishes in their own province only
    made = await client.post("/web/trainings", data=elsewhere)
    assert made.status_code == 303 and "told=1" in made.headers["location"]
    page = await client.get(made.headers["location"])
    assert "Đã đăng lớp tập huấn; 1 chủ thể" in page.text
    assert "Tập huấn truy xuất nguồn gốc" in page.text
    async with db.reading() as store:
        logged = await store.audit.entries("training_published")
        training = await store.trainings.get(int(logged[0].subject.split(":")[1]))
    assert len(logged) == 1 and logged[0].details == {"title": "Tập huấn truy xuất nguồn gốc"}
    assert training is not None and training.province_code == "VL"
    assert training.online_url == "https://meet.example/ocop" and training.place == ""
    assert training.capacity == 40 and training.audience == "province"
    assert training.starts_at == _minute(now() + timedelta(days=5))
    announced = [text for key, text in await _outbox(db)
                 if key.startswith(f"announce:training:{training.id}:")]
    assert len(announced) == 1 and "Tập huấn truy xuất nguồn gốc" in announced[0]


async def test_an_admin_publishes_for_a_commune_of_any_province(
    db: Database, seeded: tuple[Seeded, dict[str, int]]
) -> None:
    async with console_server(db) as http:
        async with db.transaction() as store:
            await store.users.grant(seeded[0].users["admin"], Role.ADMIN, None, "test", now())
        await sign_in(http, db, seeded[0].users["admin"])
        form = _new_form(csrf_of((await http.get("/web/trainings")).text))
        nobody = await http.post("/web/trainings",
                                 data={**form, "province": "CT", "audience": "commune"})
        assert nobody.status_code == 400 and "Anh/chị nhập tên xã/phường" in nobody.text
        made = await http.post("/web/trainings", data={
            **form, "province": "CT", "audience": "commune", "commune": "Xã Khác"})
        assert made.status_code == 303
    async with db.reading() as store:
        trainings = await store.trainings.managed("CT", now())
    made_one = [t for t in trainings if t.title == "Tập huấn truy xuất nguồn gốc"]
    assert made_one and made_one[0].audience == "commune"
    assert made_one[0].audience_value == "Xã Khác"
    assert not any(key.startswith("announce:training:") for key, _ in await _outbox(db))


async def test_change_a_training_tells_those_enrolled_like_the_chat(
    client: httpx.AsyncClient, db: Database, seeded: tuple[Seeded, dict[str, int]]
) -> None:
    tid = seeded[1]["VL"]
    page = await client.get("/web/trainings")
    csrf = csrf_of(page.text)
    async with db.reading() as store:
        found = await store.trainings.get(tid)
    assert found is not None
    form = {"csrf": csrf, "title": found.title, "place": found.place,
            "capacity": str(found.capacity),
            **{f: _local(getattr(found, f))
               for f in ("starts_at", "ends_at", "registration_deadline")}}
    same = await client.post(f"/web/trainings/{tid}/change", data=form)
    assert "done=unchanged" in same.headers["location"]
    fewer = await client.post(f"/web/trainings/{tid}/change",
                              data={**form, "title": "Lớp đổi tên", "capacity": "0"})
    assert fewer.status_code == 400  # shown on the capacity field, the form open as typed
    assert re.search(rf'id="t{tid}-capacity"[^>]*aria-describedby="t{tid}-capacity-problem"'
                     r'[^>]*aria-invalid="true" data-focus', fewer.text)
    assert f'id="t{tid}-capacity-problem" role="alert"' in fewer.text
    assert 'value="Lớp đổi tên"' in fewer.text and "<details class=\"card\" open>" in fewer.text
    async with db.transaction() as store:
        await store.trainings.enrol(tid, seeded[0].users["vl"], now())
    below = await client.post(f"/web/trainings/{tid}/change", data={**form, "capacity": "1"})
    assert below.status_code == 400 and "Đã có 2 người đăng ký" in below.text
    order = await client.post(f"/web/trainings/{tid}/change", data={
        **form, "ends_at": _local(found.starts_at - timedelta(hours=1))})
    assert order.status_code == 400 and "Giờ kết thúc phải sau giờ bắt đầu" in order.text
    later = found.starts_at + timedelta(days=1)
    answer = await client.post(f"/web/trainings/{tid}/change", data={
        **form, "place": "Nhà văn hóa xã", "starts_at": _local(later),
        "ends_at": _local(later + timedelta(hours=3))})
    assert answer.status_code == 303 and "told=2" in answer.headers["location"]
    shown = await client.get(answer.headers["location"])
    assert "Đã lưu thay đổi; 2 người được báo" in shown.text
    async with db.reading() as store:
        changed = await store.trainings.get(tid)
        logged = await store.audit.entries("training_edited")
    assert changed is not None and changed.place == "Nhà văn hóa xã"
    assert changed.starts_at == _minute(later)
    assert len(logged) == 1 and logged[0].subject == f"training:{tid}"
    assert logged[0].details["place"] == "Nhà văn hóa xã" and "starts_at" in logged[0].details
    notices = [text for key, text in await _outbox(db) if key.startswith(f"training:{tid}:edit")]
    assert len(notices) == 2
    assert "Lớp tập huấn có thay đổi (địa điểm, giờ bắt đầu, giờ kết thúc)" in notices[0]


async def test_changing_is_kept_to_the_province_and_needs_the_csrf_token(
    client: httpx.AsyncClient, db: Database, seeded: tuple[Seeded, dict[str, int]]
) -> None:
    csrf = csrf_of((await client.get("/web/trainings")).text)
    form = {"csrf": csrf, "title": "Lớp khác", "place": "Hội trường", "capacity": "10"}
    other = await client.post(f"/web/trainings/{seeded[1]['CT']}/change", data=form)
    assert other.status_code == 403
    forged = await client.post(f"/web/trainings/{seeded[1]['VL']}/change",
                               data={**form, "csrf": "forged"})
    assert forged.status_code == 403
    no_token = await client.post("/web/trainings", data={"title": "Lớp mới"})
    assert no_token.status_code == 403
    async with db.reading() as store:
        denied = await store.audit.entries("denied")
        assert not await store.audit.entries("training_edited")
    assert any(entry.subject == "web.training" for entry in denied)
