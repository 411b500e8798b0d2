"""The console cannot be framed or sniffed, runs no inline script, and signs in only the
browser that opened the link; relayed photos are served only as JPEG, PNG or WebP."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest

from storage import Database
from tests.web.support import (
    Seeded,
    console_server,
    link_for,
    now,
    open_link,
    path_of,
    seed,
    sign_in,
)

PAGES = ["/web/", "/web/products", "/web/products/{pid}", "/web/results", "/web/broadcasts",
         "/web/rounds", "/web/trainings", "/web/audit", "/web/officers"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 32
WEBP = b"RIFF\x24\0\0\0WEBPVP8 " + b"\0" * 32
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"/>'
SERVED = {"photo-1": (SVG, "image/svg+xml"), "photo-2": (PNG, "image/svg+xml"),
          "photo-3": (JPEG, "text/html"), "photo-4": (WEBP, "application/octet-stream"),
          "photo-5": (b"<html><script>alert(1)</script>", "image/jpeg")}


async def _photo(channel: str, file_id: str) -> tuple[bytes, str] | None:
    return SERVED.get(file_id)


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    """The seeded database; the submitted dossier gets four more photos."""
    seeded = await seed(db)
    async with db.transaction() as store:
        for n in range(2, 6):
            await store.products.add_photo(seeded.products["submitted"], "telegram",
                                           f"photo-{n}", "image/jpeg", 1000, now())
    return seeded


@pytest.fixture
async def client(db: Database, seeded: Seeded) -> AsyncIterator[httpx.AsyncClient]:
    """The admin signed in (every page is open to them)."""
    async with console_server(db, fetch_photo=_photo) as http:
        await sign_in(http, db, seeded.users["admin"])
        yield http


def _protected(answer: httpx.Response) -> None:
    policy = answer.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy, policy
    assert "unsafe-inline" not in policy and "style-src 'self'" in policy
    assert answer.headers.get("x-content-type-options") == "nosniff"
    assert answer.headers.get("x-frame-options") == "DENY"
    assert answer.headers.get("referrer-policy") == "no-referrer"


async def test_every_page_carries_the_headers_and_no_inline_script_or_style(
    client: httpx.AsyncClient, seeded: Seeded
) -> None:
    for route in PAGES:
        answer = await client.get(path_of(seeded, route))
        assert answer.status_code == 200, route
        _protected(answer)
        assert "style=" not in answer.text, route
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", answer.text, re.S)
        assert all("src=" in attrs and not body.strip() for attrs, body in scripts), route
        assert not re.search(r"\son[a-z]+=", answer.text), route  # no inline handlers
    _protected(await client.get("/web/static/console.css"))
    _protected(await client.get("/web/nowhere"))
    client.cookies.clear()
    _protected(await client.get("/web/"))  # the sign-in page too


async def test_signing_in_needs_the_browser_that_opened_the_link(
    db: Database, seeded: Seeded
) -> None:
    async with console_server(db) as victim, console_server(db) as attacker:
        token = await link_for(db, seeded.users["vl"])  # the attacker's own link
        page = await attacker.get(f"/web/login/{token}")
        _protected(page)
        nonce = page.text.split('name="nonce" value="')[1].split('"')[0]
        # another site's form posts the attacker's link from the victim's browser
        forged = await victim.post(f"/web/login/{token}", data={"nonce": nonce})
        assert forged.status_code == 403 and "ocop_web" not in forged.headers.get(
            "set-cookie", "")
        assert "trên chính trang mở từ đường dẫn" in forged.text
        assert (await victim.post(f"/web/login/{token}")).status_code == 403
        assert (await victim.get("/web/")).status_code == 401
        await victim.get(f"/web/login/{token}")  # a cookie of its own does not match either
        assert (await victim.post(f"/web/login/{token}", data={"nonce": nonce})
                ).status_code == 403
        assert (await open_link(attacker, token)).status_code == 303  # the link still works


async def test_relayed_photos_are_served_only_as_what_their_bytes_are(
    client: httpx.AsyncClient, seeded: Seeded
) -> None:
    pid = seeded.products["submitted"]
    svg = await client.get(f"/web/products/{pid}/photo/1")
    assert svg.status_code == 404 and "svg" not in svg.headers["content-type"]
    for n, mime in ((2, "image/png"), (3, "image/jpeg"), (4, "image/webp")):
        answer = await client.get(f"/web/products/{pid}/photo/{n}")
        assert answer.status_code == 200 and answer.headers["content-type"] == mime, n
        _protected(answer)
    html = await client.get(f"/web/products/{pid}/photo/5")
    assert html.status_code == 404 and "alert(1)" not in html.text
