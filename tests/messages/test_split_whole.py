"""A text that fits is handed back whole, not read token by token: the same parts as before."""

from __future__ import annotations

import random

from messages.split import _html_tokens, _split, split_html

PIECES = ["&amp;", "&lt;", "😀", "ệ", " ", "\n", "a", "<b>", "</b>", "<i>", "</i>",
          '<a href="https://x.vn/?q=&amp;">', "</a>", "</b>", "<br/>", "<B>", "</B >"]


def test_fitting_texts_split_exactly_as_the_token_reading_does() -> None:
    rng = random.Random(20261202)
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 12)))
        limit = rng.randint(5, 80)
        assert split_html(text, limit) == _split(_html_tokens(text), limit), (text, limit)


def test_what_the_token_reading_would_change_still_goes_that_way() -> None:
    for text in ("<b></b>x", "<b>x", "x</b>", "<b><i>x</b></i>", "  \n", "<b> </b>", ""):
        assert split_html(text, 4096) == _split(_html_tokens(text), 4096), text
