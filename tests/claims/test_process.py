"""A province's 500-row list through real processes: import twice, claim on Telegram by contact
and on Zalo by code, and the claimed producers get their 90-day expiry reminder."""

from __future__ import annotations

import asyncio
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fakes.telegram import FakeTelegram
from fakes.zalo import FakeZalo, text_update
from messages.render import to_plain
from storage import open_database
from tests.claims.rows import many_rows, soon, write_xlsx
from tests.process.test_process import TOKEN
from tests.processes import ProcessGroup

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

WAIT = 60.0
TG_USER = 4242
ZALO_CHAT = "z-hai"


class Run(ProcessGroup):
    """`ocop-bot` commands and `ocop-bot run` on both fakes; every process killed at the end."""

    def __init__(self, telegram: FakeTelegram, zalo: FakeZalo, tmp_path: Path) -> None:
        super().__init__(tmp_path)
        self.telegram, self.zalo = telegram, zalo

    def env(self) -> dict[str, str]:
        """Both channels, no quiet hours (the reminder may go at any time of the test)."""
        return self.base_env(
            TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=self.telegram.base_url,
            TELEGRAM_POLL_TIMEOUT="1", ZALO_BOT_TOKEN=self.zalo.token,
            ZALO_API_BASE_URL=self.zalo.base_url, ZALO_POLL_TIMEOUT="1",
            OCOP_QUIET_START="00:00", OCOP_QUIET_END="00:00",
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run one `ocop-bot` command to its end."""
        from tests.processes import bot_command

        return subprocess.run([*bot_command(), "--create", *args], env=self.env(),
                              cwd=self.tmp_path,
                              capture_output=True, text=True, timeout=WAIT, check=False)

    def start(self) -> subprocess.Popen[bytes]:
        """`ocop-bot run`, once it is polling Telegram."""
        before = len(self.telegram.calls("getUpdates"))
        proc = self.spawn(self.env(), "run")
        self.telegram.wait_for_sync(
            lambda: proc.poll() is not None or len(self.telegram.calls("getUpdates")) > before,
            timeout=WAIT,
        )
        assert proc.poll() is None, self.log()
        return proc


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    """The fakes served from threads and the processes of the test."""
    telegram, zalo = FakeTelegram(), FakeZalo(poll_cap=1.0)
    with telegram.running_in_thread(), zalo.in_thread():
        group = Run(telegram, zalo, tmp_path)
        try:
            yield group
        finally:
            group.kill_all()


def _tg(run: Run, push: Callable[[], int], expect: str = "") -> str:
    """Push an update, wait until it is handled (and `expect` was sent); what the bot sent
    since, as plain text."""
    mark = len(run.telegram.sent_to(TG_USER))
    pushed = push()

    def since() -> str:
        return "\n".join(to_plain(str(c.params.get("text", "")))
                         for c in run.telegram.sent_to(TG_USER)[mark:])

    run.telegram.wait_for_sync(
        lambda: run.telegram.confirmed_offset > pushed and expect in since(), timeout=WAIT
    )
    return since()


def _tg_say(run: Run, text: str, expect: str = "") -> str:
    return _tg(run, lambda: run.telegram.push_text(TG_USER, text), expect)


def _zalo_say(run: Run, text: str, expect: str) -> str:
    """Type on Zalo and wait until the answer includes `expect`; everything sent since."""
    before = len(run.zalo.texts(ZALO_CHAT))
    run.zalo.push(text_update(ZALO_CHAT, text))

    def since() -> str:
        return "\n".join(run.zalo.texts(ZALO_CHAT)[before:])

    run.zalo.wait_sync(lambda: expect in since(), timeout=WAIT)
    return since()


def _list(tmp_path: Path) -> Path:
    rows = many_rows(498)
    rows.append([499, "Bánh tét lá cẩm “Trà Cuôn”", "HTX Nông nghiệp Cờ Ðỏ", "HTXNN", "Sơn",
                 "0912 345 678", "Tỉnh Trà Vinh", "Xã Cầu Kè", "", "4 sao", 75, "9/QĐ-UBND",
                 soon(60), "TV-CO-DO", "UBND tỉnh Trà Vinh"])
    rows.append([500, "Trà mãng cầu xiêm", "Cơ sở Hai Lúa", "", "", "", "TP. Cần Thơ", "", "",
                 3, 61, "10/QĐ-UBND", soon(80), "CT-HAI-LUA", "tỉnh"])
    return write_xlsx(tmp_path / "danh-sach.xlsx", rows)


def _producer_id(db_path: Path, name: str) -> int:
    async def read() -> int:
        async with open_database(db_path) as db, db.reading() as store:
            [found] = [c for c in await store.existing.unclaimed() if c.name == name]
            return found.producer_id

    return asyncio.run(read())


def test_import_twice_claim_on_both_channels_and_reminders_follow(
    run: Run, tmp_path: Path
) -> None:
    sheet = _list(tmp_path)
    first = run.cli("import", "certified", str(sheet), "--yes")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "500 mới, 0 đã có" in first.stdout
    again = run.cli("import", "certified", str(sheet), "--yes")
    assert again.returncode == 0 and "0 mới, 500 đã có" in again.stdout, again.stdout
    drawn = run.cli("claim-code", "--producer", str(_producer_id(run.db_path, "Cơ sở Hai Lúa")))
    assert drawn.returncode == 0, drawn.stderr
    code = re.search(r"(\d{4} \d{4} \d{4})", drawn.stdout)
    assert code is not None, drawn.stdout

    bot = run.start()
    for text in ("/start", "tiếng việt", "đồng ý", "HTX Cờ Đỏ", "hợp tác xã", "Thạch Sơn",
                 "0912345678", "vinh long", "Xã Cầu Kè"):
        _tg_say(run, text)
    _tg_say(run, "1", "chọn đúng tên chủ thể")  # confirm the summary: the list has this phone
    assert "HTX Nông nghiệp Cờ Ðỏ" in str(run.telegram.sent_to(TG_USER)[-1].params)
    _tg_say(run, "1", "mã xác nhận")
    [button] = [row[0] for c in run.telegram.sent_to(TG_USER)
                for row in (c.params.get("reply_markup") or {}).get("keyboard", [])]
    assert button["request_contact"] and button["text"] == "Gửi số điện thoại của tôi"
    _tg(run, lambda: run.telegram.push_contact(TG_USER, "+84912345678"),
        "Đã thêm 1 sản phẩm OCOP")

    for text, expect in (("/start", "Tiếng Việt"), ("1", "Đồng ý"), ("1", "1/6"),
                         ("Hai Lúa", "2/6"), ("2", "3/6"), ("Nguyễn Văn Hai", "4/6"),
                         ("0987 000 111", "5/6"), ("can tho", "6/6"),
                         ("Xã Tân Phú", "Cần Thơ")):
        _zalo_say(run, text, expect)
    _zalo_say(run, "1", "Tôi đã có sản phẩm OCOP")  # confirmed; the province has a list
    _zalo_say(run, "1", "số điện thoại")
    assert "Cơ sở Hai Lúa" in _zalo_say(run, "hai lua", "Cơ sở Hai Lúa")
    verify = _zalo_say(run, "1", "mã xác nhận")
    assert "1. Tôi có mã xác nhận" in verify and "Gửi số điện thoại" not in verify
    _zalo_say(run, "1", "12 chữ số")
    _zalo_say(run, code.group(1), "Đã thêm 1 sản phẩm OCOP")

    bot.terminate()  # the next start runs the reminder pass at once
    assert bot.wait(WAIT) == 0, run.log()
    run.start()
    run.telegram.wait_for_sync(lambda: any(
        "Bánh tét lá cẩm" in str(c.params.get("text", "")) and "hết hạn" in
        str(c.params.get("text", "")) for c in run.telegram.sent_to(TG_USER)), timeout=WAIT)
    run.zalo.wait_sync(lambda: any(
        "Trà mãng cầu xiêm" in text and "hết hạn" in text
        for text in run.zalo.texts(ZALO_CHAT)), timeout=WAIT)
    everyone = {c.params.get("chat_id") for c in run.telegram.calls("sendMessage")}
    assert everyone == {TG_USER}  # the 498 unclaimed rows reminded nobody
