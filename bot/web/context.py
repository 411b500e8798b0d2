"""What every page of the console needs: the database, renderer, settings, the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from handlers.engine.config import HandlerConfig
from messages import LOCALES, Renderer
from messages.render import phone_display
from storage import Database
from storage.models import Role, User
from storage.web_sessions import WebSession

TEMPLATES = Path(__file__).parent / "templates"


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


@dataclass
class Viewer:
    """The signed-in officer of one request, re-read from the database for that request."""

    user: User
    session: WebSession
    token: str
    locale: str

    @property
    def scope(self) -> str | None:
        """The province this officer works in; None for admins (every province)."""
        return (self.user.officer_province or "") if self.user.role is Role.OFFICER else None

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
        self.pages.filters["date"] = self.renderer.format_date
        self.pages.filters["datetime"] = self.renderer.format_datetime
        self.pages.filters["phone"] = phone_display

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
