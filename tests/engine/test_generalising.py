"""Sentences the reader was not given word for word: slips, run-together words, the kind of
thing named ("giấy", "lớp"), leaving for later where a skip is offered, a choice named in part
at a step taking text — as a chat (terminal)."""

from __future__ import annotations

import pytest

from messages.telex import syllable, untelex
from messages.typos import mend
from storage import Database
from tests.chat import Chat, ChatFor
from tests.engine.corpus import Line, read_line
from tests.engine.test_sentences import _product_at
from tests.rounds import support

KNOWN = ("thong", "bao", "dang", "ky", "san", "pham", "kiem", "nghiem", "help", "deadline")


@pytest.mark.parametrize(("typed", "meant"), [
    (("thog", "bao"), ("thong", "bao")),  # a letter missing
    (("dangky", "sp"), ("dang", "ky", "sp")),  # two words run together
    (("kiemnghiem",), ("kiem", "nghiem")),
    (("hlep",), ("help",)),  # two letters swapped
    (("deadlin",), ("deadline",)),
])
def test_a_slip_is_mended_against_the_known_words(
    typed: tuple[str, ...], meant: tuple[str, ...]
) -> None:
    assert mend(typed, KNOWN) == meant


@pytest.mark.parametrize("word", ["thanh", "thuoc", "truong", "nguyen", "mat", "kys", "2026"])
def test_a_real_syllable_or_a_short_word_is_never_mended(word: str) -> None:
    assert mend((word,), (*KNOWN, "thanh", "thuc", "truon", "nguyn", "mat")) == (word,)
    assert syllable("thanh") and syllable("nghieng") and not syllable("thog")


@pytest.mark.parametrize(("typed", "opens"), [
    ("thog bao", "announcements/recent"),
    ("dangky sp moi", "products/ask_name"),
    ("huong dan dung bot", "help/show"),
])
async def test_a_slip_at_the_main_menu_still_opens_what_it_asks(
    chat: Chat, typed: str, opens: str
) -> None:
    await chat.onboard()
    await chat.say(typed)
    assert chat.templates[-1] == opens, (typed, chat.templates)


async def test_leaving_for_later_where_a_skip_is_offered_takes_the_skip(chat: Chat) -> None:
    await _product_at(chat, "products/ask_material")
    await chat.say("Mật ong hoa tràm")
    await chat.say("Rừng U Minh Hạ")
    assert "products/ask_photos" in chat.templates
    await chat.say("mai gửi ảnh sau")
    assert chat.templates[-1] == "products/summary", chat.templates
    await chat.say("gửi hồ sơ đi bạn")  # a particle after the yes does not stop it
    assert "products/submitted" in chat.templates, chat.templates


async def test_the_kind_of_paper_named_opens_the_item_and_no_is_not_an_answer(
    chat: Chat,
) -> None:
    await _product_at(chat, "products/ask_material")
    await chat.say("Mật ong hoa tràm")
    await chat.say("Rừng U Minh Hạ")
    await chat.say("bo qua")
    await chat.say("giấy tờ hồ sơ")
    await chat.say("giay kiem nghiem")  # “Phiếu kiểm nghiệm”: "giấy" names only the kind
    assert chat.templates == ["dossier/item"], chat.templates
    assert "kiểm nghiệm" in chat.text
    await chat.say("chua co giay nay")  # denies “📄 Tôi có bản giấy”: asked, never taken
    assert chat.templates == ["errors/did_you_mean"], chat.templates
    assert "Có phải anh/chị muốn" in chat.text and "Về danh sách giấy tờ" in chat.text
    assert "Tôi có bản giấy" not in chat.text


