"""`/healthz` in webhook mode: a quiet channel stays healthy (a getMe probe once a minute keeps
its last successful call fresh); a channel whose API fails turns it 503."""

from __future__ import annotations

from pathlib import Path

from bot.channels.probe import probe_once
from bot.channels.telegram import TelegramChannel
from bot.core import open_core
from bot.health import Health
from bot.health_routes import STALE_AFTER
from fakes.telegram import FakeTelegram
from tests.channels.test_health import FakeClock, get
from tests.channels.test_telegram_e2e import fake, telegram_settings

__all__ = ["fake"]  # the fixture used below


async def test_a_channel_whose_api_fails_turns_healthz_503_in_webhook_mode(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    settings = telegram_settings(fake, tmp_path).model_copy(
        update={"webhook_base_url": "https://ocop.example.vn"})
    async with open_core(settings) as core:
        clock = FakeClock()
        core.health = Health(clock=clock)
        channel = TelegramChannel(core)
        await channel.start(polling=False)
        calls = {"telegram": channel.app.bot.get_me}
        failing: set[str] = set()
        try:
            for _ in range(3):  # nobody writes for six minutes; the probe runs each minute
                await probe_once(core.health, calls, failing)
                core.health.claimed("telegram")  # the sender is alive
                clock.now += STALE_AFTER / 2
            quiet = await get(core, "/healthz")
            assert quiet.status_code == 200, quiet.json()
            body = quiet.json()
            assert body["mode"] == "webhook"
            assert body["channels"]["telegram"]["webhook_age_seconds"] is None  # no update yet

            token, fake.token = fake.token, "revoked"  # the Bot API answers 401 to every call
            for _ in range(3):
                await probe_once(core.health, calls, failing)
                core.health.claimed("telegram")
                clock.now += STALE_AFTER / 2
            down = await get(core, "/healthz")
            assert down.status_code == 503
            telegram = down.json()["channels"]["telegram"]
            assert telegram["ok"] is False and telegram["error"]
            assert failing == {"telegram"}

            fake.token = token
            await probe_once(core.health, calls, failing)
            back = await get(core, "/healthz")
            assert back.status_code == 200 and "error" not in back.json()["channels"]["telegram"]
            assert failing == set()
        finally:
            await channel.stop()
