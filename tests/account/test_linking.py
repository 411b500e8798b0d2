"""Linking a Telegram and a Zalo account with a one-time code."""

from __future__ import annotations

import re

import pytest

from handlers.account.linking import MAX_FAILURES
from handlers.common.notify import notify_producer
from messages import Renderer
from storage import Database
from storage.outbox_models import OutboxMessage
from tests.chat import Chat, ChatFor, Clock
from tests.engines import BOTH_ENGINES

pytestmark = BOTH_ENGINES  # these conversations run on SQLite and on PostgreSQL


@pytest.fixture
def tg(chat_for: ChatFor) -> Chat:
    """A producer on Telegram."""
    return chat_for("t1")


@pytest.fixture
def zl(chat_for: ChatFor) -> Chat:
    """The same person on Zalo."""
    return chat_for("z1", "zalo")


async def _code(chat: Chat) -> str:
    """Open /toi → link accounts → get a code, and read the code from the reply."""
    await chat.say("/toi")
    await chat.press("f:link")
    assert chat.templates == ["linking/start"], chat.templates
    await chat.press("k:show")
    assert chat.templates == ["linking/code"]
    found = re.search(r"\b(\d{4} \d{4} \d{4})\b", chat.text)
    assert found is not None
    return found.group(1).replace(" ", "")  # shown in groups of four


async def _producer_of(db: Database, channel: str, external_id: str) -> int | None:
    async with db.transaction() as store:
        user = await store.users.find(channel, external_id)
        return user.producer_id if user else None


async def test_new_zalo_account_joins_the_telegram_profile(
    tg: Chat, zl: Chat, db: Database, renderer: Renderer, clock: Clock
) -> None:
    await tg.onboard(name="HTX Tân Phú")
    code = await _code(tg)
    await zl.say(f"/lienket {code}")
    assert zl.templates == ["linking/confirm"]
    assert "HTX Tân Phú" in zl.text
    await zl.say("1")  # "Liên kết", by number as on Zalo
    assert zl.templates[:2] == ["linking/linked", "linking/ask_notify"]
    producer = await _producer_of(db, "telegram", "t1")
    assert producer is not None and await _producer_of(db, "zalo", "z1") == producer
    await zl.press(next(k for k in zl.keys if k.startswith("n:") and k != "n:1"))
    assert zl.templates[0] == "linking/notify_saved"
    async with db.transaction() as store:
        zalo_user = await store.users.find("zalo", "z1")
        assert zalo_user is not None and zalo_user.consent_at is not None
        queued = await notify_producer(
            store, renderer, producer, "linking/cancelled", {}, kind="notice",
            dedupe_key="test:1", now=clock(),
        )
        assert queued
        assert await store.linking.notify_target(producer) == zalo_user.id
    await zl.say("/toi")  # the Zalo account now sees the shared profile
    assert zl.templates == ["profile/show"] and "HTX Tân Phú" in zl.text


async def test_owner_is_told_on_their_channel(tg: Chat, zl: Chat, db: Database) -> None:
    await tg.onboard()
    code = await _code(tg)
    await zl.say(f"/lienket {code}")
    await zl.press("k:yes")
    async with db.transaction() as store:
        owner = await store.users.find("telegram", "t1")
        assert owner is not None
        # The notice to the owner was queued under this key, so the same key is refused now.
        again = OutboxMessage(
            user_id=owner.id, channel="telegram", chat_id="t1", kind="notice",
            payload={"text": "x", "format": "html"}, dedupe_key=f"link:{code}",
            not_before=tg.clock(),
        )
        assert not await store.outbox.enqueue(again, tg.clock())


async def test_wrong_code_then_too_many(tg: Chat, zl: Chat) -> None:
    await tg.onboard()
    code = await _code(tg)
    wrong = f"{(int(code) + 1) % 10**12:012d}"
    await zl.say("/lienket")
    await zl.press("k:enter")
    await zl.say("12ab")
    assert zl.templates == ["linking/code_format", "linking/ask_code"]
    for attempt in range(1, MAX_FAILURES):
        await zl.say(wrong)
        assert zl.templates == ["linking/wrong_code", "linking/ask_code"], attempt
    await zl.say(wrong)
    assert zl.templates[0] == "linking/too_many"
    await zl.say(f"/lienket {code}")  # even the right code waits now
    assert zl.templates[0] == "linking/too_many"


