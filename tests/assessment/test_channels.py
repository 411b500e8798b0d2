"""The report reaches the producer: a file saved beside the database in the terminal; on Zalo
the report is asked for by its number like any choice."""

from __future__ import annotations

import io
from pathlib import Path

from bot.channels.terminal import run_terminal
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from tests.assessment.criteria_files import write_small
from tests.assessment.steps import scored
from tests.chat import Chat, ChatFor, Clock


async def test_the_terminal_saves_the_report_and_says_where(
    dispatcher: Dispatcher, renderer: Renderer, clock: Clock, db: Database, tmp_path: Path
) -> None:
    chat = Chat(dispatcher, renderer, clock, channel="terminal", user="local")
    pid = await scored(chat, db, write_small(tmp_path / "small"), (3, 3, 3, 3, 2))
    assert chat.templates[-1] == "assessment/result"
    report = chat.keys.index("r:report") + 1
    shown = io.StringIO()
    files = tmp_path / "files"
    await run_terminal(dispatcher, renderer, stdin=io.StringIO(f"{report}\n"), stdout=shown,
                       files=files)
    saved = files / f"mau02-tu-danh-gia-{pid}.docx"
    assert saved.is_file() and saved.read_bytes()[:2] == b"PK"
    assert f"đã được lưu tại: {saved}" in shown.getvalue()


async def test_the_report_is_asked_for_by_number_on_zalo(
    chat_for: ChatFor, db: Database, tmp_path: Path
) -> None:
    chat = chat_for("41", "zalo")
    await scored(chat, db, write_small(tmp_path / "small"), (3, 3, 3, 3, 2))
    await chat.say(str(chat.keys.index("r:report") + 1))
    assert chat.last.replies[0].document is not None
    assert chat.templates[-1] == "assessment/result"
