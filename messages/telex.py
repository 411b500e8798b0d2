"""Telex leftovers: marks typed as letters when the phone's Vietnamese keyboard was off
("ddang kys sanr phaamr" is "đăng ký sản phẩm"), read as the bare letters they mark.

A word is read so only when it cannot be a Vietnamese syllable as typed and can once its
marks are dropped: "kys" → "ky", "dduwowcj" → "duoc"; "thanh", "yes", "for" stay.
"""

from __future__ import annotations

import re

_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?"
    r"(?!.*(aa|ee|oo))[aeiouy]{1,3}(ch|ng|nh|[cmnpt])?$"
)
_DOUBLED = (("dd", "d"), ("aa", "a"), ("aw", "a"), ("ee", "e"), ("oo", "o"), ("ow", "o"),
            ("uw", "u"), ("w", "u"))
_TONE_KEYS = "sfrxj"
ENGLISH = frozenset({"yes", "is", "this", "has", "was", "us", "for", "of", "if", "or", "your",
                     "after", "bus", "gas", "max", "fax", "box", "six", "mix", "fix", "tax",
                     "its", "ads", "pls", "plz", "thx", "ox", "our", "per"})


def syllable(word: str) -> bool:
    """Whether a folded word has the shape of a Vietnamese syllable."""
    return bool(_SYLLABLE.match(word))


def untelex(word: str) -> str:
    """The word without its telex marks, when it is one (see the module's docstring)."""
    if word in ENGLISH or syllable(word) or not word.isascii() or not word.isalpha():
        return word
    bare = word
    while len(bare) > 1 and bare[-1] in _TONE_KEYS and bare[:-1] and not syllable(bare):
        bare = bare[:-1]  # the tone key ends the word: "kys", "phaamr"
        if syllable(bare) or any(a in bare for a, _ in _DOUBLED):
            break
    for marked, plain in _DOUBLED:
        bare = bare.replace(marked, plain)
    return bare if syllable(bare) and bare != word else word
