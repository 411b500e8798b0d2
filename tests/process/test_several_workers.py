"""Two `ocop-bot run` workers in webhook mode on one PostgreSQL database, behind one fake
Telegram that posts each update to them in turn: one is killed with SIGKILL in the middle
of conversations and of a broadcast; nothing is lost, nothing is sent twice, every chat's
replies come in order, and the other worker takes over the reminder scheduler."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import time
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import psycopg
import pytest

from fakes.telegram import FakeTelegram
from fakes.telegram_webhooks import Delivery, WebhookPoster
from storage import open_database
from storage.outbox_models import OutboxMessage
from tests.engines import PostgresServer
from tests.outbox.support import seed_producers
from tests.process import test_process
from tests.process.test_one_bot import NO_QUIET
from tests.process.test_process import WAIT, Bots
from tests.processes import free_port

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

fake = test_process.fake  # the fixtures of the onboarding process test, shared
bots = test_process.bots

SECRET = "several-workers-secret"
CHATS = [5001 + n for n in range(6)]
BEFORE, AFTER = ["xin chào", "/help", "/menu"], ["/help", "/menu", "/help"]
REPLIES = {"xin chào": "l", "/help": "h", "/menu": "m"}  # the reply, by its buttons' keys
RECIPIENTS = 100  # of the broadcast, chats 7000… (a worker claims up to 40 at a time)
LEADER_TAKEOVER = 30.0  # seconds at most


async def until(condition: Callable[[], object], what: str, deadline: float = WAIT) -> None:
    """Poll a condition until it holds, within a deadline."""
    end = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def query(url: str, sql: str) -> list[tuple[object, ...]]:
    """Rows of one query, on a separate connection."""
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchall()  # type: ignore[arg-type]


def leader_pid(url: str) -> int | None:
    """The process id of the worker holding the scheduler's lease, if any holds it now."""
    rows = query(url, "SELECT holder, expires_at FROM leases WHERE name = 'scheduler'")
    if not rows:
        return None
    holder, expires = str(rows[0][0]), str(rows[0][1])
    if expires < datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"):
        return None
    return int(holder.split(":")[1])


async def seed_recipients(url: str) -> list[int]:
    """RECIPIENTS producers (chats 7000…), before the workers start."""
    async with open_database(url) as db:
        return await seed_producers(db, RECIPIENTS, datetime.now(UTC), first_id=7000)


async def queue_broadcast(url: str, users: list[int]) -> None:
    """One notice to each recipient, queued while the workers run (rerun after a conflict
    with their transactions, as the bot's own writes are)."""
    now = datetime.now(UTC)
    rows = [OutboxMessage(
        user_id=user, channel="telegram", chat_id=str(7000 + n), kind="notice",
        payload={"text": f"tin {7000 + n}", "format": "plain"},
        dedupe_key=f"workers:{n}", not_before=now,
    ) for n, user in enumerate(users)]
    async with open_database(url) as db:
        await db.run(lambda store: store.outbox.enqueue_many(rows, now))


def retried_deliveries(poster: WebhookPoster) -> list[Delivery]:
    """The updates posted more than once (their first worker did not answer)."""
    return [d for d in poster.deliveries if len(d.attempts) > 1]


