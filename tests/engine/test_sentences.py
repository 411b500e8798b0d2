"""Whole sentences as people type them, read for what they ask, as a chat (terminal)."""

from __future__ import annotations

import pytest

from storage import Database
from tests.chat import Chat, ChatFor, Clock
from tests.rounds import support

AT_MENU = [
    ("cho toi dang ky san pham", "products/ask_name"),
    ("mình muốn đăng ký sản phẩm", "products/ask_name"),
    ("làm sao để đăng ký OCOP", "products/ask_name"),
    ("mình muốn xem lịch tập huấn", "trainings/upcoming"),
    ("lịch tập huấn", "trainings/upcoming"),
    ("khi nao het han nop ho so", "rounds/deadlines"),
    ("hạn nộp", "rounds/deadlines"),
    ("dang ky mat ong vao dot nay", "rounds/deadlines"),
    ("giúp tôi với", "help/show"),
    ("tôi muốn xóa hết dữ liệu của tôi", "deletion/export"),
    ("ok de em bo sung", "products/none"),  # the products list (none yet)
    ("cảm ơn nha", "menu/main"),
]


async def _product_at(chat: Chat, step: str) -> None:
    """Register a product up to the question `step` (a template name)."""
    await chat.onboard()
    await chat.say("/dangky")
    answers = ("Mật ong rừng U Minh", "1", "1", "1", "Mật ong khai thác tự nhiên.", "Mật ong")
    for answer in answers:
        if step in chat.templates:
            return
        await chat.say(answer)
    assert step in chat.templates, chat.templates


@pytest.mark.parametrize(("typed", "opens"), AT_MENU)
async def test_a_sentence_at_the_main_menu_opens_what_it_asks(
    chat: Chat, typed: str, opens: str
) -> None:
    await chat.onboard()
    await chat.say(typed)
    assert chat.templates[-1] == opens, (typed, chat.templates)


async def test_a_sentence_in_the_menu_words_of_two_items_is_asked_with_the_best_guesses(
    chat: Chat,
) -> None:
    await chat.onboard()
    await chat.say("xem sản phẩm với thông báo")
    assert chat.templates == ["errors/did_you_mean"]
    assert "Có phải anh/chị muốn" in chat.text
    assert "Sản phẩm của tôi" in chat.text and "Thông báo" in chat.text
    await chat.say("2")
    assert chat.templates[-1] == "announcements/recent", chat.templates


