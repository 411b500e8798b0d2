"""Storage on real SQLite files and a real PostgreSQL server: migrations, pragmas, repositories."""

import asyncio
import contextlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from storage import open_database
from storage.models import ConversationState, Role
from tests.engines import BOTH_ENGINES

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


@BOTH_ENGINES
async def test_migrations_apply_once_and_reopen(database_target: str) -> None:
    async with open_database(database_target) as db, db.transaction() as store:
        user = await store.users.seen("telegram", "1", "1", NOW)
    async with open_database(database_target) as db, db.transaction() as store:
        again = await store.users.find("telegram", "1")
        assert again is not None and again.id == user.id
        assert len(await store.reference.provinces()) == 34
        assert [e.code for e in await store.reference.entity_types()] == [
            "household", "coop_group", "cooperative", "enterprise"]


async def test_connection_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    async with open_database(tmp_path / "ocop.db") as db:
        conn = db._conn
        async with conn.execute("PRAGMA journal_mode") as cur:
            assert (await cur.fetchone())[0] == "wal"
        async with conn.execute("PRAGMA foreign_keys") as cur:
            assert (await cur.fetchone())[0] == 1
        async with conn.execute("SELECT version FROM schema_version ORDER BY version") as cur:
            versions = [row[0] for row in await cur.fetchall()]
        assert versions[0] == 1 and versions == sorted(set(versions))


@BOTH_ENGINES
async def test_failed_transaction_leaves_nothing(database_target: str) -> None:
    async with open_database(database_target) as db:
        try:
            async with db.transaction() as store:
                await store.users.seen("telegram", "7", "7", NOW)
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        async with db.transaction() as store:
            assert await store.users.find("telegram", "7") is None


async def test_cancelled_while_beginning_leaves_no_transaction_open(tmp_path: Path) -> None:
    # A task cancelled while its BEGIN waits (here on another process's write lock) must not
    # leave the shared connection inside a transaction that nobody will end.
    path = tmp_path / "ocop.db"
    async with open_database(path) as db:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")

        async def write() -> None:
            async with db.transaction() as store:
                await store.users.seen("telegram", "8", "8", NOW)

        task = asyncio.create_task(write())
        while not db._lock.locked():
            await asyncio.sleep(0)
        for _ in range(5):
            await asyncio.sleep(0)  # let the task reach its BEGIN
        task.cancel()
        other.execute("COMMIT")
        other.close()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        async with db.transaction() as store:
            await store.users.seen("telegram", "9", "9", NOW)
            assert await store.users.find("telegram", "8") is None
        async with db.transaction() as store:
            assert await store.users.find("telegram", "9") is not None


@BOTH_ENGINES
async def test_state_and_drafts_round_trip(database_target: str) -> None:
    async with open_database(database_target) as db, db.transaction() as store:
        user = await store.users.seen("zalo", "abc", "abc", NOW)
        state = ConversationState(step="onboarding.phone", data={"editing": True}, menu_version=3)
        await store.conversations.save_state(user.id, state, NOW)
        await store.conversations.save_draft(user.id, "onboarding", {"name": "Lan's <HTX>"}, NOW)
        loaded = await store.conversations.state_of(user.id)
        assert loaded.step == "onboarding.phone" and loaded.data == {"editing": True}
        assert await store.conversations.draft(user.id, "onboarding") == {"name": "Lan's <HTX>"}
        assert await store.conversations.claim_update("zalo:m1", NOW)
        assert not await store.conversations.claim_update("zalo:m1", NOW)


@BOTH_ENGINES
async def test_roles_and_forgetting(database_target: str) -> None:
    async with open_database(database_target) as db, db.transaction() as store:
        user = await store.users.seen("telegram", "5", "5", NOW)
        await store.users.grant(user.id, Role.OFFICER, "VL", "cli", NOW)
        officer = await store.users.get(user.id)
        assert officer is not None and officer.is_officer and officer.officer_province == "VL"
        producer_id = await store.users.create_producer(
            {"name": "A", "entity_type": "household", "contact_person": "B",
             "phone": "+84912345678", "province_code": "VL", "commune": "C"}, NOW)
        await store.users.attach_producer(user.id, producer_id)
        await store.users.forget(user.id)
        assert await store.users.producer(producer_id) is None
        assert await store.users.revoke(user.id)
        assert not await store.users.revoke(user.id)


@BOTH_ENGINES
async def test_the_admins_granted_in_the_database_are_listed(database_target: str) -> None:
    async with open_database(database_target) as db, db.transaction() as store:
        assert await store.users.admin_addresses() == []
        for channel, external, role in (("zalo", "ab", Role.ADMIN), ("telegram", "9", Role.ADMIN),
                                        ("telegram", "5", Role.OFFICER)):
            user = await store.users.seen(channel, external, external, NOW)
            await store.users.grant(user.id, role, None if role is Role.ADMIN else "VL", "cli",
                                    NOW)
        assert await store.users.admin_addresses() == ["telegram:9", "zalo:ab"]
