"""What is particular to the PostgreSQL engine: the setting, conflict retries, one bot."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import errors
from pydantic import ValidationError

import fakes.postgres
from bot.config import Settings
from bot.core import open_core
from storage import BusyPolicy, DatabaseBusy, Store, open_database
from storage.pg_database import ROOM_TO_UPDATE, PgDatabase
from tests.engines import PostgresServer, start_postgres

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def test_the_setting_chooses_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OCOP_DATABASE_URL", raising=False)
    monkeypatch.setenv("OCOP_DB_PATH", "data/x.db")
    assert Settings(_env_file=None).database == "data/x.db"  # type: ignore[call-arg]
    monkeypatch.setenv("OCOP_DATABASE_URL", "postgresql://ocop:pa55word@db:5432/ocop")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database == "postgresql://ocop:pa55word@db:5432/ocop"
    assert "pa55word" not in repr(settings)
    monkeypatch.setenv("OCOP_DATABASE_URL", "mysql://db/ocop")
    with pytest.raises(ValidationError, match="database_scheme"):  # worded by config_report
        Settings(_env_file=None)  # type: ignore[call-arg]


async def test_the_pool_size_setting_reaches_the_pool(
    pg_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCOP_DATABASE_URL", pg_server.fresh_database())
    monkeypatch.setenv("OCOP_DB_POOL_SIZE", "3")
    async with open_core(Settings(_env_file=None)) as core:  # type: ignore[call-arg]
        assert isinstance(core.db, PgDatabase) and core.db.pool_size == 3
        async with core.db.reading() as store:  # and it works
            assert await store.users.find("telegram", "1") is None


async def test_a_conflict_is_retried_whole_and_committed_once(pg_server: PostgresServer) -> None:
    attempts = 0

    async def work(store: Store) -> int:
        nonlocal attempts
        attempts += 1
        user = await store.users.seen("telegram", f"r{attempts}", "1", NOW)
        if attempts == 1:  # what the server says when another session got there first
            raise errors.SerializationFailure("could not serialize access")
        return user.id

    async with open_database(pg_server.fresh_database()) as db:
        await db.run(work)
        assert attempts == 2 and db.busy_retries == 1
        async with db.reading() as store:
            assert await store.users.find("telegram", "r1") is None  # rolled back
            assert await store.users.find("telegram", "r2") is not None


async def test_conflicts_past_the_budget_say_busy(pg_server: PostgresServer) -> None:
    async def always(store: Store) -> None:
        raise errors.DeadlockDetected("deadlock detected")

    async with open_database(pg_server.fresh_database(), BusyPolicy.within(0.2)) as db:
        with pytest.raises(DatabaseBusy):
            await db.run(always)


async def test_reading_goes_on_beside_a_write_in_progress(pg_server: PostgresServer) -> None:
    async with open_database(pg_server.fresh_database()) as db:
        writing, read = asyncio.Event(), asyncio.Event()

        async def write() -> None:
            async with db.transaction() as store:
                await store.users.seen("telegram", "w", "w", NOW)
                writing.set()
                await read.wait()  # still open while the reader reads

        task = asyncio.create_task(write())
        await writing.wait()
        async with db.reading() as store:
            assert await store.users.find("telegram", "w") is None  # not committed yet
        read.set()
        await task
        async with db.reading() as store:
            assert await store.users.find("telegram", "w") is not None


@pytest.mark.parametrize("entered", [True, False])
async def test_newcomers_entered_apart_do_not_conflict_in_their_turns(
    pg_server: PostgresServer, entered: bool
) -> None:
    async with open_database(pg_server.fresh_database()) as db:
        if entered:
            for who in ("a", "b"):
                async with db.read_committed() as store:
                    await store.turns.enter("telegram", who, who, NOW)
        started: set[str] = set()
        both = asyncio.Event()

        async def turn(who: str) -> None:
            async def work(store: Store) -> None:
                start = await store.turns.start(f"telegram:{who}", "telegram", who, who, NOW)
                started.add(who)
                if len(started) == 2:
                    both.set()
                await both.wait()  # each has read before either writes its conversation
                step = start.state.model_copy(update={"step": "products.list"})
                await store.conversations.save_state(start.user.id, step, NOW)
            await db.run(work, chat=f"telegram:{who}")

        await asyncio.gather(turn("a"), turn("b"))
        # Entered apart, each turn only updates its own rows in place. Not entered, both
        # insert into the index page both have read, and the server rolls one back.
        assert (db.busy_retries == 0) is entered



def test_without_postgres_binaries_the_half_is_skipped_saying_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fakes.postgres, "SEARCHED", ())
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL half skipped"):
        start_postgres()


async def test_tables_rewritten_every_turn_leave_room_on_their_pages(
    pg_server: PostgresServer,
) -> None:
    url = pg_server.fresh_database()
    for _ in range(2):  # set once, then found set on the next start
        async with open_database(url) as db:
            assert isinstance(db, PgDatabase)
    async with await psycopg.AsyncConnection.connect(url) as conn:
        cur = await conn.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
            (list(ROOM_TO_UPDATE),))
        options = {name: set(found) for name, found in await cur.fetchall()}
    assert options == {t: {f"fillfactor={p}"} for t, p in ROOM_TO_UPDATE.items()}
