"""The console lists the dossiers at the communes with their working days, the late ones per
commune; accepting one there takes the commune's step over."""

from __future__ import annotations

from datetime import timedelta

from storage import Database
from storage.product_models import ProductStatus
from tests.web.support import console_server, csrf_of, now, seed, sign_in


async def test_dossiers_at_the_communes_and_a_late_one(db: Database) -> None:
    seeded = await seed(db)
    pid = seeded.products["submitted"]
    async with db.transaction() as store:
        product = await store.products.get(pid)
        assert product is not None and product.status is ProductStatus.SUBMITTED
        received = now() - timedelta(days=40)  # long past its 15 working days
        await store.communes.open_review(pid, "VL", "Xã Tân Phú", "tan phu", received,
                                         (received + timedelta(days=21)).date())
    async with console_server(db) as client:
        await sign_in(client, db, seeded.users["vl"])
        page = (await client.get("/web/communes")).text
        assert "Kẹo dừa Bến Tre" in page and "quá hạn" in page
        assert "Xã có hồ sơ quá hạn: Xã Tân Phú (1)" in page
        assert "(chưa có cán bộ xã)" in page
        dossier = (await client.get(f"/web/products/{pid}")).text
        assert "Hồ sơ đang ở UBND Xã Tân Phú" in dossier
        answer = await client.post(f"/web/products/{pid}/decide",
                                   data={"csrf": csrf_of(dossier), "action": "accept"})
        assert answer.status_code == 303
        page = (await client.get("/web/communes")).text
        assert "Không có hồ sơ nào đang ở xã." in page
    async with db.reading() as store:
        assert await store.communes.open_for(pid) is None


async def test_a_dossier_sent_before_the_decision_is_marked_on_its_page(db: Database) -> None:
    seeded = await seed(db)
    pid = seeded.products["other"]  # Cần Thơ: the admin sees it
    async with db.transaction() as store:
        await store.products.set_status(pid, ProductStatus.SUBMITTED,
                                        now().replace(year=2026, month=5, day=1))
    async with console_server(db) as client:
        await sign_in(client, db, seeded.users["admin"])
        page = (await client.get(f"/web/products/{pid}")).text
    assert 'id="old-rules"' in page and "148/QĐ-TTg" in page


async def test_the_round_form_suggests_the_decision_s_calendar(db: Database) -> None:
    seeded = await seed(db)
    async with console_server(db) as client:
        await sign_in(client, db, seeded.users["vl"])
        page = (await client.get("/web/rounds")).text
    assert 'id="calendar"' in page and "Gợi ý theo Quyết định 26/2026/QĐ-TTg (Điều 5, 7)" in page
