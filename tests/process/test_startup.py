"""`ocop-bot run` as a real process when things are wrong: bad token, no network, SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fakes.telegram import FakeTelegram
from tests.process.test_process import WAIT, Bots, User
from tests.processes import free_port

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them


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


def wait_until(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    """Check `condition` until it holds (a process's log has no event to wait on)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_a_refused_token_stops_the_bot_with_one_line_and_no_token(bots: Bots) -> None:
    secret = "999999:NOT-the-right-token"
    proc = bots.start(wait=False, TELEGRAM_BOT_TOKEN=secret)
    assert proc.wait(WAIT) == 1
    output = bots.log()
    assert "TELEGRAM_BOT_TOKEN" in output
    assert "NOT-the-right-token" not in output  # PTB's own message quotes the token
    assert "Traceback" not in output


def test_telegram_down_at_start_up_the_bot_waits_for_it(tmp_path: Path) -> None:
    later = FakeTelegram()
    later.port = free_port()
    bots = Bots(later, tmp_path)
    try:
        proc = bots.start(wait=False)
        wait_until(lambda: bots.log().count("cannot reach") >= 2 or proc.poll() is not None)
        assert proc.poll() is None, bots.log()  # the sender did not take the process down
        with later.running_in_thread():
            later.wait_for_sync(lambda: later.calls("getUpdates"), timeout=WAIT)
            lan = User(later, 611)
            lan.say("/start")
            assert lan.last, bots.log()
    finally:
        bots.kill_all()


def test_sigterm_stops_the_bot_cleanly(fake: FakeTelegram, bots: Bots) -> None:
    proc = bots.start()
    User(fake, 612).say("/start")
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(WAIT) == 0, bots.log()
    assert "Traceback" not in bots.log() and "closed database" not in bots.log()


def test_configuration_mistakes_get_a_line_not_a_traceback(bots: Bots) -> None:
    proc = bots.start(wait=False, OCOP_TIMEZONE="Mars/Olympus", OCOP_ROUND_REMINDER_DAYS="7,x",
                      OCOP_DAILY_CAP="-1")
    assert proc.wait(WAIT) == 2
    output = bots.log()
    assert "OCOP_TIMEZONE" in output and "OCOP_ROUND_REMINDER_DAYS" in output
    assert "OCOP_DAILY_CAP" in output
    assert "Traceback" not in output


def test_export_to_a_missing_folder_says_so(bots: Bots, tmp_path: Path) -> None:
    command = [*bots.command(), "--create", "export", "products",
               str(tmp_path / "no" / "such.xlsx")]
    done = subprocess.run(command, env=bots.env(), capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 1
    assert "such.xlsx" in done.stderr and "Traceback" not in done.stderr


def test_webhook_mode_without_its_secret_says_which_setting(bots: Bots) -> None:
    proc = bots.start(wait=False, OCOP_WEBHOOK_BASE_URL="https://ocop.example.gov.vn",
                      OCOP_WEBHOOK_PORT=str(free_port()))
    assert proc.wait(WAIT) == 1
    output = bots.log()
    assert "TELEGRAM_WEBHOOK_SECRET" in output and "Traceback" not in output


def test_a_second_poller_on_the_same_token_is_named_in_one_line(
    fake: FakeTelegram, bots: Bots
) -> None:
    bots.start()
    fake.webhook = {"url": "https://elsewhere.example/telegram/webhook"}  # getUpdates → 409
    wait_until(lambda: "another ocop-bot" in bots.log())
    assert "Traceback" not in bots.log()
