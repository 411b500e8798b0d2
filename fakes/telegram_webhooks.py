"""Telegram's side of webhooks, for tests with several workers behind one address: posts
each update to a worker (taking turns), and when a worker does not answer 200 (it died,
it failed) posts the same update again to the next one, as Telegram re-delivers. One
chat's updates go one at a time: the next only once the previous one was answered."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class Delivery:
    """One update's way to the workers: which worker got each attempt, and the answer."""

    update_id: int
    chat: int
    text: str
    attempts: list[tuple[int, int | str]] = field(default_factory=list)  # (worker, status)
    trying: int = -1  # the worker the update is being posted to now

    @property
    def answered_by(self) -> int | None:
        """The worker that answered 200, if any did."""
        return next((w for w, status in self.attempts if status == 200), None)


class WebhookPoster:
    """Posts updates to the workers' `/telegram/webhook` in turn, re-posting on failure."""

    def __init__(self, urls: list[str], secret: str, *, retry_pause: float = 0.2,
                 timeout: float = 60.0) -> None:
        self.urls, self.secret = urls, secret
        self.retry_pause, self.timeout = retry_pause, timeout
        self.deliveries: list[Delivery] = []
        self.in_flight: dict[int, Delivery] = {}  # chat → the delivery waiting for an answer
        self._ids = itertools.count(1)
        self._turn = itertools.count()
        self._client = httpx.AsyncClient(timeout=timeout)

    def update(self, chat: int, text: str) -> dict[str, Any]:
        """A private text message from `chat`, as Telegram sends it."""
        update_id = next(self._ids)
        person = {"id": chat, "is_bot": False, "first_name": "Lan", "language_code": "vi"}
        return {"update_id": update_id, "message": {
            "message_id": update_id, "date": int(time.time()), "text": text,
            "chat": {"id": chat, "type": "private", "first_name": "Lan"}, "from": person,
        }}

    async def say(self, chat: int, text: str) -> Delivery:
        """Deliver one message and wait until a worker has answered it 200."""
        update = self.update(chat, text)
        delivery = Delivery(update["update_id"], chat, text)
        self.deliveries.append(delivery)
        self.in_flight[chat] = delivery
        worker = next(self._turn) % len(self.urls)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            status: int | str
            delivery.trying = worker
            try:
                answer = await self._client.post(
                    self.urls[worker], json=update, headers={SECRET_HEADER: self.secret})
                status = answer.status_code
            except httpx.HTTPError as error:  # refused, reset: the worker is gone
                status = type(error).__name__
            delivery.attempts.append((worker, status))
            if status == 200:
                del self.in_flight[chat]
                return delivery
            worker = (worker + 1) % len(self.urls)
            await asyncio.sleep(self.retry_pause)
        raise TimeoutError(f"update {delivery.update_id} never answered: {delivery.attempts}")

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()
