"""Run the configured channels, the outbox senders and the scheduler, restarting on errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from starlette.routing import BaseRoute

from bot.channels.terminal import run_terminal
from bot.config import SettingProblem, Settings
from bot.core import Core, open_core
from bot.instance_lock import one_bot_per_database
from bot.leader import Job, led
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


def stop_all(tasks: Sequence[asyncio.Task[None]]) -> None:
    """Cancel each part once: a second cancel would cut short its clean-up (closing its HTTP
    sessions, settling its rows), which a stop by signal has already started."""
    for task in tasks:
        if not task.done() and not task.cancelling():
            task.cancel()


Pages = Callable[[Core], Sequence[BaseRoute]]


def no_pages(core: Core) -> Sequence[BaseRoute]:
    """No web pages besides the webhooks."""
    return ()


async def run_bot(
    settings: Settings, pages: Pages = no_pages,
    on_start: Callable[[list[str]], None] | None = None,
) -> None:
    """Run every channel that has a token; with none, chat in the terminal.

    On SQLite the database's lock is taken first: a second bot on the same file stops here,
    before its senders could put the first one's in-flight rows back in the queue. On
    PostgreSQL several workers share the database (leases keep each row and job to one).
    `pages` gives the extra routes served beside the webhooks (the officers' web console).
    """
    if pages is not no_pages:
        settings = with_local_console(settings)
    renderer = Renderer(settings.timezone)
    if settings.database_url is not None:  # several workers may share a PostgreSQL database
        await _run_locked(settings, pages, on_start)
        return
    with one_bot_per_database(settings.db_path, renderer):
        await _run_locked(settings, pages, on_start)


def with_local_console(settings: Settings) -> Settings:
    """Without any token or console address, the console is served locally for trying it:
    its address (for `/web` links) is where it listens."""
    if settings.telegram_bot_token or settings.zalo_bot_token or settings.web_base_url:
        return settings
    host = "127.0.0.1" if settings.web_host in ("0.0.0.0", "::", "") else settings.web_host
    return settings.model_copy(update={"web_base_url": f"http://{host}:{settings.web_port}"})


async def _run_locked(
    settings: Settings, pages: Pages, on_start: Callable[[list[str]], None] | None
) -> None:
    async with open_core(settings) as core:
        # Channels re-deliver for a day at most; a week of update ids is plenty.
        await core.db.run(
            lambda store: store.conversations.prune_updates(timedelta(days=7), datetime.now(UTC))
        )
        if on_start is not None:  # the admins granted in the database are named too
            on_start(await core.db.run(lambda store: store.users.admin_addresses()))
        parts = _parts(core, pages)
        if not parts:
            await run_terminal_chat(core, web=_local_console(core, pages))
            return
        tasks = [asyncio.create_task(supervise(name, start), name=name) for name, start in parts]
        log.info("running: %s", ", ".join(name for name, _ in parts))
        try:
            await asyncio.gather(*tasks)
        finally:
            stop_all(tasks)
            # Let every part finish (settle its rows, roll back) before the database closes.
            await asyncio.gather(*tasks, return_exceptions=True)


Part = tuple[str, Callable[[], Coroutine[object, object, None]]]


def _local_console(core: Core, pages: Pages) -> Part | None:
    """The console served next to the terminal chat, on OCOP_WEB_HOST:OCOP_WEB_PORT."""
    routes = list(pages(core))
    if not routes:
        return None
    from bot.channels.webhook import build_app, serve_forever

    settings = core.settings
    if not _free(settings.web_host, settings.web_port):
        log.warning("web console: %s:%s is taken by another program; set OCOP_WEB_PORT to "
                    "another port to try the console", settings.web_host, settings.web_port)
        return None
    app = build_app(extra_routes=routes)
    log.info("web console: listening on %s:%s, open %s/web/ (type /web in the chat to sign in)",
             settings.web_host, settings.web_port, settings.web_base_url)
    return "web", lambda: serve_forever(app, settings.web_host, settings.web_port)


def _free(host: str, port: int) -> bool:
    """Whether the console could listen there (nothing else does)."""
    import socket

    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


async def run_terminal_chat(
    core: Core, user_id: str = "local", stdin: TextIO | None = None,
    stdout: TextIO | None = None, web: Part | None = None,
) -> None:
    """Chat in the terminal, with the account's notices and reminders shown as they fall due
    (and the web console served beside it when `web` is given)."""
    import sys

    from bot.outbox.tasks import terminal_parts

    out = stdout or sys.stdout
    parts = list(terminal_parts(core, out, user_id)) + ([web] if web else [])
    tasks = [asyncio.create_task(supervise(name, start), name=name) for name, start in parts]
    notes = []
    if web is not None:
        said = core.renderer.label("vi", "terminal.console")
        notes.append(f"{said} {core.settings.web_base_url}/web/")
    try:
        await run_terminal(core.dispatcher, core.renderer, user_id=user_id, stdin=stdin,
                           stdout=out, files=files_folder(core.settings.db_path),
                           notes=notes)
    finally:
        stop_all(tasks)
        await asyncio.gather(*tasks, return_exceptions=True)


def files_folder(db_path: Path) -> Path:
    """Where the terminal chat saves the files the bot would send: beside the database."""
    return db_path.parent / "files"


def _parts(
    core: Core, pages: Pages = no_pages
) -> list[tuple[str, Callable[[], Coroutine[object, object, None]]]]:
    """The long-lived parts to run: channels, then (with any channel) senders and scheduler."""
    settings = core.settings
    parts: list[tuple[str, Callable[[], Coroutine[object, object, None]]]] = []
    if settings.telegram_bot_token is None and settings.zalo_bot_token is None:
        return parts
    from bot.health_routes import health_routes

    routes = [*health_routes(core), *pages(core)]
    if settings.webhook_base_url:  # production: both channels through one web server
        from bot.channels.webhook import run_webhooks

        parts.append(("webhooks", lambda: run_webhooks(core, routes)))
    else:
        from bot.channels.webhook import build_app, serve_forever

        app = build_app(extra_routes=routes)
        if settings.web_base_url:  # polling: the console (and health check) on its address
            parts.append(("web", lambda: serve_forever(app, settings.web_host, settings.web_port)))
        elif settings.health_port:  # polling without the console: the health check alone
            parts.append(("health", lambda: serve_forever(
                app, settings.health_host, settings.health_port)))
        if settings.telegram_bot_token is not None:
            from bot.channels.telegram import run_telegram

            parts.append(("telegram", polled(core, "telegram", lambda: run_telegram(core))))
        if settings.zalo_bot_token is not None:
            from bot.channels.zalo import run_zalo

            parts.append(("zalo", polled(core, "zalo", lambda: run_zalo(core))))
    if parts:
        from bot.outbox.tasks import outbox_parts

        parts += outbox_parts(core)  # a sender per channel with a token, the scheduler
    return parts


def polled(core: Core, channel: str, poll: Job) -> Job:
    """A channel's poller: on a shared server, run by one worker at a time (a lease)."""
    if core.db.engine != "postgresql":
        return poll

    def standby(leading: bool) -> None:  # the health check expects polls from the leader only
        (core.health.standby.discard if leading else core.health.standby.add)(channel)

    return led(core.db, f"{channel}-poller", core.worker, poll,
               lease=core.settings.leader_lease, on_change=standby, health=core.health)
