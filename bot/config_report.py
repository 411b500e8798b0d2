"""Settings problems told to people: one line per wrong variable, and unknown variables named."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from dotenv import dotenv_values
from pydantic import AliasChoices, ValidationError

from bot.config import Settings
from bot.config_rules import without_password
from messages import Renderer

PREFIXES = ("OCOP_", "TELEGRAM_", "ZALO_")
# A right value for the settings whose default shows none (the others show their default).
EXAMPLES = {
    "OCOP_DB_PATH": "/var/lib/ocop-bot/ocop.db",
    "OCOP_ADMINS": "telegram:12345,zalo:6ede9afa66b88fe6d6a9",
    "TELEGRAM_BOT_TOKEN": "123456789:AAE…",
    "ZALO_BOT_TOKEN": "1234567890:AbCdEf…",
    "OCOP_WEBHOOK_BASE_URL": "https://ocop.example.gov.vn",
    "OCOP_WEB_BASE_URL": "https://ocop.example.gov.vn",
    "TELEGRAM_WEBHOOK_SECRET": "mot-chuoi-bi-mat_2026",
    "ZALO_WEBHOOK_SECRET": "mot-chuoi-bi-mat-2026",
    "OCOP_QUIET_START": "21:00",
    "OCOP_QUIET_END": "07:00",
    "OCOP_DATABASE_URL": "postgresql://ocop:mat-khau@127.0.0.1:5432/ocop",
}
_SECRET_WORDS = ("TOKEN", "SECRET")
_renderer = Renderer()


def variable_of(name: str) -> str:
    """The environment variable that sets field `name` (or `name` if it is one already)."""
    field = Settings.model_fields.get(name)
    alias = field.validation_alias if field is not None else None
    return str(alias.choices[0]) if isinstance(alias, AliasChoices) else name


def known_variables() -> frozenset[str]:
    """Every variable the settings read."""
    return frozenset(variable_of(name) for name in Settings.model_fields)


def example_of(variable: str) -> str | None:
    """A right value of `variable`: a written example, else its default (if it has one)."""
    if variable in EXAMPLES:
        return EXAMPLES[variable]
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices) and alias.choices[0] == variable:
            default = field.default
            return None if default is None or default == "" else str(default)
    return None


def _shown(variable: str, value: object, locale: str) -> str:
    text = "" if value is None else str(value)
    if not text.strip():
        return _renderer.label(locale, "settings.empty")
    if any(word in variable for word in _SECRET_WORDS):
        return _renderer.label(locale, "settings.hidden")
    if variable == "OCOP_DATABASE_URL":
        return without_password(text)
    return text


def problem_text(kind: str, locale: str, fallback: str = "", **context: object) -> str:
    """The words for one kind of problem (`fallback`: the library's own, for an unknown kind)."""
    try:
        return _renderer.label(locale, f"settings.problem.{kind}", **context)
    except Exception:  # no such label, or a label needing context this problem lacks
        return _renderer.label(locale, "settings.problem.other", message=fallback or kind)


def line(variable: str, got: object, kind: str, locale: str = "vi", fallback: str = "",
         **context: object) -> str:
    """`Cấu hình sai: VARIABLE = “what was read” — what is wrong. Ví dụ đúng: VARIABLE=…`."""
    words = problem_text(kind, locale, fallback, **context)
    shown = _shown(variable, got, locale)
    example = example_of(variable)
    if example is None:
        return _renderer.label(locale, "settings.line_no_example", variable=variable,
                               got=shown, problem=words)
    return _renderer.label(locale, "settings.line", variable=variable, got=shown,
                           problem=words, example=example)


def describe(error: ValidationError, locale: str = "vi") -> str:
    """A settings error as one line per wrong variable, for people, not tracebacks."""
    lines = []
    for found in error.errors(include_url=False):
        context = dict(found.get("ctx") or {})
        variable = str(context.pop("variable", "")) or (
            variable_of(str(found["loc"][0])) if found["loc"] else "?"
        )
        got = context.pop("got", found.get("input"))
        kind = found["type"].removeprefix("setting_")
        lines.append(line(variable, got, kind, locale, found["msg"], **context))
    return "\n".join(lines)


def unknown_variables(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")
) -> list[str]:
    """`OCOP_*`, `TELEGRAM_*`, `ZALO_*` variables set here or in `.env` that no setting reads."""
    names: set[str] = set(os.environ if environ is None else environ)
    if env_file is not None and env_file.is_file():
        names |= {name for name in dotenv_values(env_file) if name}
    known = known_variables()
    return sorted(name for name in names
                  if name.upper().startswith(PREFIXES) and name.upper() not in known)


def unknown_lines(names: Iterable[str], locale: str = "vi") -> list[str]:
    """One warning line per unknown variable."""
    return [_renderer.label(locale, "settings.unknown", variable=name) for name in names]
