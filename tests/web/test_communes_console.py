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


async def test_the_product_list_filters_by_the_commune_s_code(db: Database) -> None:
    seeded = await seed(db)
    async with db.transaction() as store:  # a producer whose commune is no place any more
        producer = await store.users.create_producer(
            {"name": "HTX Phường 1", "entity_type": "cooperative", "contact_person": "Lan",
             "phone": "+84912345670", "province_code": "VL", "commune": "Phường 1"}, now())
        pid = await store.products.create_draft(producer, now())
        await store.products.set_field(pid, "name", "Bánh pía Phường 1", now())
        await store.places.place_producers(producer)
    async with console_server(db) as client:
        await sign_in(client, db, seeded.users["vl"])
        page = (await client.get("/web/products")).text
        by_code = (await client.get("/web/products", params={"commune": "28840"})).text
        unplaced = (await client.get("/web/products", params={"commune": "-"})).text
        by_name = (await client.get("/web/products", params={"commune": "xa tan phu"})).text
    assert page.index('value="28840" >Xã Tân Phú<') < page.index('value="-" >Chưa xác định xã<')
    assert "Kẹo dừa Bến Tre" in by_code and "Bánh pía Phường 1" not in by_code
    assert 'value="28840" selected>' in by_code  # the choice stays picked
    assert "Bánh pía Phường 1" in unplaced and "Kẹo dừa Bến Tre" not in unplaced
    assert "Kẹo dừa Bến Tre" in by_name and "Bánh pía Phường 1" not in by_name  # an older link
