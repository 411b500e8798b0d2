"""Every wrong setting stops `ocop-bot run` and `check-config` with exit 2 and one line."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.processes import ProcessGroup, bot_command, free_port

pytestmark = pytest.mark.slow  # real processes

TOKEN = "123456:fake-token-for-settings"

# variable, value read, what the line must show (besides the variable), extra settings
CASES = [
    ("OCOP_QUIET_START", "22:00-06:00", "22:00-06:00", {}),
    ("OCOP_QUIET_END", "06:00Z", "06:00Z", {}),
    ("OCOP_QUIET_START", "22:00+07:00", "OCOP_QUIET_START=21:00", {}),
    ("TELEGRAM_BOT_TOKEN", "", "(trống)", {}),
    ("ZALO_BOT_TOKEN", "", "(trống)", {}),
    ("TELEGRAM_POLL_TIMEOUT", "0", "TELEGRAM_POLL_TIMEOUT=10", {}),
    ("TELEGRAM_POLL_TIMEOUT", "0.5", "từ 1", {}),
    ("TELEGRAM_API_BASE_URL", "api.telegram.org/bot", "https://api.telegram.org/bot", {}),
    ("TELEGRAM_API_BASE_URL", "https://api.telegram.org/", "/bot", {}),
    ("OCOP_WEB_BASE_URL", "ocop.example.gov.vn", "http://", {}),
    ("OCOP_PROGRESS_INTERVAL", "-3", "OCOP_PROGRESS_INTERVAL=3", {}),
    ("OCOP_OUTBOX_BACKOFF_BASE", "900", "OCOP_OUTBOX_BACKOFF_MAX", {}),
    ("OCOP_TIMEZONE", "Etc/GMT+7", "Asia/Ho_Chi_Minh", {}),
    ("OCOP_ADMINS", "telegram: 900", "telegram:12345", {}),
    ("OCOP_ADMINS", "@name", "telegram:12345", {}),
    ("OCOP_ADMINS", "tg:1", "telegram:12345", {}),
    ("OCOP_ADMINS", "telegram:1;telegram:2", "telegram:12345", {}),
    ("OCOP_WEBHOOK_BASE_URL", "http://ocop.example.gov.vn", "https://", {}),
    ("TELEGRAM_WEBHOOK_SECRET", "has space!", "A-Z", {}),
    ("OCOP_DAILY_CAP", "ba", "OCOP_DAILY_CAP=3", {}),
    ("OCOP_DATABASE_URL", "postgres:/x", "postgresql://", {}),
]


@pytest.fixture
def group(tmp_path: Path) -> Iterator[ProcessGroup]:
    """Processes of one test, killed at the end."""
    made = ProcessGroup(tmp_path)
    try:
        yield made
    finally:
        made.kill_all()


def ocop(group: ProcessGroup, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `ocop-bot ARGS` to its end, without a terminal on stdin."""
    return subprocess.run(
        [*bot_command(), *args], cwd=group.tmp_path, env=group.base_env(**env),
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False,
    )


def assert_one_line_about(done: subprocess.CompletedProcess[str], variable: str,
                          shown: str) -> None:
    """Exit 2, a line naming the variable and `shown`, no traceback."""
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if variable in line]
    assert lines, done.stderr
    assert any(shown in line for line in lines), done.stderr
    assert "Traceback" not in done.stderr + done.stdout


@pytest.mark.parametrize(("variable", "value", "shown", "extra"), CASES)
@pytest.mark.parametrize("command", ["check-config", "run"])
def test_a_wrong_setting_stops_with_one_line(
    group: ProcessGroup, command: str, variable: str, value: str, shown: str,
    extra: dict[str, str],
) -> None:
    done = ocop(group, command, **{variable: value, **extra})
    assert_one_line_about(done, variable, shown)


def test_a_token_is_never_shown_in_the_line(group: ProcessGroup) -> None:
    done = ocop(group, "check-config", TELEGRAM_BOT_TOKEN="123:has a space")
    assert_one_line_about(done, "TELEGRAM_BOT_TOKEN", "(đã ẩn)")
    assert "has a space" not in done.stderr


def test_a_port_in_use_is_named(group: ProcessGroup) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = ocop(group, "run", TELEGRAM_BOT_TOKEN=TOKEN, OCOP_HEALTH_PORT=port)
    assert_one_line_about(done, "OCOP_HEALTH_PORT", port)


def test_a_console_host_not_on_this_machine_is_named(group: ProcessGroup) -> None:
    done = ocop(group, "run", TELEGRAM_BOT_TOKEN=TOKEN, OCOP_WEB_BASE_URL="https://ocop.vn",
                OCOP_WEB_HOST="10.254.254.254", OCOP_WEB_PORT=str(free_port()))
    assert_one_line_about(done, "OCOP_WEB_HOST", "10.254.254.254")


def test_a_database_path_that_cannot_be_made_names_ocop_db_path(group: ProcessGroup) -> None:
    blocker = group.tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = ocop(group, "run", TELEGRAM_BOT_TOKEN=TOKEN, OCOP_DB_PATH=str(blocker / "ocop.db"))
    assert_one_line_about(done, "OCOP_DB_PATH", "ocop.db")


def test_unknown_variables_are_named_and_the_rest_still_works(group: ProcessGroup) -> None:
    (group.tmp_path / ".env").write_text("TELEGRAM_BOT_TOKN=1:x\n")
    done = ocop(group, "check-config", OCOP_QUITE_START="21:00")
    assert done.returncode == 0, done.stderr
    assert "OCOP_QUITE_START" in done.stderr and "TELEGRAM_BOT_TOKN" in done.stderr
    assert "1:x" not in done.stderr


def test_tilde_in_the_database_path_is_the_home_folder(group: ProcessGroup) -> None:
    done = ocop(group, "check-config", OCOP_DB_PATH="~/ocop/ocop.db")
    assert done.returncode == 0, done.stderr
    assert str(group.tmp_path / "ocop" / "ocop.db") in done.stdout  # HOME is tmp_path
    assert not (group.tmp_path / "~").exists()


def test_no_channel_and_no_terminal_stops_with_the_missing_tokens(group: ProcessGroup) -> None:
    done = ocop(group, "run")
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in done.stderr and "ZALO_BOT_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_start_up_line_names_version_database_channels_admins_and_console(
    group: ProcessGroup,
) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}/bot"  # Telegram unreachable: the bot waits
    web_port = free_port()
    proc = group.spawn(group.base_env(
        TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=nowhere, OCOP_ADMINS="telegram:42",
        OCOP_WEB_BASE_URL="https://ocop.example.gov.vn", OCOP_WEB_PORT=str(web_port),
    ), "run")
    deadline = time.monotonic() + 30
    while "Trợ lý OCOP " not in group.log():
        assert proc.poll() is None and time.monotonic() < deadline, group.log()
        time.sleep(0.05)
    line = next(text for text in group.log().splitlines() if text.startswith("Trợ lý OCOP "))
    for part in (version("ocop-bot"), str(group.db_path), "telegram", "telegram:42",
                 "https://ocop.example.gov.vn", f"127.0.0.1:{web_port}/healthz"):
        assert part in line, line