async def test_a_year_named_in_part_at_the_target_prompt_is_asked_and_its_number_answers(
    chat_for: ChatFor, db: Database
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/thongke")
    await off.press("f:target")
    year = "2027" if "Năm 2027" in off.text else "2026"
    await off.say(f"để năm {year}")
    assert off.templates == ["errors/did_you_mean"], off.templates
    assert f"1. 📅 Năm {year}" in off.text
    await off.say("1")  # the number of the question's choice, not a target of 1
    assert off.templates == ["figures/ask_target"], off.templates
    assert f"Chỉ tiêu năm {year}" in off.text
    await off.say("40")
    assert "figures/target_saved" in off.templates, off.templates
    assert "40 sản phẩm" in off.text


@pytest.mark.parametrize(("screen", "typed", "never"), [
    ("training", "ko dang ky", "choice:en"),
    ("training", "không đăng ký nữa", "choice:en"),
    ("menu", "khong muon dang ky", "command:dangky"),
    ("claim", "em chua co ma xac nhan", "choice:v:code"),
    ("item", "ko co ban giay", "choice:m:paper"),
    ("summary", "không muốn gửi hồ sơ", "choice:sm:ok"),
])
def test_a_denied_choice_or_command_is_never_taken(screen: str, typed: str, never: str) -> None:
    got = read_line(Line(screen, typed, ""))
    assert got != never and got != "answer", (typed, got)


@pytest.mark.parametrize(("screen", "typed", "meant"), [
    ("consent", "không đồng ý", "choice:c:no"),  # the choice denies itself: taken
    ("delete", "không, giữ lại", "choice:d:no"),
    ("photos", "chưa có ảnh", "choice:ph:done"),
])
def test_a_choice_saying_no_itself_is_still_taken(screen: str, typed: str, meant: str) -> None:
    assert read_line(Line(screen, typed, "")) == meant


async def test_no_paper_at_a_dossier_item_is_asked_not_recorded(chat: Chat) -> None:
    await _product_at(chat, "products/ask_material")
    await chat.say("Mật ong hoa tràm")
    await chat.say("Rừng U Minh Hạ")
    await chat.say("bo qua")
    await chat.say("giấy tờ hồ sơ")
    await chat.say("giay attp")
    await chat.say("ko co ban giay")
    assert chat.templates == ["errors/did_you_mean"], chat.templates
    assert "Về danh sách giấy tờ" in chat.text
    await chat.say("1")
    assert chat.templates[-1] == "dossier/checklist", chat.templates
    assert "📄 Giấy chứng nhận an toàn thực phẩm" not in chat.text


@pytest.mark.parametrize(("screen", "typed", "meant"), [
    ("text", "thui", "leave"),  # teen-code written out
    ("text", "tuan sau em lam tiep", "leave"),
    ("origin", "ti nua nha", "leave"),
    ("photos", "xiu nua gui anh", "choice:ph:done"),
    ("summary", "gui lun", "choice:sm:ok"),
    ("consent", "chấp nhận", "choice:c:yes"),
    ("review", "chấp nhận hồ sơ", "choice:ra:ok"),
    ("checklist", "hop dong tieu thu", "choice:i:market"),
    ("summary", "thay doi ten sp", "choice:sm:name"),
    ("group", "thao duoc", "choice:g:herbal"),
])
def test_everyday_words_for_leaving_and_for_the_buttons(
    screen: str, typed: str, meant: str
) -> None:
    assert read_line(Line(screen, typed, "")) == meant


@pytest.mark.parametrize(("screen", "typed", "meant"), [
    ("consent", "okkk", "choice:c:yes"),
    ("text", "thoiii", "leave"),
    ("delete", "khôngggg", "choice:d:no"),
])
def test_a_letter_held_down_is_read_once(screen: str, typed: str, meant: str) -> None:
    assert read_line(Line(screen, typed, "")) == meant


@pytest.mark.parametrize(("typed", "meant"), [
    ("kys", "ky"), ("phaamr", "pham"), ("dduwowcj", "duoc"), ("khoong", "khong"),
    ("yes", "yes"), ("settings", "settings"), ("thanh", "thanh"), ("menu", "menu"),
])
def test_telex_leftovers_are_read_as_the_letters_they_mark(typed: str, meant: str) -> None:
    assert untelex(typed) == meant


@pytest.mark.parametrize(("screen", "typed", "meant"), [
    ("menu", "ddang kys sanr phaamr", "command:dangky"),
    ("consent", "ddoongf ys", "choice:c:yes"),
    ("delete", "khoong", "choice:d:no"),
])
def test_a_message_typed_with_the_vietnamese_keyboard_off(
    screen: str, typed: str, meant: str
) -> None:
    assert read_line(Line(screen, typed, "")) == meant
