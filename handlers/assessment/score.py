"""The result of a self-assessment: points per part, the band, the stars it can expect, and
what it lacks for the next star.

The stars are the band of the points (star bands 50/70/90), capped by the star minimums: a
level L holds only when every criterion with an option marked as the minimum for L or a lower
level is answered with at least that option (the source's legend: "Dấu sao là yêu cầu tối
thiểu phải đạt theo các cấp độ sao").
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.assessments import Answers
from storage.criteria_models import SECTIONS, STAR_LEVELS, CriteriaSet, Criterion, Option
from storage.product_models import StarBand

GAINS_SHOWN = 3


@dataclass(frozen=True)
class Shortfall:
    """A criterion below a star minimum: what is chosen and what the level asks for."""

    criterion: Criterion
    chosen: Option | None
    needed: Option
    stars: int


@dataclass(frozen=True)
class Gain:
    """One step up on a criterion and the points it adds."""

    criterion: Criterion
    chosen: Option | None
    step: Option
    points: float


@dataclass(frozen=True)
class Result:
    """Where a product stands by its self-assessment."""

    parts: dict[str, float]
    total: float
    band: int  # the stars the points alone give (1–5)
    cap: int  # the highest level whose minimums are all met (2: not even 3★'s)
    stars: int  # min(band, cap)
    certified: bool  # whether `stars` is a level that is recognised (3★ and up)
    next_star: int | None  # the level to aim for next; None at 5★
    points_needed: float  # more points the next level's band needs (0 if the points suffice)
    shortfalls: tuple[Shortfall, ...]  # unmet minimums up to the next level, lowest level first
    gains: tuple[Gain, ...]  # the few steps up that add most points
    unsure: tuple[Criterion, ...]  # answered "chưa rõ" (counted 0)
    unanswered: tuple[Criterion, ...]


def chosen_option(row: Criterion, answers: Answers) -> Option | None:
    """The option picked for a criterion (None when skipped or not answered)."""
    return row.option(answers.get(row.key))


def band_of(total: float, bands: list[StarBand]) -> StarBand:
    """The star band a number of points falls in."""
    ordered = sorted(bands, key=lambda b: b.min_score, reverse=True)
    return next((b for b in ordered if total >= b.min_score), ordered[-1])


def shortfalls(criteria: CriteriaSet, answers: Answers, up_to: int) -> list[Shortfall]:
    """The criteria below a minimum for any level up to `up_to`, lowest level first."""
    found: list[Shortfall] = []
    for row in criteria.scored:
        chosen = chosen_option(row, answers)
        for level in STAR_LEVELS:
            needed = row.minimum_for(level)
            if level > up_to or needed is None:
                continue
            if chosen is None or chosen.points < needed.points:
                found.append(Shortfall(row, chosen, needed, level))
                break
    return sorted(found, key=lambda s: s.stars)


def _cap(criteria: CriteriaSet, answers: Answers) -> int:
    cap = 2
    for level in STAR_LEVELS:
        if shortfalls(criteria, answers, level):
            break
        cap = level
    return cap


def _gains(criteria: CriteriaSet, answers: Answers, skip: set[str]) -> list[Gain]:
    gains = []
    for row in criteria.scored:
        if row.key in skip:
            continue
        chosen = chosen_option(row, answers)
        have = chosen.points if chosen else 0.0
        higher = sorted((o for o in row.options if o.points > have and (
            chosen is None or not chosen.case or o.case == chosen.case)), key=lambda o: o.points)
        if higher:
            gains.append(Gain(row, chosen, higher[0], higher[0].points - have))
    return sorted(gains, key=lambda g: -g.points)[:GAINS_SHOWN]


def result_of(criteria: CriteriaSet, answers: Answers, bands: list[StarBand]) -> Result:
    """Score the answers: parts, total, band, the stars capped by minimums, and the advice."""
    parts = {name: 0.0 for name in SECTIONS}
    for row in criteria.scored:
        chosen = chosen_option(row, answers)
        parts[row.section] += chosen.points if chosen else 0.0
    total = sum(parts.values())
    band = band_of(total, bands)
    cap = _cap(criteria, answers)
    stars = min(band.stars, cap)
    next_star = None if stars >= 5 else max(stars + 1, 3)
    need = 0.0
    short: list[Shortfall] = []
    if next_star is not None:
        floor = next((b.min_score for b in bands if b.stars == next_star), 0.0)
        need = max(0.0, floor - total)
        short = shortfalls(criteria, answers, next_star)
    gains = _gains(criteria, answers, {s.criterion.key for s in short}) if need else []
    return Result(
        parts=parts, total=total, band=band.stars, cap=cap, stars=stars,
        certified=stars >= 3 and any(b.certified and b.stars == stars for b in bands),
        next_star=next_star, points_needed=need, shortfalls=tuple(short), gains=tuple(gains),
        unsure=tuple(r for r in criteria.scored if r.key in answers and answers[r.key] is None),
        unanswered=tuple(r for r in criteria.scored if r.key not in answers),
    )
