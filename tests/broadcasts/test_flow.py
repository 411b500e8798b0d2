"""An officer broadcasts from chat: audience, preview, test send, confirm, progress, report."""

from __future__ import annotations

import pytest

from storage import Database
from storage.audience import AUDIENCE_FILTERS
from tests.chat import Chat, ChatFor, Clock
from tests.engines import BOTH_ENGINES
from tests.outbox.support import (
    RecordingTransport,
    VirtualTime,
    drain,
    make_officer,
    make_sender,
    policy,
    seed_producers,
)

pytestmark = BOTH_ENGINES  # these conversations run on SQLite and on PostgreSQL


@pytest.fixture
async def officer(db: Database, clock: Clock, chat_for: ChatFor) -> Chat:
    """An officer of Vĩnh Long chatting on Telegram, with producers to reach."""
    await seed_producers(db, 6, clock())  # VL, communes alternate
    await seed_producers(db, 2, clock(), province="HN", first_id=3000)
    [off] = await seed_producers(db, 1, clock(), first_id=4000)
    async with db.transaction() as store:
        await store.users.set_preferences(off, announcements_on=False)
        await store.places.place_producers()  # as every start does: "Phường 1" is no place
    await make_officer(db, clock(), "555", "VL")
    return chat_for("555")


async def outbox(db: Database) -> dict[str, int]:
    async with db.transaction() as store:
        return await store.outbox.counts()


async def compose(chat: Chat, text: str) -> None:
    await chat.say("/canbo")
    await chat.press("o:bc")
    assert chat.templates == ["broadcast/compose"]
    await chat.say(text)
    assert chat.templates == ["broadcast/audience"]


async def send_now(chat: Chat, text: str) -> None:
    """Compose an announcement for the whole province and send it at once."""
    await compose(chat, text)
    await chat.press("a:ok")
    await chat.press("c:now")
    await chat.press("c:go")


async def test_officer_targets_a_commune_previews_tests_and_sends(
    officer: Chat, db: Database, clock: Clock
) -> None:
    await compose(officer, "Họp <b>ngày</b> 5/12 & mang mẫu")
    assert "f:commune" in officer.keys
    await officer.press("f:commune")
    assert officer.keys[:3] == ["v:0", "v:1", "v:back"]  # the official unit, then the rest
    assert [c.text for c in officer.last.replies[0].choices[:2]] == [
        "Xã Tân Phú", "Chưa xác định xã"]
    async with db.reading() as store:  # "Phường 1" (no place since the reform): 3 accounts
        assert await store.audience.count("VL", [("commune", "-")]) == (3, 3)
    await officer.press("v:0")
    assert officer.templates == ["broadcast/announcement", "broadcast/confirm"]
    assert officer.last.replies[1].context["accounts"] == 3  # Phường 1 of VL, announcements on
    assert "Họp <b>ngày</b> 5/12 & mang mẫu" in officer.text  # preview: the text as written
    assert await outbox(db) == {}  # nothing is sent before the confirmation
    await officer.press("c:self")
    assert officer.templates == ["broadcast/self_sent", "broadcast/confirm"]
    await officer.press("c:now")
    assert officer.templates == ["broadcast/final"]
    assert await outbox(db) == {"pending": 1}  # only the test copy
    await officer.press("c:go")
    assert officer.templates[0] == "broadcast/queued"
    assert await outbox(db) == {"pending": 5}  # test copy, 3 recipients, progress message
    async with db.transaction() as store:
        [entry] = await store.audit.entries("broadcast")
    assert entry.actor == "telegram:555"
    assert entry.details["recipients"] == 3
    assert entry.details["text"] == "Họp <b>ngày</b> 5/12 & mang mẫu"
    assert entry.details["audience"] == [["commune", "28840", "Xã Tân Phú"]]  # by its code

    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy())
    await drain(sender, vt)
    received = [text for _, chat, text in transport.delivered if chat != "555"]
    assert len(received) == 3
    assert all("Họp &lt;b&gt;ngày&lt;/b&gt; 5/12 &amp; mang mẫu" in t for t in received)
    assert transport.per_chat()["555"] == 2  # the test copy and the progress message
    # the progress message follows the test copy (a notice to the same chat goes first): it
    # is either edited to "done" or, sent after the others, says so at once
    final = transport.edits[-1][2] if transport.edits else transport.delivered[-1][2]
    assert "đã gửi xong" in final
    async with db.transaction() as store:
        [finished] = await store.audit.entries("broadcast_finished")
        broadcast = await store.broadcasts.get(1)
    assert finished.details["delivered"] == 3
    assert broadcast is not None and broadcast.status == "done"

    await officer.say("/canbo")
    await officer.press("o:bcl")
    assert officer.templates == ["broadcast/history"]
    await officer.press("r:1")
    assert officer.templates == ["broadcast/report"]
    context = officer.last.replies[0].context
    assert (context["total"], context["delivered"], context["blocked"]) == (3, 3, 0)
    assert "x:cancel" not in officer.keys


