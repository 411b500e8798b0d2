"""`ocop-bot webhook set|delete|info`: register the webhook URLs and secrets with the platforms."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Annotated, Any

import httpx
import typer

from bot.channels.zalo_api import TOKEN_REFUSED, ZaloApi, ZaloError
from bot.cli.say import help_text, say
from bot.config import Settings

webhook_app = typer.Typer(help=help_text("help.webhook_group"))

TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class WebhookSetupError(Exception):
    """A setting is missing or wrong, or a platform refused the call."""


def _base_url(settings: Settings) -> str:
    base = (settings.webhook_base_url or "").rstrip("/")
    if not base.startswith("https://"):
        raise WebhookSetupError(say("webhook.base_url"))
    return base


async def _telegram(settings: Settings, method: str, **params: Any) -> Any:
    assert settings.telegram_bot_token is not None
    url = f"{settings.telegram_api_base_url}{settings.telegram_bot_token.get_secret_value()}/"
    async with httpx.AsyncClient(timeout=20) as client:
        try:
            response = await client.post(url + method, json=params)
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise WebhookSetupError(say("webhook.unreachable", platform="Telegram", method=method,
                                        error=type(exc).__name__)) from None
    if not isinstance(body, dict) or not body.get("ok"):
        description = body.get("description") if isinstance(body, dict) else response.status_code
        raise WebhookSetupError(say("webhook.refused", platform="Telegram", method=method,
                                    reason=description))
    return body.get("result")


async def _zalo(settings: Settings, method: str, **params: Any) -> Any:
    assert settings.zalo_bot_token is not None
    api = ZaloApi(settings.zalo_bot_token.get_secret_value(), settings.zalo_api_base_url)
    try:
        await _zalo_token_accepted(api)
        if method == "getWebhookInfo":  # no webhook is a 404, not an error
            return await api.get_webhook_info()
        return await api.call(method, **params)
    except ZaloError as error:
        reason = f"{error.code} {error.description}"
        raise WebhookSetupError(say("webhook.refused", platform="Zalo", method=method,
                                    reason=reason)) from None
    finally:
        await api.aclose()


async def _zalo_token_accepted(api: ZaloApi) -> None:
    """getMe first: a refused token (401, or 404 as Zalo also answers) is said as such."""
    try:
        await api.get_me()
    except ZaloError as error:
        if error.code in TOKEN_REFUSED:
            raise WebhookSetupError(say("webhook.zalo_token_refused")) from None
        raise


def _checked_secrets(settings: Settings) -> dict[str, str]:
    """Every configured channel's secret, all checked before any platform is called."""
    secrets: dict[str, str] = {}
    if settings.telegram_bot_token is not None:
        secret = settings.telegram_webhook_secret
        if secret is None or not TELEGRAM_SECRET.fullmatch(secret.get_secret_value()):
            raise WebhookSetupError(say("webhook.telegram_secret"))
        secrets["telegram"] = secret.get_secret_value()
    if settings.zalo_bot_token is not None:
        secret = settings.zalo_webhook_secret
        if secret is None or not 8 <= len(secret.get_secret_value()) <= 256:
            raise WebhookSetupError(say("webhook.zalo_secret"))
        secrets["zalo"] = secret.get_secret_value()
    if not secrets:
        raise WebhookSetupError(say("webhook.no_token"))
    return secrets


async def _registered(settings: Settings, channel: str) -> str:
    """The URL a platform delivers to now ('' for none); proves the token works."""
    if channel == "telegram":
        info = await _telegram(settings, "getWebhookInfo")
    else:
        info = await _zalo(settings, "getWebhookInfo")
    url = info.get("url") if isinstance(info, dict) else None
    return str(url or "")


async def _register(settings: Settings, channel: str, url: str, secret: str) -> None:
    if channel == "telegram":
        await _telegram(settings, "setWebhook", url=url, secret_token=secret,
                        allowed_updates=["message", "callback_query"])
    else:
        await _zalo(settings, "setWebhook", url=url, secret_token=secret)


async def _unregister(settings: Settings, channel: str) -> None:
    if channel == "telegram":
        await _telegram(settings, "deleteWebhook", drop_pending_updates=False)
    else:
        await _zalo(settings, "deleteWebhook")


async def set_webhooks(settings: Settings) -> list[str]:
    """Register `<base>/telegram/webhook` and `<base>/zalo/webhook` for every configured bot:
    all of them or none (a later refusal puts the earlier ones back as they were)."""
    base = _base_url(settings)
    secrets = _checked_secrets(settings)
    from bot.channels.webhook_check import TELEGRAM_PATH, ZALO_PATH  # heavy: Telegram's library

    paths = {"telegram": TELEGRAM_PATH, "zalo": ZALO_PATH}
    before = {channel: await _registered(settings, channel) for channel in secrets}
    done: list[str] = []
    try:
        for channel, secret in secrets.items():
            await _register(settings, channel, base + paths[channel], secret)
            done.append(channel)
    except WebhookSetupError:
        for channel in done:  # back as it was: the old address (or none)
            if before[channel]:
                await _register(settings, channel, before[channel], secrets[channel])
            else:
                await _unregister(settings, channel)
        raise
    return [f"{channel}: {base}{paths[channel]}" for channel in done]


async def delete_webhooks(settings: Settings) -> list[str]:
    """Remove the webhooks, so that long polling works again."""
    done: list[str] = []
    if settings.telegram_bot_token is not None:
        await _telegram(settings, "deleteWebhook", drop_pending_updates=False)
        done.append("telegram")
    if settings.zalo_bot_token is not None:
        await _zalo(settings, "deleteWebhook")
        done.append("zalo")
    return done


async def webhook_info(settings: Settings) -> list[str]:
    """The webhook each platform has registered."""
    lines: list[str] = []
    if settings.telegram_bot_token is not None:
        info = await _telegram(settings, "getWebhookInfo")
        lines.append(f"telegram: {info.get('url') or say('webhook.no_webhook')}")
    if settings.zalo_bot_token is not None:
        info = await _zalo(settings, "getWebhookInfo")
        url = info.get("url") if isinstance(info, dict) else None
        lines.append(f"zalo: {url or say('webhook.no_webhook')}")
    return lines


def _run(action: Any, as_json: bool = False) -> None:
    settings = Settings()
    try:
        if settings.telegram_bot_token is None and settings.zalo_bot_token is None:
            raise WebhookSetupError(say("webhook.no_token"))
        lines = asyncio.run(action(settings))
    except WebhookSetupError as error:
        typer.echo(say("error", error=error), err=True)
        raise typer.Exit(1) from None
    if as_json:  # "channel: url" lines as {"channel": "url"}
        typer.echo(json.dumps(dict(line.split(": ", 1) for line in lines), ensure_ascii=False))
        return
    for line in lines:
        typer.echo(line)


@webhook_app.command("set", help=help_text("help.cmd_webhook_set"))
def set_command() -> None:
    """Register OCOP_WEBHOOK_BASE_URL + /telegram/webhook and /zalo/webhook, with the secrets."""
    _run(set_webhooks)


@webhook_app.command("delete", help=help_text("help.cmd_webhook_delete"))
def delete_command() -> None:
    """Remove the webhooks (back to long polling)."""
    _run(delete_webhooks)


@webhook_app.command("info", help=help_text("help.cmd_webhook_info"))
def info_command(
    as_json: Annotated[bool, typer.Option("--json", help=help_text("help.opt_json"))] = False,
) -> None:
    """Show the registered webhooks."""
    _run(webhook_info, as_json)
