"""Each wrong setting is told in one line: the variable, what was read, a right example."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.cli.startup import start_line
from bot.config import Settings
from bot.config_report import describe, unknown_variables
from tests.processes import free_port

WRONG = [
    ("OCOP_QUIET_START", "22:00-06:00", "OCOP_QUIET_START=21:00"),
    ("OCOP_QUIET_END", "25:00", "OCOP_QUIET_END=07:00"),
    ("OCOP_TIMEZONE", "Etc/GMT-7", "OCOP_TIMEZONE=Asia/Ho_Chi_Minh"),
    ("OCOP_ADMINS", "telegram:abc", "OCOP_ADMINS=telegram:12345"),
    ("ZALO_API_BASE_URL", "https://bot-api.zaloplatforms.com", "“/bot”"),
    ("OCOP_WEB_BASE_URL", "www.ocop.vn/web", "http:// hoặc https://"),
    ("OCOP_DB_PATH", "data/", "OCOP_DB_PATH=/var/lib/ocop-bot/ocop.db"),
    ("ZALO_WEBHOOK_SECRET", "short", "ZALO_WEBHOOK_SECRET="),
    ("OCOP_DB_POOL_SIZE", "0", "OCOP_DB_POOL_SIZE=8"),
    ("OCOP_DB_POOL_SIZE", "tám", "không phải số nguyên"),
    ("OCOP_DB_POOL_SIZE", "500", "nhỏ hơn hoặc bằng 100"),
]


def settings(**env: str) -> Settings:
    """Settings read from exactly these variables (no `.env`)."""
    return Settings(_env_file=None, **env)  # type: ignore[call-arg]


@pytest.mark.parametrize(("variable", "value", "shown"), WRONG)
def test_a_wrong_value_is_one_line_naming_it(
    variable: str, value: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as error:
        settings()
    text = describe(error.value)
    assert len(text.splitlines()) == 1 and variable in text and shown in text, text
    if "SECRET" not in variable:
        assert f"“{value}”" in text
    else:
        assert value not in text  # secrets are never shown


def test_english_lines_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOP_DAILY_CAP", "three")
    with pytest.raises(ValidationError) as error:
        settings()
    assert describe(error.value, "en").startswith("Configuration error: OCOP_DAILY_CAP")


def test_right_values_are_read_as_meant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOP_QUIET_START", "22h30")
    monkeypatch.setenv("OCOP_DB_PATH", "~/ocop/ocop.db")
    monkeypatch.setenv("OCOP_ADMINS", "telegram:12, zalo:ab-C_1,terminal:local")
    read = settings()
    assert read.quiet_start == time(22, 30)
    assert read.db_path == Path("~/ocop/ocop.db").expanduser()
    assert read.admin_addresses == {"telegram:12", "zalo:ab-C_1", "terminal:local"}


def test_unknown_variables_are_found_in_the_environment_and_env_file(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("OCOP_ADMIN=telegram:1\nOTHER_THING=1\n", encoding="utf-8")
    found = unknown_variables({"TELEGRAM_TOKEN": "x", "OCOP_DB_PATH": "a.db", "PATH": "/"},
                              env_file)
    assert found == ["OCOP_ADMIN", "TELEGRAM_TOKEN"]


def test_without_a_token_the_start_line_names_the_console_the_terminal_chat_serves() -> None:
    port = free_port()
    line = start_line(settings(OCOP_WEB_PORT=str(port)))
    assert f"trang quản lý: http://127.0.0.1:{port}/web/ " in line, line
    assert "kênh: không có" in line


def test_the_start_line_names_the_admins_of_the_setting_and_of_the_database() -> None:
    line = start_line(settings(OCOP_ADMINS="telegram:12,terminal:local"),
                      ["terminal:local", "zalo:ab"])
    assert "quản trị viên: telegram:12, terminal:local, zalo:ab;" in line, line
    assert "quản trị viên: không có;" in start_line(settings())
