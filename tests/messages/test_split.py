"""Splitting long texts: between entities and tags, counted in UTF-16 units, lines kept whole."""

from __future__ import annotations

import html
import random
from html.parser import HTMLParser

import pytest

from fakes.telegram_checks import utf16_units, visible_text
from messages.split import split_html, split_plain, utf16_len

TELEGRAM = 4096
ZALO = 2000


class _Styled(HTMLParser):
    """Each visible character with the tags (and link targets) around it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.chars: list[tuple[str, tuple[str, ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open.append(tag + "".join(f" {k}={v}" for k, v in attrs))

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1].split(" ")[0] == tag, f"</{tag}> closes nothing"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.chars.extend((char, tuple(self.open)) for char in data)


def styled(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """The visible characters of an HTML text with their tags, whitespace left out."""
    parser = _Styled()
    parser.feed(text)
    parser.close()
    assert not parser.open, f"unclosed tags {parser.open}"
    return [(char, tags) for char, tags in parser.chars if not char.isspace()]


def check_html_parts(original: str, parts: list[str], limit: int) -> None:
    """Every part is HTML Telegram accepts, fits, and together they say the same, styled alike."""
    assert parts
    for part in parts:
        shown = visible_text(part, "HTML")  # raises "can't parse entities" like Telegram
        assert shown.strip()
        assert utf16_units(shown) <= utf16_units(part) <= limit  # the whole HTML fits
        part.encode("utf-16", "strict")  # no lone surrogate
    assert [c for p in parts for c in styled(p)] == styled(original)


def ampersand_text(length: int) -> str:
    """An officer's text full of `&`, quotes and angle brackets, as one long paragraph."""
    words, n = [], 0
    while sum(len(w) + 1 for w in words) < length:
        n += 1
        words.append(f'{n}. HTX "Sen & Sữa" & Cty \'A&B\' <50k> & "miễn phí" &amp;')
    return " ".join(words)[:length]


def test_ampersand_heavy_line_is_never_cut_inside_an_entity() -> None:
    raw = ampersand_text(9000)
    rendered = f"📢 <b>THÔNG BÁO</b>\n\n{html.escape(raw)}\n\n<i>Gõ DỪNG để ngừng.</i>"
    assert len(rendered) > 4 * TELEGRAM
    parts = split_html(rendered, TELEGRAM)
    assert len(parts) == -(-utf16_len(rendered) // TELEGRAM)  # parts are nearly full
    check_html_parts(rendered, parts, TELEGRAM)


@pytest.mark.parametrize("limit", [60, 61, 333, TELEGRAM])
def test_tags_spanning_a_split_are_closed_and_reopened(limit: int) -> None:
    inner = "Đậm &amp; <i>nghiêng &lt;3</i> " * 60
    rendered = (f'<b>{inner}</b>\n<a href="https://ocop.vn/?a=1&amp;b=2">liên kết '
                f"{'dài ' * 50}</a>\n<pre><code>mã &amp; số\n{'x ' * 300}</code></pre>")
    parts = split_html(rendered, limit)
    if limit < utf16_len(rendered):
        assert len(parts) > 1
    check_html_parts(rendered, parts, limit)


def test_emoji_count_two_units_and_are_never_cut_in_half() -> None:
    rendered = "<b>Chúc mừng 🎉</b> " + "😀" * 3000 + " &amp; 🇻🇳 hết"
    assert len(rendered) < TELEGRAM < utf16_len(rendered)  # fits by code points only
    parts = split_html(rendered, TELEGRAM)
    assert len(parts) == 2
    check_html_parts(rendered, parts, TELEGRAM)


def test_random_mixtures_always_split_into_valid_parts() -> None:
    pieces = ["&amp;", "&lt;", "&#34;", "&#39;", "😀", "ệ", " ", "\n", "a", "<b>", "</b>",
              "<i>", "</i>", '<a href="https://x.vn/?q=&amp;">', "</a>"]
    rng = random.Random(20261201)
    for _ in range(200):
        out: list[str] = []
        stack: list[str] = []
        for _ in range(rng.randint(1, 400)):
            piece = rng.choice(pieces)
            if piece.startswith("</"):
                if stack and piece == f"</{stack[-1]}>":
                    out.append(piece)
                    stack.pop()
            elif piece.startswith("<"):
                if piece[1] not in "".join(stack):  # no tag nested in itself
                    out.append(piece)
                    stack.append(piece[1])
            else:
                out.append(piece)
        out.extend(f"</{tag}>" for tag in reversed(stack))
        rendered = "x" + "".join(out)
        limit = rng.randint(60, 200)  # room for the tags reopened and closed around one entity
        check_html_parts(rendered, split_html(rendered, limit), limit)


def test_lines_are_kept_whole_when_they_fit() -> None:
    lines = [f"Dòng {n} &amp; {'chữ ' * 20}" for n in range(200)]
    rendered = "\n".join(lines)
    parts = split_html(rendered, TELEGRAM)
    assert len(parts) > 1
    assert "\n".join(parts) == rendered  # only the newline at each cut is left out
    check_html_parts(rendered, parts, TELEGRAM)


def test_plain_text_for_zalo_counts_utf16_and_keeps_lines() -> None:
    text = "\n".join(f"Dòng {n} 😀 & \"trích\" {'x' * 60}" for n in range(100))
    parts = split_plain(text, ZALO)
    assert len(parts) > 3
    assert all(utf16_len(part) <= ZALO for part in parts)
    assert "\n".join(parts) == text
    one_line = "😀" * 2500  # no place to break: cut between characters, never inside one
    halves = split_plain(one_line, ZALO)
    assert [utf16_len(h) for h in halves] == [2000, 2000, 1000]
    assert "".join(halves) == one_line


def test_short_texts_stay_whole() -> None:
    assert split_html("<b>Xin chào</b> &amp; hẹn gặp", TELEGRAM) == [
        "<b>Xin chào</b> &amp; hẹn gặp"
    ]
    assert split_plain("Xin chào", ZALO) == ["Xin chào"]
