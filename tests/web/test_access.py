"""Every console route over real HTTP: sign-in links, sessions, CSRF, province and admin scope."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from storage import Database
from storage.product_models import ProductStatus
from tests.web.support import (
    Seeded,
    console_server,
    csrf_of,
    link_for,
    open_link,
    path_of,
    seed,
    sign_in,
)

GET_ROUTES = [
    "/web/", "/web/products", "/web/products.xlsx", "/web/products/{pid}",
    "/web/products/{pid}/photo/1", "/web/results", "/web/broadcasts",
    "/web/broadcasts/reach", "/web/broadcasts/1", "/web/audit", "/web/officers",
    "/web/rounds", "/web/trainings", "/web/trainings/1",
]
POST_ROUTES = [
    "/web/logout", "/web/products/{pid}/decide", "/web/results/preview",
    "/web/results/confirm", "/web/broadcasts/preview", "/web/broadcasts/send",
    "/web/rounds/1/cancel", "/web/trainings/1/cancel", "/web/officers/invite",
    "/web/officers/1/revoke", "/web/rounds", "/web/rounds/1/dates",
]


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    """The seeded database."""
    return await seed(db)


@pytest.fixture
async def client(db: Database, seeded: Seeded) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the console served on 127.0.0.1."""
    async with console_server(db) as http:
        yield http


async def _status(db: Database, pid: int) -> ProductStatus:
    async with db.reading() as store:
        product = await store.products.get(pid)
    assert product is not None
    return product.status


@pytest.mark.parametrize("route", GET_ROUTES + POST_ROUTES)
async def test_without_a_session_every_route_shows_the_login_page(
    client: httpx.AsyncClient, seeded: Seeded, route: str
) -> None:
    url = path_of(seeded, route)
    answer = await (client.post(url, data={"csrf": "x"}) if route in POST_ROUTES
                    else client.get(url))
    assert answer.status_code == 401
    assert "/web" in answer.text and "Đăng nhập trang quản lý" in answer.text


@pytest.mark.parametrize("route", POST_ROUTES)
async def test_a_form_without_or_with_a_forged_csrf_token_is_refused(
    client: httpx.AsyncClient, db: Database, seeded: Seeded, route: str
) -> None:
    await sign_in(client, db, seeded.users["vl"])
    url = path_of(seeded, route)
    for data in ({"action": "accept"}, {"action": "accept", "csrf": "forged-token"}):
        answer = await client.post(url, data=data)
        assert answer.status_code == 403, (route, data)
        assert "Biểu mẫu đã hết hạn" in answer.text
    assert await _status(db, seeded.products["submitted"]) is ProductStatus.SUBMITTED
    assert (await client.get("/web/")).status_code == 200  # logout refused too: still in


