"""The terminal chat shows what the outbox holds for its account, as notices, in a real process."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.processes import ProcessGroup, bot_command

pytestmark = pytest.mark.slow


class TerminalChat:
    """One `ocop-bot` terminal chat in a subprocess: type lines, wait for what it prints."""

    def __init__(self, group: ProcessGroup, name: str, *args: str) -> None:
        self.out = group.tmp_path / f"{name}.out"
        sink = self.out.open("wb")
        env = group.base_env()
        self.proc = subprocess.Popen(
            [*bot_command(), *args], cwd=group.tmp_path, env=env,
            stdin=subprocess.PIPE, stdout=sink, stderr=subprocess.STDOUT,
        )
        group.procs.append(self.proc)
        self.seen = 0

    @property
    def text(self) -> str:
        """Everything printed so far."""
        return self.out.read_text("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 30) -> str:
        """Wait until `needle` is printed after what was read before; returns the new text."""
        deadline = time.monotonic() + timeout
        while needle not in self.text[self.seen:]:
            assert time.monotonic() < deadline, f"no {needle!r} in:\n{self.text[self.seen:]}"
            assert self.proc.poll() is None, self.text
            time.sleep(0.05)
        new = self.text[self.seen:]
        self.seen = len(self.text)
        return new

    def type(self, line: str, expect: str = "> ") -> str:
        """Type one line and wait for the answer (its prompt by default)."""
        self.seen = len(self.text)
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        return self.wait_for(expect)

    def pick(self, shown: str, words: str) -> str:
        """Type the number of the choice whose label holds `words`."""
        number = re.search(rf"^(\d+)\. [^\n]*{re.escape(words)}", shown, re.MULTILINE)
        assert number, f"no choice {words!r} in:\n{shown}"
        return self.type(number.group(1))

    def close(self) -> None:
        """End the input, as Ctrl+D does."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        assert self.proc.wait(30) == 0, self.text


def cli(group: ProcessGroup, *args: str) -> str:
    """Run one `ocop-bot` command to the end; its output."""
    done = subprocess.run([*bot_command(), *args], cwd=group.tmp_path, env=group.base_env(),
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_officers_broadcast_reaches_the_terminal_chat_as_a_notice(tmp_path: Path) -> None:
    group = ProcessGroup(tmp_path)
    try:
        producer = TerminalChat(group, "producer", "chat")
        first = producer.wait_for("> ")
        assert "INFO" not in first and "Warning" not in first  # a quiet start
        for answer in ("1", "1", "HTX Tan Phu", "3", "Nguyen Thi Lan", "0912345678",
                       "vinh long", "Xa Tan Phu"):
            producer.type(answer)
        assert "đã được lưu" in producer.type("1")

        assert "cán bộ VL" in cli(group, "grant", "officer", "terminal:canbo",
                                "--province", "vinh long")
        officer = TerminalChat(group, "officer", "chat", "--user", "canbo")
        menu = officer.wait_for("> ")
        menu = officer.pick(menu, "Khu vực cán bộ")
        compose = officer.pick(menu, "Gửi thông báo")
        assert "thông báo" in compose.lower()
        audience = officer.type("Hop ban OCOP luc 8h sang thu Hai tai UBND xa")
        confirm = officer.pick(audience, "Tất cả chủ thể")
        final = officer.pick(confirm, "📤 Gửi")
        officer.pick(final, "Xác nhận gửi")

        notice = producer.wait_for("Hop ban OCOP luc 8h sang thu Hai")
        assert "🔔 Thông báo:" in notice
        producer.close()
        officer.close()
    finally:
        group.kill_all()


def test_restarting_the_terminal_chat_keeps_the_step_it_was_on(tmp_path: Path) -> None:
    group = ProcessGroup(tmp_path)
    try:
        first = TerminalChat(group, "first", "chat")
        first.wait_for("> ")
        for answer in ("1", "1", "HTX Tan Phu", "3", "Nguyen Thi Lan", "0912345678",
                       "vinh long", "Xa Tan Phu"):
            first.type(answer)
        menu = first.type("1")
        asked = first.pick(menu, "Đăng ký sản phẩm")  # a registered producer, mid-step
        first.close()

        again = TerminalChat(group, "again", "chat")
        reopened = again.wait_for("> ")
        question = asked.strip().splitlines()[0]
        assert question in reopened  # the same question, not the greeting and the menu
        again.close()
    finally:
        group.kill_all()
