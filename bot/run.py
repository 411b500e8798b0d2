"""Run the configured channels, the outbox senders and the scheduler, restarting on errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime, timedelta
from typing import TextIO

from starlette.routing import BaseRoute

from bot.channels.terminal import run_terminal
from bot.config import SettingProblem, Settings
from bot.core import Core, open_core
from bot.instance_lock import one_bot_per_database, one_bot_per_postgres
from messages import Renderer

log = logging.getLogger(__name__)

MAX_RESTART_DELAY = 60.0


async def supervise(
    name: str,
    start: Callable[[], Coroutine[object, object, None]],
    *,
    first_delay: float = 1.0,
) -> None:
    """Run a long-lived part of the bot, restarting it (with backoff) if it fails.

    A wrong setting (a refused token) ends it, since restarting cannot help.
    """
    delay = first_delay
    while True:
        try:
            await start()
            return
        except SettingProblem:
            raise
        except Exception:
            log.exception("%s stopped on an error; restarting in %.0f s", name, delay)
        await asyncio.sleep(delay)
        delay = min(delay * 2, MAX_RESTART_DELAY)


Pages = Callable[[Core], Sequence[BaseRoute]]


def no_pages(core: Core) -> Sequence[BaseRoute]:
    """No web pages besides the webhooks."""
    return ()


async def run_bot(settings: Settings, pages: Pages = no_pages) -> None:
    """Run every channel that has a token; with none, chat in the terminal.

    The database's lock is taken first: a second bot on the same database stops here, before
    its senders could put the first one's in-flight rows back in the queue.
    `pages` gives the extra routes served beside the webhooks (the officers' web console).
    """
    renderer = Renderer(settings.timezone)
    if settings.database_url is not None:
        async with one_bot_per_postgres(settings.database, renderer):
            await _run_locked(settings, pages)
        return
    with one_bot_per_database(settings.db_path, renderer):
        await _run_locked(settings, pages)


async def _run_locked(settings: Settings, pages: Pages) -> None:
    async with open_core(settings) as core:
        # Channels re-deliver for a day at most; a week of update ids is plenty.
        await core.db.run(
            lambda store: store.conversations.prune_updates(timedelta(days=7), datetime.now(UTC))
        )
        parts = _parts(core, pages)
        if not parts:
            await run_terminal_chat(core)
            return
        tasks = [asyncio.create_task(supervise(name, start), name=name) for name, start in parts]
        log.info("running: %s", ", ".join(name for name, _ in parts))
        try:
            await asyncio.gather(*tasks)
        finally:
            for task in tasks:
                task.cancel()
            # Let every part finish (settle its rows, roll back) before the database closes.
            await asyncio.gather(*tasks, return_exceptions=True)


async def run_terminal_chat(
    core: Core, user_id: str = "local", stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> None:
    """Chat in the terminal, with the account's notices and reminders shown as they fall due."""
    import sys

    from bot.outbox.tasks import terminal_parts

    out = stdout or sys.stdout
    tasks = [
        asyncio.create_task(supervise(name, start), name=name)
        for name, start in terminal_parts(core, out, user_id)
    ]
    try:
        await run_terminal(core.dispatcher, core.renderer, user_id=user_id, stdin=stdin,
                           stdout=out, files_dir=core.settings.db_path.parent / "files")
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def _parts(
    core: Core, pages: Pages = no_pages
) -> list[tuple[str, Callable[[], Coroutine[object, object, None]]]]:
    """The long-lived parts to run: channels, then (with any channel) senders and scheduler."""
    settings = core.settings
    parts: list[tuple[str, Callable[[], Coroutine[object, object, None]]]] = []
    if settings.telegram_bot_token is None and settings.zalo_bot_token is None:
        return parts
    routes = list(pages(core))
    if settings.webhook_base_url:  # production: both channels through one web server
        from bot.channels.webhook import run_webhooks

        parts.append(("webhooks", lambda: run_webhooks(core, routes)))
    else:
        if routes:  # polling: the console alone on its own address
            from bot.channels.webhook import build_app, serve_forever

            app = build_app(extra_routes=routes)
            parts.append(("web", lambda: serve_forever(app, settings.web_host, settings.web_port)))
        if settings.telegram_bot_token is not None:
            from bot.channels.telegram import run_telegram

            parts.append(("telegram", lambda: run_telegram(core)))
        if settings.zalo_bot_token is not None:
            from bot.channels.zalo import run_zalo

            parts.append(("zalo", lambda: run_zalo(core)))
    if parts:
        from bot.outbox.tasks import outbox_parts

        parts += outbox_parts(core)  # a sender per channel with a token, the scheduler
    return parts
