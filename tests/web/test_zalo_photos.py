"""Photos sent on Zalo are shown on the dossier page, relayed by the console from Zalo's URLs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx
import pytest

from bot.web.photos import chat_photos, telegram_photos, zalo_photos
from fakes.zalo import FakeZalo
from storage import Database
from tests.web.support import Seeded, console_server, now, seed, sign_in

PNG = b"\x89PNG\r\n\x1a\n" + b"zalo-photo" * 100
LIMIT = 64 * 1024
TIME_LIMIT = 0.5


@pytest.fixture
async def zalo() -> AsyncIterator[FakeZalo]:
    """The fake Zalo server, which also serves the photos producers sent."""
    fake = FakeZalo()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def photos(db: Database, zalo: FakeZalo) -> tuple[Seeded, int]:
    """The seed; the submitted dossier gets four Zalo photos: fine, too big, slow, gone."""
    seeded = await seed(db)
    pid = seeded.products["submitted"]
    urls = [
        zalo.serve_photo("fine.png", PNG, "image/png"),
        zalo.serve_photo("big.jpg", b"x" * (LIMIT + 1)),
        zalo.serve_photo("slow.jpg", PNG, delay=5),
        f"http://127.0.0.1:{zalo.port}/photos/gone.jpg",
    ]
    async with db.transaction() as store:
        for url in urls:
            await store.products.add_photo(pid, "zalo", url, "image/jpeg", None, now())
    return seeded, pid


@pytest.fixture
async def client(db: Database, photos: tuple[Seeded, int]) -> AsyncIterator[httpx.AsyncClient]:
    """A Vĩnh Long officer signed in; photos fetched as the running bot fetches them."""
    fetch = chat_photos(
        zalo_photos(limit=LIMIT, timeout=TIME_LIMIT),
        telegram_photos("http://127.0.0.1:9/bot", "no-token", timeout=TIME_LIMIT),
    )
    async with console_server(db, fetch_photo=fetch) as http:
        await sign_in(http, db, photos[0].users["vl"])
        yield http


async def test_a_zalo_photo_is_shown_on_the_dossier(
    client: httpx.AsyncClient, photos: tuple[Seeded, int]
) -> None:
    pid = photos[1]
    page = await client.get(f"/web/products/{pid}")
    assert page.status_code == 200
    assert f'src="/web/products/{pid}/photo/2"' in page.text  # the first Zalo photo
    got = await client.get(f"/web/products/{pid}/photo/2")
    assert got.status_code == 200
    assert got.content == PNG and got.headers["content-type"] == "image/png"


async def test_a_zalo_photo_over_the_size_limit_is_refused(
    client: httpx.AsyncClient, photos: tuple[Seeded, int]
) -> None:
    got = await client.get(f"/web/products/{photos[1]}/photo/3")
    assert got.status_code == 404 and "x" * 100 not in got.text


async def test_a_slow_zalo_photo_gives_up_at_the_time_limit(
    client: httpx.AsyncClient, photos: tuple[Seeded, int]
) -> None:
    started = time.monotonic()
    got = await client.get(f"/web/products/{photos[1]}/photo/4")
    assert got.status_code == 404
    assert time.monotonic() - started < 4  # the photo server would take 5 s


async def test_a_zalo_photo_gone_from_zalo_is_a_polite_404(
    client: httpx.AsyncClient, photos: tuple[Seeded, int]
) -> None:
    got = await client.get(f"/web/products/{photos[1]}/photo/5")
    assert got.status_code == 404 and "<html" in got.text.lower()


async def test_another_province_may_not_see_the_photo(
    db: Database, photos: tuple[Seeded, int]
) -> None:
    async with console_server(db, fetch_photo=zalo_photos()) as http:
        await sign_in(http, db, photos[0].users["ct"])
        got = await http.get(f"/web/products/{photos[1]}/photo/2")
    assert got.status_code == 403
