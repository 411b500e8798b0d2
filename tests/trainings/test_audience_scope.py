"""In chat too, only an admin publishes a training for every producer of every province."""

from __future__ import annotations

from storage import Database
from storage.models import Role
from tests.chat import Chat, ChatFor
from tests.rounds import support


async def _to_audience(chat: Chat) -> None:
    await chat.say("/canbo")
    await chat.press("o:trn")
    await chat.press("t:new")
    if "v:VL" in chat.keys:  # an admin first picks the province that organises it
        await chat.press("v:VL")
    await chat.say("Tập huấn bao bì và nhãn mác")
    await chat.press("tp:packaging")
    await chat.say("8:30 sáng 15/12")
    await chat.say("11h30")
    await chat.say("Hội trường UBND xã Tân Phú")
    await chat.say("40")


async def test_an_officer_is_not_offered_every_province_and_cannot_pick_it(
    db: Database, chat_for: ChatFor
) -> None:
    off = await support.officer(db, chat_for)
    await _to_audience(off)
    assert "a:province" in off.keys and "a:all" not in off.keys
    await off.press("a:all")  # an old button, or typed by hand
    assert "trainings/ask_field" in off.templates and "a:all" not in off.keys
    await off.press("a:province")
    await off.say("12/12")
    assert off.templates == ["trainings/confirm"]


async def test_an_admin_may_address_every_province(db: Database, chat_for: ChatFor) -> None:
    admin = await support.officer(db, chat_for, user="adm", province="VL",
                                  role=Role.ADMIN)
    await _to_audience(admin)
    assert "a:all" in admin.keys
    await admin.press("a:all")
    await admin.say("12/12")
    assert admin.templates == ["trainings/confirm"]
