"""The sentences people were seen typing, each typed on the screen it was typed at, on the
terminal, Telegram and Zalo: read for what they ask."""

from __future__ import annotations

import pytest

from storage import Database
from tests.chat import Chat, ChatFor
from tests.engine.test_sentences import AT_MENU as TYPED_AT_MENU
from tests.rounds import support

# (typed at the main menu, the screen it opens): those of the terminal's test, on every
# channel, and the misreads once known; each channel registers a product last, its own way
AT_MENU = [
    ("lam tiep", "menu/nothing_to_resume"),
    *((typed, opens) for typed, opens in TYPED_AT_MENU if opens != "products/ask_name"),
    ("xem lại sản phẩm đã đăng ký", "products/none"),  # not a new registration
    ("tắt thông báo giúp mình", "announcements/stopped"),  # not the announcements list
]
REGISTERS = dict(zip(("terminal", "telegram", "zalo"),
                     (typed for typed, opens in TYPED_AT_MENU if opens == "products/ask_name"),
                     strict=True))


@pytest.mark.parametrize("channel", ["terminal", "telegram", "zalo"])
async def test_sentences_at_the_main_menu_open_what_they_ask(
    chat_for: ChatFor, db: Database, channel: str
) -> None:
    chat = chat_for("901", channel)
    await chat.onboard()
    for typed, opens in [*AT_MENU, (REGISTERS[channel], "products/ask_name")]:
        await chat.say("0")
        assert chat.templates[-1] == "menu/main", chat.templates
        await chat.say(typed)
        assert opens in chat.templates, (channel, typed, chat.templates)
    async with db.transaction() as store:
        user = await store.users.find(channel, "901")
    assert user is not None and not user.announcements_on  # "tắt thông báo" stopped them


async def _at_material(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    for answer in ("Mật ong rừng U Minh", "1", "1", "1", "Mật ong khai thác tự nhiên."):
        await chat.say(answer)
    assert chat.templates[-1] == "products/ask_material", chat.templates


async def test_a_request_at_a_text_step_is_asked_about_never_saved(
    chat: Chat, db: Database
) -> None:
    await _at_material(chat)
    await chat.say("tôi muốn xem lịch tập huấn")
    assert chat.templates == ["errors/did_you_mean"], chat.templates
    assert "Xem lịch tập huấn" in chat.text and "Lưu làm câu trả lời" in chat.text
    await chat.say("1")
    assert chat.templates[-1] == "trainings/upcoming", chat.templates
    async with db.transaction() as store:
        [draft] = await store.products.drafts_of(1)
    assert draft.raw_material is None


async def test_a_question_about_the_step_offers_help_or_saving_it_after_all(
    chat: Chat, db: Database
) -> None:
    await _at_material(chat)
    await chat.say("ủa cái này nhập gì vậy")
    assert chat.templates == ["errors/did_you_mean"], chat.templates
    assert "Xem hướng dẫn" in chat.text
    await chat.say("2")  # "✍️ Lưu làm câu trả lời": it was the answer after all
    async with db.transaction() as store:
        [draft] = await store.products.drafts_of(1)
    assert draft.raw_material == "ủa cái này nhập gì vậy"


async def test_the_trademark_item_is_not_the_claim_of_products(chat: Chat) -> None:
    await _at_material(chat)
    for answer in ("Mật ong hoa tràm", "Rừng U Minh Hạ", "bo qua", "giấy tờ hồ sơ"):
        await chat.say(answer)
    assert chat.templates == ["dossier/checklist"], chat.templates
    await chat.say("nhãn hiệu sản phẩm")
    assert not any(t.startswith("claims/") for t in chat.templates), chat.templates
    assert chat.templates in (["dossier/item"], ["errors/did_you_mean"]), chat.templates
    assert "Nhãn hiệu hoặc chỉ dẫn địa lý" in chat.text


async def test_a_long_text_asking_a_question_is_the_answer_itself(
    chat_for: ChatFor, db: Database
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:bc")
    assert off.templates == ["broadcast/compose"]
    await off.say("Bà con đã biết đăng ký sản phẩm OCOP như thế nào chưa? Mời dự họp ngày 5/12.")
    assert off.templates == ["broadcast/audience"], off.templates  # taken, not asked about
