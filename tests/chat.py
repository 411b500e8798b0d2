"""A test driver that talks to the dispatcher the way a channel adapter does."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count
from typing import Protocol

from bot.channels.present import numbered_text, present
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Attachment, Incoming, InputKind, Outcome
from messages import Format, Renderer

_serial = count(1)


class Clock:
    """A clock the test moves by hand (never slept on)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        """Move time forward."""
        self.now += timedelta(**delta)
        return self.now


class Chat:
    """One user's conversation: send text, press choices, read the last replies."""

    def __init__(
        self, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
        channel: str = "terminal", user: str = "u1",
    ) -> None:
        self.dispatcher, self.renderer, self.clock = dispatcher, renderer, clock
        self.channel, self.user = channel, user
        self.last = Outcome()

    async def send(self, kind: InputKind, **fields: object) -> Outcome:
        """Send one event and keep the outcome."""
        event = Incoming(
            channel=self.channel, external_id=self.user, chat_id=self.user, kind=kind,
            at=self.clock(), update_key=f"{self.channel}:{self.user}:{next(_serial)}",
            **fields,  # type: ignore[arg-type]
        )
        self.last = await self.dispatcher.handle(event)
        return self.last

    async def say(self, text: str) -> Outcome:
        """Type a message."""
        return await self.send(InputKind.TEXT, text=text)

    async def press(self, key: str, version: int | None = None) -> Outcome:
        """Press a button of the current menu (or of an older one, by version)."""
        v = self.last.menu_version if version is None else version
        return await self.send(InputKind.CHOICE, choice=key, menu_version=v)

    async def photo(self, file_id: str = "photo-1", size: int = 50_000) -> Outcome:
        """Send a photo."""
        return await self.send(
            InputKind.PHOTO, attachment=Attachment(file_id=file_id, size=size, mime="image/jpeg")
        )

    @property
    def templates(self) -> list[str]:
        """Template names of the last outcome's replies."""
        return [reply.template for reply in self.last.replies]

    @property
    def keys(self) -> list[str]:
        """Choice keys offered by the last outcome, in order."""
        return [c.key for reply in self.last.replies for c in reply.choices]

    @property
    def text(self) -> str:
        """The last outcome as the terminal shows it."""
        shown = present(self.renderer, self.last, Format.PLAIN)
        return "\n\n".join(numbered_text(item) for item in shown)

    async def onboard(self, name: str = "HTX Tân Phú", province: str = "vinh long") -> None:
        """Complete onboarding with valid answers."""
        await self.say("/start")
        await self.press("l:vi")
        await self.press("c:yes")
        await self.say(name)
        await self.press("e:cooperative")
        await self.say("Nguyễn Thị Lan")
        await self.say("0912 345 678")
        await self.say(province)
        await self.say("Xã Tân Phú")
        await self.press("s:ok")
        assert "onboarding/done" in self.templates, self.templates


class ChatFor(Protocol):
    """Opens one user's chat with the test dispatcher (the `chat_for` fixture)."""

    def __call__(self, user: str, channel: str = "telegram") -> Chat: ...
