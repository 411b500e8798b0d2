"""Keyboards a person has answered are put away.

A pressed message's inline keyboard is replaced by the choice made ("Đã chọn: …"), so an
old menu cannot be pressed again by mistake; the one-time "share my phone" keyboard, which
Telegram hides only when its button is pressed, is removed with the next message however
the person answered (typing the number, or anything else).
"""

from __future__ import annotations

import html
import logging

from telegram import Bot, CallbackQuery, Message
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.channels.telegram_io import TEXT_LIMIT, deliver, parse_callback_data, send_outcome
from handlers.engine.events import Outcome
from messages import Renderer
from messages.split import utf16_len

log = logging.getLogger(__name__)
STALE = "toast.stale"  # the answer to a press on a menu that has expired


class Keyboards:
    """Which chats still show a "share my phone" keyboard, and putting pressed menus away."""

    def __init__(self) -> None:
        self._contact: set[str] = set()

    async def send(self, bot: Bot, renderer: Renderer, outcome: Outcome, chat_id: str) -> None:
        """Send an outcome's replies, removing a "share my phone" keyboard no longer asked."""
        tidy = self.shown(outcome.chat_id or chat_id, outcome)
        await send_outcome(bot, renderer, outcome, chat_id, tidy=tidy)

    def shown(self, chat_id: str, outcome: Outcome) -> bool:
        """Note what this outcome shows; whether a "share my phone" keyboard is to be removed
        with it (it was shown before, and this outcome does not ask again)."""
        asks = any(reply.ask_contact for reply in outcome.replies)
        shown_before = chat_id in self._contact
        if asks:
            self._contact.add(chat_id)
        elif outcome.replies:
            self._contact.discard(chat_id)
        return shown_before and not asks and bool(outcome.replies)

    async def settle(
        self, bot: Bot, renderer: Renderer, query: CallbackQuery, outcome: Outcome
    ) -> None:
        """Replace the pressed message's keyboard by the choice made (or just remove it)."""
        message = query.message
        if (
            outcome.duplicate
            or outcome.toast == "toast.already_done"  # a second quick tap: put away once
            or not isinstance(message, Message)
            or message.reply_markup is None  # nothing left to put away
        ):
            return
        # an expired menu is only put away: the press changed nothing, so nothing was chosen
        label = pressed_label(message, query.data or "") if outcome.toast != STALE else None
        chosen = renderer.label(outcome.locale, "pressed.chosen", label=label) if label else ""
        text = f"{message.text_html}\n\n<i>{html.escape(chosen)}</i>" if message.text else ""
        try:
            if chosen and text and utf16_len(text) <= TEXT_LIMIT:
                await deliver(lambda: bot.edit_message_text(
                    text, message.chat_id, message.message_id, parse_mode=ParseMode.HTML,
                ), "editMessageText")
            else:
                await deliver(lambda: bot.edit_message_reply_markup(
                    message.chat_id, message.message_id, reply_markup=None,
                ), "editMessageReplyMarkup")
        except TelegramError as error:  # too old to edit, or edited already
            log.info("pressed message %s left as it is: %s", message.message_id, error)


def pressed_label(message: Message, data: str) -> str | None:
    """The label of the pressed button, read from the message's own keyboard."""
    markup = message.reply_markup
    if markup is None:
        return None
    _, key = parse_callback_data(data)
    for row in markup.inline_keyboard:
        for button in row:
            pressed = button.callback_data
            if isinstance(pressed, str) and (pressed == data or parse_callback_data(pressed)[1]
                                             == key):
                return button.text
    return None
