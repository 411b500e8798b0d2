"""Leaving a broadcast or a round half made keeps it as a draft, and says so truthfully."""

from __future__ import annotations

from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from tests.chat import ChatFor, Clock
from tests.rounds import support


async def test_a_broadcast_left_with_huy_is_kept_and_resumed(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    await support.producer(chat_for, "101", "HTX Tan Phu")
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:bc")
    await off.say("Hop ban OCOP thang 12")
    await off.press("a:ok")
    assert off.templates == ["broadcast/announcement", "broadcast/confirm"]
    await off.say("huy")
    assert off.templates[0] == "menu/cancelled"
    assert "Thông báo đang làm dở được giữ làm bản nháp" in off.text

    await off.say("/canbo")
    await off.press("o:bc")
    assert off.templates == ["menu/resume_draft"]
    assert "Làm tiếp bản nháp" in off.text and "Làm lại từ đầu" in off.text
    await off.say("lam tiep ban nhap")
    assert off.templates == ["broadcast/announcement", "broadcast/confirm"]
    assert "Hop ban OCOP thang 12" in off.text

    await off.press("c:drop")  # "Bỏ thông báo này": dropped, and said so
    assert off.templates[0] == "broadcast/dropped"
    assert "không được lưu" in off.text and "bản nháp" not in off.text
    await off.press("o:bc")
    assert off.templates == ["broadcast/compose"]  # nothing left to resume


async def test_a_round_left_half_made_can_be_started_anew(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    await off.say("Dot II nam 2026")
    await off.press("k:all")
    await off.say("/menu")  # back to the menu: the round so far is kept
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    assert off.templates == ["menu/resume_draft"] and "đợt đánh giá" in off.text
    await off.say("lam tiep ban nhap")
    assert off.templates == ["rounds/ask_date"]  # where it was left
    await off.say("/huy")
    assert "Đợt đánh giá đang tạo dở được giữ làm bản nháp" in off.text
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    await off.press("d:new")
    assert off.templates == ["rounds/ask_name"]
