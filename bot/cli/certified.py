"""`ocop-bot import certified`, `ocop-bot claim-code` and `ocop-bot export products`: a
province's existing certified products in, claim codes for their producers, and the officers'
spreadsheet out. Every line an officer reads is Vietnamese unless --lang en."""

from __future__ import annotations

import asyncio
import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from bot.cli.certified_read import FileProblem, Table, file_sheets, ignored_text, say, table_of
from bot.cli.certified_refused import reason_text, reasons_text, refused_path, write_refused
from bot.cli.certified_sheet import write_export
from bot.cli.products import export_app, import_app
from bot.cli.say import LANG, confirm, help_text, output_file
from bot.cli.sheet_read import TooLarge
from bot.config import Settings
from handlers.account.codes import shown
from handlers.claims import codes as claim_codes
from handlers.claims import values
from handlers.claims.importing import COLUMNS, Plan, apply_plan, plan_import
from messages import Renderer
from messages.sheets import append_row, csv_row, new_sheet
from storage import Store, open_database


def _say(renderer: Renderer, lang: str, key: str, **context: Any) -> str:
    return say(renderer, lang, key, **context)


def write_template(path: Path, renderer: Renderer, lang: str) -> None:
    """An empty import file: the columns as officers name them, and one example row."""
    header = [renderer.label("vi", f"certified_column.{k}") for k in COLUMNS]
    example = [
        _say(renderer, lang, "example_product"), _say(renderer, lang, "example_producer"),
        _say(renderer, lang, "example_entity"), _say(renderer, lang, "example_contact"),
        "0912345678", "Trà Vinh", _say(renderer, lang, "example_commune"),
        _say(renderer, lang, "example_set"), "4 sao", 78.5, "1234/QĐ-UBND", "15/11/2023",
        "TV-2023-001", _say(renderer, lang, "example_authority"),
    ]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(csv_row(header))
            writer.writerow(csv_row(example))
        return

    book, sheet = new_sheet(renderer.label("vi", "export_column.sheet"), header)
    append_row(sheet, example)
    sheet.freeze_panes = "A2"
    for index in range(len(COLUMNS)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 22
    book.save(path)


def _reason(renderer: Renderer, lang: str, code: str, details: dict[str, Any]) -> str:
    return reason_text(renderer, lang, code, details)


def preview(plan: Plan, renderer: Renderer, lang: str) -> list[str]:
    """The dry-run summary: what is new, what is there, what expires, what to check."""
    lines = [
        _say(renderer, lang, "summary", new=len(plan.products), already=plan.already),
        _say(renderer, lang, "producers", new=len(plan.new_producers), matched=len(plan.matched)),
        _say(renderer, lang, "certificates", expired=plan.expired, expiring=plan.expiring,
             unknown=plan.unknown_expiry),
        _say(renderer, lang, "unknown_entity", count=plan.unknown_entity, sets=plan.no_set),
    ]
    for row, (code, details) in plan.warnings:
        lines.append(_say(renderer, lang, "warning", row=row,
                          text=_reason(renderer, lang, code, details)))
    if plan.duplicates:
        lines.append(_say(renderer, lang, "duplicates"))
        lines += [_say(renderer, lang, "duplicate", names=" / ".join(group))
                  for group in plan.duplicates]
    return lines


async def province_code(store: Store, typed: str) -> str | None:
    """The province a --province option names (former names lead to today's province)."""
    found = values.province_of(typed, await store.reference.provinces())
    return found[0] if found else None


def _shown(plan: Plan, renderer: Renderer, lang: str, skip_bad: bool) -> bool:
    """Print the refused rows, then the preview; False when the import must stop here."""
    if not plan.ok:
        key = "refused_skipped" if skip_bad else "refused"
        typer.echo(_say(renderer, lang, key, count=len(plan.refused)), err=True)
        for row, reasons in plan.refused:
            typer.echo("  " + _say(renderer, lang, "row", row=row,
                                   text=reasons_text(renderer, lang, reasons)), err=True)
        if not skip_bad:
            typer.echo(_say(renderer, lang, "skip_hint"), err=True)
            return False
    for line in preview(plan, renderer, lang):
        typer.echo(line)
    return True


def _read(path: Path, renderer: Renderer, lang: str, need_province: bool,
          columns: list[str]) -> Table | None:
    try:
        table = table_of(file_sheets(path, renderer, lang), path.name, renderer, lang,
                         need_province, columns)
    except TooLarge as problem:
        typer.echo(problem.explain(renderer), err=True)
        return None
    except FileProblem as problem:
        typer.echo(str(problem), err=True)
        return None
    typer.echo(_say(renderer, lang, "read", rows=len(table.rows), name=path.name))
    typer.echo(_say(renderer, lang, "layout", sheet=table.layout.sheet,
                    row=table.layout.header_row))
    if ignored_text(table):
        typer.echo(_say(renderer, lang, "ignored", columns=ignored_text(table)))
    if table.sections:
        typer.echo(_say(renderer, lang, "sections", count=len(table.sections),
                        rows=", ".join(map(str, table.sections[:20]))))
    return table


@dataclass(frozen=True)
class ImportOptions:
    """How `import certified` was asked to run."""

    province: str | None = None
    actor: str = "cli"
    yes: bool = False
    dry_run: bool = False
    lang: str = "vi"
    columns: tuple[str, ...] = ()
    skip_bad: bool = False
    refused: Path | None = None


async def run_import(settings: Settings, path: Path, options: ImportOptions) -> int:
    """Read, check and (unless a dry run) record a list of certified products; the exit code."""
    renderer, lang, province = Renderer(settings.timezone), options.lang, options.province
    config = settings.handler_config()
    table = _read(path, renderer, lang, province is None, list(options.columns))
    if table is None:
        return 2
    refused_file = options.refused or refused_path(path)
    async with open_database(settings.database) as db:
        async with db.reading() as store:
            code = await province_code(store, province) if province else None
        if province and code is None:
            typer.echo(_say(renderer, lang, "province_unknown", typed=province), err=True)
            return 2
        if not options.yes or options.dry_run:  # preview first; with --yes, the check below
            async with db.reading() as store:
                plan = await plan_import(store, renderer, config, table.rows,
                                         datetime.now(UTC), code)
            if not _shown(plan, renderer, lang, options.skip_bad):
                return 1
            if plan.refused:
                write_refused(refused_file, table, plan, renderer, lang)
                typer.echo(_say(renderer, lang, "refused_file", count=len(plan.refused),
                                name=refused_file))
            if options.dry_run:
                typer.echo(_say(renderer, lang, "dry_run"))
                return 0
            if not plan.products:
                return 0
            if not confirm(_say(renderer, lang, "confirm", count=len(plan.products))):
                typer.echo(_say(renderer, lang, "nothing"))
                return 0
        async with db.transaction() as store:  # checked (again): the bot may have changed things
            now = datetime.now(UTC)
            final = await plan_import(store, renderer, config, table.rows, now, code)
            if not options.yes and not final.ok and not options.skip_bad:
                typer.echo(_say(renderer, lang, "changed"), err=True)
            if options.yes and not _shown(final, renderer, lang, options.skip_bad):
                return 1
            if not final.ok and not options.skip_bad:
                return 1
            if final.refused and options.yes:
                write_refused(refused_file, table, final, renderer, lang)
                typer.echo(_say(renderer, lang, "refused_file", count=len(final.refused),
                                name=refused_file))
            summary = await apply_plan(store, final, options.actor, now, options.skip_bad)
    typer.echo(_say(renderer, lang, "done", **summary))
    return 0


@import_app.command("certified", help=help_text("help.cmd_import_certified"))
def import_certified(
    file: Annotated[Path, typer.Argument(help=help_text("help.opt_list_file"))],
    template: Annotated[bool, typer.Option(
        "--template", help=help_text("help.opt_template"))] = False,
    province: Annotated[str | None, typer.Option(help=help_text("help.opt_province_rows"))] = None,
    actor: Annotated[str, typer.Option(help=help_text("help.opt_actor"))] = "cli",
    yes: Annotated[bool, typer.Option("--yes", "-y", help=help_text("help.opt_yes"))] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help=help_text("help.opt_dry_run"))] = False,
    lang: Annotated[str, typer.Option(help=help_text("help.opt_lang"))] = LANG,
    column: Annotated[list[str] | None, typer.Option(
        "--column", help=help_text("help.opt_column"))] = None,
    skip_bad: Annotated[bool, typer.Option(
        "--skip-bad", help=help_text("help.opt_skip_bad"))] = False,
    refused: Annotated[Path | None, typer.Option(help=help_text("help.opt_refused"))] = None,
) -> None:
    """Load a province's existing certified products: all rows or none, unless --skip-bad."""
    settings = Settings()
    renderer = Renderer(settings.timezone)
    if template:
        output_file(file, ".xlsx", ".csv")
        if file.exists():
            typer.echo(_say(renderer, lang, "template_exists", name=file), err=True)
            raise typer.Exit(2)
        write_template(file, renderer, lang)
        typer.echo(_say(renderer, lang, "template_written", name=file))
        return
    options = ImportOptions(province, actor, yes, dry_run, lang, tuple(column or ()), skip_bad,
                            refused)
    code = asyncio.run(run_import(settings, file, options))
    if code:
        raise typer.Exit(code)


