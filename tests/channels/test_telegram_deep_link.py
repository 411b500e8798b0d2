"""An invitation's deep link on the real Telegram pipeline (the fake Bot API): /start with the
printed code's payload registers the person and claims the producer."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.channels.telegram import TelegramChannel
from bot.core import Core
from fakes.telegram import FakeTelegram
from handlers.claims.importing import COLUMNS, Row, apply_plan, plan_import
from handlers.claims.invitations import prepare
from messages import Renderer
from tests.channels.test_telegram_e2e import (
    TgUser,
    assert_clean,
    channel,
    core,
    fake,
    producer_of,
    shown,
)
from tests.claims.rows import real_rows

__all__ = ["channel", "core", "fake"]


async def _invitations(core: Core) -> dict[str, str]:
    renderer = Renderer()
    config = core.settings.handler_config()
    rows = [Row(number=i + 2, cells=dict(zip(COLUMNS[:len(values) - 1], values[1:], strict=True)))
            for i, values in enumerate(real_rows())]
    async with core.db.transaction() as store:
        now = datetime.now(UTC)
        plan = await plan_import(store, renderer, config, rows, now)
        await apply_plan(store, plan, "test", now)
        items = await prepare(store, "VL", "ocop_test_bot", "test", now, config.zone)
    return {item.name: item.link.rpartition("start=")[2] for item in items}


async def test_the_start_payload_of_an_invitation_claims_after_registering(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    payloads = await _invitations(core)
    son = TgUser(fake, 801)
    await son.say(f"/start {payloads['HTX Nông nghiệp Cờ Ðỏ']}")
    assert son.keys == ["l:vi", "l:en"]
    await son.press("l:vi")
    await son.press("c:yes")
    await son.say("HTX Cờ Đỏ")
    await son.press("e:cooperative")
    for answer in ("Thạch Sơn", "0911 222 333", "Vĩnh Long", "Xã Cầu Kè"):
        await son.say(answer)
    await son.press("s:ok")
    assert any(shown("claims/claimed", count=2) in text for text in son.texts), son.texts
    producer = await producer_of(core, 801)
    assert producer is not None
    async with core.db.reading() as store:
        products = await store.products.of_producer(producer.id)
        assert len(products) == 2 and await store.existing.candidate(producer.id) is None
    assert_clean(fake)
