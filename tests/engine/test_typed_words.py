"""Typed words as producers and officers type them, read current step first, as a chat."""

from __future__ import annotations

from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from tests.chat import Chat, ChatFor, Clock
from tests.outbox.support import make_officer, seed_producers
from tests.products.steps import register
from tests.rounds import support
from tests.trainings.test_flow import make_training


async def _round_to_confirm(off: Chat) -> None:
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    await off.say("Đợt II năm 2026")
    await off.press("k:all")
    for typed in ("2/12", "15/12/2026", "31/12/2026", "15/1/2027 8h", "1/2/2027"):
        await off.say(typed)
    await off.press("n:skip")
    assert off.templates == ["rounds/confirm"]


async def test_dung_on_a_summary_is_the_yes_answer_not_stop(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    off = await support.officer(db, chat_for)
    await _round_to_confirm(off)
    await off.say("dung")
    assert off.templates == ["rounds/created", "rounds/officer_detail"]
    async with db.transaction() as store:
        user = await store.users.find("telegram", "off1")
        rounds = await store.rounds.current("VL", clock())
    assert user is not None and user.announcements_on
    assert [r.name for r in rounds] == ["Đợt II năm 2026"]


async def test_accented_dung_on_a_summary_is_the_yes_answer(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    off = await support.officer(db, chat_for)
    await _round_to_confirm(off)
    await off.say("đúng")
    assert off.templates == ["rounds/created", "rounds/officer_detail"]


async def test_dung_alone_asks_which_and_stopping_can_be_undone_in_one_tap(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    farmer = await support.producer(chat_for)
    await farmer.say("dung")
    assert farmer.templates == ["errors/which_meaning"]
    assert "Dừng nhận thông báo" in farmer.text and "tiếp tục" in farmer.text
    await farmer.say("2")  # "no, go on": nothing is turned off, the menu again
    assert farmer.templates == ["menu/main"]
    await farmer.say("dung")
    await farmer.say("1")
    assert farmer.templates == ["announcements/stopped"]
    assert "Bật thông báo" in farmer.text  # the undo, one tap away
    async with db.transaction() as store:
        user = await store.users.find("telegram", "101")
    assert user is not None and not user.announcements_on
    await farmer.say("bat thong bao")
    assert farmer.templates == ["announcements/restarted", "menu/main"]
    async with db.transaction() as store:
        user = await store.users.find("telegram", "101")
    assert user is not None and user.announcements_on


async def test_the_words_of_a_training_choice_enrol_instead_of_registering_a_product(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    farmer = await support.producer(chat_for)
    training_id = await make_training(db, clock)
    await farmer.say("taphuan")  # the command typed without its slash
    assert farmer.templates == ["trainings/upcoming"]
    await farmer.say("1")
    assert farmer.keys == ["en", "v:back"]
    await farmer.say("dang ky")
    assert farmer.templates == ["trainings/enrolled", "trainings/view"]
    async with db.transaction() as store:
        training = await store.trainings.get(training_id)
    assert training is not None and training.enrolled == 1


async def test_bo_qua_on_the_photo_step_skips_as_the_bot_suggests(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    await chat.say("Kẹo dừa Tân Phú")
    await chat.say("thuc pham")
    await chat.say("rau cu qua")  # fresh, or processed ("Chế biến từ rau, củ, quả, hạt")?
    assert chat.templates[0] == "errors/which_choice"
    assert "“Rau, củ, quả, hạt tươi” và “Chế biến từ rau, củ, quả, hạt”" in chat.text
    await chat.say("rau cu qua tuoi")  # every word in one set's name
    assert chat.templates[-1] == "products/ask_kind", chat.templates
    await chat.say("lan dau")
    await chat.say("Kẹo dừa làm thủ công.")
    await chat.say("Dừa khô, đường mía")
    await chat.say("Vườn nhà")
    assert "products/ask_photos" in chat.templates
    assert "Bỏ qua" in chat.text
    await chat.say("bo qua")
    assert chat.templates[-1] == "products/summary", chat.templates


async def test_lam_tiep_continues_a_draft_and_nang_hang_picks_the_kind(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    await chat.say("Mật ong rừng U Minh")
    await chat.say("0")
    await chat.say("dang ky")
    assert chat.templates == ["products/resume"]
    await chat.say("lam tiep")
    assert chat.templates[-1] == "products/ask_group", chat.templates
    await chat.say("thuc pham")
    await chat.say("mat ong khac")
    await chat.say("nang hang")
    assert chat.templates[-1] == "products/ask_stars", chat.templates
    await chat.say("3*")
    assert chat.templates[-1] == "products/ask_cert", chat.templates


async def test_two_fitting_choices_are_named_and_asked(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    await off.say("Đợt III")
    await off.say("nang hang")  # in "Tất cả (…, nâng hạng)" and "Đánh giá lại và nâng hạng"
    assert off.templates == ["errors/which_choice", "rounds/ask_kinds"]
    assert "Tất cả" in off.text and "Đánh giá lại và nâng hạng" in off.text
    await off.say("tat ca")
    assert off.templates == ["rounds/ask_date"]


async def test_numbers_with_their_unit_words(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:trn")
    await off.press("t:new")
    await off.say("Tập huấn bao bì")
    await off.press("tp:packaging")
    await off.say("8:30 sáng 15/12")
    await off.say("11h30")
    await off.say("Hội trường xã")
    await off.say("40 chỗ")
    assert "a:commune" in off.keys, off.templates  # taken: the audience is asked next
    await off.say("trong tinh")  # "Chủ thể trong tỉnh" (the whole country is for admins)
    await off.say("12/12")
    assert off.templates == ["trainings/confirm"]
    assert off.last.replies[0].context["draft"]["capacity"] == 40, off.last.replies[0].context


async def test_a_score_typed_with_diem(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    producer = Chat(dispatcher, renderer, clock, channel="telegram", user="502")
    admin = Chat(dispatcher, renderer, clock, channel="telegram", user="999")
    await producer.onboard(province="can tho")
    pid = await register(producer, photos=0)
    await producer.press("sm:ok")
    await admin.say("/duyet")
    await admin.press(f"r:{pid}")
    await admin.press("ra:ok")
    await admin.say("/ketqua")
    await admin.press(f"x:{pid}")
    await admin.say("82 diem")
    assert admin.templates == ["results/ask_decision"]  # 82 taken: 4 stars, the decision next
    async with db.transaction() as store:
        user = await store.users.find("telegram", "999")
        assert user is not None
        state = await store.conversations.state_of(user.id)
    assert state.data["score"] == 82.0


async def test_a_broadcast_scheduled_with_the_words_of_rounds(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    await seed_producers(db, 3, clock())
    await make_officer(db, clock(), "555", "VL")
    off = Chat(dispatcher, renderer, clock, channel="telegram", user="555")
    await off.say("/canbo")
    await off.press("o:bc")
    await off.say("Họp chủ thể OCOP")
    await off.say("tat ca")  # "👥 Tất cả chủ thể"
    assert off.templates[-1] == "broadcast/confirm", off.templates
    await off.say("hen gio")
    assert off.templates == ["broadcast/ask_when"]
    await off.say("8h sáng mai")
    assert off.templates[-1] == "broadcast/confirm", off.templates
    assert off.last.replies[-1].context["not_before"] is not None


async def test_commands_typed_without_their_slash(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("hanchot")
    assert chat.templates[0].startswith("rounds/"), chat.templates
    await chat.say("trogiup")
    assert chat.templates[0] == "help/show"


async def test_a_greeting_from_a_registered_user_gets_a_warm_answer_and_the_menu(
    chat: Chat,
) -> None:
    await chat.onboard()
    for typed in ("xin chao", "alo", "hi"):
        await chat.say(typed)
        assert chat.templates == ["menu/hello", "menu/main"]
        assert "đã đăng ký" not in chat.text


async def test_a_greeting_in_a_step_answers_and_asks_the_question_again(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/caidat")
    asked = chat.templates
    await chat.say("chao")
    assert chat.templates == ["menu/hello", *asked]


async def test_words_the_bot_quotes_in_a_prompt_work_typed(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    for answer in ("Kẹo dừa", "1", "1", "1", "Kẹo dừa thủ công", "Dừa khô", "Vườn nhà"):
        await chat.say(answer)
    prompt = chat.text
    quoted = prompt.split("“", 1)[1].split("”", 1)[0]
    assert quoted == "Bỏ qua, gửi ảnh sau"
    for typed in (quoted, "bỏ qua", "bo qua"):
        await chat.say("/dangky")
        if "products/resume" in chat.templates:  # a new one: skipped photos are not asked again
            await chat.press("r:new")
            for answer in ("Kẹo dừa", "1", "1", "1", "Kẹo dừa thủ công", "Dừa khô", "Vườn nhà"):
                await chat.say(answer)
        assert "products/ask_photos" in chat.templates, chat.templates
        await chat.say(typed)
        assert chat.templates[-1] == "products/summary", (typed, chat.templates)
