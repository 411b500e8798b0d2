"""A stall (Telegram answering slowly for a while) does not turn into a burst over flood limits."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses

from bot.outbox.sender import Sender
from bot.outbox.telegram import TelegramTransport
from fakes.telegram import TOKEN, FakeTelegram
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from tests.broadcasts.test_telegram import wait_until_finished
from tests.chat import Chat, Clock
from tests.outbox.support import make_officer, policy, seed_producers

RECIPIENTS = 120
RATE = 40.0
FAKE_RATE = 48.0  # a little above our pace, as Telegram's limit is above ours
STALL = 1.5  # seconds the fake keeps every sendMessage waiting


async def test_messages_held_up_by_a_slow_telegram_leave_at_the_pace_afterwards(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    await seed_producers(db, RECIPIENTS, clock())
    await make_officer(db, clock(), "555", "VL")
    officer = Chat(dispatcher, renderer, clock, channel="telegram", user="555")
    for step in ("/canbo", "o:bc", "Hạn nộp hồ sơ đợt II ngày 20/12.", "a:ok", "c:now", "c:go"):
        await (officer.press(step) if ":" in step else officer.say(step))

    fake = FakeTelegram(per_chat_rate=1.0, global_rate=FAKE_RATE)
    with fake.running_in_thread():
        fake.hold("sendMessage")
        transport = TelegramTransport(TOKEN, fake.base_url, pool_size=4)
        await transport.start()
        pacing = dataclasses.replace(policy(rate=RATE), progress_interval=0.5)
        sender = Sender(db, transport, renderer, pacing, clock=clock, idle_poll=0.05)
        sender_task = asyncio.create_task(sender.run())
        try:
            await fake.wait_for(lambda: fake.holding >= 4, timeout=10)
            # The stall itself: Telegram answers nothing for a while (time is the point here).
            loop = asyncio.get_running_loop()
            until = loop.time() + STALL
            with contextlib.suppress(TimeoutError):
                await fake.wait_for(lambda: loop.time() >= until, timeout=STALL)
            fake.release("sendMessage")
            report = await wait_until_finished(db, 1, timeout=60)
        finally:
            sender_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender_task
            await transport.stop()
        flood = [c for c in fake.rejected if c.status == 429]
    assert report.delivered == RECIPIENTS
    assert flood == [], f"{len(flood)} flood refusals after the stall"
