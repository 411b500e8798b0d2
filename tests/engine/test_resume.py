"""Opening the terminal chat again keeps the user on the step they were on."""

from __future__ import annotations

import io

from bot.channels.terminal import run_terminal
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from tests.chat import Chat, Clock


async def test_a_newcomer_is_greeted_when_the_terminal_chat_opens(
    dispatcher: Dispatcher, renderer: Renderer
) -> None:
    shown = io.StringIO()
    await run_terminal(dispatcher, renderer, stdin=io.StringIO(""), stdout=shown)
    assert "1. Tiếng Việt" in shown.getvalue()


async def test_restarting_the_terminal_chat_asks_the_same_question_again(
    dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    chat = Chat(dispatcher, renderer, clock, channel="terminal", user="local")
    await chat.onboard()
    await chat.say("/dangky")
    await chat.say("Kẹo dừa Tân Phú")  # the product's name: its group is asked next
    assert chat.templates[-1] == "products/ask_group"
    asked = chat.text
    shown = io.StringIO()
    await run_terminal(dispatcher, renderer, stdin=io.StringIO("2\n"), stdout=shown)
    text = shown.getvalue()
    assert "đã đăng ký thông tin chủ thể rồi" not in text
    assert asked in text  # the same question, with the same numbered choices
    assert "Bước 3/" in text  # and "2" answered it: the product set of the second group
