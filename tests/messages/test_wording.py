"""Every template and label, in both languages, keeps to the glossary's words and formats."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

import pytest

from messages import LOCALES, Format, Renderer
from tests.messages.test_templates import SAMPLES

RENDERER = Renderer()
RULES = tomllib.loads((resources.files("messages") / "forbidden.toml").read_text("utf-8"))


def _word(term: str) -> re.Pattern[str]:
    # "ocop-bot" is the command's name, not the bot speaking of itself
    return re.compile(rf"(?<![\w-]){re.escape(term)}(?!\w)", re.IGNORECASE)


def _offences(locale: str, text: str, fmt: Format) -> list[str]:
    rules = RULES[locale]
    terms = list(rules["words"]) + (list(rules["plain"]) if fmt is Format.PLAIN else [])
    found = [term for term in terms if _word(term).search(text)]
    found += [m.group(0) for p in rules["patterns"] for m in re.finditer(p, text, re.IGNORECASE)]
    return found


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("template", sorted(SAMPLES))
def test_template_keeps_to_the_glossary(locale: str, template: str) -> None:
    for fmt in Format:
        text = RENDERER.render(locale, template, fmt, **SAMPLES[template])
        found = _offences(locale, text, fmt)
        assert not found, f"{locale}/{template} ({fmt}) says {found}: {text}"


@pytest.mark.parametrize("locale", LOCALES)
def test_labels_keep_to_the_glossary(locale: str) -> None:
    bad = {key: RENDERER.label(locale, key) for key in RENDERER.label_keys(locale)
           if _offences(locale, RENDERER.label(locale, key), Format.PLAIN)}
    assert not bad


def test_the_rules_catch_what_they_should() -> None:
    assert not _offences("vi", "Ví dụ 0912 345 678 hoặc +84 912 345 678", Format.PLAIN)
    caught = _offences("vi", "Lớp đã đủ chỗ, 1 234 người, 72.5 điểm, mã #12, «huỷ»", Format.PLAIN)
    assert set(caught) >= {"đủ chỗ", "1 234", "72.5", "#1", "«", "»", "uỷ"}
    assert not _offences("vi", "Lớp đã hết chỗ: 1.234 người, 72,5 điểm, “hủy”, quý", Format.PLAIN)
    assert _offences("vi", "bấm nút bên dưới", Format.PLAIN) == ["bấm nút", "bấm"]
    assert not _offences("vi", "bấm nút bên dưới", Format.HTML)
    assert not _offences("vi", "Gõ “ocop-bot outbox retry”", Format.PLAIN)
