"""A 2 000-recipient broadcast through the fake Bot API with flood control, over real HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses

from bot.outbox.sender import Sender
from bot.outbox.telegram import TelegramTransport
from fakes.telegram import TOKEN, FakeTelegram
from messages import Renderer
from storage import Database
from storage.broadcasts import DeliveryReport
from tests.chat import ChatFor, Clock
from tests.outbox.support import make_officer, policy, seed_producers

RECIPIENTS = 2000
RATE = 400.0  # our pace; the fake allows a little more, as Telegram does (25 vs ~30)
FAKE_RATE = 480.0
BLOCKED = {str(1000 + n) for n in range(0, RECIPIENTS, 80)}  # 25 people blocked the bot


async def report_of(db: Database, broadcast_id: int) -> DeliveryReport:
    async with db.transaction() as store:
        return await store.broadcasts.report(broadcast_id)


async def wait_until_finished(db: Database, broadcast_id: int, timeout: float) -> DeliveryReport:
    """Poll the report until nothing is left to send (a condition, not a fixed sleep)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        async with db.transaction() as store:
            broadcast = await store.broadcasts.get(broadcast_id)
        if broadcast is not None and broadcast.status == "done":
            return await report_of(db, broadcast_id)
        if loop.time() > deadline:
            raise TimeoutError(f"broadcast not finished: {await report_of(db, broadcast_id)}")
        await asyncio.sleep(0.05)


async def test_two_thousand_recipients_get_it_exactly_once_within_flood_limits(
    db: Database, chat_for: ChatFor, renderer: Renderer, clock: Clock
) -> None:
    await seed_producers(db, RECIPIENTS, clock())
    await make_officer(db, clock(), "555", "VL")
    officer = chat_for("555")
    await officer.say("/canbo")
    await officer.press("o:bc")
    await officer.say("Hạn nộp hồ sơ OCOP đợt II: 20/12. Mang theo 5 mẫu sản phẩm.")
    await officer.press("a:ok")
    assert officer.last.replies[1].context["accounts"] == RECIPIENTS
    await officer.press("c:now")
    await officer.press("c:go")

    fake = FakeTelegram(per_chat_rate=1.0, global_rate=FAKE_RATE)
    with fake.running_in_thread():  # its own event loop, as a real server would be
        fake.blocked.update(BLOCKED)
        transport = TelegramTransport(TOKEN, fake.base_url)
        await transport.start()
        pacing = dataclasses.replace(policy(rate=RATE), progress_interval=0.5)
        sender = Sender(db, transport, renderer, pacing, clock=clock, idle_poll=0.05)
        sender_task = asyncio.create_task(sender.run())
        try:
            report = await wait_until_finished(db, 1, timeout=60)
            await fake.wait_for(lambda: "đã gửi xong" in str(
                (fake.calls("editMessageText") or fake.sent_to("555"))[-1].params["text"]
            ), timeout=10)
        finally:
            sender_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender_task
            await transport.stop()

        per_chat = {str(1000 + n): len(fake.sent_to(1000 + n)) for n in range(RECIPIENTS)}
        flood = [c for c in fake.rejected if c.status == 429]
        refused = [c for c in fake.rejected if c.status == 403]
    assert {chat for chat, n in per_chat.items() if n == 0} == BLOCKED
    assert all(n == 1 for chat, n in per_chat.items() if chat not in BLOCKED)
    assert len(refused) == len(BLOCKED)  # each blocked chat was tried once, then left alone
    assert len(flood) == sender.stats.retry_after  # any 429 was seen and waited out
    assert len(flood) <= RECIPIENTS // 100, f"{len(flood)} flood refusals"
    assert report == DeliveryReport(total=RECIPIENTS, delivered=RECIPIENTS - len(BLOCKED),
                                    blocked=len(BLOCKED))
    async with db.transaction() as store:
        reach, _ = await store.audience.count("VL", [])
    assert reach == RECIPIENTS - len(BLOCKED)  # blocked people are out of future broadcasts
