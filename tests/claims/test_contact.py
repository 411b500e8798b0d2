"""A shared Telegram contact proves a phone only when it is the sender's own."""

from __future__ import annotations

from telegram import Update

from bot.channels.present import present
from bot.channels.telegram_io import contact_keyboard, incoming_from
from handlers.engine.events import InputKind, Outcome, Reply
from messages import Format, Renderer


def _update(contact_user: int) -> Update:
    data = {
        "update_id": 7,
        "message": {
            "message_id": 1, "date": 1_760_000_000,
            "chat": {"id": 42, "type": "private", "first_name": "Lan"},
            "from": {"id": 42, "is_bot": False, "first_name": "Lan"},
            "contact": {"phone_number": "84912345678", "first_name": "Lan",
                        "user_id": contact_user},
        },
    }
    return Update.de_json(data, None)


def test_own_contact_carries_the_phone_and_another_does_not() -> None:
    own = incoming_from(_update(42))
    assert own is not None and own.kind is InputKind.CONTACT
    assert own.contact_phone == "84912345678"
    other = incoming_from(_update(43))
    assert other is not None and other.kind is InputKind.CONTACT and other.contact_phone is None


def test_the_share_button_asks_for_the_contact() -> None:
    outcome = Outcome(replies=[Reply(template="claims/share_contact",
                                     ask_contact="claims.share_button")])
    [shown] = present(Renderer(), outcome, Format.HTML)
    markup = contact_keyboard(shown)
    assert markup is not None
    button = markup.keyboard[0][0]
    assert button.request_contact and button.text == "Gửi số điện thoại của tôi"
