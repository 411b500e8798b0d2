"""One register everywhere: producers and officers are "anh/chị", also in reference data."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from messages import LOCALES, Format, Renderer
from tests.chat import Chat
from tests.messages.test_templates import SAMPLES

RENDERER = Renderer()
BAN = re.compile(r"(?<!\w)bạn(?!\w)", re.IGNORECASE)


@pytest.mark.parametrize("locale", LOCALES)
def test_no_template_says_ban_in_either_language(locale: str) -> None:
    found = [name for name, context in SAMPLES.items()
             if BAN.search(RENDERER.render(locale, name, Format.PLAIN, **context))]
    assert not found


def test_reference_data_speaks_to_anh_chi() -> None:
    folder = resources.files("storage") / "data"
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            assert not BAN.search(entry.read_text("utf-8")), entry.name


async def test_a_newcomer_typing_a_greeting_is_asked_as_anh_chi(chat: Chat) -> None:
    await chat.say("xin chao")
    assert "Anh/chị muốn dùng ngôn ngữ nào" in chat.text and not BAN.search(chat.text)
