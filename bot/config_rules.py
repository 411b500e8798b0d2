"""The checks each setting's value must pass; a failure names a problem the report words."""

from __future__ import annotations

import logging
import re
from datetime import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic_core import PydanticCustomError

CHANNELS = ("telegram", "zalo", "terminal")
_CLOCK = re.compile(r"(\d{1,2})[:hH](\d{2})")
_OFFSET_ZONE = re.compile(r"(?:Etc/)?GMT[+-]\d+", re.IGNORECASE)
_ADDRESS = re.compile(r"(telegram|zalo|terminal):([A-Za-z0-9_.-]+)")


def problem(kind: str, **context: object) -> PydanticCustomError:
    """A wrong value of kind `kind` (a label under `settings.problem`)."""
    return PydanticCustomError(f"setting_{kind}", kind, dict(context) or None)


def clock(value: object) -> object:
    """A local time of day written HH:MM (quiet hours): no date, no zone, no range."""
    if isinstance(value, time):
        if value.tzinfo is not None:
            raise problem("clock")
        return value
    text = str(value).strip()
    match = _CLOCK.fullmatch(text)
    if match is None:
        raise problem("clock")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise problem("clock")
    return time(hour, minute)


def zone_name(value: str) -> str:
    """A named time zone such as Asia/Ho_Chi_Minh; `Etc/GMT+7` (which means UTC−7) is refused."""
    if _OFFSET_ZONE.fullmatch(value.strip()):
        raise problem("zone_offset")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise problem("zone") from None
    return value


def level(value: str) -> str:
    """A logging level name."""
    if not isinstance(logging.getLevelName(value.upper()), int):
        raise problem("level")
    return value


def numbers(text: str) -> tuple[int, ...]:
    """`7,1` as (7, 1)."""
    return tuple(int(part) for part in text.split(",") if part.strip())


def number_list(value: str) -> str:
    """Whole numbers above 0, separated by commas."""
    try:
        found = numbers(value)
    except ValueError:
        raise problem("number_list") from None
    if not found or any(number <= 0 for number in found):
        raise problem("number_list")
    return value


def positive(value: float) -> float:
    """A number above 0."""
    if value <= 0:
        raise problem("positive")
    return value


def token(value: object) -> object:
    """A bot token: not empty, no spaces (a copy-paste with a space fails every call)."""
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else value
    if text is None:
        return value
    if not str(text).strip():
        raise problem("empty_token")
    if any(char.isspace() for char in str(text)):
        raise problem("token_space")
    return value


def api_base(value: str) -> str:
    """A Bot API base URL: http(s)://host/…/bot, the token is appended to it."""
    text = value.strip()
    if not text.startswith(("https://", "http://")):
        raise problem("scheme")
    if not text.endswith("/bot"):
        raise problem("api_base", suffix="bot")
    return text


def web_url(value: str | None) -> str | None:
    """An address people open: http(s)://host[/path]."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if not re.fullmatch(r"https?://[^\s/?#]+[^\s?#]*", text):
        raise problem("scheme")
    return text


def webhook_url(value: str | None) -> str | None:
    """The public webhook address: https:// only (both platforms refuse plain http)."""
    text = web_url(value)
    if text is not None and not text.startswith("https://"):
        raise problem("https")
    return text


def port(value: int) -> int:
    """A TCP port (0: the system picks a free one)."""
    if not 0 <= value <= 65535:
        raise problem("port")
    return value


def db_path(value: object) -> Path:
    """The database file, `~` expanded; a folder or an empty name is refused."""
    text = str(value).strip()
    if not text or text.endswith(("/", "\\")):
        raise problem("db_path")
    path = Path(text).expanduser()
    if path.is_dir():
        raise problem("db_is_folder")
    return path


def admins(value: str) -> str:
    """Admin accounts written channel:id, separated by commas."""
    if ";" in value:
        raise problem("admins")
    for part in value.split(","):
        if part.strip() and not _ADDRESS.fullmatch(part.strip()):
            raise problem("admins")
        address = part.strip()
        if address.startswith("telegram:") and not address[len("telegram:"):].isdigit():
            raise problem("admins")
    return value


def telegram_secret(value: object) -> object:
    """Telegram's webhook secret: 1-256 of A-Z, a-z, 0-9, _ and -."""
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else value
    if text is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(text)):
        raise problem("telegram_secret")
    return value


def zalo_secret(value: object) -> object:
    """Zalo's webhook secret: 8-256 characters."""
    text = value.get_secret_value() if hasattr(value, "get_secret_value") else value
    if text is not None and not 8 <= len(str(text)) <= 256:
        raise problem("zalo_secret")
    return value


def postgres_url(value: str) -> str:
    """A PostgreSQL URL: postgresql://user:password@host:port/database, a host named (or a
    socket folder in `?host=`), a numeric port."""
    text = value.strip()
    if not text.startswith(("postgresql://", "postgres://")):
        raise problem("database_scheme")
    parts = urlsplit(text)
    if not parts.hostname and not parse_qs(parts.query).get("host"):
        raise problem("database_host")
    try:
        parts.port  # noqa: B018 (urllib checks the port when it is read)
    except ValueError:
        raise problem("database_port") from None
    return text


def without_password(url: str) -> str:
    """`url` with its password as *** (for a line or a log), whatever else is wrong with it."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return re.sub(r":[^:@/]*@", ":***@", url)
    if parts.password is None:
        return url.strip()
    user, _, host = parts.netloc.rpartition("@")
    name = user.partition(":")[0]
    return parts._replace(netloc=f"{name}:***@{host}").geturl()
