"""On Zalo and in the terminal a numbered list says to type a number; a link shows once."""

from __future__ import annotations

from bot.channels.present import Shown, numbered_text, type_hint
from handlers.engine.events import Choice, Reply
from messages import Renderer
from messages.render import to_plain

RENDERER = Renderer()


def _shown(text: str) -> Shown:
    choices = [(1, Choice(key="a", text="Đồng ý"), "Đồng ý"),
               (2, Choice(key="b", text="Không đồng ý"), "Không đồng ý")]
    return Shown(reply=Reply(template="menu/main"), text=text, labels=choices)


def test_a_numbered_list_ends_with_how_to_pick_once() -> None:
    asked = _shown("Anh/chị có đồng ý không?")
    said = numbered_text(asked, type_hint(RENDERER, "vi", asked))
    assert said.endswith("2. Không đồng ý\n👉 Gõ số thứ tự (1–2) để chọn.")
    told = _shown("Anh/chị gõ số thứ tự của mục đó.")
    already = numbered_text(told, type_hint(RENDERER, "vi", told))
    assert already.endswith("2. Không đồng ý")  # the text says it already
    agree = _shown("Agree?")
    assert numbered_text(agree, type_hint(RENDERER, "en", agree)).endswith("2. Không đồng ý\n"
                                                                          + RENDERER.label(
        "en", "pressed.type_number", first=1, last=2))


def test_a_link_whose_text_is_its_address_is_printed_once() -> None:
    url = "https://ocop.example/web/login/abc"
    assert to_plain(f'<a href="{url}">{url}</a>') == url
    assert to_plain(f'<a href="{url}">Mở trang</a>') == f"Mở trang ({url})"
