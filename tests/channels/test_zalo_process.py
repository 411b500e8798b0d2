"""`ocop-bot run` on Zalo as a real process: polling across a kill -9, and webhook mode."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakes.zalo import FakeZalo, text_update
from tests.processes import ProcessGroup

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

WAIT = 30.0  # generous deadline for a process start on a slow machine
SECRET = "zalo-webhook-secret-42"


class Runs(ProcessGroup):
    """`ocop-bot run` processes pointed at the fake Zalo API; all are killed at teardown."""

    def __init__(self, fake: FakeZalo, tmp_path: Path) -> None:
        super().__init__(tmp_path)
        self.fake = fake

    def start(self, **extra: str) -> subprocess.Popen[bytes]:
        """Start the bot with the Zalo token (and any extra environment)."""
        zalo = {
            "ZALO_BOT_TOKEN": self.fake.token,
            "ZALO_API_BASE_URL": self.fake.base_url,
            "ZALO_POLL_TIMEOUT": "1",
        }
        env = self.base_env(**{**zalo, **extra})
        return self.spawn(env, "run")


@pytest.fixture
def fake() -> Iterator[FakeZalo]:
    """The fake Zalo API, served from a background thread."""
    server = FakeZalo(poll_cap=1.0)
    with server.in_thread():
        yield server


@pytest.fixture
def runs(fake: FakeZalo, tmp_path: Path) -> Iterator[Runs]:
    """Bot processes, killed at the end."""
    started = Runs(fake, tmp_path)
    try:
        yield started
    finally:
        started.kill_all()


def _say(fake: FakeZalo, chat: str, text: str, answers: int) -> str:
    """Queue a text and wait until the bot has sent `answers` texts to the chat in total."""
    fake.push(text_update(chat, text))
    fake.wait_sync(lambda: len(fake.texts(chat)) >= answers, timeout=WAIT)
    return fake.texts(chat)[-1]


def test_polling_survives_kill_9_with_the_conversation_kept(fake: FakeZalo, runs: Runs) -> None:
    first = runs.start()
    fake.wait_sync(lambda: len(fake.calls("getUpdates")) > 0 or first.poll() is not None, WAIT)
    assert first.poll() is None, runs.log()
    assert "1. Tiếng Việt" in _say(fake, "z-9", "/start", 1)
    assert "1. Đồng ý" in _say(fake, "z-9", "1", 2)
    first.kill()  # SIGKILL: no clean shutdown
    first.wait(10)
    second = runs.start()
    _say(fake, "z-9", "dong y", 3)  # the consent question is still the open one
    fake.wait_sync(lambda: any("1/6" in text for text in fake.texts("z-9")[2:]), timeout=WAIT)
    assert second.poll() is None
    texts = fake.texts("z-9")
    assert sum("1. Tiếng Việt" in text for text in texts) == 1  # nothing answered twice


def test_webhook_mode_answers_over_https_proxy_path(fake: FakeZalo, runs: Runs) -> None:
    proc = runs.start(
        OCOP_WEBHOOK_BASE_URL="https://bot.example.vn",
        ZALO_WEBHOOK_SECRET=SECRET,
        OCOP_WEBHOOK_HOST="127.0.0.1",
        OCOP_WEBHOOK_PORT="0",
    )
    found: list[int] = []

    def listening() -> bool:
        match = re.search(r"webhooks listening on 127\.0\.0\.1:(\d+)", runs.log())
        if match:
            found.append(int(match.group(1)))
        return bool(match) or proc.poll() is not None

    fake.wait_sync(listening, timeout=WAIT)
    assert found, runs.log()
    base = f"http://127.0.0.1:{found[0]}"
    health = httpx.get(f"{base}/healthz").json()
    assert health["ok"] is True and list(health["channels"]) == ["zalo"]
    assert "zalo: the registered webhook is (none)" in runs.log()  # `webhook set` not run
    update = text_update("z-w", "/start")
    refused = httpx.post(f"{base}/zalo/webhook", json=update)
    answered = httpx.post(
        f"{base}/zalo/webhook", json={"ok": True, "result": update},
        headers={"X-Bot-Api-Secret-Token": SECRET}, timeout=WAIT,
    )
    assert (refused.status_code, answered.status_code) == (403, 200)
    assert "1. Tiếng Việt" in fake.texts("z-w")[0]
    assert fake.calls("getUpdates") == []  # no polling in webhook mode
    assert SECRET not in runs.log()
