"""Drivers for the two-channel end-to-end tests: one person on Telegram or on Zalo.

A scenario talks to a `Driver` and never knows which channel it is on: Telegram presses
inline buttons (callback queries through the fake Bot API), Zalo types the number shown in
front of a choice (text updates through the fake Zalo API).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from bot.channels.zalo import ZaloBot
from bot.core import Core
from fakes import zalo as fake_zalo
from fakes.telegram import FakeTelegram
from fakes.zalo import FakeZalo
from messages import Format, Renderer
from messages.render import to_plain
from storage.models import Producer, User

RENDERER = Renderer()


def seen(template: str, locale: str = "vi", **context: Any) -> str:
    """A template as a person reads it on either channel (plain text)."""
    return RENDERER.render(locale, template, Format.PLAIN, **context)


class Driver(Protocol):
    """One person on one channel: type, pick a choice, send a photo or a sticker."""

    channel: str
    external_id: str

    async def say(self, text: str) -> str:
        """Type a message; what the bot answered, as plain text."""
        ...

    async def pick(self, key: str) -> str:
        """Pick the offered choice with this key, the channel's way."""
        ...

    async def photo(self, name: str) -> str:
        """Send a photo."""
        ...

    async def sticker(self) -> str:
        """Send a sticker."""
        ...

    @property
    def keys(self) -> list[str]:
        """Keys of the choices offered by the last answer, in order."""
        ...


@dataclass
class Bot:
    """Both channels of one running bot, with their fake servers."""

    core: Core
    telegram: FakeTelegram
    zalo: FakeZalo
    zalo_bot: ZaloBot

    async def user(self, channel: str, external_id: str) -> User | None:
        """The stored account."""
        async with self.core.db.transaction() as store:
            return await store.users.find(channel, external_id)

    async def producer(self, driver: Driver) -> Producer | None:
        """The profile the driver's account belongs to."""
        user = await self.user(driver.channel, driver.external_id)
        if user is None or user.producer_id is None:
            return None
        async with self.core.db.transaction() as store:
            return await store.users.producer(user.producer_id)


class TelegramDriver:
    """Telegram: texts are messages, choices are inline buttons pressed as callback queries."""

    channel = "telegram"

    def __init__(self, fake: FakeTelegram, user_id: int) -> None:
        self.fake, self.user_id, self.external_id = fake, user_id, str(user_id)
        self.last: list[Any] = []

    async def _send(self, push: Callable[[], int]) -> str:
        mark = len(self.fake.sent_to(self.user_id))
        update_id = push()
        await self.fake.wait_for(lambda: self.fake.confirmed_offset > update_id)
        self.last = self.fake.sent_to(self.user_id)[mark:]
        assert all(call.ok for call in self.last), [c.description for c in self.last]
        shown = (str(c.params.get("text") or c.params.get("caption") or "") for c in self.last)
        return "\n\n".join(to_plain(text) for text in shown)  # HTML as the user sees it

    async def say(self, text: str) -> str:
        """Type a message."""
        return await self._send(lambda: self.fake.push_text(self.user_id, text))

    async def pick(self, key: str) -> str:
        """Press the newest button with this key."""
        for call in reversed(self.fake.sent_to(self.user_id)):
            for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["callback_data"].split(":", 1)[1] == key:
                        data, message_id = button["callback_data"], call.result["message_id"]
                        return await self._send(
                            lambda d=data, m=message_id: self.fake.push_callback(
                                self.user_id, d, m
                            )
                        )
        raise AssertionError(f"no button {key!r} on Telegram")

    async def photo(self, name: str) -> str:
        """Send a photo."""
        return await self._send(lambda: self.fake.push_photo(self.user_id, file_id=name))

    async def sticker(self) -> str:
        """Send a sticker."""
        return await self._send(lambda: self.fake.push_sticker(self.user_id))

    @property
    def keys(self) -> list[str]:
        """Keys of the buttons sent after the last action."""
        return [
            button["callback_data"].split(":", 1)[1]
            for call in self.last
            for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", [])
            for button in row
        ]


class ZaloDriver:
    """Zalo: no buttons; a choice is picked by typing the number shown in front of it."""

    channel = "zalo"

    def __init__(self, bot: Bot, user_id: str) -> None:
        self.bot, self.fake, self.external_id = bot, bot.zalo, user_id
        self.last: list[str] = []
        self._keys: list[str] = []

    async def _send(self, update: dict[str, Any]) -> str:
        mark, handled = len(self.fake.texts(self.external_id)), self.bot.zalo_bot.handled
        self.fake.push(update)
        await self.fake.wait_for(lambda: self.bot.zalo_bot.handled > handled)
        self.last = self.fake.texts(self.external_id)[mark:]
        self._keys = await self._offered()
        return "\n\n".join(self.last)

    async def _offered(self) -> list[str]:
        user = await self.bot.user("zalo", self.external_id)
        if user is None:
            return []
        async with self.bot.core.db.transaction() as store:
            state = await store.conversations.state_of(user.id)
        return [choice.key for choice in state.offered]

    async def say(self, text: str) -> str:
        """Type a message."""
        return await self._send(fake_zalo.text_update(self.external_id, text))

    async def pick(self, key: str) -> str:
        """Type the number shown in front of the choice."""
        assert key in self._keys, f"{key!r} not offered on Zalo: {self._keys}"
        number = self._keys.index(key) + 1
        assert any(f"\n{number}. " in f"\n{text}" for text in self.last), self.last
        return await self.say(str(number))

    async def photo(self, name: str) -> str:
        """Send a photo (Zalo gives a URL)."""
        url = f"https://photo.zalo.test/{name}.jpg"
        return await self._send(fake_zalo.image_update(self.external_id, url))

    async def sticker(self) -> str:
        """Send a sticker."""
        return await self._send(fake_zalo.sticker_update(self.external_id))

    @property
    def keys(self) -> list[str]:
        """Keys of the numbered choices of the last answer."""
        return list(self._keys)


def driver_for(bot: Bot, channel: str, n: int = 1) -> Driver:
    """Person number `n` on the channel."""
    if channel == "telegram":
        return TelegramDriver(bot.telegram, 700 + n)
    return ZaloDriver(bot, f"zalo-user-{n}")
