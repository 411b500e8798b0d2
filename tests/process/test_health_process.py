"""A polling bot without the console still answers /healthz and /metrics on its own port."""

from __future__ import annotations

import signal

import httpx
import pytest

from fakes.telegram import FakeTelegram
from tests.process.test_process import WAIT, Bots, User, bots, fake
from tests.processes import free_port

pytestmark = pytest.mark.slow  # real bot processes

__all__ = ["bots", "fake"]  # the fixtures used by the tests below


def test_the_health_check_listens_on_its_own_port_in_polling_mode(
    fake: FakeTelegram, bots: Bots
) -> None:
    port = free_port()
    proc = bots.start(OCOP_HEALTH_PORT=str(port))
    User(fake, 901).say("/start")
    base = f"http://127.0.0.1:{port}"
    health = httpx.get(f"{base}/healthz", timeout=WAIT)
    assert health.status_code == 200, health.text
    body = health.json()
    assert body["mode"] == "polling" and body["channels"]["telegram"]["ok"] is True
    assert body["senders"]["telegram"]["ok"] is True and body["database"]["ok"] is True
    metrics = httpx.get(f"{base}/metrics", timeout=WAIT).text
    assert "ocop_outbox_backlog" in metrics
    assert 'ocop_update_seconds_count{channel="telegram"} 1.0' in metrics
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(WAIT) == 0
    assert "ERROR" not in bots.log() and "Traceback" not in bots.log()
