"""What every page of the console needs: the database, renderer, settings, the signed-in user."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

from handlers.engine.config import HandlerConfig
from messages import LOCALES, Renderer
from messages.render import format_number, phone_display
from storage import Database
from storage.models import Role, User
from storage.web_sessions import WebSession

TEMPLATES = Path(__file__).parent / "templates"


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class Area:
    """Where a console user works: a province (None: every province, for admins; "": none
    granted, which matches nothing) and, for a commune officer, one commune of it."""

    province: str | None
    commune: str | None = None  # the commune as granted ("Xã Cầu Kè")
    commune_key: str | None = None  # the same, folded, as dossiers at the commune carry it

    @property
    def commune_only(self) -> bool:
        """Whether this is a commune officer's scope (one commune's dossiers, no more)."""
        return self.commune_key is not None


def may_use_console(user: User) -> bool:
    """Officers, admins and commune officers may sign in to the console."""
    return user.is_officer or user.role is Role.COMMUNE_OFFICER


@dataclass
class Viewer:
    """The signed-in officer of one request, re-read from the database for that request."""

    user: User
    session: WebSession
    token: str
    locale: str
    area: Area = field(default_factory=lambda: Area(None))

    @property
    def scope(self) -> str | None:
        """The province this officer works in; None for admins (every province)."""
        return self.area.province

    @property
    def admin(self) -> bool:
        """Whether this is an admin."""
        return self.user.role is Role.ADMIN


@dataclass
class Console:
    """The shared parts of the console: database, renderer, settings, layouts."""

    db: Database
    renderer: Renderer
    config: HandlerConfig
    secure: bool = False
    fetch_photo: Any = None  # async (channel, file_id) -> (bytes, mime) | None
    zalo_plan: Any = None  # the Zalo plan (QuotaPlan) when a Zalo bot runs: its use is shown
    uploads: dict[str, Any] = field(default_factory=dict)  # results files awaiting confirm
    charts: dict[tuple[str | None, int, str, str], tuple[float, bytes]] = field(
        default_factory=dict)  # drawn dashboard charts: (province, year, day, locale) → PNG
    pages: Environment = field(init=False)

    def __post_init__(self) -> None:
        self.pages = Environment(
            loader=FileSystemLoader(TEMPLATES),
            undefined=StrictUndefined,
            autoescape=select_autoescape(["html"]),
        )
        self.pages.filters["date"] = self._date
        self.pages.filters["datetime"] = self.renderer.format_datetime
        self.pages.filters["phone"] = phone_display
        self.pages.filters["number"] = _number
        self.pages.filters["decimals"] = _decimals

    def _date(self, value: datetime | date | str | None) -> str:
        """dd/mm/yyyy for a date, a moment or a stored ISO date; "" for none."""
        if value is None or value == "":
            return ""
        moment: datetime | date
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value) if "T" in value or " " in value else (
                    date.fromisoformat(value))
            except ValueError:
                return value  # a year alone, as imported
        else:
            moment = value
        if isinstance(moment, datetime) and moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return self.renderer.format_date(moment)

    def render(self, name: str, locale: str, **context: Any) -> str:
        """A page layout rendered with every word taken from the locale's labels."""
        locale = locale if locale in LOCALES else "vi"

        def t(key: str, **values: Any) -> str:
            return self.renderer.label(locale, f"web.{key}", **values)

        def label(key: str, **values: Any) -> str:
            return self.renderer.label(locale, key, **values)

        return self.pages.get_template(name).render(
            t=t, label=label, locale=locale, locales=LOCALES, **context
        )


@pass_context
def _number(context: Context, value: float | int | str | None) -> str:
    """1.234 and 92,5 in Vietnamese pages (1,234 and 92.5 in English)."""
    return "" if value is None else format_number(value, context.get("locale", "vi"))


@pass_context
def _decimals(context: Context, text: str) -> str:
    """Decimal numbers inside a stored note ("92.5 → 4★") with the Vietnamese comma."""
    if context.get("locale", "vi") != "vi":
        return text
    return re.sub(r"(?<![\d.])(\d+)\.(\d+)(?![\d.])", r"\1,\2", text)
