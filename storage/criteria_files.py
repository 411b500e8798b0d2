"""Read the criteria CSV files (26/2026/QĐ-TTg format) and check them before anything is saved.

A broken file is refused as a whole: the problems name the file, the line and the reason (a
label key under `criteria_problem.` in messages/), and nothing is loaded.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path

from storage.criteria_checks import check_sets
from storage.criteria_models import (
    SECTIONS,
    STAR_LEVELS,
    CriteriaBundle,
    CriteriaRefused,
    CriteriaSet,
    Criterion,
    EvidenceRow,
    Option,
    Problem,
)

FILES = {
    "sets": "product-sets.csv",
    "criteria": "criteria.csv",
    "options": "options.csv",
    "evidence": "mau02-evidence.csv",  # optional
}
COLUMNS = {
    "sets": ("set_no", "slug", "set_title_annex_II", "disqualification_text"),
    "criteria": ("set_no", "section", "code", "parent_code", "depth", "label", "max_points",
                 "kind"),
    "options": ("set_no", "section", "criterion_code", "option_no", "label", "points"),
    "evidence": ("row_no", "content", "required_evidence"),
}
KINDS = ("section", "heading", "criterion", "criterion_yes_no")
_VERSION = re.compile(r"qd(\d+)-(\d{4})")


Rows = list[tuple[int, dict[str, str]]]


def version_of(names: list[str]) -> str | None:
    """The decision a file name says the criteria come from ("qd26-2026-…" → "26/2026")."""
    for name in names:
        found = _VERSION.search(name.lower())
        if found:
            return f"{found.group(1)}/{found.group(2)}"
    return None


def read_folder(folder: Path) -> dict[str, bytes]:
    """The CSV files of a folder, by file name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix == ".csv"}


def parse_criteria(files: Mapping[str, bytes], version: str | None = None) -> CriteriaBundle:
    """Check the CSV files (name → content) and return the criteria, or raise CriteriaRefused."""
    problems: list[Problem] = []
    named = {part: _find(files, suffix) for part, suffix in FILES.items()}
    for part in ("sets", "criteria", "options"):
        if named[part] is None:
            problems.append(Problem(f"*{FILES[part]}", 0, "missing_file"))
    version = version or version_of(list(files))
    if version is None:
        problems.append(Problem("", 0, "no_version"))
    if problems:
        raise CriteriaRefused(problems)
    tables = {part: _rows(name, files[name], part, problems)
              for part, name in named.items() if name is not None}
    if problems:
        raise CriteriaRefused(problems)
    assert version is not None
    sets = _build(named, tables, version, problems)
    evidence = _evidence(named.get("evidence") or "", tables.get("evidence", []), problems)
    if not problems:
        problems.extend(check_sets(sets, named["criteria"] or "", named["options"] or ""))
    if problems:
        raise CriteriaRefused(problems)
    return CriteriaBundle(version=version, sets=tuple(sets), evidence=tuple(evidence))


def _find(files: Mapping[str, bytes], suffix: str) -> str | None:
    return next((name for name in files if name.lower().endswith(suffix)), None)


def _rows(name: str, content: bytes, part: str, problems: list[Problem]) -> Rows:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.append(Problem(name, 0, "not_utf8"))
        return []
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in COLUMNS[part] if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(Problem(name, 1, "missing_column", {"column": ", ".join(missing)}))
        return []
    return [(line, {k: (v or "").strip() for k, v in row.items() if k})
            for line, row in enumerate(reader, start=2)]


def _number(value: str, name: str, line: int, column: str, problems: list[Problem]) -> float:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        problems.append(Problem(name, line, "bad_number", {"column": column, "value": value}))
        return 0.0