def claim_code(
    producer: Annotated[int, typer.Option("--producer", help=help_text("help.opt_producer"))],
    lang: Annotated[str, typer.Option(help=help_text("help.opt_lang"))] = LANG,
) -> None:
    """Draw a one-time code a producer types to claim their imported products."""
    settings = Settings()
    renderer = Renderer(settings.timezone)

    async def main() -> tuple[str | None, str]:
        async with open_database(settings.database) as db, db.transaction() as store:
            code = await claim_codes.draw(store, producer, "cli", datetime.now(UTC))
            found = await store.users.producer(producer)
            return code, found.name if found else ""

    code, name = asyncio.run(main())
    if code is None:
        typer.echo(_say(renderer, lang, "not_unclaimed", id=producer), err=True)
        raise typer.Exit(1)
    typer.echo(_say(renderer, lang, "code_for", name=name, id=producer, code=shown(code),
                    days=claim_codes.CODE_TTL.days))


def register(app: typer.Typer) -> None:
    """Add `claim-code` to the CLI (`import certified`, `export products` join their groups)."""
    app.command("claim-code", help=help_text("help.cmd_claim_code"))(claim_code)


@export_app.command("products", help=help_text("help.cmd_export_products"))
def export_products(
    file: Annotated[Path, typer.Argument(help=help_text("help.opt_xlsx_out"))],
    province: Annotated[str | None, typer.Option(
        help=help_text("help.opt_province_former"))] = None,
    lang: Annotated[str, typer.Option(help=help_text("help.opt_lang"))] = LANG,
) -> None:
    """Products with producer, certificate, expiry and whether the producer claimed them."""
    settings = Settings()
    renderer = Renderer(settings.timezone)
    if file.suffix.lower() != ".xlsx":
        typer.echo(_say(renderer, lang, "export_xlsx"), err=True)
        raise typer.Exit(2)
    result = asyncio.run(write_export(settings, renderer, province, file))
    if result is None:
        typer.echo(_say(renderer, lang, "province_unknown", typed=province or ""), err=True)
        raise typer.Exit(2)
    count, former, name = result
    if former:
        typer.echo(_say(renderer, lang, "exported_former", count=count, former=former,
                        province=name, name=file))
    else:
        typer.echo(_say(renderer, lang, "exported", count=count, name=file))

