"""`ocop-bot invitations --province P FILE.pdf`: one printed page per producer of the province
who has not claimed their imported products yet (claim code, deep-link QR, Zalo steps)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.certified import province_code
from bot.cli.certified_read import say
from bot.cli.say import current, help_text
from bot.config import Settings
from handlers.claims.invitations import Invitation, prepare
from messages import Renderer
from storage import open_database


async def draw_invitations(
    settings: Settings, province: str, bot_username: str, by: str, now: datetime
) -> list[Invitation] | None:
    """Draw the codes and record the invitations; None when no province has that name."""
    config = settings.handler_config()
    async with open_database(settings.database) as db:
        async with db.reading() as store:
            code = await province_code(store, province)
        if code is None:
            return None
        async with db.transaction() as store:
            items = await prepare(store, code, bot_username, by, now, config.zone)
    return items


def invitations(
    file: Annotated[Path, typer.Argument(help=help_text("help.opt_pdf_out"))],
    province: Annotated[str, typer.Option(help=help_text("help.opt_province_invite"))],
    bot: Annotated[str | None, typer.Option(
        help=help_text("help.opt_bot_username"))] = None,
    actor: Annotated[str, typer.Option(help=help_text("help.opt_actor"))] = "cli",
    lang: Annotated[str, typer.Option(help=help_text("help.opt_lang"))] = "vi",
) -> None:
    """Print an invitation for every producer of the province who has not claimed yet."""
    lang = lang if lang == "en" else current()
    settings = Settings()
    renderer = Renderer(settings.timezone)
    username = (bot or settings.telegram_bot_username or "").lstrip("@")
    if file.suffix.lower() != ".pdf":
        typer.echo(say(renderer, lang, "invitations_pdf"), err=True)
        raise typer.Exit(2)
    if not username:
        typer.echo(say(renderer, lang, "no_bot_username"), err=True)
        raise typer.Exit(2)
    now = datetime.now(UTC)
    items = asyncio.run(draw_invitations(settings, province, username, actor, now))
    if items is None:
        typer.echo(say(renderer, lang, "province_unknown", typed=province), err=True)
        raise typer.Exit(2)
    if not items:
        typer.echo(say(renderer, lang, "invitations_none"))
        return
    day = now.astimezone(settings.handler_config().zone).date()
    from bot.sheets.invitations import invitations_pdf  # heavy (fpdf): only when printed

    file.write_bytes(invitations_pdf(renderer, lang, items, day))
    typer.echo(say(renderer, lang, "invitations_written", count=len(items), name=file,
                   until=items[0].until.strftime("%d/%m/%Y")))


def register(app: typer.Typer) -> None:
    """Add `invitations` to the CLI."""
    app.command("invitations", help=help_text("help.cmd_invitations"))(invitations)
