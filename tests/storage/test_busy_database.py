"""Another program holds the database's write lock: updates wait it out, or are told to resend."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.channels.zalo import ZaloBot
from bot.channels.zalo_api import ZaloApi
from fakes.zalo import FakeZalo, text_update
from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Incoming, InputKind, Outcome
from messages import Format, Renderer
from storage import BusyPolicy, Database, open_database
from tests.chat import Clock

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
DEADLINE = 20.0  # seconds; generous for a slow machine, never slept on


class OtherWriter:
    """A second SQLite connection, in its own thread, holding `BEGIN IMMEDIATE` until released."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.holding = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE schema_version SET name = name")  # a real pending write
        self.holding.set()
        self._release.wait(60)
        conn.execute("COMMIT")
        conn.close()

    def __enter__(self) -> OtherWriter:
        self._thread.start()
        assert self.holding.wait(DEADLINE)
        return self

    def release(self) -> None:
        """Commit and let go of the write lock."""
        self._release.set()
        self._thread.join(DEADLINE)

    def __exit__(self, *exc: object) -> None:
        self.release()


async def until(predicate: Callable[[], object], what: str) -> None:
    """Poll `predicate` (yielding to the loop) until it holds or the deadline passes."""
    deadline = time.monotonic() + DEADLINE
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.01)


def text_event(user: str, text: str, serial: int) -> Incoming:
    """A typed message from `user` on the terminal channel."""
    return Incoming(
        channel="terminal", external_id=user, chat_id=user, kind=InputKind.TEXT, at=NOW,
        text=text, update_key=f"terminal:{user}:{serial}",
    )


def shown(renderer: Renderer, outcome: Outcome) -> str:
    """The replies of an outcome as plain text."""
    return "\n".join(
        renderer.render(outcome.locale, r.template, Format.PLAIN, **r.context)
        for r in outcome.replies
    )


@pytest.fixture
async def busy_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A database whose updates wait at most 1.5 s for another program's write lock."""
    policy = BusyPolicy(budget=1.5, attempt_timeout=0.2, first_pause=0.05, max_pause=0.2)
    async with open_database(tmp_path / "ocop.db", busy=policy) as database:
        yield database


def dispatcher_on(db: Database, renderer: Renderer) -> Dispatcher:
    """A dispatcher on `db` with a fixed clock."""
    return Dispatcher(db, HandlerConfig(), renderer, clock=Clock(NOW), features=FEATURES)


async def test_a_lock_released_while_retrying_is_waited_out_and_nothing_is_lost(
    tmp_path: Path, renderer: Renderer
) -> None:
    policy = BusyPolicy(budget=30.0, attempt_timeout=0.2, first_pause=0.05, max_pause=0.2)
    async with open_database(tmp_path / "ocop.db", busy=policy) as db:
        dispatcher = dispatcher_on(db, renderer)
        with OtherWriter(tmp_path / "ocop.db") as other:
            task = asyncio.create_task(dispatcher.handle(text_event("u1", "/start", 1)))
            await until(lambda: db.busy_retries >= 2, "the update to be retried")
            assert not task.done()
            other.release()
            outcome = await asyncio.wait_for(task, DEADLINE)
        assert "errors/busy" not in [r.template for r in outcome.replies]
        assert "errors/generic" not in [r.template for r in outcome.replies]
        assert any(r.choices for r in outcome.replies)  # the normal first question (language)
        async with db.transaction() as store:
            user = await store.users.find("terminal", "u1")
            assert user is not None
            assert (await store.conversations.state_of(user.id)).step != "menu.main"
            assert not await store.conversations.claim_update("terminal:u1:1", NOW)  # recorded


async def test_a_lock_held_past_the_budget_gets_the_busy_message_and_changes_nothing(
    tmp_path: Path, busy_db: Database, renderer: Renderer
) -> None:
    dispatcher = dispatcher_on(busy_db, renderer)
    first = await dispatcher.handle(text_event("u1", "/start", 1))
    async with busy_db.transaction() as store:
        user = await store.users.find("terminal", "u1")
        assert user is not None
        before = await store.conversations.state_of(user.id)

    with OtherWriter(tmp_path / "ocop.db"):
        outcome = await dispatcher.handle(text_event("u1", "/menu", 2))
        assert [r.template for r in outcome.replies] == ["errors/busy"]
        assert busy_db.busy_retries >= 2  # it did wait and retry before giving up
        assert "hệ thống đang bận" in shown(renderer, outcome).casefold()
        assert outcome.chat_id == "u1"

    async with busy_db.transaction() as store:
        assert (await store.conversations.state_of(user.id)) == before  # state unchanged
        assert await store.conversations.claim_update("terminal:u1:2", NOW)  # never recorded
    assert first.replies  # the user goes on as before once the lock is gone
    again = await dispatcher.handle(text_event("u1", "/menu", 3))
    assert "errors/busy" not in [r.template for r in again.replies]


