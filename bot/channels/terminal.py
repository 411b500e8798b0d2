"""The terminal chat: the same conversations with numbered choices, for trying the bot locally."""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import TextIO

from bot.channels.present import numbered_text, present, type_hint
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Document, Incoming, InputKind
from messages import Format, Renderer


async def _read_line(stream: TextIO) -> str | None:
    """The next line typed, None at end of input.

    The blocking read runs in a daemon thread of its own: a thread of the default executor
    would keep Ctrl+C from ending the program until Enter is pressed.
    """
    loop = asyncio.get_running_loop()
    typed: asyncio.Future[str] = loop.create_future()

    def read() -> None:
        line = stream.readline()
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody waits
            loop.call_soon_threadsafe(_settle, typed, line)

    threading.Thread(target=read, name="terminal-input", daemon=True).start()
    line = await typed
    return None if line == "" else line.rstrip("\n")


def _settle(future: asyncio.Future[str], line: str) -> None:
    if not future.done():  # not cancelled (Ctrl+C) meanwhile
        future.set_result(line)


async def run_terminal(
    dispatcher: Dispatcher,
    renderer: Renderer,
    user_id: str = "local",
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    files: Path | None = None,
    notes: Sequence[str] = (),
) -> None:
    """Chat in the terminal until end of input (`notes` are shown under the banner).

    A newcomer is greeted as if they had typed `/start`; someone who chatted before is asked
    the question they were on, so restarting the chat never takes anyone out of a step.
    A file the bot would send (a spreadsheet, a calendar entry) is saved in `files`, and the
    chat says where.
    """
    inp, out = stdin or sys.stdin, stdout or sys.stdout
    out.write(renderer.label("vi", "terminal.banner") + "\n")
    for note in notes:
        out.write(note + "\n")
    first = "/start"
    for serial in count():
        text = first if serial == 0 else await _read_line(inp)
        if text is None:
            out.write("\n")  # end of input: leave the shell prompt on a line of its own
            break
        event = Incoming(
            channel="terminal",
            external_id=user_id,
            chat_id=user_id,
            kind=InputKind.TEXT,
            text=text.strip(),
            at=datetime.now(UTC),
        )
        outcome = await dispatcher.handle(event, resume=serial == 0)  # back to the same step
        for item in present(renderer, outcome, Format.PLAIN, fits=lambda _: True):  # no limit
            hint = type_hint(renderer, outcome.locale, item)
            out.write("\n" + numbered_text(item, hint) + "\n")
            if item.reply.document is not None and files is not None:
                saved = save_file(files, item.reply.document)
                where = {"name": item.reply.document.filename, "path": str(saved)}
                out.write(renderer.render(outcome.locale, "terminal/file_saved", Format.PLAIN,
                                          **where) + "\n")
        out.write("\n> ")
        out.flush()


def save_file(folder: Path, document: Document) -> Path:
    """Write a file the bot would send into `folder` (a new name if one is there already)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(document.filename).name or "tep"
    path = folder / name
    for n in count(2):
        if not path.exists():
            break
        path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
    path.write_bytes(document.content)
    return path
