"""Several workers on one PostgreSQL database: one person's updates wait for each other
across workers (a transaction-scoped advisory lock), and an update delivered to two
workers is recorded once."""

from __future__ import annotations

import asyncio
from datetime import datetime

import psycopg
import pytest

from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Incoming, InputKind
from messages import Renderer
from storage import Store
from storage.pg_database import chat_key
from tests.chat import Clock
from tests.engines import PostgresServer
from tests.workers.support import advisory_locks, two_workers

CHAT_LOCKS = 0x0C0B
WAIT = 10.0


def said(user: str, text: str, at: datetime, update: int | None = None) -> Incoming:
    """A Telegram message from `user`."""
    return Incoming(channel="telegram", external_id=user, chat_id=user, kind=InputKind.TEXT,
                    at=at, text=text, update_key=f"telegram:{update}" if update else None)


async def until(condition: object, deadline: float = WAIT) -> None:
    """Poll a condition (a callable) until it holds, within a deadline."""
    async with asyncio.timeout(deadline):
        while not condition():  # type: ignore[operator]
            await asyncio.sleep(0.02)


async def test_a_persons_update_waits_for_the_other_workers_transaction(
    pg_server: PostgresServer, clock: Clock, config: HandlerConfig, renderer: Renderer,
) -> None:
    url = pg_server.fresh_database()
    async with two_workers(url) as (first, second):
        other = Dispatcher(second, config, renderer, clock=clock, features=FEATURES)
        holding, release = asyncio.Event(), asyncio.Event()

        async def slow_turn(store: Store) -> None:  # worker 1 is in the middle of 42's turn
            user = await store.users.seen("telegram", "42", "42", clock())
            await store.users.set_locale(user.id, "en")
            holding.set()
            await release.wait()

        slow = asyncio.create_task(first.run(slow_turn, chat="telegram:42"))
        await holding.wait()
        waiting = asyncio.create_task(other.handle(said("42", "xin chào", clock())))
        await until(lambda: advisory_locks(url, CHAT_LOCKS) == [False, True])
        # someone else's update on worker 2 goes ahead meanwhile
        elsewhere = await other.handle(said("77", "xin chào", clock()))
        assert elsewhere.replies and not waiting.done()
        release.set()
        await slow
        outcome = await asyncio.wait_for(waiting, WAIT)
        assert outcome.locale == "en"  # it ran after worker 1's turn, and saw it
        # transaction-scoped: nothing is left held although the pooled connections stay open
        assert advisory_locks(url, CHAT_LOCKS) == []


def test_the_lock_of_a_chat_is_the_same_in_every_worker() -> None:
    assert chat_key("telegram:42") == chat_key("telegram:42")
    assert chat_key("telegram:42") != chat_key("zalo:42")
    assert -(2 ** 31) <= chat_key("telegram:42") < 2 ** 31


async def test_an_update_delivered_to_two_workers_is_recorded_once(
    pg_server: PostgresServer, clock: Clock, config: HandlerConfig, renderer: Renderer,
) -> None:
    url = pg_server.fresh_database()
    async with two_workers(url) as (first, second):
        workers = [Dispatcher(db, config, renderer, clock=clock, features=FEATURES)
                   for db in (first, second)]
        update = said("42", "xin chào", clock(), update=5001)
        outcomes = await asyncio.gather(*(w.handle(update) for w in workers))
        assert all(o.replies for o in outcomes)  # each delivery is answered …
        async with first.reading() as store:  # … but the update is recorded once
            assert await store.conversations.was_handled("telegram:5001")
        for worker in workers:
            assert await worker.already_handled("telegram:5001")
        # the later one was recognised and asked the same question again (its reply may
        # have been lost with the worker that died before answering the webhook)
        assert [r.template for r in outcomes[0].replies] == \
            [r.template for r in outcomes[1].replies]
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT COUNT(*) FROM processed_updates"
                                " WHERE update_key = 'telegram:5001'").fetchone() == (1,)


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
async def test_two_people_on_two_workers_do_not_wait_for_each_other(
    pg_server: PostgresServer, clock: Clock, config: HandlerConfig, renderer: Renderer,
    channel: str,
) -> None:
    url = pg_server.fresh_database()
    async with two_workers(url) as (first, second):
        holding, release = asyncio.Event(), asyncio.Event()

        async def held(store: Store) -> None:
            holding.set()
            await release.wait()

        slow = asyncio.create_task(first.run(held, chat=f"{channel}:1"))
        await holding.wait()
        worker = Dispatcher(second, config, renderer, clock=clock, features=FEATURES)
        event = said("2", "xin chào", clock()).model_copy(update={"channel": channel})
        assert (await asyncio.wait_for(worker.handle(event), WAIT)).replies
        release.set()
        await slow
