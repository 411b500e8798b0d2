"""A small async client of the Zalo Bot API (no SDK): one POST per method, JSON in and out."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

log = logging.getLogger(__name__)

MAX_TEXT = 2000  # sendMessage text limit, in characters
POLL_IDLE = 408  # getUpdates: nothing arrived during the long poll
QUOTA_EXCEEDED = 429  # the docs: "Quota exceeded", the plan's allowed use, not a flood limit
TOKEN_REFUSED = frozenset({401, 404})  # getMe with a wrong or expired token
PHOTO_TIMEOUT = 150.0  # Zalo fetches the photo before it answers sendPhoto
# The calls that show in a chat, hence count against the plan's monthly quota.
COUNTED = frozenset({"sendMessage", "sendPhoto", "sendSticker", "sendChatAction"})

OnSent = Callable[[str], Awaitable[None]]


class ZaloError(Exception):
    """The API refused a call, or could not be reached (`code` 0 for network errors)."""

    def __init__(
        self, method: str, code: int, description: str, retry_after: float | None = None
    ) -> None:
        super().__init__(f"zalo {method}: {code} {description}")
        self.method = method
        self.code = code
        self.description = description
        self.retry_after = retry_after

    @property
    def timed_out(self) -> bool:
        """No answer in time: the call may still have done its work (do not resend blindly)."""
        return self.code == 0 and self.description.startswith("timeout")

    @property
    def quota(self) -> bool:
        """The plan's quota is used up: more calls will be refused until it is renewed."""
        return self.code == QUOTA_EXCEEDED


class ZaloApi:
    """`POST {base_url}{token}/{method}`; replies `{"ok", "result", "error_code", …}`."""

    def __init__(
        self,
        token: str,
        base_url: str = "https://bot-api.zaloplatforms.com/bot",
        *,
        timeout: float = 15.0,
        photo_timeout: float = PHOTO_TIMEOUT,
        client: httpx.AsyncClient | None = None,
        on_sent: OnSent | None = None,
    ) -> None:
        self._url = f"{base_url.rstrip('/')}{token}/"
        self._timeout = timeout
        self.photo_timeout = photo_timeout
        self.on_sent = on_sent  # told of every counted call Zalo accepted (the quota meter)
        self._client = client or httpx.AsyncClient()
        self._own_client = client is None

    async def aclose(self) -> None:
        """Close the HTTP connections (if this client opened them)."""
        if self._own_client:
            await self._client.aclose()

    async def call(self, method: str, http_timeout: float | None = None, **params: Any) -> Any:
        """Call one method and return its `result`; raise ZaloError when `ok` is false."""
        try:
            response = await self._client.post(
                self._url + method, json=params, timeout=http_timeout or self._timeout
            )
        except httpx.TimeoutException as exc:
            raise ZaloError(method, 0, f"timeout: {type(exc).__name__}") from None
        except httpx.HTTPError as exc:
            raise ZaloError(method, 0, f"network: {type(exc).__name__}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise ZaloError(method, response.status_code, f"HTTP {response.status_code}")
        if body.get("ok") is True:
            if method in COUNTED and self.on_sent is not None:
                try:
                    await self.on_sent(method)
                except Exception:  # counting must never undo a send that happened
                    log.exception("zalo: counting a %s failed", method)
            return body.get("result")
        code = body.get("error_code")
        code = code if isinstance(code, int) else response.status_code
        parameters = body.get("parameters")
        retry_after = parameters.get("retry_after") if isinstance(parameters, dict) else None
        raise ZaloError(
            method,
            code,
            str(body.get("description") or ""),
            float(retry_after) if isinstance(retry_after, int | float) else None,
        )

    async def get_me(self) -> dict[str, Any]:
        """The bot's own account."""
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_update(self, timeout: int = 30) -> dict[str, Any] | None:
        """Long-poll for one update; None when nothing arrived in `timeout` seconds."""
        try:
            result = await self.call("getUpdates", http_timeout=timeout + 10, timeout=str(timeout))
        except ZaloError as error:
            if error.code == POLL_IDLE:
                return None
            raise
        if isinstance(result, list):  # be lenient if the API ever answers with a list
            result = result[0] if result else None
        return result if isinstance(result, dict) else None

    async def send_message(self, chat_id: str, text: str) -> dict[str, Any]:
        """Send one text (at most 2 000 characters)."""
        if not 1 <= len(text) <= MAX_TEXT:
            raise ValueError(f"a Zalo text is 1-{MAX_TEXT} characters, not {len(text)}")
        result = await self.call("sendMessage", chat_id=chat_id, text=text)
        return result if isinstance(result, dict) else {}

    async def send_photo(self, chat_id: str, photo: str, caption: str = "") -> dict[str, Any]:
        """Send a photo by URL, with an optional caption (1-2 000 characters); Zalo fetches it
        before it answers, so this waits up to `photo_timeout` seconds."""
        params: dict[str, Any] = {"chat_id": chat_id, "photo": photo}
        if caption:
            if len(caption) > MAX_TEXT:
                raise ValueError(f"a Zalo caption is 1-{MAX_TEXT} characters, not {len(caption)}")
            params["caption"] = caption
        result = await self.call("sendPhoto", http_timeout=self.photo_timeout, **params)
        return result if isinstance(result, dict) else {}

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        """Show 'typing…' in the chat."""
        await self.call("sendChatAction", chat_id=chat_id, action=action)

    async def set_webhook(self, url: str, secret_token: str) -> None:
        """Have Zalo POST updates to `url` with the secret in `X-Bot-Api-Secret-Token`."""
        await self.call("setWebhook", url=url, secret_token=secret_token)

    async def delete_webhook(self) -> None:
        """Stop webhook delivery (long polling works again)."""
        await self.call("deleteWebhook")

    async def get_webhook_info(self) -> dict[str, Any]:
        """The registered webhook; empty when there is none (Zalo answers that with a 404)."""
        try:
            result = await self.call("getWebhookInfo")
        except ZaloError as error:
            if error.code == 404:
                return {}
            raise
        return result if isinstance(result, dict) else {}