def _build(named: Mapping[str, str | None], tables: Mapping[str, Rows], version: str,
           problems: list[Problem]) -> list[CriteriaSet]:
    sets_file, crit_file, opt_file = (named[p] or "" for p in ("sets", "criteria", "options"))
    heads: dict[int, dict[str, str]] = {}
    for line, row in tables["sets"]:
        no = int(_number(row["set_no"], sets_file, line, "set_no", problems))
        if no in heads:
            problems.append(Problem(sets_file, line, "duplicate", {"value": row["set_no"]}))
        heads[no] = row
    options: dict[tuple[int, str, str], list[Option]] = {}
    lines: dict[tuple[int, str, str], int] = {}
    rows: dict[int, list[Criterion]] = {no: [] for no in heads}
    for line, row in tables["criteria"]:
        no = int(_number(row["set_no"], crit_file, line, "set_no", problems))
        if no not in heads:
            problems.append(Problem(crit_file, line, "unknown_set", {"value": row["set_no"]}))
            continue
        if row["section"] not in SECTIONS or row["kind"] not in KINDS:
            column = "section" if row["section"] not in SECTIONS else "kind"
            problems.append(Problem(crit_file, line, f"bad_{column}", {"value": row[column]}))
            continue
        key = (no, row["section"], row["code"])
        if key in lines:
            problems.append(Problem(crit_file, line, "duplicate", {"value": row["code"]}))
        lines[key] = line
        options[key] = []
        rows[no].append(Criterion(
            section=row["section"], code=row["code"], parent=row["parent_code"],
            depth=int(_number(row["depth"], crit_file, line, "depth", problems)),
            label=row["label"], kind=row["kind"], note=row.get("source_notes", ""),
            max_points=_number(row["max_points"], crit_file, line, "max_points", problems),
        ))
    for line, row in tables["options"]:
        no = int(_number(row["set_no"], opt_file, line, "set_no", problems))
        key = (no, row["section"], row["criterion_code"])
        if key not in options:
            problems.append(Problem(opt_file, line, "orphan_option",
                                    {"value": f"{row['section']} {row['criterion_code']}"}))
            continue
        star = row.get("min_star", "")
        if star and star not in {str(s) for s in STAR_LEVELS}:
            problems.append(Problem(opt_file, line, "bad_min_star", {"value": star}))
            continue
        case = row.get("case", "").lower()
        if case not in ("", "a", "b"):
            problems.append(Problem(opt_file, line, "bad_case", {"value": case}))
            continue
        option_no = int(_number(row["option_no"], opt_file, line, "option_no", problems))
        if any(o.no == option_no for o in options[key]):
            problems.append(Problem(opt_file, line, "duplicate", {"value": row["option_no"]}))
        options[key].append(Option(
            no=option_no, label=row["label"], case=case, min_star=int(star) if star else None,
            points=_number(row["points"], opt_file, line, "points", problems),
        ))
    built = []
    for no, head in sorted(heads.items()):
        criteria = tuple(
            _with_options(c, options[(no, c.section, c.code)]) for c in rows[no]
        )
        built.append(CriteriaSet(
            version=version, set_no=no, slug=head["slug"], title=head["set_title_annex_II"],
            disqualification=head["disqualification_text"],
            star_legend=head.get("star_legend_present", "yes").lower() != "no", rows=criteria,
            lines={c.key: lines[(no, c.section, c.code)] for c in criteria},
        ))
    return built


def _with_options(row: Criterion, options: list[Option]) -> Criterion:
    return Criterion(
        section=row.section, code=row.code, parent=row.parent, depth=row.depth, label=row.label,
        max_points=row.max_points, kind=row.kind, note=row.note,
        options=tuple(sorted(options, key=lambda o: o.no)),
    )


def _evidence(name: str, rows: Rows, problems: list[Problem]) -> list[EvidenceRow]:
    found = []
    for line, row in rows:
        no = int(_number(row["row_no"], name, line, "row_no", problems))
        found.append(EvidenceRow(row_no=no, content=row["content"],
                                 required=row["required_evidence"]))
    return found


MAX_UNZIPPED = 20 * 1024 * 1024  # the 26 sets are about 1 MB; more is not criteria


def read_zip(content: bytes) -> dict[str, bytes]:
    """The CSV files inside a zip (by base name), or CriteriaRefused if it is not a usable zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise CriteriaRefused([Problem("*.zip", 0, "not_zip")]) from None
    members = [m for m in archive.infolist()
               if m.filename.lower().endswith(".csv") and not m.is_dir()]
    if sum(m.file_size for m in members) > MAX_UNZIPPED:
        raise CriteriaRefused([Problem("*.zip", 0, "too_large")])
    return {m.filename.rsplit("/", 1)[-1]: archive.read(m) for m in members}
