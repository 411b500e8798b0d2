"""`ocop-bot run` as a real process against the fake Bot API: kill -9 mid-onboarding, restart."""

from __future__ import annotations

import asyncio
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fakes.telegram import TOKEN, Call, FakeTelegram
from storage import open_database
from storage.models import Producer
from tests.processes import ProcessGroup, bot_command

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

REPO = Path(__file__).resolve().parents[2]
WAIT = 30.0  # generous deadline for a process start on a slow CI machine


class Bots(ProcessGroup):
    """Starts `ocop-bot run` processes pointed at the fake; every one is killed at teardown."""

    def __init__(self, fake: FakeTelegram, tmp_path: Path) -> None:
        super().__init__(tmp_path)
        self.fake = fake

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a bot process pointed at the fake."""
        telegram = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": self.fake.base_url,
            "TELEGRAM_POLL_TIMEOUT": "1",
        }
        return self.base_env(**{**telegram, **extra})

    def command(self) -> list[str]:
        """`ocop-bot` (or `python -m bot` where the script is not installed)."""
        return bot_command()

    def start(self, *, wait: bool = True, **extra: str) -> subprocess.Popen[bytes]:
        """Start the bot (with `extra` environment) and, if `wait`, until it is polling."""
        polls_before = len(self.fake.calls("getUpdates"))
        proc = self.spawn(self.env(**extra), "run")
        if not wait:
            return proc
        self.fake.wait_for_sync(
            lambda: proc.poll() is not None
            or len(self.fake.calls("getUpdates")) > polls_before,
            timeout=WAIT,
        )
        assert proc.poll() is None, self.log()
        return proc


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """The fake Bot API served from a background thread."""
    server = FakeTelegram()
    with server.running_in_thread():
        yield server


@pytest.fixture
def bots(fake: FakeTelegram, tmp_path: Path) -> Iterator[Bots]:
    """Bot processes, always killed at the end of the test."""
    started = Bots(fake, tmp_path)
    try:
        yield started
    finally:
        started.kill_all()


class User:
    """A Telegram user typing and pressing buttons, waiting until the bot has handled each."""

    def __init__(self, fake: FakeTelegram, user_id: int) -> None:
        self.fake, self.id = fake, user_id
        self.last: list[Call] = []

    def send(self, push: Callable[[], int]) -> list[Call]:
        """Push an update and wait until the bot confirmed it (handled and committed)."""
        mark = len(self.fake.sent_to(self.id))
        update_id = push()
        self.fake.wait_for_sync(lambda: self.fake.confirmed_offset > update_id, timeout=WAIT)
        self.last = self.fake.sent_to(self.id)[mark:]
        return self.last

    def say(self, text: str) -> list[Call]:
        """Type a message."""
        return self.send(lambda: self.fake.push_text(self.id, text))

    def press(self, key: str) -> list[Call]:
        """Press the newest button carrying this choice key."""
        data, message_id = self.button(key)
        return self.send(lambda: self.fake.push_callback(self.id, data, message_id))

    def button(self, key: str) -> tuple[str, int]:
        """Callback data and message id of the newest button with this choice key."""
        for call in reversed(self.fake.sent_to(self.id)):
            for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
                for button in row:
                    if button["callback_data"].split(":", 1)[1] == key:
                        return button["callback_data"], call.result["message_id"]
        raise AssertionError(f"no button {key!r}")

    @property
    def keys(self) -> list[str]:
        """Choice keys of the buttons the bot sent after the last action."""
        return [
            b["callback_data"].split(":", 1)[1]
            for c in self.last
            for row in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row
        ]

    @property
    def text(self) -> str:
        """Everything the bot sent after the last action, as the user sees it."""
        return "\n".join(str(c.result.get("text", "")) for c in self.last)


def stored(db_path: Path, external_id: str) -> tuple[dict[str, Any] | None, Producer | None]:
    """The user's onboarding draft and producer profile, read through the storage layer."""

    async def read() -> tuple[dict[str, Any] | None, Producer | None]:
        async with open_database(db_path) as db, db.transaction() as store:
            user = await store.users.find("telegram", external_id)
            assert user is not None
            draft = await store.conversations.draft(user.id, "onboarding")
            producer = await store.users.producer(user.producer_id) if user.producer_id else None
            return draft, producer

    return asyncio.run(read())


