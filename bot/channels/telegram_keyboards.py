"""Keyboards a person has answered are put away.

A pressed message's inline keyboard is replaced by the choice made ("Đã chọn: …"), so an
old menu cannot be pressed again by mistake; the one-time "share my phone" keyboard, which
Telegram hides only when its button is pressed, is removed with the next message however
the person answered (typing the number, or anything else). Which chats show one is kept in
the database, so that a restart does not leave the keyboard on someone's screen.
"""

from __future__ import annotations

import html
import logging
from datetime import UTC, datetime

from telegram import Bot, CallbackQuery, Message
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.channels.telegram_io import TEXT_LIMIT, deliver, parse_callback_data, send_outcome
from handlers.engine.events import Outcome
from messages import Renderer
from messages.split import utf16_len
from storage import Database

log = logging.getLogger(__name__)
STALE = "toast.stale"  # the answer to a press on a menu that has expired


CHANNEL = "telegram"


class Keyboards:
    """Which chats still show a "share my phone" keyboard, and putting pressed menus away.

    The chats are read from the database once, then kept in memory and written through on
    each change (a keyboard shown, or removed): an answer that changes nothing costs no write.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._contact: set[str] | None = None  # read on first use

    async def send(self, bot: Bot, renderer: Renderer, outcome: Outcome, chat_id: str) -> None:
        """Send an outcome's replies, removing a "share my phone" keyboard no longer asked."""
        target = outcome.chat_id or chat_id
        tidy = await self.shown(target, outcome)
        removed = await send_outcome(bot, renderer, outcome, chat_id, tidy=tidy)
        if removed:
            await self._forget(target)

    async def shown(self, chat_id: str, outcome: Outcome) -> bool:
        """Note what this outcome shows; whether a "share my phone" keyboard is to be removed
        with it (it was shown before, and this outcome does not ask again)."""
        showing = await self._showing()
        asks = any(reply.ask_contact for reply in outcome.replies)
        if asks and chat_id not in showing:
            showing.add(chat_id)
            async with self._db.transaction() as store:
                await store.reply_keyboards.shown(CHANNEL, chat_id, datetime.now(UTC))
        return chat_id in showing and not asks and bool(outcome.replies)

    async def _showing(self) -> set[str]:
        if self._contact is None:
            async with self._db.transaction() as store:
                self._contact = await store.reply_keyboards.showing(CHANNEL)
        return self._contact

    async def _forget(self, chat_id: str) -> None:
        showing = await self._showing()
        showing.discard(chat_id)
        async with self._db.transaction() as store:
            await store.reply_keyboards.put_away(CHANNEL, chat_id)

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
