"""The database a command uses, named without its password, and whether a PostgreSQL server
answers: one line saying where and why not, never the library's English or the password."""

from __future__ import annotations

import logging
import re
from typing import Any

from bot.cli.say import say
from bot.config import Settings

log = logging.getLogger(__name__)
CONNECT_SECONDS = 5
# libpq's words for why a connection failed → the label `cli.postgres.reason.<key>`
_REASONS = (
    ("refused", re.compile(r"connection refused", re.IGNORECASE)),
    ("unknown_host", re.compile(r"translate host name|name or service not known|"
                                r"nodename nor servname|name resolution", re.IGNORECASE)),
    ("timeout", re.compile(r"timeout|timed out", re.IGNORECASE)),
    ("login", re.compile(r"password authentication|no password supplied|role .* does not "
                         r"exist|authentication failed", re.IGNORECASE)),
    ("no_database", re.compile(r"database .* does not exist", re.IGNORECASE)),
)


def address(url: str) -> str:
    """`host:port/database` of a PostgreSQL URL (port 5432 unless it says another), no user
    and no password."""
    from psycopg.conninfo import conninfo_to_dict  # psycopg: loaded on that engine only

    info: dict[str, Any] = conninfo_to_dict(url)
    host = str(info.get("host") or "localhost")
    return f"{host}:{info.get('port') or 5432}/{info.get('dbname') or ''}"


def shown_database(settings: Settings) -> str:
    """The database for a line: `PostgreSQL host:port/database`, or the SQLite file's path."""
    if settings.database_url is not None:
        return f"PostgreSQL {address(settings.database_url.get_secret_value())}"
    return str(settings.db_path.absolute())


def reason(error: BaseException) -> str:
    """Why the connection failed, in the command line's language."""
    text = str(error)
    key = next((key for key, words in _REASONS if words.search(text)), "other")
    return say(f"postgres.reason.{key}")


def unreachable(url: str, error: BaseException) -> str:
    """The one line for a server that could not be reached or refused the bot."""
    log.info("PostgreSQL at %s: %s", address(url), error)  # the library's detail: log only
    return say("postgres.unreachable", where=address(url), reason=reason(error))


def postgres_problem(url: str, seconds: int = CONNECT_SECONDS) -> str | None:
    """The line saying why the server at `url` cannot be used now, or None if it answers."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=seconds) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as error:
        return unreachable(url, error)
    return None
