"""`ocop-bot import certified`, `ocop-bot claim-code` and `ocop-bot export products`: a
province's existing certified products in, claim codes for their producers, and the officers'
spreadsheet out. Every line an officer reads is Vietnamese unless --lang en."""

from __future__ import annotations

import asyncio
import csv
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from openpyxl import Workbook

from bot.cli.certified_sheet import write_export
from bot.cli.products import export_app, import_app
from bot.cli.sheet_read import TooLarge, Unreadable, csv_rows, xlsx_rows
from bot.config import Settings
from handlers.account.codes import shown
from handlers.claims import codes as claim_codes
from handlers.claims import values
from handlers.claims.importing import COLUMNS, REQUIRED, Plan, Row, apply_plan, plan_import
from messages import Format, Renderer
from messages.sheets import append_row, csv_row
from storage import Store, open_database


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is already in the officer's language."""


def _say(renderer: Renderer, lang: str, key: str, **context: Any) -> str:
    return renderer.render(lang, f"certified/{key}", Format.PLAIN, **context).strip()


def _column_of(cell: Any, renderer: Renderer) -> str | None:
    text = values.loose(str(cell or ""))
    for key in COLUMNS:
        names = {key.replace("_", " "), values.loose(key)}
        names |= {values.loose(renderer.label(lang, f"certified_column.{key}"))
                  for lang in values.LOCALES}
        if text in names or text.endswith(values.loose(f"({key})")):
            return key
    if text in ("so giay chung nhan", "so gcn", "ten chu the", "co so san xuat"):
        return "certificate_number" if text.startswith("so") else "producer_name"
    return None


