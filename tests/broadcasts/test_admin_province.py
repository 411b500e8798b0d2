"""An admin's broadcast can be narrowed to one province, like an officer's always is."""

from __future__ import annotations

from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from tests.chat import Chat, ChatFor, Clock
from tests.rounds import support


async def test_an_admin_picks_the_province_of_a_broadcast(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    await support.producer(chat_for, "101", "HTX Tan Phu")
    await support.producer(chat_for, "102", "HTX Long Ho")
    await support.producer(chat_for, "103", "HTX Ha Noi", province="ha noi")
    admin = Chat(dispatcher, renderer, clock, channel="telegram", user="999")
    await admin.say("/canbo")
    await admin.press("o:bc")
    await admin.say("Hop ban OCOP thang 12")
    assert admin.templates == ["broadcast/audience"]
    assert "f:province" in admin.keys
    await admin.say("theo tinh/thanh")
    assert admin.templates == ["broadcast/filter_value"]
    assert "Vĩnh Long" in admin.text and "Hà Nội" in admin.text
    await admin.say("vinh long")
    assert admin.templates == ["broadcast/announcement", "broadcast/confirm"]
    assert admin.last.replies[1].context["accounts"] == 2  # Hà Nội's producer is left out


async def test_an_officer_is_not_offered_other_provinces(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    await support.producer(chat_for, "101", "HTX Tan Phu")
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:bc")
    await off.say("Hop ban OCOP thang 12")
    assert "f:province" not in off.keys
