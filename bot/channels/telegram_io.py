"""Telegram updates in, our events out; our outcomes in, Bot API calls out."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.channels.present import Shown, present
from bot.channels.telegram_incoming import (  # the incoming side, imported from here too
    CHANNEL,
    incoming_from,
    is_private,
    locale_hint,
    parse_callback_data,
)
from bot.charts import render_png
from handlers.common.notify import TEXT_LIMITS
from handlers.engine.events import Outcome
from messages import Format, Renderer
from messages.render import to_plain
from messages.split import split_html, split_plain, utf16_len

log = logging.getLogger(__name__)
__all__ = ["CHANNEL", "incoming_from", "is_private", "locale_hint", "parse_callback_data"]

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None
TEXT_LIMIT = TEXT_LIMITS["telegram"]  # UTF-16 units of the whole HTML, to be safe
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes
TOAST_LIMIT = 200
ROW_LIMIT = 8
MAX_RETRY_AFTER = 60.0
T = TypeVar("T")


class Undeliverable(Exception):
    """The user cannot be reached (blocked the bot, deactivated): stop sending to them."""


def keyboard(item: Shown, menu_version: int) -> InlineKeyboardMarkup | None:
    """The inline keyboard of one reply: `columns` buttons a row, data `"<version>:<key>"`."""
    buttons: list[InlineKeyboardButton] = []
    for _, choice, label in item.labels:
        data = f"{menu_version}:{choice.key}"
        if len(data.encode("utf-8")) > CALLBACK_DATA_LIMIT:
            log.error("choice key %r is too long for callback_data; button left out", choice.key)
            continue
        buttons.append(InlineKeyboardButton(label[:64] or "…", callback_data=data))
    if not buttons:
        return None
    width = max(1, min(item.reply.columns, ROW_LIMIT))
    rows = [buttons[i : i + width] for i in range(0, len(buttons), width)]
    return InlineKeyboardMarkup(rows)


async def deliver(send: Callable[[], Awaitable[T]], what: str) -> T | None:
    """Call the Bot API, waiting out flood control and retrying a network error once."""
    for attempt in range(3):
        try:
            return await send()
        except RetryAfter as flood:
            seconds = retry_after_seconds(flood)
            log.warning("%s: flood control, retrying after %.0f s", what, seconds)
            await asyncio.sleep(min(seconds, MAX_RETRY_AFTER))
        except Forbidden as refused:
            raise Undeliverable(str(refused)) from refused
        except (TimedOut, NetworkError) as error:
            if isinstance(error, BadRequest) or attempt > 0:
                raise
            log.warning("%s: %s, retrying once", what, error)
    log.error("%s: gave up after repeated flood control", what)
    return None


def retry_after_seconds(flood: RetryAfter) -> float:
    """Seconds to wait after a 429 (PTB 22 warns that the type of `retry_after` will change)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wait = flood.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def _chat(chat_id: str) -> int | str:
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


def cannot_parse(refused: BadRequest) -> bool:
    """Whether Telegram refused a text because it could not read its HTML."""
    return "parse entities" in str(refused).lower()


def plain_parts(part: str) -> list[str]:
    """An HTML part as plain text (tags stripped, entities read), in parts under the limit."""
    return split_plain(to_plain(part), TEXT_LIMIT)


async def send_text(
    bot: Bot, chat_id: str, text: str,
    markup: Markup = None,
) -> int | None:
    """Send HTML text in parts under 4096 (keyboard on the last), plain if Telegram refuses it;
    the id of the last message sent."""
    parts = split_html(text, TEXT_LIMIT)
    last: int | None = None
    for index, part in enumerate(parts):
        keys = markup if index == len(parts) - 1 else None
        try:
            last = await _send_message(bot, chat_id, part, keys, ParseMode.HTML)
        except BadRequest as refused:
            if not cannot_parse(refused):
                raise
            log.error("Telegram could not parse our HTML (%s); sending it as plain text", refused)
            plain = plain_parts(part)
            for number, piece in enumerate(plain):
                last = await _send_message(bot, chat_id, piece,
                                           keys if number == len(plain) - 1 else None, None)
    return last


async def _send_message(
    bot: Bot, chat_id: str, text: str,
    markup: Markup, mode: str | None,
) -> int | None:
    data = {"chat_id": _chat(chat_id), "text": text, "parse_mode": mode, "reply_markup": markup}

    async def send() -> object:
        # Bot.send_message would build a Message from the answer, which nothing here reads
        return await bot._post("sendMessage", {**data})  # private, but the version is pinned

    sent = await deliver(send, "sendMessage")
    found = sent.get("message_id") if isinstance(sent, dict) else None
    return found if isinstance(found, int) else None


