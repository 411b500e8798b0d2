"""`ocop-bot run` serves the officers' web console when OCOP_WEB_BASE_URL is set, else says how."""

from __future__ import annotations

import os
import pty
import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fakes.telegram import FakeTelegram
from tests.process.test_process import WAIT, Bots, User
from tests.process.test_startup import free_port, wait_until
from tests.processes import bot_command

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


def test_without_a_token_the_terminal_chat_serves_the_console_and_web_links_work(
    tmp_path: Path,
) -> None:
    port = free_port()
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
           "OCOP_DB_PATH": str(tmp_path / "ocop.db"), "OCOP_WEB_PORT": str(port)}
    granted = subprocess.run([*bot_command(), "--create", "grant", "admin", "terminal:local"],
                             env=env,
                             cwd=tmp_path, capture_output=True, timeout=WAIT)
    assert granted.returncode == 0, granted.stderr
    screen = tmp_path / "screen.txt"
    keyboard, terminal = pty.openpty()  # the terminal chat opens only on a terminal
    with screen.open("wb") as out:
        proc = subprocess.Popen([*bot_command(), "run"], env=env, cwd=tmp_path,
                                stdin=terminal, stdout=out, stderr=out)
    try:
        os.write(keyboard, b"1\n/web\n")
        base = f"http://127.0.0.1:{port}"
        link = re.compile(re.escape(base) + r"/web/login/[\w-]+")
        wait_until(lambda: link.search(screen.read_text("utf-8")) is not None)
        shown = screen.read_text("utf-8")
        assert any(f"{base}/web/" in line for line in shown.splitlines()[:4])  # by the banner
        found = link.search(shown)
        assert found is not None
        with httpx.Client(base_url=base, timeout=WAIT) as client:
            wait_until(lambda: _up(client))
            path = found.group(0)[len(base):]  # the link page first, as a browser opens it
            nonce = client.get(path).text.split('name="nonce" value="')[1].split('"')[0]
            assert client.post(path, data={"nonce": nonce}).status_code == 303
            page = client.get("/web/")
            assert page.status_code == 200 and "Tổng quan" in page.text
        assert f"listening on 127.0.0.1:{port}" in (tmp_path / "ocop-bot.log").read_text("utf-8")
        os.write(keyboard, b"\x04")  # Ctrl+D ends the chat
        assert proc.wait(timeout=WAIT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(keyboard)
        os.close(terminal)


def test_without_a_token_a_taken_port_is_said_once_and_the_chat_goes_on(
    tmp_path: Path,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path),
               "OCOP_DB_PATH": str(tmp_path / "ocop.db"), "OCOP_WEB_PORT": str(port)}
        keyboard, terminal = pty.openpty()
        os.write(keyboard, b"1\n\x04")  # agree, then Ctrl+D
        try:
            chat = subprocess.run([*bot_command(), "run"], env=env, cwd=tmp_path,
                                  stdin=terminal, capture_output=True, timeout=WAIT)
        finally:
            os.close(keyboard)
            os.close(terminal)
    assert chat.returncode == 0
    shown = chat.stdout.decode() + chat.stderr.decode()
    assert shown.count("is taken by another program") == 1
    assert "Đồng ý" in shown and not any("/web/" in line for line in shown.splitlines()[:4])