async def test_a_refusal_quotes_what_was_typed_and_says_what_is_offered(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("con heo đất màu xanh")
    assert chat.templates == ["errors/pick_a_choice", "menu/main"]
    assert "“con heo đất màu xanh”" in chat.text and "gõ số thứ tự" in chat.text


@pytest.mark.parametrize("typed", ["thôi", "thoi", "để sau", "để mai", "lúc khác làm tiếp",
                                   "không làm nữa", "thoi de mai lam tiep"])
async def test_leaving_a_text_step_keeps_the_draft_and_says_how_to_resume(
    chat: Chat, db: Database, typed: str
) -> None:
    await _product_at(chat, "products/ask_material")
    await chat.say(typed)
    assert chat.templates == ["menu/left", "menu/main"], (typed, chat.templates)
    assert "làm tiếp" in chat.text
    async with db.transaction() as store:
        [draft] = await store.products.drafts_of(1)
    assert draft.raw_material is None and draft.description == "Mật ong khai thác tự nhiên."
    await chat.say("lam tiep")
    assert chat.templates[-1] == "products/ask_material", chat.templates
    await chat.say("Mật ong hoa tràm")
    assert chat.templates[-1] == "products/ask_origin", chat.templates


async def test_a_leaving_word_followed_by_other_words_is_asked(chat: Chat, db: Database) -> None:
    await _product_at(chat, "products/ask_origin")
    await chat.say("Thôi Sơn, Tiền Giang")  # a place, or "never mind"?
    assert chat.templates == ["errors/leave_or_answer"]
    await chat.say("2")  # save it as typed
    async with db.transaction() as store:
        [draft] = await store.products.drafts_of(1)
    assert draft.origin == "Thôi Sơn, Tiền Giang"
    assert chat.templates[-1] in ("products/ask_photos", "products/summary"), chat.templates


async def test_lam_tiep_resumes_without_asking_again_for_skipped_photos(chat: Chat) -> None:
    await _product_at(chat, "products/ask_material")
    await chat.say("Mật ong hoa tràm")
    await chat.say("Rừng U Minh Hạ")
    assert "products/ask_photos" in chat.templates
    await chat.say("ko có ảnh")  # no photos: skip
    assert chat.templates[-1] == "products/summary", chat.templates
    await chat.say("0")
    await chat.say("làm tiếp")
    assert chat.templates[-1] == "products/summary", chat.templates


async def test_nothing_to_resume_is_said_plainly(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("lam tiep")
    assert chat.templates == ["menu/nothing_to_resume", "menu/main"]


@pytest.mark.parametrize("typed", ["ừ xóa đi", "co", "ok", "đồng ý nha"])
async def test_yes_in_a_sentence_confirms_the_deletion(chat: Chat, typed: str) -> None:
    await chat.onboard()
    await chat.say("/xoadulieu")
    await chat.press("d:del")
    await chat.say(typed)
    assert "deletion/done" in chat.templates or chat.templates[0].startswith("deletion/"), (
        typed, chat.templates)
    assert chat.templates[-1] != "deletion/confirm", (typed, chat.templates)


@pytest.mark.parametrize("typed", ["ko", "chưa", "k", "thôi"])
async def test_no_in_any_spelling_keeps_the_data(chat: Chat, db: Database, typed: str) -> None:
    await chat.onboard()
    await chat.say("/xoadulieu")
    await chat.press("d:del")
    await chat.say(typed)
    async with db.transaction() as store:
        user = await store.users.find("terminal", "u1")
    assert user is not None and user.producer_id is not None, (typed, chat.templates)


async def test_language_and_consent_in_sentences(chat: Chat) -> None:
    await chat.say("/start")
    await chat.say("tiếng việt nha")
    assert chat.templates == ["onboarding/consent"], chat.templates
    await chat.say("đồng ý nha")
    assert chat.templates[-1] == "profile/ask_name", chat.templates


async def test_summary_sentences_edit_and_send(chat: Chat) -> None:
    await _product_at(chat, "products/ask_material")
    await chat.say("Mật ong hoa tràm")
    await chat.say("Rừng U Minh Hạ")
    await chat.say("bo qua")
    assert chat.templates[-1] == "products/summary"
    await chat.say("sửa lại tên")
    assert chat.templates[-1] == "products/ask_name", chat.templates
    await chat.say("Mật ong rừng tràm U Minh")
    assert chat.templates[-1] == "products/summary", chat.templates
    await chat.say("gui di")
    assert "products/submitted" in chat.templates, chat.templates


async def test_the_officers_word_for_a_dossier_item_opens_it(chat: Chat) -> None:
    await _product_at(chat, "products/ask_material")
    await chat.say("Mật ong hoa tràm")
    await chat.say("Rừng U Minh Hạ")
    await chat.say("bo qua")
    await chat.say("giấy tờ hồ sơ")
    assert chat.templates == ["dossier/checklist"], chat.templates
    await chat.say("giay attp")
    assert chat.templates == ["dossier/item"], chat.templates
    assert "an toàn thực phẩm" in chat.text
    await chat.say("co ban giay roi")
    assert chat.templates[-1] == "dossier/checklist", chat.templates
    assert "📄 Giấy chứng nhận an toàn thực phẩm" in chat.text


async def test_the_end_of_a_named_month_is_a_date(chat_for: ChatFor, db: Database) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    await off.say("Đợt II năm 2026")
    await off.press("k:all")
    for typed in ("2/12", "15/12/2026", "31/12/2026", "15/1/2027 8h", "cuối tháng 2"):
        await off.say(typed)
    await off.press("n:skip")
    assert off.templates == ["rounds/confirm"]
    assert "28/02/2027" in off.text


async def test_leaving_the_registration_of_details_and_coming_back(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("l:vi")
    await chat.press("c:yes")
    await chat.say("HTX Tân Phú")
    await chat.press("e:cooperative")
    await chat.say("thôi để mai")
    assert chat.templates[0] == "menu/left", chat.templates
    await chat.say("làm tiếp")
    assert chat.templates == ["onboarding/welcome_back", "onboarding/progress",
                              "profile/ask_contact_person"], chat.templates


async def test_a_question_starting_like_yes_never_confirms_a_summary(
    chat_for: ChatFor, db: Database, clock: Clock
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    await off.say("Đợt III năm 2026")
    await off.press("k:all")
    for typed in ("2/12", "15/12/2026", "31/12/2026", "15/1/2027 8h", "1/2/2027"):
        await off.say(typed)
    await off.press("n:skip")
    await off.say("có thể sửa ngày không")
    assert "rounds/created" not in off.templates, off.templates
    async with db.transaction() as store:
        assert await store.rounds.current("VL", clock()) == []
    await off.say("đồng ý tạo đợt")  # every word says yes or names the button
    assert off.templates[0] == "rounds/created", off.templates


async def test_leaving_a_screen_with_nothing_to_keep_does_not_speak_of_a_draft(
    chat: Chat,
) -> None:
    await chat.onboard()
    await chat.say("/caidat")
    await chat.say("thôi")
    assert chat.templates == ["menu/left", "menu/main"]
    assert "bản nháp" not in chat.text and "làm tiếp" not in chat.text