async def test_the_busy_message_speaks_the_users_language(
    tmp_path: Path, busy_db: Database, renderer: Renderer
) -> None:
    async with busy_db.transaction() as store:
        user = await store.users.seen("terminal", "en1", "en1", NOW)
        await store.users.set_locale(user.id, "en")
    dispatcher = dispatcher_on(busy_db, renderer)
    with OtherWriter(tmp_path / "ocop.db"):
        outcome = await dispatcher.handle(text_event("en1", "/menu", 1))
    assert outcome.locale == "en"
    assert "busy" in shown(renderer, outcome).casefold()


async def test_a_retry_does_not_hold_the_connection_while_it_sleeps(
    tmp_path: Path, renderer: Renderer
) -> None:
    # The pause between attempts is longer than the test's deadline: a read that had to wait
    # for it (the connection held while sleeping) would time out.
    policy = BusyPolicy(budget=60.0, attempt_timeout=0.2, first_pause=60.0, max_pause=60.0)
    async with open_database(tmp_path / "ocop.db", busy=policy) as db:
        async with db.transaction() as store:
            await store.users.seen("terminal", "u2", "u2", NOW)
        dispatcher = dispatcher_on(db, renderer)
        with OtherWriter(tmp_path / "ocop.db") as other:
            waiting = asyncio.create_task(dispatcher.handle(text_event("u1", "/start", 1)))
            await until(lambda: db.busy_retries >= 1, "the update to be retried")
            async with db.reading() as store:  # another user's read goes through meanwhile
                assert await store.users.find("terminal", "u2") is not None
            assert not waiting.done()
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            other.release()
        async with db.transaction() as store:  # the connection is left usable
            assert await store.users.find("terminal", "u1") is None


async def test_other_users_get_their_turn_between_attempts(
    tmp_path: Path, renderer: Renderer
) -> None:
    policy = BusyPolicy(budget=30.0, attempt_timeout=0.2, first_pause=0.05, max_pause=0.2)
    async with open_database(tmp_path / "ocop.db", busy=policy) as db:
        dispatcher = dispatcher_on(db, renderer)
        with OtherWriter(tmp_path / "ocop.db") as other:
            first = asyncio.create_task(dispatcher.handle(text_event("u1", "/start", 1)))
            await until(lambda: db.busy_retries >= 1, "the first update to be retried")
            second = asyncio.create_task(dispatcher.handle(text_event("u2", "/start", 1)))
            # Both updates are waiting on the lock by turns (neither behind the other's sleep).
            await until(lambda: db.busy_retries >= 6, "both updates to be retried")
            assert not first.done() and not second.done()
            other.release()
            outcomes = await asyncio.wait_for(asyncio.gather(first, second), DEADLINE)
        for outcome in outcomes:
            assert outcome.replies and outcome.replies[0].template != "errors/busy"


async def test_zalo_user_past_the_budget_hears_the_busy_message_then_goes_on(
    tmp_path: Path, busy_db: Database, renderer: Renderer
) -> None:
    fake = FakeZalo(poll_cap=1.0)
    await fake.start()
    api = ZaloApi(fake.token, fake.base_url)
    try:
        bot = ZaloBot(dispatcher_on(busy_db, renderer), renderer, api, retry_base=0.01)
        with OtherWriter(tmp_path / "ocop.db"):
            await bot.handle_update(text_update("z-1", "bat dau"))
        assert [t.casefold() for t in fake.texts("z-1")] == [
            renderer.render("vi", "errors/busy", Format.PLAIN).casefold()
        ]
        assert "hệ thống đang bận" in fake.texts("z-1")[0].casefold()
        await bot.handle_update(text_update("z-1", "bat dau"))  # sent again: the real answer
        assert len(fake.texts("z-1")) > 1 and "bận" not in fake.texts("z-1")[-1]
    finally:
        await api.aclose()
        await fake.stop()
