"""The stars a self-assessment can expect and the advice, on hand-worked cases of the small set.

The small set (tests/assessment/criteria_files.py): A 1.1 = 5/10(min 3★)/20(min 4★),
A 1.2 = 0/10/20(min 5★), B 2 = 5/15/25, C 3 = 5/10(min 4★)/15, C 4 = Không 0 / Có 20.
"""

from __future__ import annotations

from handlers.assessment.score import result_of
from storage.criteria_files import parse_criteria
from storage.criteria_models import CriteriaSet
from storage.product_models import StarBand
from tests.assessment.criteria_files import small_files

BANDS = [StarBand(stars=5, min_score=90, certified=True),
         StarBand(stars=4, min_score=70, certified=True),
         StarBand(stars=3, min_score=50, certified=True),
         StarBand(stars=2, min_score=30, certified=False),
         StarBand(stars=1, min_score=0, certified=False)]


def _set() -> CriteriaSet:
    files = {n: t.encode("utf-8") for n, t in small_files().items()}
    return parse_criteria(files).sets[0]


def test_every_best_option_is_100_points_and_5_stars() -> None:
    answers = {"A:1.1": 3, "A:1.2": 3, "B:2": 3, "C:3": 3, "C:4": 2}
    result = result_of(_set(), answers, BANDS)
    assert result.parts == {"A": 40, "B": 25, "C": 35}
    assert (result.total, result.band, result.stars, result.next_star) == (100, 5, 5, None)
    assert result.certified and not result.shortfalls and not result.gains


def test_points_say_4_stars_but_a_minimum_keeps_3() -> None:
    # 10 + 20 + 25 + 15 + 0 = 70: the 4★ band, but 1.1 at 10 is under its 4★ minimum (20).
    answers = {"A:1.1": 2, "A:1.2": 3, "B:2": 3, "C:3": 3, "C:4": 1}
    result = result_of(_set(), answers, BANDS)
    assert (result.total, result.band, result.cap, result.stars) == (70, 4, 3, 3)
    assert result.next_star == 4 and result.points_needed == 0
    assert [(s.criterion.code, s.needed.no, s.stars) for s in result.shortfalls] == [
        ("1.1", 3, 4)]
    assert result.gains == ()  # the points are there: only the minimum is missing


def test_a_low_score_gets_the_unmet_minimums_then_the_best_steps_up() -> None:
    # 5 + 0 + 5 + 5 + 0 = 15 → 1★ band; the 3★ minimum of 1.1 is unmet; 3★ needs 35 more.
    answers = {"A:1.1": 1, "A:1.2": 1, "B:2": 1, "C:3": 1, "C:4": 1}
    result = result_of(_set(), answers, BANDS)
    assert (result.total, result.stars, result.certified, result.next_star) == (15, 1, False, 3)
    assert result.points_needed == 35
    assert [(s.criterion.code, s.needed.no, s.stars) for s in result.shortfalls] == [
        ("1.1", 2, 3)]
    # 1.1 is already advised as a minimum; then C 4 (+20), then 1.2 and B 2 (+10 each).
    assert [(g.criterion.code, g.step.no, g.points) for g in result.gains] == [
        ("4", 2, 20), ("1.2", 2, 10), ("2", 2, 10)]


def test_unsure_counts_zero_and_fails_a_minimum() -> None:
    # 1.1 "chưa rõ" (0): 0 + 20 + 25 + 15 + 20 = 80 points, but no 3★ minimum on 1.1.
    answers: dict[str, int | None] = {"A:1.1": None, "A:1.2": 3, "B:2": 3, "C:3": 3, "C:4": 2}
    result = result_of(_set(), answers, BANDS)
    assert (result.total, result.band, result.cap, result.stars) == (80, 4, 2, 2)
    assert not result.certified and result.next_star == 3
    assert [r.code for r in result.unsure] == ["1.1"]
    assert [(s.criterion.code, s.needed.no) for s in result.shortfalls] == [("1.1", 2)]


def test_5_stars_need_the_5_star_minimum_too() -> None:
    # 20 + 10 + 25 + 15 + 20 = 90: the 5★ band, but 1.2 at 10 misses its 5★ minimum.
    answers = {"A:1.1": 3, "A:1.2": 2, "B:2": 3, "C:3": 3, "C:4": 2}
    result = result_of(_set(), answers, BANDS)
    assert (result.total, result.band, result.stars, result.next_star) == (90, 5, 4, 5)
    assert [(s.criterion.code, s.stars) for s in result.shortfalls] == [("1.2", 5)]


def test_unanswered_criteria_are_listed() -> None:
    result = result_of(_set(), {"A:1.1": 3}, BANDS)
    assert [r.code for r in result.unanswered] == ["1.2", "2", "3", "4"]
    assert result.total == 20
