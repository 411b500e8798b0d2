"""Rating rounds end to end through the dispatcher: officers create and change, producers enter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from storage import Database
from storage.round_models import NewRound
from tests.chat import ChatFor, Clock
from tests.rounds import support

LOCAL = timedelta(hours=7)


def local(day: int, month: int, year: int = 2026, hour: int = 0, minute: int = 0) -> datetime:
    """A Vietnam wall-clock time as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC) - LOCAL


async def make_round(db: Database, clock: Clock, name: str = "Đợt II năm 2026",
                     opens: datetime | None = None, shift: timedelta = timedelta(0)) -> int:
    """A round of Vĩnh Long made through the repository."""
    new = NewRound(
        name=name, province_code="VL",
        registration_opens_at=(opens or local(2, 12)) + shift,
        registration_deadline=local(15, 12, hour=23, minute=59) + shift,
        dossier_deadline=local(31, 12, hour=23, minute=59) + shift,
        council_at=local(15, 1, 2027, 8) + shift,
        results_at=local(1, 2, 2027, 8) + shift,
    )
    async with db.transaction() as store:
        return await store.rounds.create(new, "test", clock())


async def test_officer_creates_a_round_with_checked_dates(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:rnd")
    assert off.templates == ["rounds/officer_list"]
    await off.press("r:new")
    await off.say("Đợt II năm 2026")
    await off.press("k:all")
    assert off.templates == ["rounds/ask_date"]
    await off.say("mai mốt gì đó")
    assert off.templates == ["rounds/date_unreadable", "rounds/ask_date"]
    await off.say("20/11/2026")
    assert off.templates == ["rounds/date_refused", "rounds/ask_date"]
    assert "đã qua" in off.text
    await off.say("2/12")  # opening
    await off.say("15/12/2026")  # registration deadline
    await off.say("10/12/2026")  # dossier deadline before the registration deadline
    assert off.templates == ["rounds/date_refused", "rounds/ask_date"]
    assert "15/12/2026" in off.text
    await off.say("31-12-2026")
    await off.say("15/1/2027 8h")
    await off.say("1/2/2027")
    assert off.templates == ["rounds/ask_note"]
    await off.press("n:skip")
    assert off.templates == ["rounds/confirm"]
    assert "31/12/2026" in off.text and "15/01/2027" in off.text
    await off.press("c:ok")
    assert off.templates == ["rounds/created", "rounds/officer_detail"]
    async with db.transaction() as store:
        rounds = await store.rounds.current("VL", clock())
        audit = await store.audit.entries("round_created")
    assert [r.name for r in rounds] == ["Đợt II năm 2026"]
    assert rounds[0].registration_deadline == local(15, 12, hour=23, minute=59)
    assert rounds[0].council_at == local(15, 1, 2027, 8)
    assert audit and audit[0].actor == "telegram:off1"


async def test_producers_cannot_open_officer_steps(
    db: Database, chat_for: ChatFor,
) -> None:
    farmer = await support.producer(chat_for)
    await farmer.say("/canbo")
    assert "errors/forbidden" in farmer.templates


async def test_producer_sees_deadlines_enters_and_withdraws(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    farmer = await support.producer(chat_for)
    owner = await support.producer_id(db, "101")
    honey = await support.product(db, owner, "Mật ong rừng U Minh", clock())
    await support.product(db, owner, "Kẹo dừa (nháp)", clock(), status=support.ProductStatus.DRAFT)
    accepted = await support.product(
        db, owner, "Nước mắm", clock(), status=support.ProductStatus.ACCEPTED
    )
    round_id = await make_round(db, clock)
    await farmer.say("hạn chót")
    assert farmer.templates == ["rounds/deadlines"]
    assert "Đợt II năm 2026" in farmer.text and "15/12/2026" in farmer.text
    assert f"e:{round_id}" not in farmer.keys  # registration opens tomorrow
    clock.advance(days=1)
    await farmer.say("/hanchot")
    assert "còn 13 ngày" in farmer.text  # 02/12 → 15/12
    await farmer.press(f"e:{round_id}")
    assert farmer.templates == ["rounds/ask_product"]
    assert farmer.keys == [f"p:{honey}", f"p:{accepted}", "p:back"]  # not the draft
    await farmer.press(f"p:{honey}")
    assert farmer.templates == ["rounds/entered", "rounds/deadlines"]
    assert "Mật ong rừng U Minh" in farmer.text
    async with db.transaction() as store:
        entries = await store.rounds.entries(round_id)
    assert [e.product_id for e in entries] == [honey]
    await farmer.press(f"w:{entries[0].id}")
    assert farmer.templates == ["rounds/withdraw_confirm"]
    assert "đến hết ngày 15/12/2026" in farmer.text  # can still enter it again
    await farmer.press("wd:no")
    assert farmer.templates == ["rounds/deadlines"] and f"w:{entries[0].id}" in farmer.keys
    await farmer.press(f"w:{entries[0].id}")
    await farmer.press("wd:yes")
    assert farmer.templates == ["rounds/withdrawn", "rounds/deadlines"]
    async with db.transaction() as store:
        assert await store.rounds.entries(round_id) == []


async def test_entering_after_the_deadline_is_refused_with_the_next_round(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    farmer = await support.producer(chat_for)
    owner = await support.producer_id(db, "101")
    await support.product(db, owner, "Mật ong", clock())
    clock.advance(days=1)
    first = await make_round(db, clock)
    await make_round(db, clock, name="Đợt I năm 2027", shift=timedelta(days=120))
    await farmer.say("/hanchot")
    assert f"e:{first}" in farmer.keys
    clock.now = local(16, 12, hour=9)  # the menu is still on screen the next morning
    await farmer.press(f"e:{first}")
    assert farmer.templates == ["rounds/registration_closed", "rounds/deadlines"]
    nxt = farmer.last.replies[0].context["next"]
    assert nxt["name"] == "Đợt I năm 2027"
    assert "Đợt I năm 2027" in farmer.text and "01/04/2027" in farmer.text


async def test_date_change_and_cancel_notify_producers_with_a_product_entered(
    db: Database, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    farmer = await support.producer(chat_for)
    other = await support.producer(chat_for, user="102", name="HTX Khác")
    owner = await support.producer_id(db, "101")
    honey = await support.product(db, owner, "Mật ong", clock())
    await support.product(db, await support.producer_id(db, "102"), "Bánh", clock())
    clock.advance(days=1)
    round_id = await make_round(db, clock)
    await farmer.say("/hanchot")
    await farmer.press(f"e:{round_id}")
    await farmer.press(f"p:{honey}")
    assert other.templates  # the second producer entered nothing

    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press(f"r:{round_id}")
    assert off.templates == ["rounds/officer_detail"] and "Mật ong" in off.text
    await off.press("d:edit")
    await off.press("f:2")  # dossier deadline
    await off.say("10/12/2026")  # before the registration deadline: refused
    assert off.templates == ["rounds/date_refused", "rounds/ask_date"]
    await off.say("5/1/2027")
    assert off.templates == ["rounds/date_changed", "rounds/officer_detail"]
    changed = support.outbox(tmp_path / "ocop.db", f"round:{round_id}:date")
    assert len(changed) == 1 and "05/01/2027" in changed[0]["payload"]["text"]
    assert changed[0]["user_id"] == await support.user_id(db, "101")

    await off.press("d:cancel")
    await off.press("x:yes")
    assert off.templates == ["rounds/cancelled", "rounds/officer_list"]
    cancelled = support.outbox(tmp_path / "ocop.db", f"round:{round_id}:cancelled")
    assert len(cancelled) == 1 and cancelled[0]["user_id"] == changed[0]["user_id"]
    async with db.transaction() as store:
        actions = [e.action for e in await store.audit.entries()]
    assert "round_date_changed" in actions and "round_cancelled" in actions


async def test_officers_manage_only_their_province(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    round_id = await make_round(db, clock)
    hanoi = await support.officer(db, chat_for, user="off2", province="HN")
    await hanoi.say("/canbo")
    await hanoi.press("o:rnd")
    assert f"r:{round_id}" not in hanoi.keys
    await hanoi.press(f"r:{round_id}")  # forged: never offered
    assert "errors/stale_menu" in hanoi.templates
    admin = chat_for("999")
    await admin.say("/canbo")
    await admin.press("o:rnd")
    assert f"r:{round_id}" in admin.keys


async def test_a_round_refuses_a_product_whose_application_it_does_not_take(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    farmer = await support.producer(chat_for)
    honey = await support.product(db, await support.producer_id(db, "101"), "Mật ong", clock())
    clock.advance(days=1)
    round_id = await make_round(db, clock)
    new = NewRound(name="Nâng hạng 2026", province_code="VL", kinds=("upgrade",),
                   registration_opens_at=local(1, 12, hour=12),
                   registration_deadline=local(20, 12), dossier_deadline=local(30, 12),
                   council_at=local(5, 1, 2027), results_at=local(6, 1, 2027))
    async with db.transaction() as store:
        upgrade_only = await store.rounds.create(new, "test", clock())
    await farmer.say("/hanchot")
    await farmer.press(f"e:{upgrade_only}")
    await farmer.press(f"p:{honey}")
    assert farmer.templates == ["rounds/kind_not_taken", "rounds/ask_product"]
    await farmer.press("p:back")
    await farmer.press(f"e:{round_id}")
    await farmer.press(f"p:{honey}")
    assert farmer.templates[0] == "rounds/entered"
    await farmer.press(f"e:{upgrade_only}")  # already in a round: nothing left to enter
    assert farmer.templates == ["rounds/no_product_to_enter", "rounds/deadlines"]


async def test_a_round_cancelled_by_another_officer_is_neither_changed_nor_cancelled_again(
    db: Database, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    farmer = await support.producer(chat_for)
    honey = await support.product(db, await support.producer_id(db, "101"), "Mật ong", clock())
    clock.advance(days=1)
    round_id = await make_round(db, clock)
    await farmer.say("/hanchot")
    await farmer.press(f"e:{round_id}")
    await farmer.press(f"p:{honey}")
    first = await support.officer(db, chat_for)
    second = await support.officer(db, chat_for, user="off2")
    for off in (first, second):
        await off.say("/canbo")
        await off.press("o:rnd")
        await off.press(f"r:{round_id}")
    await first.press("d:cancel")
    await first.press("x:yes")
    clock.advance(minutes=5)
    await second.press("d:cancel")  # the screen still shows the round
    assert second.templates == ["rounds/not_found", "rounds/officer_list"]
    await second.say("/canbo")
    await second.press("o:rnd")
    assert f"r:{round_id}" not in second.keys
    cancelled = support.outbox(tmp_path / "ocop.db", f"round:{round_id}:")
    assert [r["dedupe_key"].split(":")[2] for r in cancelled] == ["cancelled"]


async def test_a_date_of_a_round_cancelled_meanwhile_is_not_changed(
    db: Database, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    farmer = await support.producer(chat_for)
    honey = await support.product(db, await support.producer_id(db, "101"), "Mật ong", clock())
    clock.advance(days=1)
    round_id = await make_round(db, clock)
    await farmer.say("/hanchot")
    await farmer.press(f"e:{round_id}")
    await farmer.press(f"p:{honey}")
    first = await support.officer(db, chat_for)
    second = await support.officer(db, chat_for, user="off2")
    await second.say("/canbo")
    await second.press("o:rnd")
    await second.press(f"r:{round_id}")
    await second.press("d:edit")
    await second.press("f:2")
    await first.say("/canbo")
    await first.press("o:rnd")
    await first.press(f"r:{round_id}")
    await first.press("d:cancel")
    await first.press("x:yes")
    clock.advance(minutes=5)
    await second.say("5/1/2027")
    assert second.templates == ["rounds/not_found", "rounds/officer_list"]
    assert support.outbox(tmp_path / "ocop.db", f"round:{round_id}:date") == []
    async with db.transaction() as store:
        rnd = await store.rounds.get(round_id)
    assert rnd is not None and rnd.dossier_deadline == local(31, 12, hour=23, minute=59)


async def test_registration_can_open_today(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    off = await support.officer(db, chat_for)
    farmer = await support.producer(chat_for)
    honey = await support.product(db, await support.producer_id(db, "101"), "Mật ong", clock())
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    await off.say("Đợt II năm 2026")
    await off.press("k:all")
    await off.say("hôm nay")  # 01/12/2026: today has begun, but it is not a past day
    assert off.templates == ["rounds/ask_date"] and "Hạn đăng ký" in off.text
    for typed in ("15/12/2026", "31/12/2026", "15/1/2027 8h", "1/2/2027"):
        await off.say(typed)
    await off.press("n:skip")
    clock.advance(minutes=3)  # the dates are checked again on confirmation
    await off.press("c:ok")
    assert off.templates == ["rounds/created", "rounds/officer_detail"]
    await farmer.say("/hanchot")
    round_id = int(farmer.keys[0].removeprefix("e:"))
    await farmer.press(f"e:{round_id}")
    await farmer.press(f"p:{honey}")
    assert farmer.templates == ["rounds/entered", "rounds/deadlines"]


async def test_withdrawing_after_registration_closed_warns_it_cannot_be_undone(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    farmer = await support.producer(chat_for)
    honey = await support.product(db, await support.producer_id(db, "101"), "Mật ong", clock())
    clock.advance(days=1)
    round_id = await make_round(db, clock)
    await farmer.say("/hanchot")
    await farmer.press(f"e:{round_id}")
    await farmer.press(f"p:{honey}")
    clock.advance(days=15)  # 17/12: registration closed, dossiers until 31/12
    await farmer.say("/hanchot")
    withdraw_key = next(k for k in farmer.keys if k.startswith("w:"))
    await farmer.press(withdraw_key)
    assert farmer.templates == ["rounds/withdraw_confirm"]
    assert "không đăng ký lại" in farmer.text
    clock.advance(days=15)  # 01/01/2027: the dossier deadline passed while they thought
    await farmer.press("wd:yes")
    assert farmer.templates == ["rounds/withdraw_too_late", "rounds/deadlines"]
    async with db.transaction() as store:
        assert [e.product_id for e in await store.rounds.entries(round_id)] == [honey]


async def test_an_admin_names_the_province_of_a_new_round_or_training(
    db: Database, chat_for: ChatFor,
) -> None:
    admin = chat_for("999")
    await admin.say("/canbo")
    await admin.press("o:rnd")
    await admin.press("r:new")
    await admin.say("Tỉnh Mơ Hồ")
    assert admin.templates[-1].startswith("profile/")  # asked again, politely
    await admin.say("vinh long")
    assert admin.templates == ["rounds/ask_name"]
    await admin.say("/canbo")
    await admin.press("o:trn")
    await admin.press("t:new")
    await admin.say("Hà Nội")
    assert admin.templates == ["trainings/ask_field"] and "Tên lớp" in admin.text
