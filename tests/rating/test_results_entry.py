"""Recording rating results has its own entry in the officer menu."""

from __future__ import annotations

from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from tests.chat import ChatFor, Clock
from tests.rounds import support


async def test_officer_menu_opens_results_directly_and_comes_back(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    assert "Nhập kết quả đánh giá" in off.text
    await off.say("nhap ket qua danh gia")  # typed as on a phone, no diacritics
    assert off.templates == ["results/pick"]
    await off.press("x:back")
    assert off.templates == ["officer/main"]  # back where the officer came from
    await off.press("o:rev")
    await off.press("rq:res")
    await off.press("x:back")
    assert off.templates == ["review/queue"]
