"""The checks a set of criteria must pass before it is loaded (the sums of 26/2026/QĐ-TTg)."""

from __future__ import annotations

from storage.criteria_models import SECTION_MAX, SECTIONS, CriteriaSet, Criterion, Problem


def _fmt(value: float) -> str:
    return f"{value:g}"


def check_sets(sets: list[CriteriaSet], crit_file: str, opt_file: str) -> list[Problem]:
    """Every problem of the sets: options where they belong, the maxima, the either/or cases."""
    problems: list[Problem] = []
    for criteria in sets:
        for row in criteria.rows:
            problems.extend(_check_row(criteria, row, crit_file, opt_file))
        for name in SECTIONS:
            problems.extend(_check_section(criteria, name, crit_file))
    return problems


def _check_row(criteria: CriteriaSet, row: Criterion, crit_file: str,
               opt_file: str) -> list[Problem]:
    line = criteria.lines.get(row.key, 0)
    where = {"set": str(criteria.set_no), "code": f"{row.section} {row.code}"}
    if not row.scored:
        if row.options:
            return [Problem(opt_file, 0, "option_on_heading", where)]
        return []
    if not row.options:
        return [Problem(crit_file, line, "no_options", where)]
    if row.best() != row.max_points:
        details = {**where, "best": _fmt(row.best()), "max": _fmt(row.max_points)}
        return [Problem(crit_file, line, "criterion_max", details)]
    cases = {o.case for o in row.options}
    if len(cases) > 1 and "" in cases:
        return [Problem(opt_file, 0, "mixed_case", where)]
    bests = {max(o.points for o in row.options if o.case == c) for c in cases}
    if len(bests) > 1:
        return [Problem(opt_file, 0, "case_unequal", where)]
    return []


def _check_section(criteria: CriteriaSet, name: str, crit_file: str) -> list[Problem]:
    where = {"set": str(criteria.set_no), "section": name}
    row = criteria.section(name)
    if row is None:
        return [Problem(crit_file, 0, "missing_section", where)]
    total = criteria.maximum(name)
    if total != SECTION_MAX[name] or row.max_points != SECTION_MAX[name]:
        details = {**where, "sum": _fmt(total), "max": _fmt(SECTION_MAX[name])}
        return [Problem(crit_file, criteria.lines.get(row.key, 0), "section_sum", details)]
    return []
