"""Loading the criteria: the checks, the refusal of a broken file, versions, every set's 100."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import Database
from storage.criteria_files import parse_criteria, read_folder
from storage.criteria_models import CriteriaRefused
from tests.assessment.criteria_files import SHARED, small_files

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _bytes(files: dict[str, str]) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in files.items()}


def _edit(files: dict[str, str], part: str, old: str, new: str) -> dict[str, bytes]:
    name = next(n for n in files if n.endswith(part))
    assert old in files[name], old
    return _bytes({**files, name: files[name].replace(old, new, 1)})


def _refused(files: dict[str, bytes]) -> list[tuple[str, int, str]]:
    with pytest.raises(CriteriaRefused) as refused:
        parse_criteria(files)
    return [(p.file, p.line, p.reason) for p in refused.value.problems]


def test_the_small_set_loads_with_its_version_and_sums() -> None:
    bundle = parse_criteria(_bytes(small_files((7, 8))))
    assert bundle.version == "26/2026"
    assert [s.set_no for s in bundle.sets] == [7, 8]
    first = bundle.sets[0]
    assert (first.maximum("A"), first.maximum("B"), first.maximum("C")) == (40, 25, 35)
    assert [c.code for c in first.scored] == ["1.1", "1.2", "2", "3", "4"]
    assert first.get("A:1.1") is not None and first.get("A:1.1").note.startswith("Yêu cầu")  # type: ignore[union-attr]


@pytest.mark.skipif(not SHARED.is_dir(), reason="the shared criteria are not beside the checkout")
def test_every_shared_set_has_a_maximum_of_100() -> None:
    bundle = parse_criteria(read_folder(SHARED))
    assert len(bundle.sets) == 26
    for criteria in bundle.sets:
        assert criteria.maximum() == 100, criteria.set_no
        assert (criteria.maximum("A"), criteria.maximum("B"), criteria.maximum("C")) == (
            40, 25, 35)
    tourism = bundle.sets[25]
    assert {o.case for o in tourism.get("C:8").options} == {"a", "b"}  # type: ignore[union-attr]
    assert len(bundle.evidence) == 15


def test_an_option_of_no_criterion_is_refused_with_its_line() -> None:
    files = small_files()
    broken = _edit(files, "options.csv", "7,B,2,1,", "7,B,9,1,")
    assert ("qd26-2026-options.csv", 8, "orphan_option") in _refused(broken)


def test_a_section_that_does_not_add_up_is_refused() -> None:
    broken = _edit(small_files(), "options.csv", "ngoài\",25", "ngoài\",24")
    reasons = _refused(broken)
    assert ("qd26-2026-criteria.csv", 6, "section_sum") in reasons
    assert ("qd26-2026-criteria.csv", 7, "criterion_max") in reasons


def test_a_star_level_other_than_3_4_5_is_refused() -> None:
    broken = _edit(small_files(), "options.csv", "đến 100%,20,4", "đến 100%,20,6")
    assert _refused(broken) == [("qd26-2026-options.csv", 4, "bad_min_star")]


def test_a_mixed_either_or_case_is_refused() -> None:
    broken = _edit(small_files(), "options.csv", "7,C,3,1,,", "7,C,3,1,a,")
    assert ("qd26-2026-options.csv", 0, "mixed_case") in _refused(broken)


def test_a_missing_file_and_a_missing_column_are_named() -> None:
    files = small_files()
    without = {n: t for n, t in files.items() if not n.endswith("options.csv")}
    assert _refused(_bytes(without)) == [("*options.csv", 0, "missing_file")]
    broken = _edit(files, "criteria.csv", "max_points", "maxpoints")
    assert _refused(broken) == [("qd26-2026-criteria.csv", 1, "missing_column")]
    bad_points = _edit(files, "options.csv", "dưới 50%,5,", "dưới 50%,năm,")
    assert ("qd26-2026-options.csv", 2, "bad_number") in _refused(bad_points)


async def test_loading_keeps_versions_and_reads_a_set_back(db: Database) -> None:
    bundle = parse_criteria(_bytes(small_files()))
    async with db.transaction() as store:
        assert await store.criteria.current_version() is None
        await store.criteria.load(bundle, "cli", NOW)
    other = parse_criteria(_bytes(small_files()), version="27/2027")
    async with db.transaction() as store:
        await store.criteria.load(other, "cli", NOW)
        await store.criteria.load(bundle, "cli", NOW)  # loading again replaces that version
        versions = {v.version: v.current for v in await store.criteria.versions()}
        assert versions == {"26/2026": True, "27/2027": False}
        criteria = await store.criteria.set_for("26/2026", 7)
        assert criteria is not None and criteria.maximum() == 100
        assert criteria.get("A:1.1").options[2].min_star == 4  # type: ignore[union-attr]
        assert len(await store.criteria.evidence("26/2026")) == 3
        assert await store.criteria.set_for("26/2026", 8) is None


def test_the_folder_reader_takes_only_csv_files(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("x", encoding="utf-8")
    (tmp_path / "a.csv").write_text("x", encoding="utf-8")
    assert list(read_folder(tmp_path)) == ["a.csv"]