async def test_expired_code_is_refused(tg: Chat, zl: Chat, clock: Clock, db: Database) -> None:
    await tg.onboard()
    code = await _code(tg)
    clock.advance(minutes=16)
    await zl.say(f"/lienket {code}")
    assert zl.templates[0] == "linking/code_expired"
    assert await _producer_of(db, "zalo", "z1") is None


async def test_code_expiring_between_question_and_answer(
    tg: Chat, zl: Chat, clock: Clock, db: Database
) -> None:
    await tg.onboard()
    code = await _code(tg)
    await zl.say(f"/lienket {code}")
    clock.advance(minutes=20)
    await zl.press("k:yes")
    assert zl.templates[0] == "linking/code_expired"
    assert await _producer_of(db, "zalo", "z1") is None


async def test_code_used_twice(
    tg: Chat, zl: Chat, chat_for: ChatFor, db: Database
) -> None:
    await tg.onboard()
    code = await _code(tg)
    await zl.say(f"/lienket {code}")
    await zl.press("k:yes")
    stranger = chat_for("z2", "zalo")
    await stranger.say(f"/lienket {code}")
    assert stranger.templates[0] == "linking/code_used"
    assert await _producer_of(db, "zalo", "z2") is None


async def test_own_code_and_already_linked(tg: Chat, zl: Chat) -> None:
    await tg.onboard()
    code = await _code(tg)
    await tg.say(f"/lienket {code}")
    assert tg.templates[0] == "linking/own_code"
    await zl.say(f"/lienket {code}")
    await zl.press("k:yes")
    second = await _code(tg)
    await zl.say(f"/lienket {second}")
    assert zl.templates[0] == "linking/already_linked"


async def test_newcomer_cannot_make_a_code_but_can_enter_one(zl: Chat) -> None:
    await zl.say("liên kết")
    assert zl.templates == ["linking/start"]
    assert "k:show" not in zl.keys and "k:enter" in zl.keys


@pytest.mark.parametrize("keep", ["k:theirs", "k:mine"])
async def test_both_have_profiles_user_picks_which_to_keep(
    tg: Chat, zl: Chat, db: Database, keep: str
) -> None:
    await tg.onboard(name="HTX Telegram")
    await zl.onboard(name="Hộ Zalo")
    tg_producer = await _producer_of(db, "telegram", "t1")
    zl_producer = await _producer_of(db, "zalo", "z1")
    assert tg_producer is not None and zl_producer is not None
    products = await _add_products(db, {tg_producer: 2, zl_producer: 1}, tg.clock)
    code = await _code(tg)
    await zl.say(f"/lienket {code}")
    assert zl.templates == ["linking/choose_profile"]
    assert "HTX Telegram" in zl.text and "Hộ Zalo" in zl.text
    await zl.press(keep)
    assert zl.templates[0] == "linking/linked"
    kept = tg_producer if keep == "k:theirs" else zl_producer
    dropped = zl_producer if keep == "k:theirs" else tg_producer
    assert await _producer_of(db, "telegram", "t1") == kept
    assert await _producer_of(db, "zalo", "z1") == kept
    async with db.transaction() as store:
        assert await store.users.producer(dropped) is None
        if products:
            assert len(await store.products.of_producer(kept)) == 3  # nothing lost


async def test_cancel_keeps_both_profiles(tg: Chat, zl: Chat, db: Database) -> None:
    await tg.onboard(name="HTX Telegram")
    await zl.onboard(name="Hộ Zalo")
    code = await _code(tg)
    await zl.say(f"/lienket {code}")
    await zl.press("k:no")
    assert zl.templates[0] == "linking/cancelled"
    assert await _producer_of(db, "telegram", "t1") != await _producer_of(db, "zalo", "z1")
    await zl.say(f"/lienket {code}")  # the code was not spent by cancelling
    assert zl.templates == ["linking/choose_profile"]


async def test_deletion_export_lists_linked_accounts(tg: Chat, zl: Chat) -> None:
    await tg.onboard()
    code = await _code(tg)
    await zl.say(f"/lienket {code}")
    await zl.press("k:yes")
    await zl.say("/xoadulieu")
    assert "Tài khoản đã liên kết" in zl.text and "t1" in zl.text


