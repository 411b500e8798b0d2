"""A seeded database and the real console app served on 127.0.0.1 for the web tests."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bot.channels.webhook import build_app, serving
from bot.web.app import web_routes
from bot.web.context import Console
from handlers.engine.config import HandlerConfig
from messages import Renderer
from storage import Database, Store
from storage.models import Role
from storage.product_models import ProductStatus

ADMIN = "telegram:999"
CONFIG = HandlerConfig(admins=frozenset({ADMIN}), web_base_url="http://127.0.0.1")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def now() -> datetime:
    """The current time (the console reads the real clock)."""
    return datetime.now(UTC)


@dataclass
class Seeded:
    """Ids of what the seed created."""

    users: dict[str, int] = field(default_factory=dict)
    products: dict[str, int] = field(default_factory=dict)


async def _producer(store: Store, external: str, province: str, name: str) -> int:
    user = await store.users.seen("telegram", external, external, now())
    producer = await store.users.create_producer(
        {"name": name, "entity_type": "cooperative", "contact_person": "Nguyễn Thị Lan",
         "phone": "+84912345678", "province_code": province, "commune": "Xã Tân Phú"},
        now(),
    )
    await store.users.attach_producer(user.id, producer)
    await store.users.give_consent(user.id, now())
    return producer


async def _product(store: Store, producer: int, name: str, status: ProductStatus) -> int:
    pid = await store.products.create_draft(producer, now())
    await store.products.set_field(pid, "name", name, now())
    await store.products.set_field(pid, "group_code", "food", now())
    await store.products.set_status(pid, status, now())
    return pid


async def seed(db: Database) -> Seeded:
    """Officers of Vĩnh Long and Cần Thơ, an admin, producers with products in both."""
    seeded = Seeded()
    async with db.transaction() as store:
        for key, external, province in (("vl", "100", "VL"), ("ct", "200", "CT")):
            user = await store.users.seen("telegram", external, external, now())
            await store.users.grant(user.id, Role.OFFICER, province, "test", now())
            seeded.users[key] = user.id
        seeded.users["admin"] = (await store.users.seen("telegram", "999", "999", now())).id
        seeded.users["producer"] = (await store.users.seen("telegram", "500", "500", now())).id
        vl = await _producer(store, "500", "VL", "HTX Tân Phú")
        ct = await _producer(store, "600", "CT", "HTX Cần Thơ")
        seeded.products["submitted"] = await _product(
            store, vl, "Kẹo dừa Bến Tre", ProductStatus.SUBMITTED)
        seeded.products["accepted"] = await _product(
            store, vl, "Bánh tráng", ProductStatus.ACCEPTED)
        seeded.products["other"] = await _product(store, ct, "Trà sen", ProductStatus.SUBMITTED)
        await store.products.add_photo(seeded.products["submitted"], "telegram", "photo-1",
                                       "image/jpeg", 1000, now())
        await store.places.place_producers()  # as every start does: Xã Tân Phú by its code
    return seeded


async def link_for(db: Database, user_id: int, valid: timedelta = timedelta(minutes=10)) -> str:
    """A one-time sign-in token, as the chat hands it out."""
    async with db.transaction() as store:
        return await store.web_sessions.new_link(user_id, now(), valid)


async def open_link(client: httpx.AsyncClient, token: str) -> httpx.Response:
    """Open a sign-in link's page, then press its button, as a browser does."""
    page = await client.get(f"/web/login/{token}")  # the link page sets the browser's cookie
    nonce = page.text.split('name="nonce" value="')[1].split('"')[0]
    return await client.post(f"/web/login/{token}", data={"nonce": nonce})


async def sign_in(client: httpx.AsyncClient, db: Database, user_id: int) -> None:
    """Open a session on the client through a fresh link."""
    token = await link_for(db, user_id)
    answer = await open_link(client, token)
    assert answer.status_code == 303, answer.text


def csrf_of(html: str) -> str:
    """The CSRF token on a page."""
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@asynccontextmanager
async def console_server(
    db: Database, fetch_photo: object = None, secure: bool = False, zalo_plan: object = None
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app (webhooks' app with the console's routes) served on a free local port."""
    console = Console(db=db, renderer=Renderer(), config=CONFIG, fetch_photo=fetch_photo,
                      secure=secure, zalo_plan=zalo_plan)
    app = build_app(extra_routes=web_routes(console))
    async with serving(app, "127.0.0.1", 0) as port, httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=30
    ) as client:
        yield client


def path_of(seeded: Seeded, route: str) -> str:
    """A route with its placeholders filled from the seed."""
    return route.format(pid=seeded.products["submitted"], other=seeded.products["other"])


__all__ = ["Path"]
