"""Read the rows of an imported .xlsx or .csv within limits the machine can always afford.

Every import reads its file through here. The limits fit the whole country's list in one
file (about 18,000 products) with room to spare, and keep one import under a few hundred MB
of memory and well under a minute:

- the file itself: at most MAX_FILE_BYTES (10 MB). A 50,000-row, 15-column export is about
  3 MB as .xlsx and 5 MB as .csv.
- an .xlsx unpacked: at most MAX_UNPACKED_BYTES (100 MB), summed over the zip's members as its
  central directory declares them, checked before openpyxl sees the file. Python's zipfile
  never hands out more bytes than a member declares, so a lying header cannot get past it.
  The same 50,000-row export unpacks to about 46 MB.
- rows: at most MAX_ROWS (50,000) data rows in the sheet read, blank rows included (a
  stray cell on row 1,000,000 would otherwise make the reader walk every empty row above it).
- columns: only the first MAX_COLUMNS (50) are read; our sheets have at most 15.

The file is parsed in a separate process (bot/cli/sheet_child.py), never on the bot's event
loop, with at most MAX_READER_MEMORY (512 MB) of address space and MAX_READER_SECONDS (60 s)
of time; past either the reader is ended and the file refused politely. A real 50,000-row
export takes about 12 s and 130 MB. What the zip directory promises is checked before any
cell is parsed (bot/cli/sheet_parse.py).
"""

from __future__ import annotations

import contextlib
import logging
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

from messages import Format, Renderer

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_ROWS = 50_000
MAX_COLUMNS = 50
_MB = 1024 * 1024
MAX_READER_MEMORY = 512 * _MB
MAX_READER_SECONDS = 60

log = logging.getLogger(__name__)


class TooLarge(Exception):
    """The file is past one of the limits; `explain` says which, in Vietnamese then English."""

    def __init__(self, template: str, **context: Any) -> None:
        super().__init__(template)
        self.template = template
        self.context = context

    def explain(self, renderer: Renderer) -> str:
        """The refusal in Vietnamese, then in English."""
        return "\n".join(
            renderer.render(locale, self.template, Format.PLAIN, **self.context)
            for locale in ("vi", "en")
        )


class Unreadable(Exception):
    """The file is not a spreadsheet of the kind its name says: (kind, file name, the
    library's detail, the line where it went wrong or 0). The detail is for the log only."""

    def __str__(self) -> str:
        """What is wrong, in the command line's language (`cli.sheet.unreadable_<kind>`)."""
        if len(self.args) < 3:
            return super().__str__()
        from bot.cli.say import say  # here, not in the reader process: it only pickles args

        kind, name = self.args[:2]
        line = self.args[3] if len(self.args) > 3 else 0
        return say(f"sheet.unreadable_{kind}", file=name, line=line)


def check_size(path: Path) -> None:
    """Refuse a file larger than MAX_FILE_BYTES before reading any of it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TooLarge("sheets/file_too_large", name=path.name,
                       size_mb=-(-size // _MB),
                       limit_mb=MAX_FILE_BYTES // _MB)


def _too_costly(path: Path, memory_bytes: int, seconds: int) -> TooLarge:
    return TooLarge("sheets/too_costly", name=path.name, limit_mb=memory_bytes // _MB,
                    seconds=seconds)


def read_apart(path: Path, kind: str, memory_bytes: int = MAX_READER_MEMORY,
               seconds: int = MAX_READER_SECONDS) -> list[list[Any]]:
    """The rows of a file read by the reader process, under its memory and time ceilings."""
    check_size(path)
    command = [sys.executable, "-m", "bot.cli.sheet_child", kind, str(path),
               str(memory_bytes), str(seconds)]
    try:
        done = subprocess.run(command, capture_output=True, timeout=seconds, check=False)
    except subprocess.TimeoutExpired:  # run() has killed the reader
        log.warning("reading %s took over %d s: refused", path.name, seconds)
        raise _too_costly(path, memory_bytes, seconds) from None
    outcome: list[Any] = ["too_costly"]
    if done.returncode == 0:
        with contextlib.suppress(pickle.UnpicklingError, EOFError):
            outcome = list(pickle.loads(done.stdout))
    if outcome[0] == "rows":
        rows: list[list[Any]] = outcome[1]
        return rows
    if outcome[0] == "too_large":
        raise TooLarge(outcome[1], **outcome[2])
    if outcome[0] == "unreadable":
        log.info("%s is unreadable (%s): %s", path.name, outcome[1][0], outcome[1][2])
        raise Unreadable(*outcome[1])
    log.warning("reading %s ended with %s: refused (%s)", path.name, done.returncode,
                done.stderr.decode("utf-8", "replace").strip()[-300:])
    raise _too_costly(path, memory_bytes, seconds)


def xlsx_rows(path: Path) -> list[list[Any]]:
    """The first sheet's rows, header included; TooLarge or Unreadable if refused."""
    return read_apart(path, "xlsx")


def xlsx_sheets(path: Path) -> list[tuple[str, list[list[Any]]]]:
    """Every sheet's rows with its title, read apart within the same limits summed over the
    sheets (a published list may keep its table on any sheet); TooLarge or Unreadable."""
    sheets: list[tuple[str, list[list[Any]]]] = [
        (str(title), rows) for title, rows in read_apart(path, "sheets")]
    return sheets


def csv_rows(path: Path) -> list[list[Any]]:
    """The rows of a UTF-8 .csv (comma, semicolon or tab), header included; within limits."""
    return read_apart(path, "csv")
