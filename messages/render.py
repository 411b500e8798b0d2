"""Render templates and labels for a locale, as Telegram HTML or as plain text."""

from __future__ import annotations

import html
import re
import tomllib
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

import phonenumbers
from jinja2 import Environment, PackageLoader, StrictUndefined, Template

_TAG = re.compile(r"</?(?:b|strong|i|em|u|ins|s|strike|del|code|pre|blockquote)>")
_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.DOTALL)
_BLANK_RUNS = re.compile(r"\n{3,}")


class Format(StrEnum):
    """How a channel shows text."""

    HTML = "html"  # Telegram parse_mode=HTML
    PLAIN = "plain"  # Zalo and the terminal


def _plain_link(match: re.Match[str]) -> str:
    """A link as "text (address)", or the address alone when the text is the address."""
    href, shown = html.unescape(match.group(1)), match.group(2)
    return shown if html.unescape(_TAG.sub("", shown)).strip() == href else f"{shown} ({href})"


def to_plain(rendered_html: str) -> str:
    """Turn the HTML we render for Telegram into plain text (values stay as typed)."""
    text = _LINK.sub(_plain_link, rendered_html)
    return html.unescape(_TAG.sub("", text))


def phone_display(e164: str) -> str:
    """A stored +84 number as Vietnamese people write it (0 and 9 digits)."""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL).replace(
        " ", ""
    )


def format_number(value: float | int | str, locale: str = "vi") -> str:
    """1234 as 1.234 and 72.5 as 72,5 in Vietnamese (1,234 and 72.5 in English)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    text = f"{number:,.0f}" if number == int(number) else f"{number:,.2f}".rstrip("0")
    if locale != "vi":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


@cache
def _labels(locale: str) -> dict[str, str]:
    folder = resources.files("messages") / locale
    raw: dict[str, Any] = tomllib.loads((folder / "labels.toml").read_text("utf-8"))
    extra = folder / "labels"  # one file per feature area, merged into the main table
    if extra.is_dir():
        for entry in sorted(extra.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(".toml"):
                raw.update(tomllib.loads(entry.read_text("utf-8")))
    flat: dict[str, str] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(name, value)
            else:
                flat[name] = str(value)

    walk("", raw)
    return flat


@cache
def command_aliases() -> dict[str, tuple[str, ...]]:
    """Words that work like each command, from `messages/commands.toml`."""
    raw = tomllib.loads((resources.files("messages") / "commands.toml").read_text("utf-8"))
    return {name: tuple(words) for name, words in raw.items()}


class Renderer:
    """Templates and labels for every locale, rendered in a channel's format."""

    def __init__(self, timezone: str = "Asia/Ho_Chi_Minh") -> None:
        self.zone = ZoneInfo(timezone)
        self._envs = {locale: self._environment(locale) for locale in ("vi", "en")}

    def _environment(self, locale: str) -> Environment:
        env = Environment(
            loader=PackageLoader("messages", locale),
            undefined=StrictUndefined,
            autoescape=True,
            keep_trailing_newline=False,
            auto_reload=False,  # templates are read once; no stat of the file per message
        )
        env.filters["date"] = self.format_date
        env.filters["datetime"] = self.format_datetime
        env.filters["time"] = self.format_time
        env.filters["phone"] = phone_display
        env.filters["number"] = lambda value: format_number(value, locale)
        env.globals["label"] = lambda key, **ctx: self.label(locale, key, **ctx)
        return env

    def _localize(self, moment: datetime | date) -> datetime | date:
        if isinstance(moment, datetime):
            return moment.astimezone(self.zone)
        return moment

    def format_date(self, moment: datetime | date) -> str:
        """dd/mm/yyyy in the bot's time zone."""
        return self._localize(moment).strftime("%d/%m/%Y")

    def format_datetime(self, moment: datetime) -> str:
        """HH:MM dd/mm/yyyy in the bot's time zone (24-hour clock)."""
        return self._localize(moment).strftime("%H:%M %d/%m/%Y")

    def format_time(self, moment: datetime) -> str:
        """HH:MM in the bot's time zone."""
        return self._localize(moment).strftime("%H:%M")

    def render(self, locale: str, template: str, fmt: Format, **context: Any) -> str:
        """Render `messages/<locale>/<template>.j2` for a channel's format."""
        env = self._envs[locale if locale in self._envs else "vi"]
        text = env.get_template(f"{template}.j2").render(**context).strip()
        text = _BLANK_RUNS.sub("\n\n", text)
        return text if fmt is Format.HTML else to_plain(text)

    def label(self, locale: str, key: str, **context: Any) -> str:
        """A short label (button, field name) as plain text."""
        labels = _labels(locale if locale in self._envs else "vi")
        if key not in labels:
            raise KeyError(f"no label {key!r} for locale {locale!r}")
        text = labels[key]
        return _label_template(text).render(**context) if "{" in text else text

    def label_keys(self, locale: str) -> list[str]:
        """Every label key of a locale (for the test that renders them all)."""
        return sorted(_labels(locale))

    def template_names(self, locale: str) -> list[str]:
        """Every template of a locale, without the `.j2` suffix."""
        env = self._envs[locale]
        return sorted(name[:-3] for name in env.list_templates(extensions=["j2"]))


@cache
def _label_template(text: str) -> Template:
    return Environment(undefined=StrictUndefined, autoescape=False).from_string(text)