async def test_scheduled_broadcast_can_be_cancelled_before_its_time(
    officer: Chat, db: Database, clock: Clock
) -> None:
    await compose(officer, "Tập huấn ngày mai")
    await officer.press("a:ok")
    assert officer.last.replies[1].context["accounts"] == 6
    await officer.press("c:when")
    await officer.say("hôm qua")
    assert officer.templates == ["broadcast/bad_when", "broadcast/ask_when"]
    await officer.say("08:00 02/12")  # tomorrow morning, Vietnam time
    assert officer.last.replies[1].context["not_before"] is not None
    await officer.press("c:now")
    await officer.press("c:go")
    assert officer.templates[0] == "broadcast/queued"
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    sender = make_sender(db, transport, vt, policy())
    assert await drain(sender, vt) == 0  # not before its time
    await officer.say("/canbo")
    await officer.press("o:bcl")
    await officer.press("r:1")
    assert "x:cancel" in officer.keys
    await officer.press("x:cancel")
    assert officer.templates == ["broadcast/cancelled", "broadcast/report"]
    clock.advance(days=1)
    assert await drain(sender, vt) == 0
    assert transport.delivered == []
    async with db.transaction() as store:
        report = await store.broadcasts.report(1)
        assert await store.audit.entries("broadcast_cancelled")
    assert (report.total, report.cancelled) == (6, 6)


async def test_urgent_flag_shows_in_the_preview_and_skips_the_night(
    officer: Chat, db: Database, clock: Clock
) -> None:
    clock.now = clock.now.replace(hour=16)  # 23:00 in Vietnam
    await compose(officer, "Khẩn: lũ về")
    await officer.press("a:ok")
    await officer.press("c:urg")
    assert officer.last.replies[0].context["urgent"] is True
    await officer.press("c:now")
    await officer.press("c:go")
    vt = VirtualTime(clock)
    transport = RecordingTransport(vt.monotonic)
    await drain(make_sender(db, transport, vt, policy()), vt)
    assert len([c for _, c, _ in transport.delivered if c != "555"]) == 6


async def test_producer_cannot_reach_officer_actions(
    officer: Chat, db: Database, chat_for: ChatFor,
) -> None:
    await compose(officer, "Chỉ cán bộ")
    await officer.press("a:ok")
    await officer.press("c:now")
    producer = chat_for("1000")
    await producer.say("/broadcast")
    assert producer.templates[0] == "errors/forbidden"
    await producer.say("/canbo")
    assert producer.templates[0] == "errors/forbidden"
    for key in ("o:bc", "o:bcl", "c:go", "r:1", "x:cancel"):  # officers' callback data
        for version in (producer.last.menu_version, officer.last.menu_version):
            await producer.press(key, version)
            assert producer.templates[0] in ("errors/stale_menu", "errors/forbidden"), key
    # an officer whose role is taken away mid-flow cannot confirm either
    async with db.transaction() as store:
        user = await store.users.find("telegram", "555")
        assert user is not None
        await store.users.revoke(user.id)
    await officer.press("c:go")
    assert officer.templates[0] == "errors/forbidden"
    assert await outbox(db) == {}
    async with db.transaction() as store:
        assert await store.broadcasts.recent(None) == []
        assert len(await store.audit.entries("denied")) >= 3


