"""Every bot sentence the docs quote (in “…”) is one the bot really says, so the docs cannot drift.

A quote in curly quotes that holds a Vietnamese letter is a bot sentence; words people type are
quoted with straight quotes or `code`. Inside a quote, "…" stands for a value (a name, a date).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from messages import Format, Renderer
from tests.messages.test_templates import SAMPLES

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
QUOTE = re.compile(r"“([^”]+)”")
VIETNAMESE = re.compile(r"[À-ỹĐđ]")
RENDERER = Renderer()


def _plain(text: str) -> str:
    """Text without tags and with single spaces, for comparing."""
    text = re.sub(r"<[^>]+>", "", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def _said() -> tuple[str, ...]:
    """Everything the bot says in Vietnamese: templates rendered with samples, their sources
    with the values cut out, and every label."""
    said: list[str] = []
    for name, sample in SAMPLES.items():
        said.append(_plain(RENDERER.render("vi", name, Format.PLAIN, **sample)))
    for path in (ROOT / "messages" / "vi").rglob("*.j2"):
        source = re.sub(r"{[{%#].*?[}%#]}", "…", path.read_text("utf-8"), flags=re.S)
        said.append(_plain(source))
    said += [_plain(RENDERER.label("vi", key)) for key in RENDERER.label_keys("vi")]
    return tuple(said)


def _fragments(quote: str) -> list[str]:
    parts = re.split(r"…|\.\.\.", quote)
    return [part.strip(" ,.:;!?()") for part in parts if part.strip(" ,.:;!?()")]


def _found(quote: str) -> bool:
    fragments = _fragments(_plain(quote))
    for text in _said():
        at = 0
        for fragment in fragments:
            at = text.find(fragment, at)
            if at < 0:
                break
            at += len(fragment)
        else:
            return True
    return False


def _quotes() -> list[tuple[str, str]]:
    found = []
    for doc in DOCS:
        text = re.sub(r"```.*?```", "", doc.read_text("utf-8"), flags=re.S)
        for quote in QUOTE.findall(text):
            if VIETNAMESE.search(quote):
                found.append((doc.relative_to(ROOT).as_posix(), quote))
    return found


def test_the_docs_quote_the_bot() -> None:
    assert _quotes(), "no quoted bot sentence found in the docs"
    wrong = [f"{doc}: “{quote}”" for doc, quote in _quotes() if not _found(quote)]
    assert not wrong, "quoted but never said by the bot:\n" + "\n".join(wrong)


@pytest.mark.parametrize("quote", ["Thông tin chủ thể … đã được lưu", "🗂 Tiếp nhận hồ sơ"])
def test_a_quote_the_bot_says_is_found(quote: str) -> None:
    assert _found(quote)


@pytest.mark.parametrize("quote", ["Cảm ơn anh/chị, hồ sơ đã được lưu", "Bạn có 1 hồ sơ đang dở"])
def test_a_quote_the_bot_never_says_is_caught(quote: str) -> None:
    assert not _found(quote)
