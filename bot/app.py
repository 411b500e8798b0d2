"""Build the parts of the running bot from the settings and run the configured channels."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.config import Settings
from handlers.dispatcher import Dispatcher
from messages import Renderer
from storage import Database, open_database

log = logging.getLogger(__name__)


@dataclass
class Core:
    """What every channel shares: settings, database, dispatcher and renderer."""

    settings: Settings
    db: Database
    dispatcher: Dispatcher
    renderer: Renderer


@asynccontextmanager
async def open_core(settings: Settings) -> AsyncIterator[Core]:
    """Open the database and build the dispatcher and renderer."""
    async with open_database(settings.db_path) as db:
        renderer = Renderer(settings.timezone)
        dispatcher = Dispatcher(db, settings.handler_config(), renderer)
        yield Core(settings=settings, db=db, dispatcher=dispatcher, renderer=renderer)


async def run_bot(settings: Settings) -> None:
    """Run every channel that has a token; with none, chat in the terminal."""
    async with open_core(settings) as core:
        async with core.db.transaction() as store:
            # Channels re-deliver for a day at most; a week of update ids is plenty.
            await store.conversations.prune_updates(timedelta(days=7), datetime.now(UTC))
        tasks: list[asyncio.Task[None]] = []
        if settings.webhook_base_url:  # production: both channels through one web server
            from bot.webhook import run_webhooks

            tasks.append(asyncio.create_task(run_webhooks(core), name="webhooks"))
        elif settings.telegram_bot_token is not None:
            from bot.telegram import run_telegram

            tasks.append(asyncio.create_task(run_telegram(core), name="telegram"))
        if settings.zalo_bot_token is not None and not settings.webhook_base_url:
            from bot.zalo import run_zalo

            tasks.append(asyncio.create_task(run_zalo(core), name="zalo"))
        if not tasks:
            from bot.terminal import run_terminal

            await run_terminal(core.dispatcher, core.renderer)
            return
        from bot.outbox_tasks import outbox_tasks

        tasks += outbox_tasks(core)  # issue 3: a sender per channel with a token, the scheduler
        log.info("running channels: %s", ", ".join(t.get_name() for t in tasks))
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