def read_rows(path: Path, renderer: Renderer, lang: str, need_province: bool) -> list[Row]:
    """The file's data rows (row numbers as the spreadsheet shows them), or FileProblem."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise FileProblem(_say(renderer, lang, "no_file_type", name=path.name))
    try:
        raw: list[list[Any]] = xlsx_rows(path) if suffix == ".xlsx" else list(csv_rows(path))
    except Unreadable as error:
        raise FileProblem(_say(renderer, lang, "file_problem", problem=error)) from error
    except UnicodeDecodeError as error:
        raise FileProblem(_say(renderer, lang, "file_problem", problem=error)) from error
    if not raw:
        raise FileProblem(_say(renderer, lang, "empty", name=path.name))
    columns = [_column_of(cell, renderer) for cell in raw[0]]
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        shown_names = ", ".join(renderer.label(lang, f"certified_column.{k}") for k in missing)
        raise FileProblem(_say(renderer, lang, "missing_columns", name=path.name,
                               columns=shown_names))
    if need_province and "province" not in columns:
        raise FileProblem(_say(renderer, lang, "no_province"))
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        by_key = {k: v for k, v in zip(columns, cells, strict=False) if k is not None}
        if all(v in (None, "") for v in by_key.values()):
            continue
        rows.append(Row(number=number, cells=by_key))
    return rows


def write_template(path: Path, renderer: Renderer, lang: str) -> None:
    """An empty import file: the Vietnamese headers with their keys, and one example row."""
    header = [f"{renderer.label('vi', f'certified_column.{k}')} ({k})" for k in COLUMNS]
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
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = renderer.label("vi", "export_column.sheet")
    append_row(sheet, header)
    append_row(sheet, example)
    sheet.freeze_panes = "A2"
    for index in range(len(COLUMNS)):
        sheet.column_dimensions[chr(ord("A") + index)].width = 22
    book.save(path)


def _reason(renderer: Renderer, lang: str, code: str, details: dict[str, Any]) -> str:
    shown_details = {k: v.strftime("%d/%m/%Y") if hasattr(v, "strftime") else v
                     for k, v in details.items()}
    return renderer.render(lang, f"certified_reason/{code}", Format.PLAIN,
                           **shown_details).strip()


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


def _shown(plan: Plan, renderer: Renderer, lang: str) -> bool:
    """Print the refused rows (False), or the preview (True)."""
    if not plan.ok:
        typer.echo(_say(renderer, lang, "refused", count=len(plan.refused)), err=True)
        for row, reasons in plan.refused:
            text = "; ".join(_reason(renderer, lang, c, d) for c, d in reasons)
            typer.echo("  " + _say(renderer, lang, "row", row=row, text=text), err=True)
        return False
    for line in preview(plan, renderer, lang):
        typer.echo(line)
    return True


async def run_import(
    settings: Settings, path: Path, province: str | None, actor: str, yes: bool,
    dry_run: bool, lang: str,
) -> int:
    """Read, check and (unless a dry run) record a list of certified products; the exit code."""
    renderer = Renderer(settings.timezone)
    config = settings.handler_config()
    try:
        rows = read_rows(path, renderer, lang, need_province=province is None)
    except TooLarge as problem:
        typer.echo(problem.explain(renderer), err=True)
        return 2
    except FileProblem as problem:
        typer.echo(str(problem), err=True)
        return 2
    typer.echo(_say(renderer, lang, "read", rows=len(rows), name=path.name))
    async with open_database(settings.database) as db:
        async with db.reading() as store:
            code = await province_code(store, province) if province else None
        if province and code is None:
            typer.echo(_say(renderer, lang, "province_unknown", typed=province), err=True)
            return 2
        if not yes or dry_run:  # preview first; with --yes the check below is the preview
            async with db.reading() as store:
                plan = await plan_import(store, renderer, config, rows, datetime.now(UTC), code)
            if not _shown(plan, renderer, lang):
                return 1
            if dry_run:
                typer.echo(_say(renderer, lang, "dry_run"))
                return 0
            if not plan.products:
                return 0
            if not typer.confirm(_say(renderer, lang, "confirm", count=len(plan.products))):
                typer.echo(_say(renderer, lang, "nothing"))
                return 0
        async with db.transaction() as store:  # checked (again): the bot may have changed things
            now = datetime.now(UTC)
            final = await plan_import(store, renderer, config, rows, now, code)
            if not yes and not final.ok:
                typer.echo(_say(renderer, lang, "changed"), err=True)
            if (yes and not _shown(final, renderer, lang)) or not final.ok:
                return 1
            summary = await apply_plan(store, final, actor, now)
    typer.echo(_say(renderer, lang, "done", **summary))
    return 0


@import_app.command("certified")
def import_certified(
    file: Annotated[Path, typer.Argument(help="the list, .xlsx or .csv")],
    template: Annotated[bool, typer.Option("--template", help="write an empty template")] = False,
    province: Annotated[str | None, typer.Option(help="the province of every row")] = None,
    actor: Annotated[str, typer.Option(help="who imports, for the audit log")] = "cli",
    yes: Annotated[bool, typer.Option("--yes", "-y", help="record without asking")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="check and preview only")] = False,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
) -> None:
    """Load a province's existing certified products: all rows, or none."""
    settings = Settings()
    renderer = Renderer(settings.timezone)
    if template:
        if file.exists():
            typer.echo(_say(renderer, lang, "template_exists", name=file), err=True)
            raise typer.Exit(2)
        write_template(file, renderer, lang)
        typer.echo(_say(renderer, lang, "template_written", name=file))
        return
    code = asyncio.run(run_import(settings, file, province, actor, yes, dry_run, lang))
    if code:
        raise typer.Exit(code)


def claim_code(
    producer: Annotated[int, typer.Option("--producer", help="the unclaimed producer's id")],
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
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
    app.command("claim-code")(claim_code)


@export_app.command("products")
def export_products(
    file: Annotated[Path, typer.Argument(help="the .xlsx file to write")],
    province: Annotated[str | None, typer.Option(help="a province, or a former one")] = None,
    lang: Annotated[str, typer.Option(help="vi or en")] = "vi",
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

