"""The webhook app over real HTTP: secrets, malformed bodies, re-deliveries, both channels."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.channels.webhook import TELEGRAM_HEADER, ZALO_HEADER, build_app, serving
from bot.channels.zalo import ZaloBot
from bot.channels.zalo_api import ZaloApi
from bot.cli.webhook import WebhookSetupError, delete_webhooks, set_webhooks, webhook_info
from bot.config import Settings
from fakes.zalo import FakeZalo, text_update
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database

ZALO_SECRET = "zalo-secret-0123456789"
TELEGRAM_SECRET = "tg_secret-0123456789"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def fake() -> AsyncIterator[FakeZalo]:
    """The fake Zalo Bot API."""
    server = FakeZalo()
    await server.start()
    yield server
    await server.stop()


class Received:
    """Telegram updates the app handed on (the Telegram adapter's entry point stands here)."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []

    async def __call__(self, update: dict[str, Any]) -> None:
        self.updates.append(update)


@pytest.fixture
async def telegram() -> Received:
    """Where Telegram updates end up."""
    return Received()


@pytest.fixture
async def client(
    fake: FakeZalo, dispatcher: Dispatcher, renderer: Renderer, telegram: Received
) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client on the webhook app, served by uvicorn on an OS-picked port."""
    api = ZaloApi(fake.token, fake.base_url)
    zalo = ZaloBot(dispatcher, renderer, api)
    app = build_app(
        telegram=telegram,
        telegram_secret=TELEGRAM_SECRET,
        zalo=zalo.handle_update,
        zalo_secret=ZALO_SECRET,
    )
    async with serving(app, "127.0.0.1", 0) as port, httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}"
    ) as http:
        yield http
    await api.aclose()


async def _users(db: Database) -> int:
    async with db.transaction() as store:
        return 1 if await store.users.find("zalo", "u-1") else 0


async def test_healthz_names_the_channels(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"ok": True, "channels": ["telegram", "zalo"]}


@pytest.mark.parametrize("wrapped", [False, True])
async def test_zalo_update_with_good_secret_is_answered(
    client: httpx.AsyncClient, fake: FakeZalo, wrapped: bool
) -> None:
    update = text_update("u-1", "/start")
    body = {"ok": True, "result": update} if wrapped else update
    response = await client.post("/zalo/webhook", json=body, headers={ZALO_HEADER: ZALO_SECRET})
    assert response.status_code == 200
    assert "1. Tiếng Việt" in fake.texts("u-1")[0]


@pytest.mark.parametrize("headers", [{ZALO_HEADER: "wrong-secret-123"}, {}, {ZALO_HEADER: ""}])
async def test_zalo_wrong_or_missing_secret_is_refused_and_nothing_happens(
    client: httpx.AsyncClient, fake: FakeZalo, db: Database, headers: dict[str, str]
) -> None:
    response = await client.post(
        "/zalo/webhook", json=text_update("u-1", "/start"), headers=headers
    )
    assert response.status_code == 403
    assert fake.calls() == []
    assert await _users(db) == 0


async def test_the_telegram_secret_does_not_open_the_zalo_door(
    client: httpx.AsyncClient, fake: FakeZalo
) -> None:
    response = await client.post(
        "/zalo/webhook", json=text_update("u-1", "hi"), headers={ZALO_HEADER: TELEGRAM_SECRET}
    )
    assert response.status_code == 403 and fake.calls() == []


@pytest.mark.parametrize(
    "content",
    [b"not json", b'{"ok": true, "result": 5}', b"[1, 2]", b'{"event_name": 3}', b"\xff\xfe"],
)
async def test_zalo_malformed_body_is_400_and_logged_without_secret(
    client: httpx.AsyncClient,
    fake: FakeZalo,
    caplog: pytest.LogCaptureFixture,
    content: bytes,
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = await client.post(
            "/zalo/webhook",
            content=content,
            headers={ZALO_HEADER: ZALO_SECRET, "content-type": "application/json"},
        )
    assert response.status_code == 400
    assert fake.calls("sendMessage") == []
    assert "not an update" in caplog.text
    assert ZALO_SECRET not in caplog.text


async def test_zalo_same_update_twice_is_processed_once(
    client: httpx.AsyncClient, fake: FakeZalo
) -> None:
    update = text_update("u-1", "/start")
    headers = {ZALO_HEADER: ZALO_SECRET}
    first = await client.post("/zalo/webhook", json=update, headers=headers)
    wrapped = {"ok": True, "result": update}
    second = await client.post("/zalo/webhook", json=wrapped, headers=headers)
    assert first.status_code == second.status_code == 200
    assert len(fake.texts("u-1")) == 1


async def test_telegram_secret_checked_and_update_handed_on(
    client: httpx.AsyncClient, telegram: Received
) -> None:
    update = {"update_id": 10, "message": {"message_id": 1, "text": "/start"}}
    good = await client.post(
        "/telegram/webhook", json=update, headers={TELEGRAM_HEADER: TELEGRAM_SECRET}
    )
    wrong = await client.post(
        "/telegram/webhook", json=update, headers={TELEGRAM_HEADER: ZALO_SECRET}
    )
    missing = await client.post("/telegram/webhook", json=update)
    malformed = await client.post(
        "/telegram/webhook", json={"update": 1}, headers={TELEGRAM_HEADER: TELEGRAM_SECRET}
    )
    assert (good.status_code, wrong.status_code, missing.status_code) == (200, 403, 403)
    assert malformed.status_code == 400
    assert telegram.updates == [update]


def test_webhooks_need_secrets(telegram: Received) -> None:
    with pytest.raises(ValueError):
        build_app(telegram=telegram, telegram_secret="")
    with pytest.raises(ValueError):
        build_app(zalo=telegram, zalo_secret=None)


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run `ocop-bot webhook …` as a real process, in an empty folder (no `.env`)."""
    prefixes = ("TELEGRAM_", "ZALO_", "OCOP_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    return subprocess.run(
        [sys.executable, "-c", "from bot.cli.main import main; main()", "webhook", *args],
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        cwd=env["OCOP_DB_PATH"].rsplit("/", 1)[0],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow  # a real process
def test_cli_sets_and_deletes_the_zalo_webhook(tmp_path: Path) -> None:
    server = FakeZalo()
    with server.in_thread():
        env = {
            "ZALO_BOT_TOKEN": server.token,
            "ZALO_API_BASE_URL": server.base_url,
            "OCOP_WEBHOOK_BASE_URL": "https://bot.example.vn/",
            "ZALO_WEBHOOK_SECRET": ZALO_SECRET,
            "OCOP_DB_PATH": str(tmp_path / "ocop.db"),
        }
        done = _cli(env, "set")
        assert done.returncode == 0, done.stderr
        assert server.webhook == {
            "url": "https://bot.example.vn/zalo/webhook",
            "secret_token": ZALO_SECRET,
        }
        assert "zalo: https://bot.example.vn/zalo/webhook" in done.stdout
        assert ZALO_SECRET not in done.stdout + done.stderr
        assert _cli(env, "delete").returncode == 0
        assert server.webhook == {}


async def test_webhook_settings_are_checked_before_any_call(fake: FakeZalo) -> None:
    good = Settings(
        _env_file=None,  # type: ignore[call-arg]
        zalo_bot_token=fake.token,
        zalo_api_base_url=fake.base_url,
        webhook_base_url="https://bot.example.vn",
        zalo_webhook_secret=ZALO_SECRET,
    )
    assert await set_webhooks(good) == ["zalo: https://bot.example.vn/zalo/webhook"]
    assert await webhook_info(good) == ["zalo: https://bot.example.vn/zalo/webhook"]
    assert await delete_webhooks(good) == ["zalo"]
    calls = len(fake.calls())
    for wrong in (
        {"zalo_webhook_secret": SecretStr("short")},
        {"webhook_base_url": "http://bot.example.vn"},
        {"webhook_base_url": None},
        {"zalo_bot_token": None},
    ):
        with pytest.raises(WebhookSetupError):
            await set_webhooks(good.model_copy(update=wrong))
    assert len(fake.calls()) == calls


async def test_telegram_webhook_feeds_the_real_application(tmp_path: Path) -> None:
    """The real PTB Application behind /telegram/webhook: answered once, even if re-sent."""
    from bot.channels.telegram import TelegramChannel
    from bot.core import open_core
    from fakes.telegram import TOKEN, FakeTelegram

    async with FakeTelegram() as telegram:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            db_path=tmp_path / "ocop.db",
            telegram_bot_token=TOKEN,
            telegram_api_base_url=telegram.base_url,
        )
        async with open_core(settings) as core:
            channel = TelegramChannel(core)
            await channel.start(polling=False)
            app = build_app(telegram=channel.process_update, telegram_secret=TELEGRAM_SECRET)
            update = {
                "update_id": 4242,
                "message": {
                    "message_id": 7, "date": 1764300000, "text": "/start",
                    "chat": {"id": 801, "type": "private", "first_name": "Lan"},
                    "from": {"id": 801, "is_bot": False, "first_name": "Lan",
                             "language_code": "vi"},
                },
            }
            headers = {TELEGRAM_HEADER: TELEGRAM_SECRET}
            try:
                async with serving(app, "127.0.0.1", 0) as port, httpx.AsyncClient(
                    base_url=f"http://127.0.0.1:{port}"
                ) as http:
                    first = await http.post("/telegram/webhook", json=update, headers=headers)
                    again = await http.post("/telegram/webhook", json=update, headers=headers)
                    refused = await http.post("/telegram/webhook", json=update)
            finally:
                await channel.stop()
        assert (first.status_code, again.status_code, refused.status_code) == (200, 200, 403)
        sent = telegram.sent_to(801)
        assert len(sent) == 1 and sent[0].ok
        assert telegram.calls("getUpdates") == []  # webhook mode does not poll


async def test_webhook_set_registers_both_platforms(fake: FakeZalo) -> None:
    from fakes.telegram import TOKEN, FakeTelegram

    async with FakeTelegram() as telegram:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=TOKEN,
            telegram_api_base_url=telegram.base_url,
            telegram_webhook_secret=TELEGRAM_SECRET,
            zalo_bot_token=fake.token,
            zalo_api_base_url=fake.base_url,
            zalo_webhook_secret=ZALO_SECRET,
            webhook_base_url="https://ocop.example.gov.vn/bot/",
        )
        assert await set_webhooks(settings) == [
            "telegram: https://ocop.example.gov.vn/bot/telegram/webhook",
            "zalo: https://ocop.example.gov.vn/bot/zalo/webhook",
        ]
        assert telegram.webhook == {
            "url": "https://ocop.example.gov.vn/bot/telegram/webhook",
            "secret_token": TELEGRAM_SECRET,
        }
        assert fake.webhook["url"] == "https://ocop.example.gov.vn/bot/zalo/webhook"
        with pytest.raises(WebhookSetupError):  # Telegram allows only A-Z a-z 0-9 _ -
            await set_webhooks(
                settings.model_copy(update={"telegram_webhook_secret": SecretStr("a b!")})
            )
        assert await delete_webhooks(settings) == ["telegram", "zalo"]
        assert telegram.webhook == {} and fake.webhook == {}
        assert telegram.rejected == []


async def test_oversized_body_is_refused_unread(client: httpx.AsyncClient, fake: FakeZalo) -> None:
    body = b'{"event_name": "message.text.received", "pad": "' + b"x" * 1_100_000 + b'"}'
    response = await client.post(
        "/zalo/webhook", content=body,
        headers={ZALO_HEADER: ZALO_SECRET, "content-type": "application/json"},
    )
    assert response.status_code == 413
    assert fake.calls() == []
