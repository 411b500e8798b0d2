"""Shared fixtures: a real SQLite database under tmp_path, a dispatcher and a chat driver."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database, open_database
from tests.chat import Chat, ChatFor, Clock
from tests.engines import PostgresServer, start_postgres
from tests.processes import SCRIPT


def _starts_the_bot(args: Any) -> bool:
    """Whether a command line runs `ocop-bot` or Python (the bot's code in a process)."""
    argv = [str(a) for a in ([args] if isinstance(args, str | Path) else args)]
    if argv[1:3] == ["-m", "bot.cli.sheet_child"]:
        return False  # the spreadsheet reader: a short-lived part of every import, not a bot
    return bool(argv) and argv[0] in (str(SCRIPT), sys.executable)


@pytest.fixture(autouse=True)
def only_slow_tests_start_the_bot(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """A test that starts a real bot or Python process is marked `slow` (test-fast skips it)."""
    if request.node.get_closest_marker("slow") is None:
        real_init = subprocess.Popen.__init__

        def refuse_bot(self: subprocess.Popen[Any], args: Any, *more: Any, **kw: Any) -> None:
            if _starts_the_bot(args):
                pytest.fail("this test starts a bot process: mark it @pytest.mark.slow")
            real_init(self, args, *more, **kw)

        monkeypatch.setattr(subprocess.Popen, "__init__", refuse_bot)
    yield


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the session (skipped without its binaries)."""
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture
def engine() -> str:
    """The database engine: SQLite, unless a test module parametrizes `engine` (see
    tests/engines.py) or OCOP_TEST_ENGINE=postgresql runs everything on PostgreSQL."""
    return os.environ.get("OCOP_TEST_ENGINE", "sqlite")


@pytest.fixture
def database_target(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where the test's database lives: a file under tmp_path, or an empty PostgreSQL one."""
    if engine == "sqlite":
        return str(tmp_path / "ocop.db")
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.fresh_database()


@pytest.fixture
async def db(database_target: str) -> AsyncIterator[Database]:
    """A migrated database (a file under tmp_path, or a fresh PostgreSQL database)."""
    async with open_database(database_target) as database:
        yield database


@pytest.fixture
def renderer() -> Renderer:
    """The template renderer."""
    return Renderer()


@pytest.fixture
def clock() -> Clock:
    """An injected clock, starting on a weekday morning in Vietnam (03:00 UTC = 10:00 ICT)."""
    return Clock(datetime(2026, 12, 1, 3, 0, tzinfo=UTC))


@pytest.fixture
def config() -> HandlerConfig:
    """Handler settings with one configured admin."""
    return HandlerConfig(admins=frozenset({"telegram:999"}))


@pytest.fixture
def dispatcher(
    db: Database, config: HandlerConfig, renderer: Renderer, clock: Clock
) -> Dispatcher:
    """The dispatcher on the test database and clock."""
    return Dispatcher(db, config, renderer, clock=clock, features=FEATURES)


@pytest.fixture
def chat(dispatcher: Dispatcher, renderer: Renderer, clock: Clock) -> Chat:
    """A producer chatting on the terminal channel."""
    return Chat(dispatcher, renderer, clock, channel="terminal", user="u1")


@pytest.fixture
def chat_for(dispatcher: Dispatcher, renderer: Renderer, clock: Clock) -> ChatFor:
    """Open a chat as `user` on `channel` (Telegram unless said), on the test dispatcher."""

    def open_chat(user: str, channel: str = "telegram") -> Chat:
        return Chat(dispatcher, renderer, clock, channel=channel, user=user)

    return open_chat


__all__ = ["Clock", "timedelta"]