def step_and_consent(db_path: Path, external_id: str) -> tuple[str, bool]:
    """The user's conversation step and whether they have consented."""

    async def read() -> tuple[str, bool]:
        async with open_database(db_path) as db, db.transaction() as store:
            user = await store.users.find("telegram", external_id)
            assert user is not None
            state = await store.conversations.state_of(user.id)
            return state.step, user.consent_at is not None

    return asyncio.run(read())


def test_kill_9_mid_onboarding_then_continue(fake: FakeTelegram, bots: Bots) -> None:
    first = bots.start()
    lan = User(fake, 601)
    lan.say("/start")
    lan.press("l:vi")
    lan.press("c:yes")
    lan.say("HTX Tân Phú")
    lan.press("e:cooperative")
    lan.say("Nguyễn Thị Lan")
    assert lan.last, bots.log()  # the phone question

    first.send_signal(signal.SIGKILL)
    assert first.wait(10) == -signal.SIGKILL
    draft, producer = stored(bots.db_path, "601")
    assert producer is None and draft is not None
    assert (draft["name"], draft["entity_type"], draft["contact_person"]) == (
        "HTX Tân Phú", "cooperative", "Nguyễn Thị Lan"
    )

    typed_while_down = fake.push_text(601, "0912 345 678")  # waits in Telegram meanwhile
    mark = len(fake.sent_to(601))
    bots.start()
    fake.wait_for_sync(lambda: fake.confirmed_offset > typed_while_down, timeout=WAIT)
    lan.last = fake.sent_to(601)[mark:]
    assert any(key.startswith("v:") for key in lan.keys), bots.log()  # asked the province
    lan.say("vinh long")
    lan.say("Xã Tân Phú")
    assert "HTX Tân Phú" in lan.text and "Nguyễn Thị Lan" in lan.text  # kept from before
    lan.press("s:ok")
    assert "HTX Tân Phú" in lan.text

    bots.kill_all()
    _, producer = stored(bots.db_path, "601")
    assert producer is not None
    assert (producer.name, producer.contact_person, producer.phone, producer.commune) == (
        "HTX Tân Phú", "Nguyễn Thị Lan", "+84912345678", "Xã Tân Phú"
    )
    assert fake.rejected == [] and fake.unanswered_callbacks() == []


def test_kill_9_while_a_reply_is_in_flight(fake: FakeTelegram, bots: Bots) -> None:
    first = bots.start()
    lan = User(fake, 602)
    lan.say("/start")
    lan.press("l:vi")
    data, message_id = lan.button("c:yes")
    fake.hold("sendMessage")  # the answer is committed; its reply never gets out
    pressed = fake.push_callback(602, data, message_id)
    fake.wait_for_sync(lambda: fake.holding >= 1, timeout=WAIT)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    fake.release("sendMessage")
    assert fake.confirmed_offset <= pressed  # Telegram will deliver it again
    assert step_and_consent(bots.db_path, "602") == ("onboarding.name", True)

    bots.start()
    fake.wait_for_sync(lambda: fake.confirmed_offset > pressed, timeout=WAIT)
    assert step_and_consent(bots.db_path, "602") == ("onboarding.name", True)  # applied once
    lan.say("HTX Tân Phú")
    assert "e:cooperative" in lan.keys, bots.log()
    # The re-delivered button press was answered (and its menu put away) before the kill;
    # answering again, and putting the menu away again, are refused as done already.
    refused = [(c.method, c.status) for c in fake.rejected]
    assert set(refused) <= {("answerCallbackQuery", 400), ("editMessageText", 400)}, refused
