"""Every template renders in both languages, as Telegram HTML and as plain text."""

from __future__ import annotations

import importlib
import pkgutil
from html.parser import HTMLParser

import pytest

import tests.samples
from messages import LOCALES, Format, Renderer

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                "blockquote", "tg-spoiler", "span", "tg-emoji"}


def _samples() -> dict[str, dict[str, object]]:
    merged: dict[str, dict[str, object]] = {}
    for module in pkgutil.iter_modules(tests.samples.__path__):
        merged.update(importlib.import_module(f"tests.samples.{module.name}").SAMPLES)
    return merged


SAMPLES = _samples()
RENDERER = Renderer()


class _TagCheck(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.bad.append(tag)


def test_every_template_has_a_sample() -> None:
    for locale in LOCALES:
        missing = set(RENDERER.template_names(locale)) - set(SAMPLES)
        assert not missing, f"templates without a sample in tests/samples: {sorted(missing)}"


def test_both_locales_have_the_same_templates_and_labels() -> None:
    assert RENDERER.template_names("vi") == RENDERER.template_names("en")
    assert RENDERER.label_keys("vi") == RENDERER.label_keys("en")


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("template", sorted(SAMPLES))
def test_template_renders(locale: str, template: str) -> None:
    html = RENDERER.render(locale, template, Format.HTML, **SAMPLES[template])
    plain = RENDERER.render(locale, template, Format.PLAIN, **SAMPLES[template])
    assert html.strip() and plain.strip()
    assert len(plain) <= 4096
    check = _TagCheck()
    check.feed(html)
    assert not check.bad, f"{template}: tags Telegram refuses: {check.bad}"
    assert "<b>" not in plain and "&lt;" not in plain


@pytest.mark.parametrize("locale", LOCALES)
def test_every_label_renders(locale: str) -> None:
    for key in RENDERER.label_keys(locale):
        assert RENDERER.label(locale, key).strip()


def test_values_are_escaped_in_html_and_verbatim_in_plain() -> None:
    context = SAMPLES["onboarding/done"]
    assert "&lt;i&gt;" in RENDERER.render("vi", "onboarding/done", Format.HTML, **context)
    assert "HTX <i>" in RENDERER.render("vi", "onboarding/done", Format.PLAIN, **context)