async def test_another_provinces_dossier_is_refused_and_logged(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    await sign_in(client, db, seeded.users["vl"])
    other = seeded.products["other"]
    for url in (f"/web/products/{other}", f"/web/products/{other}/photo/1"):
        assert (await client.get(url)).status_code == 403
    csrf = csrf_of((await client.get("/web/products")).text)
    answer = await client.post(f"/web/products/{other}/decide",
                               data={"csrf": csrf, "action": "accept"})
    assert answer.status_code == 403
    assert await _status(db, other) is ProductStatus.SUBMITTED
    async with db.reading() as store:
        denied = await store.audit.entries("denied")
    assert len(denied) == 3 and denied[0].subject == "web.product"
    listing = (await client.get("/web/products")).text
    assert "Kẹo dừa" in listing and "Trà sen" not in listing


async def test_admin_pages_are_for_admins_only(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    await sign_in(client, db, seeded.users["vl"])
    for url in ("/web/audit", "/web/officers"):
        assert (await client.get(url)).status_code == 403
    async with httpx.AsyncClient(base_url=str(client.base_url)) as admin:
        await sign_in(admin, db, seeded.users["admin"])
        page = await admin.get("/web/audit")
        assert page.status_code == 200 and "web_login" in page.text
        assert "Trà sen" in (await admin.get("/web/products")).text  # every province
        assert (await admin.get("/web/officers")).status_code == 200


async def test_a_link_works_once_and_only_within_ten_minutes(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    token = await link_for(db, seeded.users["vl"])
    shown = await client.get(f"/web/login/{token}")  # a link preview uses nothing up
    assert shown.status_code == 200 and f"/web/login/{token}" in shown.text
    first = await open_link(client, token)
    assert first.status_code == 303
    client.cookies.clear()
    again = await open_link(client, token)
    assert again.status_code == 403 and "đã hết hạn hoặc đã được dùng" in again.text
    expired = await link_for(db, seeded.users["vl"], valid=timedelta(seconds=-1))
    assert (await open_link(client, expired)).status_code == 403
    assert (await open_link(client, "made-up-token")).status_code == 403
    producer = await link_for(db, seeded.users["producer"])  # not an officer
    assert (await open_link(client, producer)).status_code == 403
    assert (await client.get("/web/")).status_code == 401


async def test_the_session_cookie_is_strict_and_a_revoked_officer_is_out_at_once(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    token = await link_for(db, seeded.users["vl"])
    answer = await open_link(client, token)
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=28800" in cookie
    assert "secure" not in cookie  # plain http on 127.0.0.1; https adds Secure
    assert (await client.get("/web/")).status_code == 200
    async with db.transaction() as store:
        await store.users.revoke(seeded.users["vl"])
    assert (await client.get("/web/")).status_code == 401


async def test_a_province_change_applies_at_the_next_click(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    await sign_in(client, db, seeded.users["vl"])
    assert "Kẹo dừa" in (await client.get("/web/products")).text
    from storage.models import Role
    from tests.web.support import now

    async with db.transaction() as store:
        await store.users.grant(seeded.users["vl"], Role.OFFICER, "CT", "test", now())
    listing = (await client.get("/web/products")).text
    assert "Trà sen" in listing and "Kẹo dừa" not in listing


async def test_logout_ends_the_session(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    await sign_in(client, db, seeded.users["vl"])
    old = dict(client.cookies)
    csrf = csrf_of((await client.get("/web/")).text)
    assert (await client.post("/web/logout", data={"csrf": csrf})).status_code == 303
    assert (await client.get("/web/")).status_code == 401
    client.cookies.update(old)  # the old cookie, kept by someone, opens nothing
    assert (await client.get("/web/")).status_code == 401


async def test_the_console_is_in_english_on_request(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    await sign_in(client, db, seeded.users["vl"])
    page = await client.get("/web/?lang=en")
    assert page.status_code == 200 and "Dashboard" in page.text and "Tổng quan" not in page.text


async def test_an_admin_invites_an_officer_and_revokes_another_who_is_out_at_once(
    client: httpx.AsyncClient, db: Database, seeded: Seeded
) -> None:
    await sign_in(client, db, seeded.users["vl"])
    csrf_officer = csrf_of((await client.get("/web/")).text)
    refused = await client.post("/web/officers/invite",
                                data={"csrf": csrf_officer, "province": "VL"})
    assert refused.status_code == 403
    async with httpx.AsyncClient(base_url=str(client.base_url)) as admin:
        await sign_in(admin, db, seeded.users["admin"])
        csrf = csrf_of((await admin.get("/web/officers")).text)
        made = await admin.post("/web/officers/invite", data={"csrf": csrf, "province": "VL"})
        assert made.status_code == 200 and "/macanbo" in made.text
        bad = await admin.post("/web/officers/invite", data={"csrf": csrf, "province": "XX"})
        assert bad.status_code == 400
        gone = await admin.post(f"/web/officers/{seeded.users['vl']}/revoke",
                                data={"csrf": csrf})
        assert gone.status_code == 303
        again = await admin.post(f"/web/officers/{seeded.users['vl']}/revoke",
                                 data={"csrf": csrf})
        assert again.status_code == 400
    assert (await client.get("/web/")).status_code == 401
    async with db.reading() as store:
        assert len(await store.audit.entries("officer_invite_created")) == 1
        assert len(await store.audit.entries("revoke")) == 1


async def test_under_https_the_cookie_is_secure(db: Database, seeded: Seeded) -> None:
    async with console_server(db, secure=True) as client:
        token = await link_for(db, seeded.users["vl"])
        page = await client.get(f"/web/login/{token}")
        assert "secure" in page.headers["set-cookie"].lower()  # the link page's cookie too
        nonce = page.text.split('name="nonce" value="')[1].split('"')[0]
        # plain http here: send the Secure cookie back as a browser on https would
        answer = await client.post(f"/web/login/{token}", data={"nonce": nonce},
                                   headers={"Cookie": f"ocop_login={nonce}"})
    assert answer.status_code == 303 and "secure" in answer.headers["set-cookie"].lower()
