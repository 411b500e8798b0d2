"""The vocabulary of ../shared/typed-answers.md, each answer typed into a chat at a step."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.broadcasts.when import parse_when
from handlers.common import dates
from messages.answers import number
from storage import Database
from tests.chat import Chat

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # Tuesday 01/12/2026, 10:00 in Vietnam

YES = [
    "có", "co", "ok", "oke", "okie", "ừ", "u", "uh", "ừm", "vâng", "vang", "dạ", "da",
    "dạ vâng", "đúng", "đúng rồi", "dung roi", "chuẩn", "được", "duoc", "đồng ý", "dong y",
    "xác nhận", "xac nhan", "gửi", "gui", "gửi đi", "yes", "y", "dung",
]
NO = [
    "không", "khong", "ko", "k", "kg", "hông", "hong", "hok", "chưa", "chua", "không đúng",
    "sai", "no", "n",
]
SKIP = [
    "bỏ qua", "bo qua", "bq", "qua", "để sau", "de sau", "sau", "chưa có", "chua co",
    "không có", "khong co", "ko co", "thôi", "thoi", "next", "skip",
]
CANCEL = [
    "huỷ", "hủy", "huy", "thôi không làm nữa", "quay lại", "quay lai", "trở lại", "tro lai",
    "về menu", "menu", "0", "/huy", "/menu",
]
GREETINGS = [
    "xin chào", "xin chao", "chào", "chao", "alo", "a lô", "hi", "hello", "chào bot",
    "cảm ơn", "cam on", "tks", "thanks",
]


async def _at_consent(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("l:vi")
    assert chat.templates == ["onboarding/consent"]


@pytest.mark.parametrize("typed", YES)
async def test_a_yes_answer_picks_the_yes_of_the_question(chat: Chat, typed: str) -> None:
    await _at_consent(chat)
    await chat.say(typed)
    assert chat.templates[-1] == "profile/ask_name", (typed, chat.templates)


@pytest.mark.parametrize("typed", NO)
async def test_a_no_answer_picks_the_no_of_the_question(chat: Chat, typed: str) -> None:
    await _at_consent(chat)
    await chat.say(typed)
    assert chat.templates[0] == "onboarding/no_consent", (typed, chat.templates)


@pytest.mark.parametrize("word", ["dừng", "dùng"])
async def test_words_that_fold_like_yes_are_not_yes(chat: Chat, word: str) -> None:
    await _at_consent(chat)
    await chat.say(word)
    assert "profile/ask_name" not in chat.templates


async def _at_photos(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    for typed in ("Kẹo dừa", "1", "1", "1", "Kẹo dừa thủ công", "Dừa khô", "Vườn nhà"):
        await chat.say(typed)
    assert "products/ask_photos" in chat.templates, chat.templates


@pytest.mark.parametrize("typed", SKIP)
async def test_a_skip_answer_skips_the_photos(chat: Chat, typed: str) -> None:
    await _at_photos(chat)
    await chat.say(typed)
    assert chat.templates[-1] == "products/summary", (typed, chat.templates)


@pytest.mark.parametrize("typed", CANCEL)
async def test_a_cancel_answer_leaves_a_step_that_takes_text(
    chat: Chat, db: Database, typed: str
) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    for answer in ("Kẹo dừa", "1", "1", "1"):
        await chat.say(answer)
    assert "products/ask_desc" in chat.templates
    await chat.say(typed)
    assert chat.templates[-1] == "menu/main", (typed, chat.templates)
    async with db.transaction() as store:
        user = await store.users.find("terminal", "u1")
        assert user is not None and user.producer_id is not None
        [draft] = await store.products.drafts_of(user.producer_id)
    assert draft.name == "Kẹo dừa" and draft.description is None  # kept, and not the answer


@pytest.mark.parametrize("typed", GREETINGS)
async def test_a_greeting_gets_a_warm_answer_and_the_menu(chat: Chat, typed: str) -> None:
    await chat.onboard()
    await chat.say(typed)
    assert chat.templates == ["menu/hello", "menu/main"], (typed, chat.templates)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("82", "82"), ("82 điểm", "82"), ("82 diem", "82"), ("82đ", "82"), ("72,5 điểm", "72,5"),
        ("40", "40"), ("40 chỗ", "40"), ("40 cho", "40"), ("40 người", "40"), ("40 ng", "40"),
        ("3 sao", "3"), ("3*", "3"), ("3⭐", "3"), ("40 con gà", None), ("bốn mươi", None),
    ],
)
def test_numbers_with_their_unit_words(typed: str, value: str | None) -> None:
    assert number(typed) == value


@pytest.mark.parametrize("typed", ["3 sao", "3*", "3⭐", "3 ★"])
async def test_stars_typed_with_their_unit_pick_the_choice(chat: Chat, typed: str) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    for answer in ("Mật ong rừng", "1", "mat ong khac", "nang hang"):
        await chat.say(answer)
    assert chat.templates[-1] == "products/ask_stars", chat.templates
    await chat.say(typed)
    assert chat.templates[-1] == "products/ask_cert", (typed, chat.templates)


TOMORROW, TODAY = date(2026, 12, 2), date(2026, 12, 1)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("hôm nay", TODAY), ("hom nay", TODAY), ("mai", TOMORROW), ("ngày mai", TOMORROW),
        ("ngay mai", TOMORROW), ("mốt", date(2026, 12, 3)), ("ngày kia", date(2026, 12, 3)),
        ("thứ 2 tuần sau", date(2026, 12, 7)), ("t2 tuần sau", date(2026, 12, 7)),
        ("20/12", date(2026, 12, 20)), ("20-12", date(2026, 12, 20)),
        ("20.12", date(2026, 12, 20)), ("20/11/2026", date(2026, 11, 20)),
        ("ngày 20 tháng 12", date(2026, 12, 20)), ("20 thg 12", date(2026, 12, 20)),
        ("cuối tháng", date(2026, 12, 31)),
    ],
)
def test_days_as_people_type_them(typed: str, day: date) -> None:
    found = dates.read(typed, NOW, ZONE)
    assert found is not None and found.day == day, typed


def test_a_day_without_a_year_is_the_last_one_for_dates_that_must_be_past() -> None:
    found = dates.read("20/11", NOW, ZONE, past=True)
    assert found is not None and found.day == date(2026, 11, 20)


@pytest.mark.parametrize(
    ("typed", "when"),
    [
        ("8h", (TOMORROW, time(8))), ("8 giờ", (TOMORROW, time(8))), ("8g", (TOMORROW, time(8))),
        ("8h30", (TOMORROW, time(8, 30))), ("8:30", (TOMORROW, time(8, 30))),
        ("8 giờ sáng", (TOMORROW, time(8))), ("2h chiều", (TODAY, time(14))),
        ("14h", (TODAY, time(14))), ("8h sáng mai", (TOMORROW, time(8))),
        ("sáng mai 8h", (TOMORROW, time(8))), ("chiều nay", (TODAY, time(14))),
        ("8h sang mai", (TOMORROW, time(8))), ("20/12 14h", (date(2026, 12, 20), time(14))),
    ],
)
def test_broadcast_times_as_people_type_them(typed: str, when: tuple[date, time]) -> None:
    moment = parse_when(typed, NOW, ZONE)
    assert moment is not None, typed
    assert (moment.date(), moment.time()) == when