def contact_keyboard(item: Shown) -> ReplyKeyboardMarkup | None:
    """A one-time keyboard whose one button shares the user's own phone number."""
    if item.contact_label is None:
        return None
    button = KeyboardButton(item.contact_label[:64], request_contact=True)
    return ReplyKeyboardMarkup([[button]], one_time_keyboard=True, resize_keyboard=True)


async def send_shown(
    bot: Bot, chat_id: str, item: Shown, menu_version: int, remove_keyboard: bool = False
) -> None:
    """Send one rendered reply: photo (with caption if short), text and keyboard, document."""
    markup: Markup = keyboard(item, menu_version) or contact_keyboard(item)
    if markup is None and remove_keyboard:
        markup = ReplyKeyboardRemove()
    reply = item.reply
    if reply.chart is not None:
        chart = reply.chart
        png = await asyncio.to_thread(render_png, chart)
        await deliver(
            lambda: bot.send_photo(_chat(chat_id), InputFile(png, filename=chart.filename)),
            "sendPhoto",
        )
    if reply.photo:
        fits = utf16_len(item.text) <= CAPTION_LIMIT

        def photo(caption: str | None, mode: str | None) -> Callable[[], Awaitable[Message]]:
            return lambda: bot.send_photo(
                _chat(chat_id), reply.photo or "", caption=caption, parse_mode=mode,
                reply_markup=markup if fits else None,
            )

        try:
            await deliver(photo(item.text if fits else None, ParseMode.HTML), "sendPhoto")
        except BadRequest as refused:
            if not (fits and cannot_parse(refused)):
                raise
            log.error("Telegram could not parse our caption (%s); sending it plain", refused)
            plain = split_plain(to_plain(item.text), CAPTION_LIMIT)
            await deliver(photo(plain[0] if plain else None, None), "sendPhoto")
        if not fits:
            await send_text(bot, chat_id, item.text, markup)
    elif item.text.strip():
        await send_text(bot, chat_id, item.text, markup)
    if reply.document is not None:
        document = reply.document
        await deliver(
            lambda: bot.send_document(
                _chat(chat_id), InputFile(document.content, filename=document.filename)
            ),
            "sendDocument",
        )


def fits_one_message(item: Shown) -> bool:
    """Whether a reply's HTML goes out as one message (tags and entities counted)."""
    return utf16_len(item.text) <= TEXT_LIMIT


async def send_outcome(
    bot: Bot, renderer: Renderer, outcome: Outcome, chat_id: str, *, tidy: bool = False
) -> bool:
    """Render every reply of an outcome as Telegram HTML and send them in order; `tidy`: the
    first message without buttons also removes a "share my phone" keyboard shown before.
    Whether that removal was sent (every message had buttons: it waits for the next one)."""
    if outcome.duplicate:
        return False
    asked = tidy
    target = outcome.chat_id or chat_id
    first = outcome.replies[0] if outcome.replies else None
    if tidy and first is not None and not first.choices and len(outcome.replies) > 1:
        # sent on its own, so that it can carry the removal (a message has one keyboard)
        alone = [first.model_copy(update={"alone": True}), *outcome.replies[1:]]
        outcome = outcome.model_copy(update={"replies": alone})
    try:
        items = list(present(renderer, outcome, Format.HTML, fits=fits_one_message))
        if tidy and all(item.labels or item.contact_label for item in items) and items:
            # every message has buttons: the first is sent carrying the removal, and its
            # buttons are put on it just after
            tidy = not await send_then_attach(bot, target, items[0], outcome.menu_version)
            items = items[1:] if not tidy else items
        for item in items:
            removes = tidy and not item.labels and item.contact_label is None
            tidy = tidy and not removes
            await send_shown(bot, target, item, outcome.menu_version, removes)
    except Undeliverable as gone:
        log.info("chat %s cannot be reached: %s", target, gone)
        return asked  # nobody there to see a keyboard
    return asked and not tidy


async def send_then_attach(bot: Bot, chat_id: str, item: Shown, menu_version: int) -> bool:
    """Send a text reply removing the reply keyboard, then give it its buttons (a message has
    one markup); False, sending nothing, for a reply that is more than text."""
    inline = keyboard(item, menu_version)
    reply = item.reply
    if inline is None or reply.photo or reply.chart or reply.document or not item.text.strip():
        return False
    message_id = await send_text(bot, chat_id, item.text, ReplyKeyboardRemove())
    if message_id is not None:
        await deliver(lambda: bot.edit_message_reply_markup(
            _chat(chat_id), message_id, reply_markup=inline), "editMessageReplyMarkup")
    return True


def toast_text(renderer: Renderer, outcome: Outcome) -> str | None:
    """The short answer to a pressed button, if the outcome has one."""
    if not outcome.toast:
        return None
    return renderer.label(outcome.locale, outcome.toast)[:TOAST_LIMIT]
