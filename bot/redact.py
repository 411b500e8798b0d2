"""No secret in any log line: every record of every logger is redacted when it is made.

A record factory sees the records of all loggers (the libraries' too: the Telegram library
at DEBUG puts the token in each URL), before any handler or formatter, so no handler can
print the raw text. Known secrets are replaced, and so is anything shaped like a bot token.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from bot.config import Settings

HIDDEN = "***"
# A Telegram/Zalo bot token: digits, a colon, then 20+ token characters.
_TOKEN_SHAPE = re.compile(r"\d{5,}(?::|%3A)[A-Za-z0-9_-]{20,}")
_secrets: tuple[str, ...] = ()
_original_factory = logging.getLogRecordFactory()


def secrets_of(settings: Settings) -> list[str]:
    """The tokens, webhook secrets and the database's password set in `settings`."""
    values = (settings.telegram_bot_token, settings.zalo_bot_token,
              settings.telegram_webhook_secret, settings.zalo_webhook_secret)
    found = [value.get_secret_value() for value in values if value is not None]
    if settings.database_url is not None:
        password = urlsplit(settings.database_url.get_secret_value()).password
        found += [unquote(password)] if password else []
    return found


def redact(text: str) -> str:
    """`text` with every known secret, and every token-shaped string, hidden."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, HIDDEN)
    return _TOKEN_SHAPE.sub(HIDDEN, text)


def _record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _original_factory(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: let the handler report it as usual
        return record
    hidden = redact(message)
    if hidden != message:  # else left as made: some formatters read `args` themselves
        record.msg, record.args = hidden, None
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip())
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install(secrets: Iterable[str]) -> None:
    """Hide `secrets` (and their URL-encoded forms) in every log record from now on."""
    global _secrets
    found: set[str] = set()
    for secret in secrets:
        if len(secret) >= 4:  # a one-letter "secret" would blank out half the log
            found |= {secret, quote(secret, safe="")}
    _secrets = tuple(sorted(found, key=len, reverse=True))
    logging.setLogRecordFactory(_record)
