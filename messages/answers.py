"""How people answer on a phone: yes, no, skip, back, greetings, numbers with their units.

The words are matched folded (no diacritics, lowercase), so "dung roi" and "đúng rồi" agree.
A button takes the words of its sense: "đúng" picks the "✅ Tạo đợt" button of a summary.
"""

from __future__ import annotations

import re

from messages.phrasing import bare, spelled
from messages.text import fold, fold_tones, normalize, remembered

YES = (
    "có", "ok", "oke", "okie", "okay", "ừ", "u", "uh", "ừm", "vâng", "dạ", "dạ vâng", "đúng",
    "đúng rồi", "chuẩn", "được", "đồng ý", "xác nhận", "gửi", "gửi đi", "yes", "y",
    "chắc chắn", "chắc", "đúng vậy", "chấp nhận",
)
NO = ("không", "ko", "k", "kg", "hông", "hok", "chưa", "không đúng", "sai", "no", "n")
SKIP = (
    "bỏ qua", "bq", "qua", "để sau", "sau", "chưa có", "không có", "ko có", "thôi", "next",
    "skip", "chưa có hình", "không có hình", "chưa chụp", "chưa chụp ảnh", "gửi sau",
)
BACK = ("quay lại", "trở lại", "back", "thôi")
GREETINGS = (
    "xin chào", "chào", "alo", "a lô", "hi", "hello", "chào bot", "chào trợ lý",
    "chào trợ lý ocop", "chào anh", "chào chị", "chào em",
)
THANKS = ("cảm ơn", "cám ơn", "cảm ơn nhiều", "cảm ơn bot", "tks", "thanks", "thank you", "thank")

# Which buttons (by label) an answer of each sense picks. "No" picks only buttons that
# keep things as they are, never one that throws a draft away.
SENSES: dict[str, tuple[str, ...]] = {
    "yes": (
        "common.yes", "consent.yes", "onboarding.confirm", "rounds.publish",
        "trainings.publish", "broadcast.confirm_send", "broadcast.confirm_schedule",
        "products.submit", "products.photos_done", "results.record", "rounds.withdraw_yes",
        "rounds.cancel_yes",
        "trainings.cancel_yes", "deletion.confirm", "linking.link_yes", "which.dung",
    ),
    "no": (
        "common.no", "consent.no", "deletion.keep", "rounds.keep_entry", "trainings.keep_place",
        "review.cancel_return", "which.stay",
    ),
    "skip": ("rounds.skip", "products.photos_skip", "profile.keep"),
    "back": ("common.back", "dossier.back_to_list", "products.back_to_list",
             "review.back_to_queue"),
}
_WORDS = {"yes": YES, "no": NO, "skip": SKIP, "back": BACK}

# Words that fold to the same letters as words of other meanings: typed without
# diacritics they never start a global action on their own.
AMBIGUOUS = {
    "dung": ("đúng", "dừng", "dùng"),
    "da": ("dạ", "đã", "đá"),
    "chua": ("chưa", "chua"),
    "thoi": ("thôi",),
}

# Unit words typed after a number: "82 điểm", "40 chỗ", "3 sao", "82đ", "3*".
_UNITS = (
    "diem", "d", "cho", "cho ngoi", "nguoi", "ng", "hoc vien", "sao", "*", "⭐", "★", "lop",
    "san pham", "sp",
)
_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(.*?)\s*$")


def sense_of(label: str) -> str | None:
    """The sense ("yes", "no", "skip", "back") of a button label key, if it has one."""
    for sense, labels in SENSES.items():
        if label in labels:
            return sense
    return None


def means(typed: str, sense: str) -> bool:
    """Whether the typed words are one of the answers of `sense`: up to tone marks when typed
    with diacritics ("dừng" is not "đúng"), folded when typed without ("dung" is "đúng")."""
    folded = _plain(typed)
    if not folded:
        return False
    if normalize(typed).casefold() != fold(typed):
        toned = fold_tones(typed)
        return any(fold_tones(word) == toned for word in _WORDS[sense])
    return any(_plain(word) == folded for word in _WORDS[sense])


def means_said(typed: str, sense: str) -> bool:
    """`means`, also with short forms written out and the particles around the answer set
    aside: "ok nha", "dạ đồng ý ạ", "ko có ảnh" (no photos: skip)."""
    if means(typed, sense):
        return True
    written = spelled(typed)
    return means(written, sense) or ((said := bare(typed)) != written and means(said, sense))


def is_greeting(typed: str) -> bool:
    """Whether the whole message is a greeting or a thank-you."""
    folded = _plain(typed)
    return bool(folded) and any(_plain(word) == folded for word in (*GREETINGS, *THANKS))


def is_thanks(typed: str) -> bool:
    """Whether the whole message is a thank-you."""
    folded = _plain(typed)
    return bool(folded) and any(_plain(word) == folded for word in THANKS)


def is_ambiguous(typed: str) -> bool:
    """Whether the message is one word typed without diacritics that has several meanings."""
    return typed.strip().casefold() in AMBIGUOUS


def ambiguous_words(typed: str) -> frozenset[str]:
    """The message's words typed without diacritics that have several meanings ("dung")."""
    return frozenset(w for w in normalize(typed).casefold().split() if w in AMBIGUOUS)


def number(typed: str) -> str | None:
    """The number typed, without its unit word: "40 chỗ" → "40", "82,5 điểm" → "82,5"."""
    found = _NUMBER.match(typed)
    if found is None:
        return None
    unit = fold(found[2]).rstrip(".")
    if unit and unit not in _UNITS:
        return None
    return found[1]


@remembered
def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", fold(text)).split())
