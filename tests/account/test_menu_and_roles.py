"""Menus, command words, roles and the escape words, through the dispatcher."""

from datetime import UTC, datetime

from handlers import FEATURES
from handlers.engine.dispatcher import Dispatcher
from storage import Database
from storage.models import Role
from tests.chat import Chat, ChatFor


async def _make_officer(db: Database, chat: Chat, province: str = "VL") -> None:
    async with db.transaction() as store:
        user = await store.users.seen(chat.channel, chat.user, chat.user, datetime.now(UTC))
        await store.users.grant(user.id, Role.OFFICER, province, "test", datetime.now(UTC))


async def test_command_words_with_and_without_diacritics(chat: Chat) -> None:
    await chat.onboard()
    for words, template in (
        ("tro giup", "help/show"),
        ("Trợ giúp", "help/show"),
        ("MENU", "menu/main"),
        ("cài đặt", "preferences/show"),
        ("/trogiup", "help/show"),
        ("/help@OcopBot", "help/show"),
    ):
        await chat.say(words)
        assert chat.templates[-1] == template, words


async def test_zero_and_cancel_always_return_to_menu(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/toi")
    await chat.say("0")
    assert chat.templates == ["menu/main"]
    await chat.say("/toi")
    await chat.say("/huy")
    assert chat.templates == ["menu/cancelled", "menu/main"]


async def test_unknown_command_and_unknown_text(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/khongco")
    assert chat.templates == ["errors/unknown_command", "menu/main"]
    await chat.say("hôm nay trời đẹp")
    assert chat.templates == ["errors/pick_a_choice", "menu/main"]


async def test_newcomer_menu_and_features_needing_a_profile(chat: Chat) -> None:
    await chat.say("menu")
    assert chat.keys == ["m:start", "m:set", "m:help"]
    await chat.say("/toi")
    assert chat.templates == ["errors/profile_needed", "menu/main"]


async def test_producer_cannot_reach_officer_section(chat: Chat, db: Database) -> None:
    await chat.onboard()
    assert "m:off" not in chat.keys
    await chat.say("/canbo")
    assert chat.templates == ["errors/forbidden", "menu/main"]
    await chat.press("m:off")  # a forged button: not offered, so refused as stale
    assert chat.templates[0] == "errors/stale_menu"
    async with db.transaction() as store:
        denied = await store.audit.entries("denied")
    assert denied and denied[0].subject == "officer.main"


async def test_officer_sees_officer_section(chat: Chat, db: Database) -> None:
    await _make_officer(db, chat)
    await chat.say("menu")
    assert "m:off" in chat.keys
    await chat.press("m:off")
    assert chat.templates == ["officer/main"]
    assert "o:bc" in chat.keys


async def test_admin_from_configuration(
    chat_for: ChatFor,
) -> None:
    admin = chat_for("999")
    await admin.say("/canbo")
    assert admin.templates == ["officer/main"]
    assert "(quản trị)" in admin.text


async def test_profile_edit_keeps_other_fields(chat: Chat, db: Database) -> None:
    await chat.onboard()
    await chat.say("/toi")
    await chat.press("f:p")
    await chat.say("không có số")
    assert chat.templates[0] == "profile/invalid_phone"
    await chat.say("0987 654 321")
    assert chat.templates == ["profile/saved", "profile/show"]
    assert "0987654321" in chat.text and "HTX Tân Phú" in chat.text
    await chat.press("f:v")
    await chat.press("f:keep")
    assert chat.templates == ["profile/show"] and "Vĩnh Long" in chat.text


async def test_settings_toggle_and_language(chat: Chat, db: Database) -> None:
    await chat.onboard()
    await chat.say("/caidat")
    await chat.press("p:rem")
    assert chat.templates == ["preferences/saved", "preferences/show"]
    await chat.press("p:lang")
    await chat.press("l:en")
    assert "Reminders" in chat.text and "off" in chat.text
    async with db.transaction() as store:
        user = await store.users.find(chat.channel, chat.user)
        assert user is not None and user.locale == "en" and not user.reminders_on


async def test_data_export_then_deletion_after_confirmation(chat: Chat, db: Database) -> None:
    await chat.onboard()
    await chat.say("xoa du lieu")
    assert chat.templates == ["deletion/export"]
    assert "HTX Tân Phú" in chat.text and "0912345678" in chat.text
    await chat.press("d:del")
    assert chat.templates == ["deletion/confirm"]
    await chat.press("d:no")
    assert chat.templates[0] == "deletion/kept"
    await chat.say("/xoadulieu")
    await chat.press("d:del")
    await chat.press("d:yes")
    assert chat.templates == ["deletion/done", "menu/main"]
    async with db.transaction() as store:
        user = await store.users.find(chat.channel, chat.user)
        assert user is not None and user.producer_id is None and user.consent_at is None
        assert await store.audit.entries("personal_data_deleted")


async def test_accented_words_match_commands_up_to_tone_marks(chat: Chat) -> None:
    from handlers.engine.reading import parse_command

    assert parse_command("đăng kí") == "dangky"
    assert parse_command("Đăng Ký") == "dangky"
    assert parse_command("dang ky") == "dangky"
    assert parse_command("Hủy") == parse_command("huy") == "huy"
    assert parse_command("dung") == parse_command("dừng") == "dung"
    assert parse_command("đúng") is None  # "right", not "stop"
    assert parse_command("dùng") is None  # "use", not "stop"


async def test_second_tap_is_silent_when_the_next_step_has_no_buttons(chat: Chat) -> None:
    await chat.say("/start")
    await chat.press("l:vi")
    version = chat.last.menu_version
    await chat.press("c:yes", version=version)
    assert chat.templates[-1] == "profile/ask_name"
    await chat.press("c:yes", version=version)
    assert chat.templates == [] and chat.last.toast == "toast.already_done"


async def test_update_redelivered_after_restart_asks_the_current_question_again(
    chat: Chat, db: Database
) -> None:
    from handlers.engine.events import Incoming, InputKind

    await chat.say("/start")
    await chat.press("l:vi")
    await chat.press("c:yes")
    event = Incoming(
        channel=chat.channel,
        external_id=chat.user,
        chat_id=chat.user,
        kind=InputKind.TEXT,
        text="HTX A",
        at=chat.clock(),
        update_key="t:again",
    )
    assert (await chat.dispatcher.handle(event)).replies[-1].template == "profile/ask_entity_type"
    restarted = Dispatcher(
        db, chat.dispatcher._config, chat.renderer, chat.clock, features=FEATURES
    )
    again = await restarted.handle(event)
    assert [r.template for r in again.replies][-1] == "profile/ask_entity_type"
    assert (await restarted.handle(event)).duplicate
    async with db.transaction() as store:
        user = await store.users.find(chat.channel, chat.user)
        assert user is not None
        assert await store.conversations.draft(user.id, "onboarding") == {"name": "HTX A"}


async def test_typing_the_number_of_keep_at_the_phone_question_keeps_it(chat: Chat) -> None:
    """On Zalo the phone question shows "1. Giữ nguyên": typing 1 keeps the number."""
    await chat.onboard()
    await chat.say("/toi")
    await chat.press("f:p")
    await chat.say("1")
    assert chat.templates == ["profile/show"] and "0912345678" in chat.text
