"""Trainings end to end through the dispatcher: officers publish, producers enrol and wait."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import icalendar
from openpyxl import load_workbook

from storage import Database
from storage.training_models import NewTraining
from tests.chat import ChatFor, Clock
from tests.rounds import support
from tests.rounds.test_flow import local


async def make_training(db: Database, clock: Clock, capacity: int = 2, **extra: object) -> int:
    """A Vĩnh Long training on 15/12/2026 08:30–11:30, registration until 12/12."""
    fields: dict[str, object] = {
        "title": "Viết câu chuyện sản phẩm", "topic_code": "story", "province_code": "VL",
        "starts_at": local(15, 12, hour=8, minute=30),
        "ends_at": local(15, 12, hour=11, minute=30),
        "place": "Hội trường xã Tân Phú", "capacity": capacity,
        "registration_deadline": local(12, 12, hour=23, minute=59),
    }
    fields.update(extra)
    async with db.transaction() as store:
        return await store.trainings.create(NewTraining.model_validate(fields), "test", clock())


async def test_officer_publishes_a_training_in_chat(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:trn")
    assert off.templates == ["trainings/officer_list"]
    await off.press("t:new")
    await off.say("Tập huấn bao bì và nhãn mác")
    await off.press("tp:packaging")
    await off.say("15/12")  # no time: asked again
    assert off.templates == ["trainings/date_unreadable", "trainings/ask_field"]
    await off.say("8h 1/11/2026")  # in the past
    assert off.templates == ["trainings/time_refused", "trainings/ask_field"]
    await off.say("8:30 sáng 15/12")
    await off.say("7h")  # ends before it starts
    assert off.templates == ["trainings/time_refused", "trainings/ask_field"]
    await off.say("11h30")
    await off.say("Hội trường UBND xã Tân Phú")
    await off.say("bốn mươi")
    assert off.templates == ["trainings/capacity_invalid", "trainings/ask_field"]
    await off.say("40")
    await off.press("a:commune")
    await off.say("Xã Tân Phú")
    await off.say("16/12")  # deadline after the start
    assert off.templates == ["trainings/time_refused", "trainings/ask_field"]
    await off.say("12/12")
    assert off.templates == ["trainings/confirm"]
    assert "08:30 15/12/2026" in off.text and "11:30 15/12/2026" in off.text
    await off.press("c:ok")
    assert off.templates == ["trainings/published", "trainings/officer_detail"]
    async with db.transaction() as store:
        [training] = await store.trainings.managed("VL", clock())
        audit = await store.audit.entries("training_published")
    assert training.starts_at == local(15, 12, hour=8, minute=30)
    assert training.audience == "commune" and training.audience_value == "Xã Tân Phú"
    assert training.registration_deadline == local(12, 12, hour=23, minute=59)
    assert audit[0].actor == "telegram:off1"


async def test_producer_enrols_gets_a_calendar_file_and_cannot_enrol_twice(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    farmer = await support.producer(chat_for)
    training_id = await make_training(db, clock)
    await farmer.say("tập huấn")
    assert farmer.templates == ["trainings/upcoming"]
    assert "Viết câu chuyện sản phẩm" in farmer.text and "2/2" in farmer.text
    await farmer.press(f"t:{training_id}")
    assert farmer.keys == ["en", "v:back"]
    enrol_version = farmer.last.menu_version
    await farmer.press("en")
    assert farmer.templates == ["trainings/enrolled", "trainings/view"]
    document = farmer.last.replies[0].document
    assert document is not None and document.filename.endswith(".ics")
    event = icalendar.Calendar.from_ical(document.content).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Ho_Chi_Minh" and (start.hour, start.minute) == (8, 30)
    assert b"BEGIN:VTIMEZONE" in document.content
    assert "en" not in farmer.keys  # enrolled: only cancel is offered
    await farmer.press("en", version=enrol_version)  # the old button again
    farmer_id = await support.user_id(db, "101")
    async with db.transaction() as store:
        training = await store.trainings.get(training_id)
        again = await store.trainings.enrol(training_id, farmer_id, clock())
    assert training is not None and training.enrolled == 1
    assert again.value == "already"
    await farmer.press("v:back")
    await farmer.press("t:mine")
    assert farmer.templates == ["trainings/mine"] and "Viết câu chuyện" in farmer.text


async def test_enrolling_after_the_deadline_is_refused(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    farmer = await support.producer(chat_for)
    training_id = await make_training(db, clock)
    await farmer.say("/taphuan")
    await farmer.press(f"t:{training_id}")
    clock.now = local(13, 12, hour=9)
    await farmer.press("en")
    assert farmer.templates == ["trainings/enrol_closed", "trainings/view"]
    assert "en" not in farmer.keys
    async with db.transaction() as store:
        training = await store.trainings.get(training_id)
    assert training is not None and training.enrolled == 0


async def test_waiting_list_and_promotion_when_a_seat_frees(
    db: Database, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    first = await support.producer(chat_for, user="101")
    second = await support.producer(chat_for, user="102", name="HTX B")
    training_id = await make_training(db, clock, capacity=1)
    for chat in (first, second):
        await chat.say("/taphuan")
        await chat.press(f"t:{training_id}")
    await first.press("en")
    assert first.templates[0] == "trainings/enrolled"
    await second.press("en")  # the button was shown before the seat went
    assert second.templates == ["trainings/enrol_full", "trainings/view"]
    assert "wl" in second.keys
    await second.press("wl")
    assert second.templates == ["trainings/enrol_waiting", "trainings/view"]
    cancel_key = next(k for k in first.keys if k.startswith("x:"))
    await first.press(cancel_key)
    assert first.templates == ["trainings/leave_confirm"]
    assert "chuyển ngay cho người đầu danh sách chờ" in first.text
    await first.press("lv:no")  # changed their mind: the seat is kept
    assert first.templates == ["trainings/view"] and cancel_key in first.keys
    async with db.transaction() as store:
        kept = await store.trainings.get(training_id)
    assert kept is not None and kept.enrolled == 1 and kept.waiting == 1
    await first.press(cancel_key)
    await first.press("lv:yes")
    assert first.templates == ["trainings/cancelled_mine", "trainings/view"]
    second_id = await support.user_id(db, "102")
    async with db.transaction() as store:
        mine = await store.trainings.enrolment_of(training_id, second_id)
    assert mine is not None and mine.status == "enrolled"
    told = support.outbox(tmp_path / "ocop.db", f"training:{training_id}:promoted")
    assert [row["user_id"] for row in told] == [second_id]


async def test_a_forged_cancel_of_someone_elses_enrolment_changes_nothing(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    victim = await support.producer(chat_for, user="101")
    forger = await support.producer(chat_for, user="102", name="HTX B")
    training_id = await make_training(db, clock)
    await victim.say("/taphuan")
    await victim.press(f"t:{training_id}")
    await victim.press("en")
    victims_key = next(k for k in victim.keys if k.startswith("x:"))
    await forger.say("/taphuan")
    await forger.press(f"t:{training_id}")
    await forger.press(victims_key)
    assert "errors/stale_menu" in forger.templates
    victim_id = await support.user_id(db, "101")
    async with db.transaction() as store:
        held = await store.trainings.enrolment_of(training_id, victim_id)
    assert held is not None and held.status == "enrolled"


async def test_two_people_racing_for_the_last_seat_exactly_one_gets_it(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    chats = [await support.producer(chat_for, user=f"2{i}", name=f"HTX {i}")
             for i in range(2)]
    training_id = await make_training(db, clock, capacity=1)
    for chat in chats:
        await chat.say("/taphuan")
        await chat.press(f"t:{training_id}")
        assert "en" in chat.keys
    await asyncio.gather(*(chat.press("en") for chat in chats))
    outcomes = sorted(chat.templates[0] for chat in chats)
    assert outcomes == ["trainings/enrol_full", "trainings/enrolled"]
    async with db.transaction() as store:
        training = await store.trainings.get(training_id)
    assert training is not None and training.enrolled == 1 and training.seats_left == 0


async def test_officer_edits_cancels_and_gets_the_attendance_file(
    db: Database, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    farmer = await support.producer(chat_for)
    training_id = await make_training(db, clock)
    await farmer.say("/taphuan")
    await farmer.press(f"t:{training_id}")
    await farmer.press("en")
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:trn")
    await off.press(f"t:{training_id}")
    await off.press("d:list")
    assert off.templates == ["trainings/attendance_file", "trainings/officer_detail"]
    assert "Dành cho: Chủ thể trong tỉnh" in off.text  # the officer sees who it is for
    document = off.last.replies[0].document
    assert document is not None and document.filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(document.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Người liên hệ", "Chủ thể", "Số điện thoại", "Xã/phường", "Tỉnh/thành")
    assert rows[1][:4] == ("Nguyễn Thị Lan", "HTX Tân Phú", "0912345678", "Xã Tân Phú")
    assert rows[1][4] not in ("", None) and len(str(rows[1][4])) > 3  # the name, not a code
    assert document.filename.startswith("danh-sach-hoc-vien-")
    await off.press("d:edit")
    await off.press("f:1")  # start
    await off.say("9h 15/12")
    assert off.templates == ["trainings/saved", "trainings/officer_detail"]
    changed = support.outbox(tmp_path / "ocop.db", f"training:{training_id}:edit")
    assert len(changed) == 1 and "09:00" in changed[0]["payload"]["text"]
    await off.press("d:cancel")
    await off.press("x:yes")
    assert off.templates == ["trainings/cancelled_done", "trainings/officer_list"]
    cancelled = support.outbox(tmp_path / "ocop.db", f"training:{training_id}:cancelled")
    assert [r["user_id"] for r in cancelled] == [await support.user_id(db, "101")]
    await farmer.say("/taphuan")
    assert f"t:{training_id}" not in farmer.keys


async def test_trainings_are_shown_only_to_their_audience(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    farmer = await support.producer(chat_for)
    mine = await make_training(db, clock, audience="commune", audience_value="xa tan phu")
    unprefixed = await make_training(db, clock, audience="commune", audience_value="Tân Phú")
    other_commune = await make_training(db, clock, audience="commune", audience_value="Xã Khác")
    hanoi = await make_training(db, clock, province_code="HN")
    everyone = await make_training(db, clock, province_code="HN", audience="all")
    group = await make_training(db, clock, audience="group", audience_value="drink")
    await farmer.say("/taphuan")
    shown = {k for k in farmer.keys if k.startswith("t:")}
    assert {f"t:{mine}", f"t:{unprefixed}", f"t:{everyone}"} <= shown
    assert not {f"t:{other_commune}", f"t:{hanoi}", f"t:{group}"} & shown
    await support.product(db, await support.producer_id(db, "101"), "Rượu", clock(),
                          group="drink")
    await farmer.say("/taphuan")
    assert f"t:{group}" in farmer.keys
    clock.advance(days=30)
    await farmer.say("/taphuan")
    assert [k for k in farmer.keys if k.startswith("t:") and k != "t:mine"] == ["t:menu"]



async def test_more_seats_move_the_waiting_list_up_and_data_export_lists_trainings(
    db: Database, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    first = await support.producer(chat_for, user="101")
    second = await support.producer(chat_for, user="102", name="HTX B")
    training_id = await make_training(db, clock, capacity=1)
    for chat, key in ((first, "en"), (second, "wl")):
        await chat.say("/taphuan")
        await chat.press(f"t:{training_id}")
        await chat.press(key)
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:trn")
    await off.press(f"t:{training_id}")
    await off.press("d:edit")
    await off.press("f:4")  # seats
    await off.say("0")
    assert off.templates == ["trainings/capacity_invalid", "trainings/ask_field"]
    await off.say("2")
    assert off.templates == ["trainings/saved", "trainings/officer_detail"]
    promoted = support.outbox(tmp_path / "ocop.db", f"training:{training_id}:promoted")
    assert [row["user_id"] for row in promoted] == [await support.user_id(db, "102")]
    await second.say("/xoadulieu")
    assert "Viết câu chuyện sản phẩm (Đã đăng ký)" in second.text


async def test_deleting_my_data_frees_my_seat_for_the_first_waiting(
    db: Database, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    first = await support.producer(chat_for, user="111")
    second = await support.producer(chat_for, user="112", name="HTX B")
    training_id = await make_training(db, clock, capacity=1)
    for chat, key in ((first, "en"), (second, "wl")):
        await chat.say("/taphuan")
        await chat.press(f"t:{training_id}")
        await chat.press(key)
    await first.say("/xoadulieu")
    await first.press("d:del")
    await first.press("d:yes")
    assert first.templates[0] == "deletion/done"
    first_id, second_id = await support.user_id(db, "111"), await support.user_id(db, "112")
    async with db.transaction() as store:
        assert await store.trainings.enrolment_of(training_id, first_id) is None
        mine = await store.trainings.enrolment_of(training_id, second_id)
        assert mine is not None and mine.status == "enrolled"
        assert [a.organisation for a in await store.trainings.attendees(training_id)] == ["HTX B"]
    told = support.outbox(tmp_path / "ocop.db", f"training:{training_id}:promoted")
    assert [row["user_id"] for row in told] == [second_id]


async def test_a_training_cancelled_by_another_officer_is_neither_edited_nor_cancelled_again(
    db: Database, chat_for: ChatFor, clock: Clock, tmp_path: Path
) -> None:
    farmer = await support.producer(chat_for)
    training_id = await make_training(db, clock)
    await farmer.say("/taphuan")
    await farmer.press(f"t:{training_id}")
    await farmer.press("en")
    first = await support.officer(db, chat_for)
    second = await support.officer(db, chat_for, user="off2")
    editor = await support.officer(db, chat_for, user="off3")
    for off in (first, second, editor):
        await off.say("/canbo")
        await off.press("o:trn")
        await off.press(f"t:{training_id}")
    await editor.press("d:edit")
    await editor.press("f:1")  # start
    await first.press("d:cancel")
    await first.press("x:yes")
    clock.advance(minutes=5)
    await second.press("d:cancel")
    assert second.templates == ["trainings/officer_list"]
    await editor.say("9h 15/12")
    assert editor.templates == ["trainings/not_found", "trainings/officer_list"]
    rows = support.outbox(tmp_path / "ocop.db", f"training:{training_id}:")
    assert [r["dedupe_key"].split(":")[2] for r in rows] == ["cancelled"]
