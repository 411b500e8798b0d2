"""Shared fixtures: a real SQLite database under tmp_path, a dispatcher and a chat driver."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database, open_database
from tests.chat import Chat, Clock


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated database in a file under tmp_path."""
    async with open_database(tmp_path / "ocop.db") as database:
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


__all__ = ["Clock", "timedelta"]
