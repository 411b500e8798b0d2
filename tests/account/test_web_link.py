"""`/web` in chat: an officer gets a one-time sign-in link; others get nothing of the kind."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers import FEATURES
from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from storage.models import Role
from tests.chat import Chat, Clock
from tests.products.steps import make_officer


def _chat(db: Database, base: str | None, user: str) -> Chat:
    clock = Clock(datetime.now(UTC))
    config = HandlerConfig(web_base_url=base)
    renderer = Renderer()
    return Chat(Dispatcher(db, config, renderer, clock=clock, features=FEATURES), renderer,
                clock, channel="telegram", user=user)


async def test_an_officer_gets_a_link_that_signs_in_once(db: Database) -> None:
    officer = _chat(db, "https://ocop.example.vn", "100")
    await make_officer(db, officer, "VL")
    await officer.say("/web")
    assert officer.templates[0] == "web/link"
    url = officer.last.replies[0].context["url"]
    assert url.startswith("https://ocop.example.vn/web/login/")
    assert "10 phút" in officer.text
    token = url.rsplit("/", 1)[1]
    async with db.transaction() as store:
        first = await store.web_sessions.use_link(token, datetime.now(UTC))
        again = await store.web_sessions.use_link(token, datetime.now(UTC))
        logged = await store.audit.entries("web_link")
    assert first is not None and again is None and len(logged) == 1


async def test_the_menu_item_and_typed_words_work_too(db: Database) -> None:
    officer = _chat(db, "https://ocop.example.vn", "101")
    await make_officer(db, officer, "VL")
    await officer.say("/canbo")
    assert "o:web" in officer.keys
    await officer.press("o:web")
    assert officer.templates[0] == "web/link"
    await officer.say("mo trang quan ly")
    assert officer.templates[0] == "web/link"


async def test_without_a_base_url_the_officer_is_told_it_is_off(db: Database) -> None:
    officer = _chat(db, None, "102")
    await make_officer(db, officer, "VL")
    await officer.say("/web")
    assert officer.templates[0] == "web/not_enabled"
    assert "báo quản trị viên" in officer.text and "OCOP_" not in officer.text  # no setting names


async def test_a_producer_gets_no_link(db: Database) -> None:
    producer = _chat(db, "https://ocop.example.vn", "103")
    await producer.say("/web")
    assert "web/link" not in producer.templates
    async with db.reading() as store:
        assert await store.audit.entries("web_link") == []


async def test_a_commune_officer_gets_a_link_and_stays_in_their_menu(db: Database) -> None:
    chat = _chat(db, "https://ocop.example.vn", "104")
    await chat.say("/menu")
    async with db.transaction() as store:
        user = await store.users.find("telegram", "104")
        assert user is not None
        await store.users.grant(user.id, Role.COMMUNE_OFFICER, "VL", "test", datetime.now(UTC))
        await store.communes.set_commune(user.id, "Xã Tân Phú", "tan phu")
    await chat.say("/web")
    assert chat.templates[0] == "web/link" and chat.templates[-1] == "menu/main"
    await chat.say("/trogiup")
    assert "/web — mở trang quản lý" in chat.text  # told in the help, beside /hosoxa
