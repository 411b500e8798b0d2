"""Loading the criteria (CLI and console): check the files, save them as a version, audit it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from messages import Renderer
from storage import Store
from storage.criteria_files import parse_criteria
from storage.criteria_models import CriteriaBundle, Problem


async def load_criteria(store: Store, files: Mapping[str, bytes], version: str | None,
                        by: str, now: datetime) -> CriteriaBundle:
    """Check and load the CSV files as one version; raises CriteriaRefused, changing nothing."""
    bundle = parse_criteria(files, version)
    await store.criteria.load(bundle, by, now)
    await store.audit.record(by, "criteria_loaded", now, subject=f"criteria:{bundle.version}",
                             details={"sets": len(bundle.sets)})
    return bundle


def problem_lines(renderer: Renderer, locale: str, problems: list[Problem]) -> list[str]:
    """Each problem as one line: the file, the line and the reason in the reader's language."""
    lines = []
    for problem in problems:
        reason = renderer.label(locale, f"criteria_problem.{problem.reason}", **problem.details)
        where = f"{problem.file}:{problem.line}" if problem.line else problem.file
        lines.append(f"{where}: {reason}" if where else reason)
    return lines
