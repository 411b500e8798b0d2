"""The yardstick: a bare python-telegram-bot bot answering each update with one sendMessage.

`python -m bench.echo_bot BASE_URL TOKEN`: PTB's own Updater (long polling) and Application,
8 updates handled concurrently, defaults otherwise. Stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Send the text back in one message."""
    if update.effective_chat is not None and update.message is not None:
        await context.bot.send_message(update.effective_chat.id, update.message.text or "…")


def main() -> None:
    """Poll the Bot API at BASE_URL with TOKEN until stopped."""
    base_url, token = sys.argv[1], sys.argv[2]
    app = ApplicationBuilder().token(token).base_url(base_url).concurrent_updates(8).build()
    app.add_handler(MessageHandler(filters.ALL, echo))
    app.run_polling(allowed_updates=["message", "callback_query"], timeout=10)


if __name__ == "__main__":
    main()
