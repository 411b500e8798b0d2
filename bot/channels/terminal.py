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

from bot.channels.present import Shown, numbered_text, present
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Incoming, InputKind
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
    files_dir: Path | None = None,
    notes: Sequence[str] = (),
) -> None:
    """Chat in the terminal until end of input (`notes` are shown under the banner).

    A newcomer is greeted as if they had typed `/start`; someone who chatted before is asked
    the question they were on, so restarting the chat never takes anyone out of a step.
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
            out.write("\n" + numbered_text(item, renderer, outcome.locale) + "\n")
            if files_dir is not None and item.reply.document is not None:
                out.write(save_file(renderer, outcome.locale, item, files_dir) + "\n")
        out.write("\n> ")
        out.flush()


def save_file(renderer: Renderer, locale: str, item: Shown, folder: Path) -> str:
    """Write a reply's file into `folder` (the terminal cannot hand it over); where it went."""
    document = item.reply.document
    assert document is not None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(document.filename).name
    path.write_bytes(document.content)
    return renderer.label(locale, "terminal.file_saved", path=str(path.resolve()))
