"""`webhook set` changes every channel or none; `run` warns when a webhook points elsewhere."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from typer.testing import CliRunner

from bot.channels.webhook_check import check_registered
from bot.channels.zalo_api import ZaloApi
from bot.cli.main import app
from bot.cli.webhook import WebhookSetupError, set_webhooks
from bot.config import Settings
from fakes.telegram import TOKEN, FakeTelegram
from fakes.zalo import FakeZalo

TELEGRAM_SECRET = "tg_secret-0123456789"
ZALO_SECRET = "zalo-secret-0123456789"
BASE = "https://ocop.example.gov.vn"


class RefusingZalo(FakeZalo):
    """A Zalo that answers everything but refuses to register a webhook."""

    async def _m_setWebhook(self, body: dict[str, Any]) -> web.Response:
        return web.json_response({"ok": False, "error_code": 500, "description": "down"})


@contextlib.asynccontextmanager
async def serving(zalo: FakeZalo) -> AsyncIterator[FakeZalo]:
    """A fake Zalo served while the block runs."""
    await zalo.start()
    try:
        yield zalo
    finally:
        await zalo.stop()


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    """The fake Bot API."""
    async with FakeTelegram() as server:
        yield server


def settings(telegram: FakeTelegram, zalo: FakeZalo, zalo_token: str | None = None) -> Settings:
    """Both channels in webhook mode, against the fakes."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        telegram_bot_token=TOKEN, telegram_api_base_url=telegram.base_url,
        telegram_webhook_secret=TELEGRAM_SECRET,
        zalo_bot_token=zalo_token or zalo.token, zalo_api_base_url=zalo.base_url,
        zalo_webhook_secret=ZALO_SECRET, webhook_base_url=BASE,
    )


async def test_a_refused_token_on_one_platform_changes_neither(telegram: FakeTelegram) -> None:
    async with serving(FakeZalo()) as zalo:
        with pytest.raises(WebhookSetupError):
            await set_webhooks(settings(telegram, zalo, zalo_token="1:not-the-token"))
    assert telegram.webhook == {} and telegram.calls("setWebhook") == []


async def test_a_refusal_after_the_first_platform_puts_it_back(telegram: FakeTelegram) -> None:
    telegram.webhook = {"url": "https://old.example.vn/telegram/webhook"}
    async with serving(RefusingZalo()) as zalo:
        with pytest.raises(WebhookSetupError, match="Zalo setWebhook"):
            await set_webhooks(settings(telegram, zalo))
        assert zalo.webhook == {}
    assert telegram.webhook["url"] == "https://old.example.vn/telegram/webhook"


async def test_run_warns_when_a_platform_delivers_elsewhere(
    telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    async with serving(FakeZalo()) as zalo:
        bot = Bot(TOKEN, base_url=telegram.base_url)
        api = ZaloApi(zalo.token, zalo.base_url)
        async with bot:
            with caplog.at_level(logging.WARNING):
                assert await check_registered(BASE, bot, api) is False
            assert "telegram: the registered webhook is (none)" in caplog.text
            assert "zalo: the registered webhook is (none)" in caplog.text
            await set_webhooks(settings(telegram, zalo))
            caplog.clear()
            assert await check_registered(BASE + "/", bot, api) is True
            assert "registered webhook" not in caplog.text
        await api.aclose()


def test_webhook_info_as_json(tmp_path: Path) -> None:
    server = FakeZalo()
    with server.in_thread():
        env = {"ZALO_BOT_TOKEN": server.token, "ZALO_API_BASE_URL": server.base_url,
               "OCOP_DB_PATH": str(tmp_path / "ocop.db")}
        result = CliRunner().invoke(app, ["webhook", "info", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"zalo": "chưa có webhook (đang dùng long polling)"}
