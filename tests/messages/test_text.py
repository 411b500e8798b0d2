"""Vietnamese normalisation and matching."""

import pytest

from messages.text import REMEMBERED_LENGTH, best_match, display_length, fold, normalize, search

OPTIONS = [
    ("dd", ("Đường",)),
    ("du", ("Dương",)),
    ("vl", ("Vĩnh Long", "Bến Tre", "Trà Vinh")),
    ("hn", ("Hà Nội",)),
]


@pytest.mark.parametrize(
    ("typed", "folded"),
    [("Đăng Ký", "dang ky"), ("  Trợ   giúp ", "tro giup"), ("HUỶ", "huy"), ("hủy", "huy")],
)
def test_fold_removes_diacritics_and_case(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_normalize_composes_to_nfc() -> None:
    decomposed = "Vie\u0302\u0323t"  # "Việt" typed with combining marks
    assert normalize(decomposed) == "Việt"
    assert display_length(normalize(decomposed)) == 4


def test_exact_accented_match_wins_over_folded() -> None:
    assert best_match("Dương", OPTIONS) == "du"
    assert best_match("Đường", OPTIONS) == "dd"
    assert best_match("duong", OPTIONS) is None  # ambiguous without diacritics: ask again


def test_search_finds_former_names_and_parts() -> None:
    assert search("ben tre", OPTIONS) == ["vl"]
    assert search("vinh", OPTIONS) == ["vl"]
    assert search("ha noi", OPTIONS) == ["hn"]
    assert search("x", OPTIONS) == []


def test_remembered_folding_gives_the_same_answer_for_short_and_long_texts() -> None:
    short = "Mật ong hoa nhãn Đồng Tháp"
    assert fold(short) == "mat ong hoa nhan dong thap"
    assert fold(short) is fold(short)  # remembered
    long = "Chè Shan tuyết " * (REMEMBERED_LENGTH // 5)
    assert len(long) > REMEMBERED_LENGTH
    assert fold(long) == ("che shan tuyet " * (REMEMBERED_LENGTH // 5)).strip()
    assert fold(long) is not fold(long)  # worked out each time, never kept
