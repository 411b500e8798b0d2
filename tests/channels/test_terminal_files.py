"""The terminal chat saves the files the bot would send beside the database, and says where."""

from __future__ import annotations

import io
from pathlib import Path

from bot.channels.terminal import run_terminal, save_file
from bot.run import files_folder
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Document
from messages import Renderer
from storage import Database
from tests.chat import Clock
from tests.trainings.test_flow import make_training

ONBOARD = ["1", "1", "HTX Tân Phú", "1", "Nguyễn Thị Lan", "0912 000 111", "Vĩnh Long",
           "Xã Tân Phú", "1"]


async def test_enrolling_in_a_training_saves_its_calendar_file_and_says_where(
    dispatcher: Dispatcher, renderer: Renderer, db: Database, clock: Clock, tmp_path: Path
) -> None:
    await make_training(db, clock)
    typed = io.StringIO("\n".join([*ONBOARD, "tap huan", "1", "dang ky"]) + "\n")
    shown = io.StringIO()
    folder = files_folder(tmp_path / "ocop.db")
    await run_terminal(dispatcher, renderer, stdin=typed, stdout=shown, files=folder)
    [saved] = list(folder.iterdir())
    assert saved.suffix == ".ics" and b"BEGIN:VCALENDAR" in saved.read_bytes()
    assert f"đã được lưu tại: {saved}" in shown.getvalue()
    assert "👉 Gõ số thứ tự" in shown.getvalue()  # numbered lists say how to pick
    assert folder == tmp_path / "files"


def test_a_file_of_the_same_name_is_not_overwritten(tmp_path: Path) -> None:
    first = save_file(tmp_path, Document(filename="bao-cao.xlsx", content=b"1", mime="x"))
    second = save_file(tmp_path, Document(filename="../bao-cao.xlsx", content=b"2", mime="x"))
    assert (first.name, second.name) == ("bao-cao.xlsx", "bao-cao-2.xlsx")
    assert (first.read_bytes(), second.read_bytes()) == (b"1", b"2")
