"""Onboarding through the dispatcher on a real database, including every kind of bad input."""

import pytest

from handlers.engine.events import InputKind
from messages import Format
from storage import Database
from tests.chat import Chat


async def _profile(db: Database, chat: Chat) -> dict[str, str]:
    async with db.transaction() as store:
        user = await store.users.find(chat.channel, chat.user)
        assert user is not None and user.producer_id is not None
        producer = await store.users.producer(user.producer_id)
        assert producer is not None
        return producer.model_dump(mode="json")


async def _draft(db: Database, chat: Chat) -> dict[str, str] | None:
    async with db.transaction() as store:
        user = await store.users.find(chat.channel, chat.user)
        assert user is not None
        return await store.conversations.draft(user.id, "onboarding")


async def test_full_onboarding_typed_without_diacritics(chat: Chat, db: Database) -> None:
    await chat.say("bat dau")
    assert chat.templates == ["onboarding/greeting"]
    await chat.say("tieng viet")
    assert chat.templates == ["onboarding/consent"]
    await chat.say("dong y")
    await chat.say("HTX Nong nghiep Tan Phu")
    await chat.say("hop tac xa")
    await chat.say("Nguyen Thi Lan")
    await chat.say("0912.345.678")
    await chat.say("vinh long")
    await chat.say("Xa Tan Phu")
    assert chat.templates == ["onboarding/summary"]
    assert "0912345678" in chat.text and "Vĩnh Long" in chat.text
    await chat.say("1")
    assert chat.templates == ["onboarding/done", "menu/main"]
    profile = await _profile(db, chat)
    assert profile["phone"] == "+84912345678"
    assert profile["entity_type"] == "cooperative"
    assert profile["province_code"] == "VL"
    assert await _draft(db, chat) is None


