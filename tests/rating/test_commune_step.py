"""The whole way of one dossier under 26/2026/QĐ-TTg, on a fake clock: the producer sends it,
it goes to the commune (reminded on the 10th working day, the province told on the 15th,
with a public holiday and a day off between), the commune assesses (Mẫu 03) and forwards it,
the province accepts and records the result, and the re-rating notices come on their days."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import app
from handlers import FEATURES
from handlers.common.commune import commune_key
from handlers.common.working_days import nth_working_day, working_days_since
from handlers.engine.config import HandlerConfig
from handlers.engine.feature import ReminderContext, reminder_rules
from messages import Renderer
from storage import Database, open_database
from storage.models import Role
from tests.chat import Chat, ChatFor, Clock
from tests.products.steps import outbox, register
from tests.rounds import support

MONDAY = datetime(2026, 12, 21, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam


def test_commune_names_match_with_or_without_prefix_and_diacritics() -> None:
    assert commune_key("Xã Cầu Kè") == commune_key("xa cau ke") == commune_key("cầu kè")
    assert commune_key("P. Trà Vinh") == commune_key("phường trà vinh") == "tra vinh"
    assert commune_key("Thị trấn Cầu Ngang") == "cau ngang"


def test_working_days_skip_weekends_and_holidays() -> None:
    new_year = {date(2027, 1, 1)}
    start = date(2026, 12, 21)  # a Monday
    assert nth_working_day(start, 10, new_year) == date(2027, 1, 5)
    assert nth_working_day(start, 15, new_year) == date(2027, 1, 12)
    assert working_days_since(start, date(2027, 1, 4), new_year) == 9


async def _rules(db: Database, renderer: Renderer, now: datetime) -> int:
    queued = 0
    async with db.transaction() as store:
        ctx = ReminderContext(store=store, renderer=renderer, now=now, config=HandlerConfig())
        for rule in reminder_rules(FEATURES):
            queued += await rule(ctx)
    return queued


async def _commune_officer(db: Database, chat_for: ChatFor, user: str, commune: str) -> Chat:
    chat = chat_for(user)
    await chat.say("/menu")
    async with db.transaction() as store:
        found = await store.users.find("telegram", user)
        assert found is not None
        await store.users.grant(found.id, Role.COMMUNE_OFFICER, "VL", "test", chat.clock())
        await store.communes.set_commune(found.id, commune, commune_key(commune))
    return chat


async def test_one_dossier_from_the_producer_through_the_commune_to_re_rating(
    db: Database, renderer: Renderer, chat_for: ChatFor, clock: Clock
) -> None:
    clock.now = MONDAY
    async with db.transaction() as store:  # a province's own day off, kept as data
        await store.communes.add_day_off(date(2027, 1, 4), "Nghỉ bù", "cli", MONDAY)
    xa = await _commune_officer(db, chat_for, "501", "xa tan phu")
    tinh = await support.officer(db, chat_for, user="502")
    lan = chat_for("503")
    await lan.onboard()  # Xã Tân Phú, Vĩnh Long
    pid = await register(lan, "Kẹo dừa Tân Phú")
    await lan.press("sm:ok")
    # 15 working days: 01/01 (New Year) and 04/01 (the day off) are skipped
    assert "UBND xã Tân Phú" in lan.text and "hết ngày 13/01/2027" in lan.text
    keys = [r["dedupe_key"] for r in await outbox(db)]
    assert any(k.startswith("commune:") for k in keys)
    assert not any(k.startswith("review:") for k in keys)  # the province waits
    await tinh.say("/duyet")
    assert f"r:{pid}" not in tinh.keys
    await lan.say("/sanpham")
    await lan.say("Kẹo dừa Tân Phú")
    assert "Hồ sơ đang ở UBND xã Tân Phú: cán bộ xã kiểm tra đến hết ngày 13/01/2027" in lan.text
    async with db.reading() as store:  # the figures show the commune stage of the funnel
        summary = await store.figures.province_summary("VL", 2026, date(2026, 12, 21))
    assert (summary.pipeline["at_commune"], summary.pipeline["submitted"]) == (1, 0)

    day = MONDAY
    reminded: dict[str, date] = {}
    while day < datetime(2027, 1, 15, 2, 0, tzinfo=UTC):
        await _rules(db, renderer, day)
        for row in await outbox(db):
            for point in ("day_reminder", "late"):
                if f":{point}:" in row["dedupe_key"]:
                    reminded.setdefault(point, day.date())
        day += timedelta(days=1)
    assert reminded == {"day_reminder": date(2027, 1, 6), "late": date(2027, 1, 13)}
    rows = {r["dedupe_key"]: r for r in await outbox(db)}
    reminder = next(r for k, r in rows.items() if ":day_reminder:" in k)
    late = next(r for k, r in rows.items() if ":late:" in k)
    assert reminder["user_id"] == (await _user_id(db, "501"))
    assert late["user_id"] == (await _user_id(db, "502"))
    assert "ngày làm việc thứ 15" in late["payload"]["text"]

    clock.now = datetime(2027, 1, 13, 3, 0, tzinfo=UTC)
    await xa.say("/hosoxa")
    assert "Kẹo dừa Tân Phú — còn 0 ngày làm việc" in xa.text  # its last day
    [review_key] = [k for k in xa.keys if k.startswith("c:") and k[2:].isdigit()]
    await xa.press(review_key)
    assert "c:fwd" not in xa.keys  # the assessment comes first
    await xa.press("c:assess")
    for answer in ("a:yes", "a:yes", "a:part", "a:yes"):
        await xa.press(answer)
    assert "Sử dụng lao động tại địa phương: Có" in xa.text
    await xa.press("c:fwd")
    assert "commune/forwarded" in xa.templates
    assert any("đã kiểm tra hồ sơ" in r["payload"]["text"] for r in await outbox(db)
               if r["dedupe_key"].endswith(":forwarded"))

    await tinh.say("/duyet")
    await tinh.press(f"r:{pid}")
    await tinh.press("ra:ok")
    await tinh.press("rq:res")
    await tinh.press(f"x:{pid}")
    await tinh.say("82")
    await tinh.say("15/QĐ-UBND")
    await tinh.say("20/01/2027")
    assert "results/future_date" in tinh.templates  # still 13/01 on the fake clock
    clock.now = datetime(2027, 1, 20, 3, 0, tzinfo=UTC)
    await tinh.say("20/01/2027")
    await tinh.say("VL-2027-015")
    await tinh.press("x:ok")
    assert "Đã ghi kết quả" in tinh.text

    # 36 months later: the re-rating window opens 180 days before 20/01/2030
    opens = datetime(2029, 7, 24, 2, 0, tzinfo=UTC)
    assert await _rules(db, renderer, opens - timedelta(days=1)) == 0
    assert await _rules(db, renderer, opens) == 1
    [notice] = [r for r in await outbox(db) if r["dedupe_key"].endswith(":rerating:open")]
    assert "Từ hôm nay anh/chị có thể nộp hồ sơ" in notice["payload"]["text"]


async def _user_id(db: Database, external: str) -> int:
    async with db.reading() as store:
        user = await store.users.find("telegram", external)
    assert user is not None
    return user.id


async def test_without_a_commune_officer_the_province_does_the_commune_step(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    tinh = await support.officer(db, chat_for, user="602")
    lan = chat_for("603")
    await lan.onboard()
    pid = await register(lan, "Mứt gừng")
    await lan.press("sm:ok")
    assert "cho cán bộ OCOP của tỉnh" in lan.text
    await tinh.say("/duyet")
    assert f"r:{pid}" in tinh.keys


async def test_the_commune_returns_a_dossier_with_a_note_and_it_comes_back_to_it(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    xa = await _commune_officer(db, chat_for, "701", "Xã Tân Phú")
    other = await _commune_officer(db, chat_for, "704", "Xã Khác")
    lan = chat_for("703")
    await lan.onboard()
    pid = await register(lan, "Bánh phồng")
    await lan.press("sm:ok")
    await other.say("/hosoxa")
    assert not [k for k in other.keys if k[2:].isdigit()]  # another commune's officer
    await xa.say("/hosoxa")
    [key] = [k for k in xa.keys if k.startswith("c:") and k[2:].isdigit()]
    await xa.press(key)
    await xa.press("c:ret")
    await xa.say("x")
    assert "products/need_text" in xa.templates
    await xa.say("Bổ sung giấy xác nhận nguồn nguyên liệu")
    assert "commune/returned" in xa.templates
    async with db.reading() as store:
        product = await store.products.get(pid)
        assert product is not None and product.status.value == "returned"
        assert await store.communes.open_for(pid) is None
    notice = [r for r in await outbox(db) if "nguồn nguyên liệu" in r["payload"]["text"]]
    assert notice and notice[0]["user_id"] == await _user_id(db, "703")
    await lan.say("/sanpham")
    await lan.say("Bánh phồng")
    await lan.press("v:edit")
    await lan.press("sm:ok")
    assert "UBND xã Tân Phú" in lan.text  # back to the commune
    async with db.reading() as store:
        assert await store.communes.open_for(pid) is not None


def test_grant_commune_officer_from_the_command_line(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    result = CliRunner().invoke(app, ["--create", "grant", "commune-officer", "telegram:77",
                                      "--province", "vinh long", "--commune", "Xã  Cầu Kè"],
                                env={"OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"})
    assert result.exit_code == 0, result.output
    assert "cán bộ xã (Xã Cầu Kè, VL)" in result.output

    async def check() -> tuple[str, str, str] | None:
        async with open_database(db_path) as db, db.reading() as store:
            user = await store.users.find("telegram", "77")
            assert user is not None and user.role is Role.COMMUNE_OFFICER
            return await store.communes.commune_of(user.id)

    assert asyncio.run(check()) == ("VL", "Xã Cầu Kè", "cau ke")
