"""What the settings cannot check alone, checked before `run` starts: ports, hosts, the folder."""

from __future__ import annotations

import errno
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from bot.config import SettingProblem, Settings
from bot.config_report import line


class ConfigurationError(SettingProblem):
    """A setting that cannot work on this machine; the message is one line per variable."""


@dataclass(frozen=True)
class Listener:
    """The address the process will listen on, and the variables that set it."""

    what: str  # webhooks | console | health
    host: str
    port: int
    host_variable: str
    port_variable: str


def has_channel(settings: Settings) -> bool:
    """Whether any chat platform has a token."""
    return settings.telegram_bot_token is not None or settings.zalo_bot_token is not None


def listener(settings: Settings) -> Listener | None:
    """Where `run` listens: the webhooks, else the console, else the health check (or nowhere)."""
    if not has_channel(settings):
        return None
    if settings.webhook_base_url:
        return Listener("webhooks", settings.webhook_host, settings.webhook_port,
                        "OCOP_WEBHOOK_HOST", "OCOP_WEBHOOK_PORT")
    if settings.web_base_url:
        return Listener("console", settings.web_host, settings.web_port,
                        "OCOP_WEB_HOST", "OCOP_WEB_PORT")
    if settings.health_port:
        return Listener("health", settings.health_host, settings.health_port,
                        "OCOP_HEALTH_HOST", "OCOP_HEALTH_PORT")
    return None


def bind_problem(host: str, port: int) -> str | None:
    """Why `host:port` cannot be listened on (`port_in_use`, `host_missing`), or None."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return "host_missing"
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRNOTAVAIL:
                return "host_missing"
            return "port_in_use"
    return None


def listener_lines(place: Listener, locale: str = "vi") -> list[str]:
    """The line naming what is wrong with the address, if it cannot be listened on."""
    kind = bind_problem(place.host, place.port)
    if kind == "host_missing":
        return [line(place.host_variable, place.host, kind, locale, host=place.host)]
    if kind == "port_in_use":
        return [line(place.port_variable, place.port, kind, locale, port=place.port)]
    return []


def database_lines(path: Path, locale: str = "vi") -> list[str]:
    """The line naming OCOP_DB_PATH when its folder cannot be made or written in."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return [line("OCOP_DB_PATH", path, "db_folder", locale, folder=folder,
                     reason=error.strerror or type(error).__name__)]
    writable = os.access(folder, os.W_OK | os.X_OK)
    if not writable or (path.exists() and not os.access(path, os.W_OK)):
        return [line("OCOP_DB_PATH", path, "db_unwritable", locale, folder=folder)]
    return []


def check(settings: Settings, locale: str = "vi") -> None:
    """Raise ConfigurationError (one line per problem) if `run` could not work as configured."""
    problems = database_lines(settings.db_path, locale)
    place = listener(settings)
    if place is not None:
        problems += listener_lines(place, locale)
    if problems:
        raise ConfigurationError("\n".join(problems))
