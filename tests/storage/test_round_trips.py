"""How often a transaction waits for the database, counted on both engines; on PostgreSQL
an upsert's answer travels with the next statement's, and its error still undoes the turn."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from psycopg import errors

from storage import Database, Store
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
