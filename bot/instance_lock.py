"""One bot per SQLite database: an OS file lock on `<database>.lock`, held for the life of the
process (on PostgreSQL several workers share the database instead).

The kernel releases an `flock` when the process ends in any way, `kill -9` included, so a
crash never leaves a stale lock behind. Only `ocop-bot run` takes it: the other commands
(grant, import, outbox status …) work beside a running bot.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from bot.config import SettingProblem
from messages import Format, Renderer


class AlreadyRunning(SettingProblem):
    """Another bot process holds this database: starting a second one would resend its rows."""


def lock_path(db_path: Path) -> Path:
    """Where the lock of a database lives: next to the file itself, `<database>.lock`, with
    every symlink and `..` resolved, so the same database reached by another path (a link to
    the file or to its folder) shares one lock."""
    real = db_path.resolve()
    return real.with_name(real.name + ".lock")


@contextlib.contextmanager
def one_bot_per_database(db_path: Path, renderer: Renderer) -> Iterator[None]:
    """Hold the database's lock while the block runs; raise AlreadyRunning if it is taken."""
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            raise AlreadyRunning(renderer.render(
                "vi", "cli/already_running", Format.PLAIN, db_path=str(db_path),
                pid=holder if holder.isdigit() else "",
            )) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)  # for the refusal message only
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock (the kernel does so on a crash)
