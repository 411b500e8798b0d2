"""At start in webhook mode: warn when a platform delivers to another address than this one."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError

from bot.channels.zalo_api import ZaloApi, ZaloError

log = logging.getLogger(__name__)

TELEGRAM_PATH = "/telegram/webhook"
ZALO_PATH = "/zalo/webhook"


def _compare(channel: str, registered: str, expected: str) -> bool:
    """Log a warning (and return False) when `registered` is not `expected`."""
    if registered == expected:
        return True
    log.warning("%s: the registered webhook is %s, not %s: updates will not reach this bot"
                " until `ocop-bot webhook set` is run", channel, registered or "(none)", expected)
    return False


async def check_registered(base_url: str, telegram: Bot | None, zalo: ZaloApi | None) -> bool:
    """Whether each platform's registered webhook is `base_url` + its path (warned if not)."""
    base = base_url.rstrip("/")
    fine = True
    if telegram is not None:
        try:
            info = await telegram.get_webhook_info()
            fine &= _compare("telegram", info.url or "", base + TELEGRAM_PATH)
        except TelegramError as error:
            log.warning("telegram: getWebhookInfo failed (%s)", error)
    if zalo is not None:
        try:
            found = await zalo.get_webhook_info()
            url = found.get("url") if isinstance(found, dict) else None
            fine &= _compare("zalo", str(url or ""), base + ZALO_PATH)
        except ZaloError as error:
            log.warning("zalo: getWebhookInfo failed (%s)", error)
    return fine
