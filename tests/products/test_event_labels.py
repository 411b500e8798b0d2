"""Every kind of history line has its words and renders, in chat and in the console, vi and en."""

from __future__ import annotations

import html
import re
from pathlib import Path

from handlers.engine.config import HandlerConfig
from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import InputKind
from messages import Renderer
from storage import Database
from storage.product_models import EVENT_KINDS, ProductStatus
from tests.chat import Chat, Clock
from tests.claims.test_claim_flow import load_list, producer_of
from tests.web.support import console_server, now, seed, sign_in

ROOT = Path(__file__).resolve().parents[2]
_WRITTEN = (
    re.compile(r'add_event\(\s*[\w.]+,\s*"(\w+)"'),  # store.products.add_event(pid, "kind", …)
    re.compile(r"product_events \(product_id, at, kind, actor, note\)\"\s*\"\s*"
               r"(?:VALUES \(\?, \?|SELECT id, \?), '(\w+)'"),  # SQL that writes a kind
    re.compile(r'kind = "(\w+)" if .* else "(\w+)"'),
)


def _kinds_in_code() -> set[str]:
    found: set[str] = {s.value for s in (ProductStatus.CERTIFIED, ProductStatus.NOT_CERTIFIED)}
    for folder in ("handlers", "storage", "bot"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            # bot/ writes no product event: its own "kind = … if … else …" name other things
            for pattern in _WRITTEN if folder != "bot" else _WRITTEN[:2]:
                for match in pattern.finditer(text):
                    found |= {kind for kind in match.groups() if kind}
    return found


def test_every_kind_the_code_writes_is_listed_and_has_words_in_both_languages() -> None:
    written = _kinds_in_code()
    assert {"imported", "claimed", "submitted", "resubmitted", "created"} <= written
    assert written <= set(EVENT_KINDS), written - set(EVENT_KINDS)
    renderer = Renderer()
    for locale in ("vi", "en"):
        for kind in EVENT_KINDS:
            assert renderer.label(locale, f"product_event.{kind}").strip()


async def _every_event(db: Database, product_id: int) -> None:
    async with db.transaction() as store:
        for kind in EVENT_KINDS:
            await store.products.add_event(product_id, kind, "test", now(), note="7,5")


async def test_every_kind_renders_in_the_chat_history(
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock,
    config: HandlerConfig,
) -> None:
    await load_list(db, renderer, config, clock)
    chat = Chat(dispatcher, renderer, clock, channel="telegram", user="401")
    await chat.onboard()
    await chat.press(f"p:{await producer_of(db, 'HTX Nông nghiệp Cờ Ðỏ')}")
    await chat.send(InputKind.CONTACT, contact_phone="+84912345678")
    assert "claims/claimed" in chat.templates
    async with db.reading() as store:
        user = await store.users.find("telegram", "401")
        assert user is not None and user.producer_id is not None
        products = await store.products.of_producer(user.producer_id)
    await _every_event(db, products[0].id)
    for locale in ("vi", "en"):
        async with db.transaction() as store:
            await store.users.set_locale(user.id, locale)
        await chat.say("/sanpham")
        await chat.press(f"p:{products[0].id}")
        await chat.press("v:hist")
        assert "products/history" in chat.templates
        for kind in EVENT_KINDS:
            assert renderer.label(locale, f"product_event.{kind}") in chat.text, kind


async def test_every_kind_renders_on_the_console_dossier_page(db: Database) -> None:
    seeded = await seed(db)
    pid = seeded.products["submitted"]
    await _every_event(db, pid)
    renderer = Renderer()
    async with console_server(db) as http:
        await sign_in(http, db, seeded.users["vl"])
        for locale in ("vi", "en"):
            page = await http.get(f"/web/products/{pid}?lang={locale}")
            assert page.status_code == 200, page.text
            for kind in EVENT_KINDS:
                assert renderer.label(locale, f"product_event.{kind}") in html.unescape(page.text)


async def test_every_imported_product_page_opens_on_the_console(
    db: Database, renderer: Renderer, clock: Clock, config: HandlerConfig,
) -> None:
    seeded = await seed(db)
    await load_list(db, renderer, config, clock)
    async with db.reading() as store:
        imported = [row["id"] for row in await store.existing.export_rows("VL")
                    if row["authority"]]
    assert len(imported) >= 4
    async with console_server(db) as http:
        await sign_in(http, db, seeded.users["vl"])
        for pid in imported:
            page = await http.get(f"/web/products/{pid}")
            assert page.status_code == 200 and "Có trong danh sách sản phẩm OCOP" in page.text
        assert (await http.get("/web/")).status_code == 200