def kinds(fake: FakeTelegram, chat: int) -> list[str]:
    """What the bot sent a chat, in order: the kind of each message, by its buttons."""
    seen = []
    for call in fake.sent_to(chat):
        rows = (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
        keys = [b["callback_data"].split(":", 1)[1] for row in rows for b in row]
        seen.append(keys[0].split(":")[0] if keys else "?")
    return seen


async def test_two_workers_survive_losing_one_mid_conversation_and_mid_broadcast(
    fake: FakeTelegram, bots: Bots, pg_server: PostgresServer,
) -> None:
    url = pg_server.empty_database()
    recipients = await seed_recipients(url)
    ports = [free_port(), free_port()]
    workers: list[subprocess.Popen[bytes]] = []
    for port in ports:
        workers.append(bots.spawn(bots.env(
            **NO_QUIET, OCOP_DATABASE_URL=url, OCOP_WEBHOOK_BASE_URL="https://bot.example.vn",
            TELEGRAM_WEBHOOK_SECRET=SECRET, OCOP_WEBHOOK_PORT=str(port),
            OCOP_LEADER_LEASE="3", OCOP_OUTBOX_LEASE="5", TELEGRAM_MESSAGES_PER_SECOND="20",
        ), "run"))
    async with httpx.AsyncClient() as client:
        async def up(port: int) -> bool:
            try:
                return (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200
            except httpx.HTTPError:
                return False

        for port in ports:
            end = time.monotonic() + WAIT
            while not await up(port):
                assert all(w.poll() is None for w in workers), bots.log()
                assert time.monotonic() < end, bots.log()
                await asyncio.sleep(0.1)

    poster = WebhookPoster([f"http://127.0.0.1:{p}/telegram/webhook" for p in ports], SECRET)
    go_on = asyncio.Event()

    async def person(chat: int) -> None:
        for text in BEFORE:
            await poster.say(chat, text)
        await go_on.wait()
        for text in AFTER:
            await poster.say(chat, text)

    people = asyncio.gather(*(person(chat) for chat in CHATS))
    await queue_broadcast(url, recipients)
    broadcast = [str(7000 + n) for n in range(RECIPIENTS)]

    def sent_out() -> int:
        return sum(len(fake.sent_to(chat)) for chat in broadcast)

    await until(lambda: sent_out() >= 10 and all(
        len(fake.sent_to(chat)) == len(BEFORE) for chat in CHATS), "the first half")
    # Freeze the wire: every person's next reply, and the broadcast's next sends, wait.
    fake.drop_when_gone = True  # what a killed worker had on the wire is not delivered
    fake.hold("sendMessage")
    go_on.set()
    await until(lambda: all(str(chat) in fake.held_chats for chat in CHATS), "replies held")

    def recorded() -> bool:  # every send that went out is marked sent: none in doubt
        rows = query(url, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
        return rows[0][0] == sent_out()

    await until(recorded, "the sent rows recorded")
    leader = leader_pid(url)
    assert leader in (workers[0].pid, workers[1].pid)
    dead = 0 if workers[0].pid == leader else 1
    survivor = workers[1 - dead]
    in_hand = query(url, "SELECT COUNT(*) FROM outbox WHERE status = 'sending'"
                         f" AND claimed_by LIKE '%:{leader}:%'")[0][0]
    assert in_hand, "the killed worker was sending part of the broadcast"
    assert any(d.trying == dead for d in poster.in_flight.values()), "and answering someone"

    workers[dead].send_signal(signal.SIGKILL)
    assert workers[dead].wait(10) == -signal.SIGKILL
    killed_at = time.monotonic()
    fake.release("sendMessage")  # what the dead worker had on the wire is not delivered

    await asyncio.wait_for(people, WAIT)
    await until(lambda: leader_pid(url) == survivor.pid, "a new scheduler leader",
                LEADER_TAKEOVER)
    assert time.monotonic() - killed_at < LEADER_TAKEOVER
    await until(lambda: query(url, "SELECT status, COUNT(*) FROM outbox GROUP BY status")
                == [("sent", RECIPIENTS)], "the whole broadcast sent")
    await poster.aclose()

    # the reply the dead worker had on the wire was not delivered …
    dropped = {str(c.params["chat_id"]) for c in fake.calls("sendMessage", rejected=True)
               if c.status == 499}
    assert dropped & {str(d.chat) for d in retried_deliveries(poster)}
    # … and 0 lost, 0 duplicated, in order: each message answered once, in the order typed …
    for chat in CHATS:
        assert kinds(fake, chat) == [REPLIES[text] for text in BEFORE + AFTER], chat
    retried = retried_deliveries(poster)
    assert retried and all(d.answered_by == 1 - dead for d in retried)
    handled = {row[0] for row in query(url, "SELECT update_key FROM processed_updates")}
    assert handled == {f"telegram:{d.update_id}" for d in poster.deliveries}
    # … and the broadcast reached each recipient exactly once
    assert sorted(len(fake.sent_to(chat)) for chat in broadcast) == [1] * RECIPIENTS
    assert survivor.poll() is None
    assert "Traceback" not in (bots.tmp_path / f"bot{2 - dead}.log").read_text("utf-8")
