"""OCOP_DATABASE_URL checked before anything runs: a malformed address stops with one line
(exit 2), a server that does not answer with one line naming host:port (exit 1); the
password is never shown, in those lines, the start-up line or the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.cli.startup import start_line
from bot.config import Settings
from bot.redact import secrets_of
from tests.cli.test_one_language import ENGLISH, _run, _words, back_to_vietnamese
from tests.processes import free_port

__all__ = ["back_to_vietnamese"]  # the fixture, used here too
PASSWORD = "s3cret-Pw"


@pytest.fixture
def no_tokens(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No channel, no stray settings from the developer's environment."""
    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("TELEGRAM_BOT_TOKEN", "ZALO_BOT_TOKEN", "OCOP_WEB_BASE_URL",
                 "OCOP_WEBHOOK_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OCOP_DB_PATH", str(tmp_path / "ocop.db"))


@pytest.mark.parametrize(("url", "said"), [
    ("postgres:/x", "cần địa chỉ PostgreSQL bắt đầu bằng postgresql://"),
    ("mysql://ocop:s3cret-Pw@db/ocop", "bắt đầu bằng postgresql://"),
    ("postgresql://ocop:s3cret-Pw@/ocop", "thiếu tên máy"),
    ("postgresql://ocop:s3cret-Pw@db:54x/ocop", "cổng của địa chỉ PostgreSQL phải là một số"),
])
def test_a_malformed_database_url_stops_check_config_with_one_line(
        no_tokens: None, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], url: str, said: str) -> None:
    monkeypatch.setenv("OCOP_DATABASE_URL", url)
    code, text = _run(monkeypatch, capsys, ["check-config"])
    lines = [line for line in text.splitlines() if "OCOP_DATABASE_URL" in line]
    assert code == 2 and len(lines) == 1 and said in lines[0], text
    assert lines[0].startswith("Cấu hình sai: OCOP_DATABASE_URL = “")
    assert PASSWORD not in text and "Traceback" not in text, text


@pytest.mark.parametrize("command", [["check-config"], ["outbox", "status"]])
def test_a_server_that_does_not_answer_is_named_by_host_and_port(
        no_tokens: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture, command: list[str]) -> None:
    caplog.set_level(logging.INFO, logger="bot.cli.pg_check")
    port = free_port()
    monkeypatch.setenv("OCOP_DATABASE_URL", f"postgresql://ocop:{PASSWORD}@127.0.0.1:{port}/ocop")
    code, text = _run(monkeypatch, capsys, command)
    line = text.strip().splitlines()[-1]
    assert code == 1, text
    assert line == (f"Không kết nối được PostgreSQL ở 127.0.0.1:{port}/ocop (OCOP_DATABASE_URL):"
                    " máy chủ từ chối kết nối (PostgreSQL chưa chạy, hoặc sai cổng?)."), text
    assert PASSWORD not in text + caplog.text and "Traceback" not in text
    assert not ENGLISH.findall(_words(line.replace("PostgreSQL", "")))
    assert "refused" in caplog.text.lower()  # libpq's own words stay in the log


def test_the_start_line_names_the_server_without_the_password(
        no_tokens: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OCOP_DATABASE_URL", f"postgresql://ocop:{PASSWORD}@db.example/ocop")
    settings = Settings()
    line = start_line(settings)
    assert "cơ sở dữ liệu: PostgreSQL db.example:5432/ocop;" in line, line
    assert PASSWORD not in line and "ocop:" not in line
    assert PASSWORD in secrets_of(settings)  # and the log filter hides it too


def test_the_start_line_names_the_sqlite_file(no_tokens: None, tmp_path: Path) -> None:
    assert f"cơ sở dữ liệu: {tmp_path / 'ocop.db'};" in start_line(Settings())


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "Lỗi: chế độ webhook cần TELEGRAM_WEBHOOK_SECRET"),
    ("en", "webhook mode needs TELEGRAM_WEBHOOK_SECRET"),
])
def test_a_setting_refused_at_start_is_said_in_the_command_line_s_language(
        no_tokens: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        lang: str, said: str) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:fake-token-for-settings")
    monkeypatch.setenv("OCOP_WEBHOOK_BASE_URL", "https://ocop.example.gov.vn")
    monkeypatch.delenv("TELEGRAM_WEBHOOK_SECRET", raising=False)
    code, text = _run(monkeypatch, capsys, ["--lang", lang, "run"])
    assert code == 1 and text.strip().splitlines()[-1].endswith(said), text
    assert "Traceback" not in text
