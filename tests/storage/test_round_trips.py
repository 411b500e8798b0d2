"""How often a transaction waits for the database, counted on both engines; on PostgreSQL
an upsert's answer travels with the next statement's, and its error still undoes the turn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from psycopg import errors

from storage import Database, Store
from storage.models import ConversationState
from tests.engines import BOTH_ENGINES

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)

pytestmark = BOTH_ENGINES


async def _turn(store: Store) -> int:
    """What every update does: the account seen, the update claimed, the state read and saved."""
    user = await store.users.seen("telegram", "42", "42", NOW)
    assert await store.conversations.claim_update("telegram:1", NOW)
    state = await store.conversations.state_of(user.id)
    await store.conversations.save_state(user.id, state, NOW)
    return user.id


async def test_a_turn_waits_for_the_server_four_times_on_postgresql(db: Database) -> None:
    before = (db.transactions, db.statements, db.round_trips)
    user_id = await db.run(_turn)
    used = [after - b for after, b in zip(
        (db.transactions, db.statements, db.round_trips), before, strict=True)]
    # upsert + select the account, claim, read, save: 5 statements in one transaction
    assert used[:2] == [1, 5]
    # SQLite: one hop to its thread (BEGIN). PostgreSQL: BEGIN and the account's upsert go
    # with its SELECT, then the claim, the state, and the save with the COMMIT.
    assert used[2] == (1 if db.engine == "sqlite" else 4)
    async with db.reading() as store:
        assert (await store.conversations.state_of(user_id)).step is not None
        assert await store.conversations.was_handled("telegram:1")


async def test_an_upsert_that_fails_undoes_the_whole_turn(db: Database) -> None:
    async def broken(store: Store) -> None:
        user_id = await _turn(store)
        await store.users.set_locale(user_id, "en")
        await store.conversations.save_state(-1, await store.conversations.state_of(user_id),
                                             NOW)  # no such user: refused, told after
    with pytest.raises(Exception) as raised:
        await db.run(broken)
    if db.engine == "postgresql":
        assert isinstance(raised.value, errors.ForeignKeyViolation)
    async with db.reading() as store:
        assert await store.users.find("telegram", "42") is None
        assert not await store.conversations.was_handled("telegram:1")


async def test_a_turn_starts_in_one_round_trip_and_ends_in_another(db: Database) -> None:
    async with db.read_committed() as store:  # the account's first contact, written apart
        await store.turns.enter("telegram", "42", "42", NOW)

    async def turn(store: Store) -> None:
        start = await store.turns.start("telegram:7", "telegram", "42", "42", NOW)
        assert start.first_delivery and start.state.step == "menu.main"
        await store.conversations.save_state(start.user.id, start.state, NOW)
    before = db.round_trips
    await db.run(turn)
    # the claim and the account with its conversation sent together; the save with COMMIT
    assert db.round_trips - before == (1 if db.engine == "sqlite" else 2)

    async def again(store: Store) -> bool:
        return (await store.turns.start("telegram:7", "telegram", "42", "42", NOW)).first_delivery
    assert not await db.run(again)  # the same update delivered twice is recognised


async def test_a_turn_writes_the_account_only_when_something_changed(db: Database) -> None:
    async def turn(when: datetime, chat: str = "42") -> None:
        async def work(store: Store) -> None:
            start = await store.turns.start(None, "telegram", "42", chat, when)
            assert start.user.chat_id == chat and start.user.active
        await db.run(work)

    async def last_seen() -> tuple[int, str, bool, str]:
        async with db.reading() as store:
            cur = await store.users._db.execute(
                "SELECT id, chat_id, active, last_seen_at FROM users"
                " WHERE channel = 'telegram' AND external_id = '42'")
            (row,) = await cur.fetchall()
        return row[0], row[1], bool(row[2]), row[3]

    await turn(NOW)  # a first contact not entered apart: the turn makes the account
    user_id, *_ = await last_seen()
    async with db.transaction() as store:
        await store.users.mark_unreachable(user_id)
    kept = []
    for when, chat in ((NOW + timedelta(minutes=5), "42"),  # unreachable: written again
                       (NOW + timedelta(minutes=10), "43"),  # a new chat: written
                       (NOW + timedelta(minutes=20), "43"),  # nothing new within the hour
                       (NOW + timedelta(hours=2), "43")):  # an hour on: the contact is kept
        await turn(when, chat)
        kept.append((await last_seen())[1:])
    minutes = ["2026-12-01T03:05:00Z", "2026-12-01T03:10:00Z", "2026-12-01T03:10:00Z",
               "2026-12-01T05:00:00Z"]
    assert kept == [("42", True, minutes[0]), ("43", True, minutes[1]),
                    ("43", True, minutes[2]), ("43", True, minutes[3])]


async def test_a_first_contact_is_written_without_reading_and_kept_once(db: Database) -> None:
    for _ in range(2):
        async with db.read_committed() as store:
            await store.turns.enter("zalo", "abc", "abc", NOW)
    async with db.reading() as store:
        user = await store.users.find("zalo", "abc")
        assert user is not None
        assert (await store.conversations.state_of(user.id)).step == "menu.main"


async def test_a_queued_statement_that_fails_undoes_the_turn(db: Database) -> None:
    async def broken(store: Store) -> None:
        await store.turns.start("telegram:8", "telegram", "43", "43", NOW)
        await store.turns.start("telegram:9", "telegram", "43", "43", NOW)
        await store.conversations.save_state(-1, ConversationState(), NOW)  # no such user
        await store.turns.start("telegram:10", "telegram", "43", "43", NOW)  # told here
    with pytest.raises(Exception):  # noqa: B017 - each engine names it its own way
        await db.run(broken)
    async with db.reading() as store:
        assert await store.users.find("telegram", "43") is None
        assert not await store.conversations.was_handled("telegram:8")
