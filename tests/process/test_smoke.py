"""A first end-to-end pass through the dispatcher on a real database."""

from tests.chat import Chat


async def test_onboarding_creates_profile(chat: Chat) -> None:
    await chat.onboard()
    assert "menu/main" in chat.templates
    assert "m:prod" in chat.keys
