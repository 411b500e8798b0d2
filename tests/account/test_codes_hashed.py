"""Claim, invite and link codes are stored only as digests, and still work when typed;
codes handed out before they were hashed keep working; the 30-day sum still holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import storage.db
from handlers.account import codes
from handlers.claims import codes as claim_codes
from storage import Database, open_database
from storage.hashing import digest

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
TABLES = ("link_codes", "officer_invites", "claim_codes")


async def _producer(db: Database) -> int:
    async with db.transaction() as store:
        return await store.existing.create_producer(
            {"name": "HTX Tân Phú", "entity_type": "cooperative", "contact_person": "Lan",
             "phone": "+84912345678", "province_code": "VL", "commune": "Xã Tân Phú"},
            True, "test", NOW)


async def _stored(db: Database) -> list[str]:
    found = []
    async with db.reading() as store:
        for table in TABLES:
            async with store.outbox._db.execute(f"SELECT code FROM {table}") as cur:
                found += [str(row[0]) for row in await cur.fetchall()]
    return found


async def test_codes_are_stored_as_digests_and_work_when_typed(db: Database) -> None:
    producer = await _producer(db)
    async with db.transaction() as store:
        user = await store.users.seen("telegram", "1", "1", NOW)
        other = await store.users.seen("telegram", "2", "2", NOW)
        link, invite = codes.new_code(), codes.new_code()
        assert await store.linking.create_code(user.id, link, NOW, NOW + timedelta(minutes=15))
        assert await store.invites.create(invite, "VL", "test", NOW, NOW + timedelta(days=3))
        claim = await claim_codes.draw(store, producer, "test", NOW)
    assert claim is not None
    stored = await _stored(db)
    assert len(stored) == 3 and not {link, invite, claim} & set(stored)
    assert sorted(stored) == sorted(digest(code) for code in (link, invite, claim))
    async with db.transaction() as store:
        found = await store.linking.code(link)
        assert found is not None and found.code == link and found.user_id == user.id
        assert await store.linking.use_code(link, other.id, NOW)
        invited = await store.invites.get(invite)
        assert invited is not None and invited.code == invite
        assert await store.invites.spend(invite, other.id, NOW)
        assert not await store.existing.use_code(digest(claim), producer, other.id, NOW)
        assert await store.existing.use_code(claim, producer, other.id, NOW)


async def test_codes_handed_out_before_hashing_still_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ocop.db"
    every = storage.db.migrations
    monkeypatch.setattr(storage.db, "migrations",
                        lambda: [m for m in every() if m.version < 20])
    async with open_database(path) as old:  # the database as it was, codes in clear
        producer = await _producer(old)
        async with old.transaction() as store:
            user = await store.users.seen("telegram", "1", "1", NOW)
            conn = store.outbox._db
            later = (NOW + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
            made = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")
            await conn.execute("INSERT INTO claim_codes (code, producer_id, created_by,"
                               " created_at, expires_at) VALUES ('482109375512', ?, 'cli', ?, ?)",
                               (producer, made, later))
            await conn.execute("INSERT INTO officer_invites (code, province_code, created_by,"
                               " created_at, expires_at) VALUES ('111122223333', 'VL', 'x', ?, ?)",
                               (made, later))
    monkeypatch.setattr(storage.db, "migrations", every)
    async with open_database(path) as db:  # upgraded: hashed in place
        assert "482109375512" not in await _stored(db)
        async with db.transaction() as store:
            assert await store.invites.get("111122223333") is not None
            assert await store.existing.use_code("482109375512", producer, user.id, NOW)


def test_twelve_digits_are_enough_for_a_claim_code_living_thirty_days() -> None:
    # A typed claim code is checked against the codes of the one producer picked, and every
    # wrong code counts against the bot-wide ceiling: in 30 days at most 30 × 720 = 21,600
    # guesses. Even with 10 codes alive for one producer, the chance is about 2 in 10 million.
    hours = claim_codes.CODE_TTL.total_seconds() / 3600
    guesses = codes.BOT_MAX_FAILURES * hours
    assert guesses == 21_600
    odds = guesses * 10 / len(codes.ALPHABET) ** codes.CODE_DIGITS
    assert odds < 1e-6
