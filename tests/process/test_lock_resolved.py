"""The one-bot lock is taken on the database file itself, however the path reaches it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.instance_lock import AlreadyRunning, lock_path, one_bot_per_database
from messages import Renderer


def test_the_same_database_through_a_symlink_or_another_path_is_refused(
    tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    real = data / "ocop.db"
    real.touch()
    linked = tmp_path / "ocop-link.db"
    linked.symlink_to(real)
    folder_link = tmp_path / "current"
    folder_link.symlink_to(data, target_is_directory=True)
    detour = tmp_path / "data" / ".." / "current" / "ocop.db"
    with one_bot_per_database(real, Renderer()):
        for other in (linked, folder_link / "ocop.db", detour):
            with pytest.raises(AlreadyRunning) as refused, one_bot_per_database(
                other, Renderer()
            ):
                pass
            assert str(os.getpid()) in str(refused.value)
    assert lock_path(linked) == lock_path(real) == data / "ocop.db.lock"
    with one_bot_per_database(linked, Renderer()):  # released: the next one starts
        pass
