"""No token or secret in any log line, at any level, whatever the libraries log."""

from __future__ import annotations

import logging
import signal

import pytest

from bot.redact import HIDDEN, install, redact
from fakes.telegram import TOKEN, FakeTelegram
from tests.process.test_process import WAIT, Bots, User, bots, fake
from tests.process.test_startup import wait_until
from tests.processes import free_port

ZALO_TOKEN = "9876543210:zalo-SECRET-token-for-the-log-scan"
TELEGRAM_SECRET = "telegram-webhook-SECRET_42"
ZALO_SECRET = "zalo-webhook-SECRET-42"

__all__ = ["bots", "fake"]  # the fixtures used by the tests below


@pytest.mark.slow
def test_a_debug_run_logs_no_token_and_no_secret(fake: FakeTelegram, bots: Bots) -> None:
    unreachable_zalo = f"http://127.0.0.1:{free_port()}/bot"  # every Zalo call fails, logged
    proc = bots.start(
        OCOP_LOG_LEVEL="DEBUG", ZALO_BOT_TOKEN=ZALO_TOKEN, ZALO_API_BASE_URL=unreachable_zalo,
        TELEGRAM_WEBHOOK_SECRET=TELEGRAM_SECRET, ZALO_WEBHOOK_SECRET=ZALO_SECRET,
    )
    User(fake, 701).say("/start")
    wait_until(lambda: "zalo" in bots.log().lower() and "DEBUG" in bots.log())
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(WAIT) == 0, bots.log()
    output = bots.log()
    assert "telegram" in output and "DEBUG" in output  # the library's own lines are there
    for secret in (TOKEN, ZALO_TOKEN, TELEGRAM_SECRET, ZALO_SECRET, "TEST-token_for-the-fake"):
        assert secret not in output, secret
    assert "ERROR" not in output, output  # a clean stop logs no error


def test_the_filter_hides_known_secrets_and_token_shapes_in_every_logger(
    caplog: pytest.LogCaptureFixture,
) -> None:
    install(["my-webhook-secret"])
    try:
        with caplog.at_level(logging.DEBUG):
            logging.getLogger("telegram.ext.ExtBot").debug(
                "calling %s", "https://api.telegram.org/bot123456789:AAEabcdefghijklmnopqrstuvwx/getMe"
            )
            logging.getLogger("somelib").info("header my-webhook-secret and my%2Dwebhook")
            try:
                raise ValueError("url my-webhook-secret")
            except ValueError:
                logging.getLogger("x").exception("failed")
    finally:
        install([])
    text = caplog.text
    assert "AAEabcdefghijklmnopqrstuvwx" not in text and "my-webhook-secret" not in text
    assert text.count(HIDDEN) >= 3
    assert redact("no secret here 12:30") == "no secret here 12:30"
