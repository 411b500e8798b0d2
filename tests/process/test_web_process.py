"""`ocop-bot run` serves the officers' web console when OCOP_WEB_BASE_URL is set, else says how."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakes.telegram import FakeTelegram
from tests.process.test_process import WAIT, Bots, User
from tests.process.test_startup import free_port, wait_until

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

ADMIN_ID = 731


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """The fake Bot API served from a background thread."""
    server = FakeTelegram()
    with server.running_in_thread():
        yield server


@pytest.fixture
def bots(fake: FakeTelegram, tmp_path: Path) -> Iterator[Bots]:
    """Bot processes, always killed at the end of the test."""
    started = Bots(fake, tmp_path)
    try:
        yield started
    finally:
        started.kill_all()


def test_polling_bot_serves_the_console_and_a_chat_link_signs_in(
    fake: FakeTelegram, bots: Bots
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    bots.start(OCOP_WEB_BASE_URL=base, OCOP_WEB_PORT=str(port),
               OCOP_ADMINS=f"telegram:{ADMIN_ID}")
    admin = User(fake, ADMIN_ID)
    admin.say("/start")
    admin.say("/web")
    texts = " ".join(str(call.params.get("text", "")) for call in admin.last)
    found = re.search(re.escape(base) + r"/web/login/[\w-]+", texts)
    assert found, texts
    with httpx.Client(base_url=base, timeout=WAIT) as client:
        wait_until(lambda: _up(client))
        assert client.get("/web/").status_code == 401
        assert client.get("/web/static/console.css").status_code == 200
        link = found.group(0)[len(base):]
        nonce = client.get(link).text.split('name="nonce" value="')[1].split('"')[0]
        assert client.post(link, data={"nonce": nonce}).status_code == 303
        page = client.get("/web/")
        assert page.status_code == 200 and "Tổng quan" in page.text
    assert "web console: off" not in bots.log()


def _up(client: httpx.Client) -> bool:
    try:
        return client.get("/healthz").status_code == 200
    except httpx.HTTPError:
        return False


def test_without_a_base_url_the_console_is_off_with_one_line(bots: Bots) -> None:
    bots.start()
    wait_until(lambda: "web console: off" in bots.log())
    assert bots.log().count("OCOP_WEB_BASE_URL") == 1