async def test_officers_see_only_their_province_broadcasts(
    officer: Chat, db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    await send_now(officer, "Vĩnh Long thôi")
    await make_officer(db, clock(), "777", "HN")
    other = chat_for("777")
    await other.say("/canbo")
    await other.press("o:bcl")
    assert other.last.replies[0].context["items"] == []
    await other.press("r:1")
    assert other.templates[0] == "errors/stale_menu"


async def test_producer_sees_recent_announcements_and_can_stop_them(
    officer: Chat, db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    await send_now(officer, "Hội chợ OCOP 10/12")
    producer = chat_for("1001")
    clock.advance(minutes=1)
    await producer.say("thông báo")
    assert producer.templates[0] == "announcements/recent"
    assert producer.last.replies[0].context["items"][0]["text"] == "Hội chợ OCOP 10/12"
    await producer.say("dừng")
    assert producer.templates[0] == "announcements/stopped"
    async with db.transaction() as store:
        user = await store.users.find("telegram", "1001")
        accounts, _ = await store.audience.count("VL", [])
    assert user is not None and not user.announcements_on
    assert accounts == 5
    await producer.say("/stop")
    assert producer.templates[0] == "announcements/stopped"
    clock.advance(days=1)
    await producer.say("/menu")
    assert producer.templates == ["menu/main"]


async def test_data_export_lists_the_messages_kept_for_the_user(
    officer: Chat, db: Database, chat_for: ChatFor,
) -> None:
    await send_now(officer, "Hội chợ OCOP 10/12")
    producer = chat_for("1001")
    await producer.say("/xoadulieu")
    sections = dict(producer.last.replies[0].context["sections"])
    assert sections["announcements.section"] == ["Thông báo: 1"]


async def test_words_that_only_look_like_stop_turn_nothing_off(
    officer: Chat, db: Database, chat_for: ChatFor,
) -> None:
    producer = chat_for("1001")
    for word in ("đúng", "dùng"):  # "right", "use": they fold to the same letters as "dừng"
        await producer.say(word)
        assert "announcements/stopped" not in producer.templates
    await producer.say("dung")  # typed without diacritics: đúng, dừng or dùng, so it asks
    assert producer.templates == ["errors/which_meaning"]
    await producer.press("?cmd:dung")
    assert producer.templates[0] == "announcements/stopped"
    async with db.transaction() as store:
        user = await store.users.find("telegram", "1001")
    assert user is not None and not user.announcements_on


async def test_filters_of_later_features_plug_in_product_group_and_stars(
    officer: Chat, db: Database, clock: Clock
) -> None:
    async with db.transaction() as store:
        for external, stars in (("1000", 4), ("1002", 3)):
            user = await store.users.find("telegram", external)
            assert user is not None and user.producer_id is not None
            product = await store.products.create_draft(user.producer_id, clock())
            await store.products.set_field(product, "group_code", "food", clock())
            await store.products.set_field(product, "current_stars", stars, clock())
    await compose(officer, "Chỉ cho sản phẩm 4 sao")
    assert {"f:commune", "f:group", "f:stars"} <= set(officer.keys)
    assert "f:round" not in officer.keys  # no rounds yet: nothing to pick
    await officer.press("f:stars")
    assert "4 ★" in officer.text
    await officer.press(officer.keys[[c.text for r in officer.last.replies
                                       for c in r.choices].index("4 ★")])
    assert officer.last.replies[1].context["accounts"] == 1
    await officer.press("c:flt")
    await officer.press("f:group")
    await officer.press("v:0")
    assert officer.last.replies[1].context["accounts"] == 1
    assert officer.last.replies[1].context["audience"] == ["4 ★", "Thực phẩm"]


async def test_every_registered_filter_runs_against_the_schema(db: Database, clock: Clock) -> None:
    await seed_producers(db, 2, clock())
    async with db.transaction() as store:
        for key in AUDIENCE_FILTERS:
            assert await store.audience.options(key, "VL") is not None
            assert await store.audience.count("VL", [(key, "1")]) == (0, 0)
        assert await store.audience.count(None, []) == (2, 2)


async def test_the_progress_message_is_claimed_before_an_urgent_broadcast(
    officer: Chat, db: Database, clock: Clock
) -> None:
    await compose(officer, "Khẩn")
    await officer.press("a:ok")
    await officer.press("c:urg")
    await officer.press("c:now")
    await officer.press("c:go")
    async with db.transaction() as store:
        claimed = await store.outbox.claim_due(
            "telegram", clock(), 100, urgent_only=True, daily_cap=3, day_start=clock(),
            cap_resume=clock(),
        )
    assert [row.kind for row in claimed] == ["progress", *["announcement"] * 6]


async def test_training_filter_reaches_a_linked_producer_enrolled_from_the_other_account(
    db: Database, clock: Clock
) -> None:
    """Enrolled on Zalo, notices chosen on Telegram: the producer is still in the audience."""
    from datetime import timedelta

    from storage.training_models import NewTraining

    now = clock()
    async with db.transaction() as store:
        tg = await store.users.seen("telegram", "t1", "t1", now)
        zl = await store.users.seen("zalo", "z1", "z1", now)
        producer_id = await store.users.create_producer(
            {"name": "HTX A", "entity_type": "cooperative", "contact_person": "Lan",
             "phone": "+84912345678", "province_code": "VL", "commune": "Phường 1"}, now)
        for user in (tg, zl):
            await store.users.attach_producer(user.id, producer_id)
        await store.linking.set_notify_target(producer_id, tg.id, now)
        training_id = await store.trainings.create(
            NewTraining(
                title="Tập huấn", topic_code="dossier", province_code="VL",
                starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=3),
                capacity=30, registration_deadline=now + timedelta(days=7),
            ),
            "test", now,
        )
        await store.trainings.enrol(training_id, zl.id, now)
        assert await store.audience.count("VL", [("training", str(training_id))]) == (1, 1)
        recipients = await store.audience.recipients("VL", [("training", str(training_id))])
        assert [r.user_id for r in recipients] == [tg.id]


async def test_stopping_calls_off_an_announcement_not_sent_yet(
    officer: Chat, db: Database, chat_for: ChatFor,
) -> None:
    """"dừng" typed before a queued announcement went out (night, cap, schedule): it never goes."""
    await send_now(officer, "Hội chợ OCOP 10/12")
    producer = chat_for("1001")
    await producer.say("dừng")
    async with db.transaction() as store:
        user = await store.users.find("telegram", "1001")
        assert user is not None
        report = await store.broadcasts.report(1)
        assert report.cancelled == 1 and report.waiting == report.total - 1
        async with store.outbox._db.execute(
            "SELECT status FROM outbox WHERE user_id = ?", (user.id,)
        ) as cur:
            assert [row[0] for row in await cur.fetchall()] == ["cancelled"]
