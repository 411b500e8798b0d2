"""Typed OCOP criteria: a product set's sections, criteria and options, as loaded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

SECTIONS = ("A", "B", "C")
SECTION_MAX = {"A": 40.0, "B": 25.0, "C": 35.0}
STAR_LEVELS = (3, 4, 5)
SCORED_KINDS = ("criterion", "criterion_yes_no")


@dataclass(frozen=True)
class Option:
    """One tick box of a criterion: its points and the star level it is the minimum for."""

    no: int
    label: str
    points: float
    min_star: int | None = None
    case: str = ""  # "a"/"b": the tourism set's either/or cases


@dataclass(frozen=True)
class Criterion:
    """A row of the criteria table: a section, a heading, or a criterion with options."""

    section: str
    code: str
    parent: str
    depth: int
    label: str
    max_points: float
    kind: str
    note: str = ""
    options: tuple[Option, ...] = ()

    @property
    def key(self) -> str:
        """The criterion's key in a self-assessment: section and code, `A:1.1`."""
        return f"{self.section}:{self.code}"

    @property
    def scored(self) -> bool:
        """Whether a producer picks an option here (a criterion, not a heading)."""
        return self.kind in SCORED_KINDS

    def option(self, no: int | None) -> Option | None:
        """The option with this number."""
        return next((o for o in self.options if o.no == no), None)

    def best(self) -> float:
        """The most points an option gives."""
        return max((o.points for o in self.options), default=0.0)

    def minimum_for(self, stars: int) -> Option | None:
        """The highest option marked as a minimum for this level or a lower one."""
        marked = [o for o in self.options if o.min_star is not None and o.min_star <= stars]
        return max(marked, key=lambda o: o.points, default=None)


@dataclass(frozen=True)
class CriteriaSet:
    """One product set's criteria (26/2026/QĐ-TTg, Phụ lục II) in the order of the source."""

    version: str
    set_no: int
    slug: str
    title: str
    disqualification: str
    star_legend: bool
    rows: tuple[Criterion, ...]
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # file lines
    _by_key: dict[str, Criterion] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({row.key: row for row in self.rows})

    @property
    def scored(self) -> list[Criterion]:
        """The criteria a producer answers, in order."""
        return [row for row in self.rows if row.scored]

    def get(self, key: str) -> Criterion | None:
        """The row with this key (`A:1.1`)."""
        return self._by_key.get(key)

    def heading_of(self, row: Criterion) -> Criterion | None:
        """The heading a criterion sits under (None directly under a section)."""
        parent = self._by_key.get(f"{row.section}:{row.parent}")
        return parent if parent is not None and parent.kind == "heading" else None

    def section(self, name: str) -> Criterion | None:
        """The section row A, B or C."""
        return self._by_key.get(f"{name}:{name}")

    def maximum(self, section: str | None = None) -> float:
        """The most points the set (or one section) can give."""
        return sum(c.best() for c in self.scored if section in (None, c.section))


@dataclass(frozen=True)
class EvidenceRow:
    """One row of Mẫu 02's evidence guide: what the content is and what proves it."""

    row_no: int
    content: str
    required: str


@dataclass(frozen=True)
class CriteriaBundle:
    """Everything one version of the criteria holds, as read from its files."""

    version: str
    sets: tuple[CriteriaSet, ...]
    evidence: tuple[EvidenceRow, ...] = ()


@dataclass(frozen=True)
class CriteriaVersion:
    """A loaded version of the criteria."""

    version: str
    loaded_at: str
    loaded_by: str
    current: bool
    sets: int


@dataclass(frozen=True)
class Problem:
    """Why a file was refused: the file, its line (1 = the header) and a reason key."""

    file: str
    line: int
    reason: str
    details: Mapping[str, str] = field(default_factory=dict)


class CriteriaRefused(Exception):
    """The files do not make a valid set of criteria."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the criteria files")
        self.problems = problems
