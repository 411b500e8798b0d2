"""What every channel shares (`Core`): settings, database, dispatcher, renderer, features."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.config import Settings
from bot.health import Health
from bot.leader import worker_name
from handlers import FEATURES, Feature
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import BusyPolicy, Database, open_database


@dataclass
class Core:
    """What every channel shares: settings, database, dispatcher, renderer and features."""

    settings: Settings
    db: Database
    dispatcher: Dispatcher
    renderer: Renderer
    features: tuple[Feature, ...] = FEATURES
    health: Health = field(default_factory=Health)  # last successes, counters (/healthz)
    worker: str = field(default_factory=worker_name)  # this process among several workers


@asynccontextmanager
async def open_core(settings: Settings) -> AsyncIterator[Core]:
    """Open the database and build the dispatcher and renderer."""
    async with open_database(settings.database, BusyPolicy.within(settings.db_busy_budget),
                             pool_size=settings.db_pool_size) as db:
        renderer = Renderer(settings.timezone)
        dispatcher = Dispatcher(db, settings.handler_config(), renderer, features=FEATURES)
        yield Core(
            settings=settings, db=db, dispatcher=dispatcher, renderer=renderer, features=FEATURES
        )
