"""`ocop-bot rules show|set`: the rules in force with their articles, corrected by an officer."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from bot.cli.say import current, help_text, say
from bot.config import Settings
from handlers.common.rules import MAX_TEXT, parse_rule_value, rules_context, shown_value
from handlers.rating.rules import parse_date
from messages import Format, Renderer
from storage import open_database

rules_app = typer.Typer(help=help_text("help.rules_group"),
                        no_args_is_help=True)
Lang = Annotated[str, typer.Option("--lang", help=help_text("help.opt_lang"))]


def _lang(lang: str) -> str:
    if lang not in ("vi", "en"):
        raise typer.BadParameter(say("help.opt_lang"), param_hint="--lang")
    return lang if lang == "en" else current()  # the root --lang counts too


async def _show(settings: Settings, lang: str) -> str:
    renderer = Renderer(settings.timezone)
    async with open_database(settings.database) as db, db.reading() as store:
        context = await rules_context(store, lang)
    return renderer.render(lang, "rules/show", Format.PLAIN, **context)


@rules_app.command("show", help=help_text("help.cmd_rules_show"))
def show(lang: Lang = "vi") -> None:
    """Print every rule with its value, decision and article."""
    typer.echo(asyncio.run(_show(Settings(), _lang(lang))))


async def _set(settings: Settings, key: str, value: str, article: str | None,
               lang: str) -> tuple[bool, str]:
    renderer = Renderer(settings.timezone)
    now = datetime.now(UTC)
    async with open_database(settings.database) as db, db.transaction() as store:
        rule = await store.rules.get(key)
        if rule is None:
            keys = [r.key for r in await store.rules.all()]
            return False, renderer.render(lang, "rules/set_unknown", Format.PLAIN, key=key,
                                          keys=keys)
        stored = parse_rule_value(rule, value)
        if stored is None:
            return False, renderer.render(lang, "rules/set_bad", Format.PLAIN, key=key,
                                          value=value, kind=rule.kind)
        article = article.strip() if article and article.strip() else None
        await store.rules.correct(key, stored, "cli", now, article=article)
        corrected = await store.rules.get(key)
        assert corrected is not None
        await store.audit.record("cli", "rule_corrected", now, subject=f"rule:{key}",
                                 details={"old": rule.value, "new": stored,
                                          "article": article or rule.article})
    return True, renderer.render(lang, "rules/set_done", Format.PLAIN, key=key,
                                 name=rule.name(lang), old=shown_value(rule),
                                 value=shown_value(corrected), article=article)


@rules_app.command("set", help=help_text("help.cmd_rules_set"))
def set_rule(
    key: Annotated[str, typer.Argument(help=help_text("help.arg_rule_key"))],
    value: Annotated[str, typer.Argument(help=help_text("help.arg_rule_value"))],
    article: Annotated[str | None, typer.Option(help=help_text("help.opt_article"))] = None,
    lang: Lang = "vi",
) -> None:
    """Correct a rule (audited); with --article it counts as checked against the gazette."""
    ok, text = asyncio.run(_set(Settings(), key, value, article, _lang(lang)))
    typer.echo(text, err=not ok)
    if not ok:
        raise typer.Exit(1)


async def _day_off(settings: Settings, day: date, name: str) -> str:
    now = datetime.now(UTC)
    async with open_database(settings.database) as db, db.transaction() as store:
        await store.communes.add_day_off(day, name, "cli", now)
        await store.audit.record("cli", "day_off_added", now, subject=f"day:{day.isoformat()}",
                                 details={"name": name})
    return say("rules.day_off", day=f"{day:%d/%m/%Y}", name=name)


@rules_app.command("day-off", help=help_text("help.cmd_rules_day_off"))
def day_off(
    day: Annotated[str, typer.Argument(help=help_text("help.arg_day"))],
    name: Annotated[str, typer.Argument(help=help_text("help.arg_day_name"))],
) -> None:
    """Add a day off beyond Vietnam's public holidays (audited)."""
    parsed = parse_date(day)
    if parsed is None or not name.strip():
        raise typer.BadParameter(say("rules.bad_day"), param_hint=say("usage.argument.day"))
    typer.echo(asyncio.run(_day_off(Settings(), parsed, name.strip())))


async def _ground(settings: Settings, code: str, text: str, text_en: str | None,
                  article: str | None) -> bool:
    now = datetime.now(UTC)
    async with open_database(settings.database) as db, db.transaction() as store:
        if not await store.rules.correct_ground(code, text, text_en, article):
            return False
        await store.audit.record("cli", "revocation_ground_corrected", now,
                                 subject=f"ground:{code}",
                                 details={"text": text, "article": article})
    return True


@rules_app.command("ground", help=help_text("help.cmd_rules_ground"))
def ground(
    code: Annotated[str, typer.Argument(help=help_text("help.arg_ground_code"))],
    text: Annotated[str, typer.Option(help=help_text("help.opt_ground_text"))],
    text_en: Annotated[str | None, typer.Option(help=help_text("help.opt_ground_text_en"))] = None,
    article: Annotated[str | None, typer.Option(help=help_text("help.opt_article"))] = None,
) -> None:
    """Reword a revocation ground as the decision writes it (audited)."""
    if not text.strip() or len(text) > MAX_TEXT:
        raise typer.BadParameter(say("rules.bad_text", max=MAX_TEXT), param_hint="--text")
    if not asyncio.run(_ground(Settings(), code, text.strip(), text_en, article)):
        typer.echo(say("rules.no_ground", code=code), err=True)
        raise typer.Exit(1)
    typer.echo(say("rules.ground_done", code=code))