async def _add_products(db: Database, counts: dict[int, int], clock: Clock) -> bool:
    """Give producers draft products, when the products feature is present."""
    async with db.transaction() as store:
        products = getattr(store, "products", None)
        if products is None:
            return False
        for producer_id, count in counts.items():
            for _ in range(count):
                await products.create_draft(producer_id, clock())
    return True


async def test_merge_moves_every_record_that_points_at_the_profile(
    tg: Chat, zl: Chat, db: Database, clock: Clock
) -> None:
    """Products and round entries of the dropped profile follow it into the kept one."""
    from datetime import timedelta

    from storage.round_models import NewRound

    await tg.onboard(name="HTX Telegram")
    await zl.onboard(name="Hộ Zalo")
    dropped = await _producer_of(db, "zalo", "z1")
    kept = await _producer_of(db, "telegram", "t1")
    assert dropped is not None and kept is not None
    now = clock()
    async with db.transaction() as store:
        pid = await store.products.create_draft(dropped, now)
        round_id = await store.rounds.create(
            NewRound(
                name="Đợt 1/2027", province_code="VL", registration_opens_at=now,
                registration_deadline=now + timedelta(days=30),
                dossier_deadline=now + timedelta(days=40), council_at=now + timedelta(days=50),
                results_at=now + timedelta(days=60),
            ),
            "test", now,
        )
        row = await store.rounds.product(pid)
        assert row is not None
        await store.rounds.enter(round_id, row, now)
        zalo_user = await store.users.find("zalo", "z1")
        assert zalo_user is not None
        result = await store.linking.merge_producers(dropped, kept, zalo_user.id, now)
        assert result.left == 0
        assert result.moved == {"products.producer_id": 1, "round_entries.producer_id": 1,
                                "users.producer_id": 1}
        assert await store.users.producer(dropped) is None
        assert [p.id for p in await store.products.of_producer(kept)] == [pid]
        assert len(await store.rounds.entries_of_producer(kept)) == 1


async def test_linked_accounts_are_one_broadcast_recipient(
    tg: Chat, zl: Chat, db: Database
) -> None:
    await tg.onboard(name="HTX Tân Phú")
    code = await _code(tg)
    await zl.say(f"/lienket {code}")
    await zl.say("1")
    async with db.transaction() as store:
        recipients = await store.audience.recipients("VL", [])
        assert [r.channel for r in recipients] == ["telegram"]  # the older account by default
        zalo_user = await store.users.find("zalo", "z1")
        assert zalo_user is not None and zalo_user.producer_id is not None
        producer = zalo_user.producer_id
        await store.linking.set_notify_target(producer, zalo_user.id, tg.clock())
        assert [r.channel for r in await store.audience.recipients("VL", [])] == ["zalo"]
        assert await store.audience.count("VL", []) == (1, 1)


async def test_deletion_on_a_linked_account_removes_its_codes_and_messages(
    tg: Chat, zl: Chat, db: Database
) -> None:
    """/xoadulieu on one linked account: its codes and messages go, the shared profile stays."""
    await tg.onboard()
    code = await _code(tg)
    await zl.say(f"/lienket {code}")
    await zl.press("k:yes")  # tg is told of the link: a notice queued for tg
    unused = await _code(tg)
    await tg.say("/xoadulieu")
    await tg.press("d:del")
    assert "tài khoản đã liên kết còn lại" in tg.text
    await tg.press("d:yes")
    assert tg.templates == ["deletion/done", "menu/main"]
    async with db.transaction() as store:
        user = await store.users.find("telegram", "t1")
        other = await store.users.find("zalo", "z1")
        assert user is not None and other is not None and other.producer_id is not None
        assert await store.linking.code(unused) is None
        assert await store.outbox.kept_for(user.id) == {}
        assert await store.users.producer(other.producer_id) is not None


async def test_typing_the_number_of_back_at_the_code_question_goes_back(zl: Chat) -> None:
    """On Zalo the code question shows "1. Quay lại": typing 1 goes back, not "wrong format"."""
    await zl.say("/lienket")
    await zl.press("k:enter")
    await zl.say("1")
    assert zl.templates == ["menu/main"]
