"""Rounds by the calendar of 26/2026/QĐ-TTg: creating a round suggests the decision's dates
and warns when the results come later than it allows; a potential 5-star product is shown the
ministry's next 5-star round."""

from __future__ import annotations

from datetime import UTC, date, datetime

from handlers.common.calendar import next_ministry_round, next_province_round
from storage import Database
from tests.chat import Chat, ChatFor, Clock
from tests.products.steps import register
from tests.rating.support import certify
from tests.rounds import support


async def test_the_next_rounds_of_the_calendar(db: Database) -> None:
    async with db.reading() as store:
        first = await next_province_round(store, date(2026, 3, 1))
        second = await next_province_round(store, date(2026, 5, 2))
        after = await next_province_round(store, date(2026, 12, 1))
        ministry = await next_ministry_round(store, date(2026, 12, 1))
    assert (first.name, first.send_by, first.ends_by) == ("I", date(2026, 4, 30),
                                                          date(2026, 6, 30))
    assert (second.name, second.send_by, second.ends_by) == ("II", date(2026, 10, 30),
                                                             date(2026, 12, 30))
    assert (after.name, after.year) == ("I", 2027)
    assert (ministry.send_by, ministry.ends_by) == (date(2027, 1, 30), date(2027, 3, 30))


async def _new_round(off: Chat, dates: list[str]) -> None:
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    await off.say("Đợt I năm 2027")
    await off.press("k:all")
    assert "Gợi ý theo Quyết định 26/2026/QĐ-TTg (Điều 5, 7): đợt I năm 2027" in off.text
    assert "trước 30/04/2027" in off.text and "kết thúc trước 30/06/2027" in off.text
    for day in dates:
        await off.say(day)
    await off.press("n:skip")
    assert off.templates == ["rounds/confirm"]


async def test_creating_a_round_suggests_the_dates_and_warns_when_late(
    db: Database, chat_for: ChatFor
) -> None:
    off = await support.officer(db, chat_for)
    await _new_round(off, ["2/12/2026", "15/3/2027", "15/4/2027", "1/6/2027", "20/6/2027"])
    assert "⚠️" not in off.text  # within the calendar
    late = await support.officer(db, chat_for, user="off2")
    await _new_round(late, ["2/12/2026", "15/3/2027", "15/4/2027", "1/7/2027", "15/7/2027"])
    off = late
    assert "phải kết thúc trước 30/06/2027" in off.text and "15/07/2027 muộn hơn" in off.text


async def test_a_corrected_calendar_rule_is_what_is_suggested(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    async with db.transaction() as store:
        await store.rules.correct("round1_forward_by", "15/04", "cli", clock(), article="Điều 5")
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    await off.say("Đợt I năm 2027")
    await off.press("k:all")
    assert "trước 15/04/2027" in off.text and "(Điều 5): đợt I" in off.text  # as corrected


async def test_a_potential_five_star_product_is_shown_the_ministry_round(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    lan = chat_for("81")
    await lan.onboard()
    pid = await register(lan, "Nước mắm Cửu Long")
    await certify(db, pid, datetime(2026, 11, 20, tzinfo=UTC), "VL-5", score=92,
                  decided=date(2026, 11, 20))
    await lan.say("/sanpham")
    await lan.say("Nước mắm Cửu Long")
    assert "tiềm năng 5 sao" in lan.text and "trước 30/01/2027" in lan.text
    assert "theo Quyết định 26/2026/QĐ-TTg (Điều 5, 7)" in lan.text
    assert "trước 30/03/2027" in lan.text