async def test_english_onboarding_speaks_english(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("l:en")
    assert "Do you agree?" in chat.text


async def test_no_consent_stores_nothing_personal(chat: Chat, db: Database) -> None:
    await chat.say("/start")
    await chat.press("l:vi")
    await chat.press("c:no")
    assert chat.templates[0] == "onboarding/no_consent"
    assert "m:start" in chat.keys
    async with db.transaction() as store:
        user = await store.users.find(chat.channel, chat.user)
        assert user is not None and user.consent_at is None and user.producer_id is None
    assert await _draft(db, chat) is None


async def _to_name_step(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("l:vi")
    await chat.press("c:yes")
    assert chat.templates[-1] == "profile/ask_name"


async def test_non_text_where_text_is_expected(chat: Chat) -> None:
    await _to_name_step(chat)
    for kind in (InputKind.OTHER, InputKind.PHOTO):
        await chat.send(kind)
        assert chat.templates == [
            "errors/text_expected",
            "onboarding/progress",
            "profile/ask_name",
        ]


async def test_bad_names_are_refused_politely(chat: Chat) -> None:
    await _to_name_step(chat)
    await chat.say("x" * 500)
    assert chat.templates[0] == "profile/too_long"
    await chat.say("🌾🌾🌾")
    assert chat.templates[0] == "profile/need_letters"
    await chat.say("<b>HTX</b>'; DROP TABLE users;--")
    assert chat.templates[-1] == "profile/ask_entity_type"


async def test_html_and_sql_are_kept_as_typed_and_shown_escaped(chat: Chat, db: Database) -> None:
    name = "<b>HTX</b> & 'Tân Phú'; DROP TABLE users;--"
    await chat.onboard(name=name)
    assert (await _profile(db, chat))["name"] == name
    await chat.say("/toi")
    html = chat.renderer.render("vi", "profile/show", Format.HTML, **chat.last.replies[0].context)
    assert "&lt;b&gt;HTX&lt;/b&gt; &amp;" in html
    assert name in chat.text


async def test_invalid_phone_is_asked_again(chat: Chat) -> None:
    await _to_name_step(chat)
    await chat.say("HTX A")
    await chat.press("e:household")
    await chat.say("Lan")
    for wrong in ("12345", "+1 202 555 0100", "abc"):
        await chat.say(wrong)
        assert chat.templates[0] == "profile/invalid_phone", wrong
    await chat.say("+84 912 345 678")
    assert chat.templates[-1] == "profile/ask_province"


async def test_province_typed_in_part_or_by_former_name(chat: Chat) -> None:
    await _to_name_step(chat)
    for answer in ("HTX A", "1", "Lan", "0912345678"):
        await chat.say(answer)
    await chat.say("quang")
    assert chat.templates == ["profile/province_ambiguous"]
    assert {"v:QNG", "v:QN", "v:QT", "v:TQ"} <= set(chat.keys)
    await chat.say(str(chat.keys.index("v:QN") + 1))
    assert chat.templates[-1] == "profile/ask_commune"
    await chat.say("Xã A")
    assert "Quảng Ninh" in chat.text
    await chat.press("s:v")
    await chat.say("ben tre")  # merged into Vĩnh Long in 2025
    assert "Vĩnh Long" in chat.text
    assert chat.templates == ["profile/province_merged", "onboarding/summary"]


async def test_stale_button_and_number_not_offered(chat: Chat) -> None:
    await chat.say("/start")
    old_version = chat.last.menu_version
    await chat.press("l:vi")
    await chat.press("l:en", version=old_version)  # the language button from the old message
    assert chat.templates == ["errors/stale_menu", "onboarding/consent"]
    assert chat.last.toast == "toast.stale"
    await chat.say("7")
    assert chat.templates == ["errors/number_not_offered", "onboarding/consent"]
    await chat.press("forged:key")
    assert chat.templates[0] == "errors/stale_menu"
    await chat.say("²")  # a digit to str.isdigit, not a number to int()
    assert chat.templates == ["errors/pick_a_choice", "onboarding/consent"]


async def test_two_quick_taps_act_once(chat: Chat, db: Database) -> None:
    await chat.say("/start")
    version = chat.last.menu_version
    await chat.press("l:vi", version=version)
    assert chat.templates == ["onboarding/consent"]
    await chat.press("l:vi", version=version)
    assert chat.templates == [] and chat.last.toast == "toast.already_done"
    await chat.press("c:yes")  # the current menu still works after the second tap
    assert chat.templates[-1] == "profile/ask_name"


async def test_same_update_twice_is_handled_once(chat: Chat) -> None:
    await _to_name_step(chat)
    from handlers.engine.events import Incoming

    event = Incoming(
        channel=chat.channel,
        external_id=chat.user,
        chat_id=chat.user,
        kind=InputKind.TEXT,
        text="HTX A",
        at=chat.clock(),
        update_key="t:dup",
    )
    first = await chat.dispatcher.handle(event)
    second = await chat.dispatcher.handle(event)
    assert first.replies and second.duplicate and not second.replies


async def test_cancel_keeps_draft_and_start_resumes(chat: Chat, db: Database) -> None:
    await _to_name_step(chat)
    await chat.say("HTX A")
    await chat.press("e:household")
    await chat.say("huỷ")
    assert chat.templates[0] == "menu/cancelled"
    assert (await _draft(db, chat)) == {"name": "HTX A", "entity_type": "household"}
    await chat.say("/start")
    assert chat.templates == [
        "onboarding/welcome_back",
        "onboarding/progress",
        "profile/ask_contact_person",
    ]


async def test_restart_resumes_at_the_same_step(chat: Chat, db: Database) -> None:
    from handlers import FEATURES
    from handlers.engine.dispatcher import Dispatcher

    await _to_name_step(chat)
    await chat.say("HTX A")
    restarted = Chat(
        Dispatcher(db, chat.dispatcher._config, chat.renderer, chat.clock, features=FEATURES),
        chat.renderer,
        chat.clock,
        chat.channel,
        chat.user,
    )
    await restarted.press("e:coop_group", version=chat.last.menu_version)
    assert restarted.templates[-1] == "profile/ask_contact_person"


async def test_summary_corrects_one_field_and_returns(chat: Chat, db: Database) -> None:
    await _to_name_step(chat)
    for answer in ("HTX A", "1", "Lan", "0912345678", "ha noi", "Xã B"):
        await chat.say(answer)
    await chat.press("s:n")
    assert chat.templates[-1] == "profile/ask_name"
    await chat.say("HTX B")
    assert chat.templates == ["onboarding/summary"] and "HTX B" in chat.text
    await chat.press("s:ok")
    assert (await _profile(db, chat))["name"] == "HTX B"


async def test_registered_user_start_goes_to_menu(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/start")  # a greeting gets a warm answer instead (tests/engine)
    assert chat.templates == ["onboarding/already_registered", "menu/main"]


@pytest.mark.parametrize(
    ("typed", "code"),
    [("htx", "cooperative"), ("ho kinh doanh", "household"), ("cong ty", "enterprise"),
     ("firm", "enterprise"), ("To hop tac", "coop_group")],
)
async def test_entity_type_understands_the_usual_words(
    chat: Chat, db: Database, typed: str, code: str
) -> None:
    """People type "htx" or "hộ kinh doanh" rather than the list's exact wording."""
    await chat.say("/start")
    await chat.press("l:vi")
    await chat.press("c:yes")
    await chat.say("HTX Tân Phú")
    await chat.say(typed)
    assert chat.templates[-1] == "profile/ask_contact_person"
    assert (await _draft(db, chat) or {}).get("entity_type") == code


async def test_an_ambiguous_entity_word_asks_to_pick(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("l:vi")
    await chat.press("c:yes")
    await chat.say("HTX Tân Phú")
    await chat.say("hop tac")  # a cooperative or a cooperative group
    assert chat.templates == ["errors/pick_a_choice", "onboarding/progress",
                              "profile/ask_entity_type"]


async def test_a_former_province_name_says_where_it_belongs_now(chat: Chat, db: Database) -> None:
    """Typing "ben tre" records Vĩnh Long and says why, rather than silently."""
    await chat.say("/start")
    await chat.press("l:vi")
    await chat.press("c:yes")
    for answer in ("HTX Tân Phú", "htx", "Nguyễn Thị Lan", "0912345678"):
        await chat.say(answer)
    await chat.say("ben tre")
    assert chat.templates[0] == "profile/province_merged"
    assert "Bến Tre đã hợp nhất vào Vĩnh Long từ 01/7/2025" in chat.text
    assert (await _draft(db, chat) or {}).get("province_code") == "VL"
    await chat.say("Xã Phú Thuận")
    await chat.say("1")
    await chat.say("/toi")
    await chat.press("f:v")
    await chat.say("vinh long")
    assert chat.templates[0] == "profile/saved"
