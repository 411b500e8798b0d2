"""A commune officer on the console: signs in with the chat's link, sees only their commune's
dossiers with the working days left, writes the commune's assessment (Mẫu 03), forwards or
returns a dossier; the province's pages are refused to them politely."""

from __future__ import annotations

import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import httpx
from openpyxl import load_workbook

from storage import Database
from storage.models import Role
from storage.product_models import ProductStatus
from tests.products.steps import outbox
from tests.web.support import console_server, csrf_of, link_for, now, open_link, seed, sign_in

PROVINCE_PAGES = ("/web/products", "/web/products?status=submitted", "/web/products.xlsx",
                  "/web/results", "/web/certified", "/web/broadcasts", "/web/rounds",
                  "/web/trainings", "/web/invitations", "/web/officers", "/web/audit",
                  "/web/criteria", "/web/chart.png")
MAU03 = {"raw_materials": "yes", "labour": "part", "idea": "yes", "identity": "no"}


async def _setup(db: Database) -> dict[str, int]:
    """The web seed, a commune officer of Xã Tân Phú (Vĩnh Long) and one of Xã Long Hồ, the
    seed's dossier at Tân Phú and another producer's dossier at Long Hồ."""
    seeded = await seed(db)
    ids = {"mine": seeded.products["submitted"], "vl": seeded.users["vl"],
           "accepted": seeded.products["accepted"]}
    received = now() - timedelta(days=3)
    async with db.transaction() as store:
        for key, external, commune, folded in (("xa", "700", "Xã Tân Phú", "tan phu"),
                                               ("xa2", "701", "Xã Long Hồ", "long ho")):
            user = await store.users.seen("telegram", external, external, now())
            await store.users.grant(user.id, Role.COMMUNE_OFFICER, "VL", "test", now())
            await store.communes.set_commune(user.id, commune, folded)
            ids[key] = user.id
        producer = await store.users.create_producer(
            {"name": "HTX Long Hồ", "entity_type": "cooperative", "contact_person": "Lê Văn Ba",
             "phone": "+84912345679", "province_code": "VL", "commune": "Xã Long Hồ"}, now())
        ids["theirs"] = await store.products.create_draft(producer, now())
        await store.products.set_field(ids["theirs"], "name", "Cam sành Long Hồ", now())
        await store.products.set_field(ids["theirs"], "group_code", "food", now())
        await store.products.set_status(ids["theirs"], ProductStatus.SUBMITTED, now())
        for pid, commune, folded in ((ids["mine"], "Xã Tân Phú", "tan phu"),
                                     (ids["theirs"], "Xã Long Hồ", "long ho")):
            await store.communes.open_review(pid, "VL", commune, folded, received,
                                             (received + timedelta(days=21)).date())
    return ids


async def _act(client: httpx.AsyncClient, pid: int, **fields: str) -> str:
    """Post the commune's form of a dossier; the outcome the page is sent back with."""
    page = (await client.get(f"/web/products/{pid}")).text
    answer = await client.post(f"/web/products/{pid}/commune",
                               data={"csrf": csrf_of(page), **fields})
    assert answer.status_code == 303
    return answer.headers["location"].split("problem=")[1]


async def test_a_commune_officer_sees_only_their_commune(db: Database) -> None:
    ids = await _setup(db)
    async with console_server(db) as client:
        assert (await client.get("/web/")).status_code == 401  # not signed in yet
        await sign_in(client, db, ids["xa"])
        home = await client.get("/web/")
        assert home.status_code == 303 and home.headers["location"] == "/web/communes"
        page = (await client.get("/web/communes")).text
        assert "Hồ sơ chờ UBND Xã Tân Phú kiểm tra" in page
        assert "Kẹo dừa Bến Tre" in page and "Cam sành Long Hồ" not in page
        assert "ngày làm việc" in page and 'href="/web/products"' not in page  # nav: theirs
        for path in PROVINCE_PAGES:
            refused = await client.get(path)
            assert refused.status_code == 403, path
            assert "Trang này dành cho cán bộ OCOP của tỉnh" in refused.text, path
        assert (await client.get(f"/web/products/{ids['theirs']}")).status_code == 403
        dossier = (await client.get(f"/web/products/{ids['mine']}")).text
        assert 'id="commune-check"' in dossier and 'id="commune-forward"' in dossier
        assert 'id="accept"' not in dossier and 'id="revoke"' not in dossier
        decide = await client.post(f"/web/products/{ids['mine']}/decide",
                                   data={"csrf": csrf_of(dossier), "action": "accept"})
        assert decide.status_code == 403  # the province's step is not theirs
    async with db.reading() as store:
        denied = await store.audit.entries("denied")
        product = await store.products.get(ids["mine"])
    assert denied and product is not None and product.status is ProductStatus.SUBMITTED


async def test_the_commune_assesses_and_forwards_to_the_province(db: Database) -> None:
    ids = await _setup(db)
    async with console_server(db) as client:
        await sign_in(client, db, ids["xa"])
        assert await _act(client, ids["mine"], action="forward", raw_materials="yes",
                          labour="part") == "commune_incomplete"
        assert await _act(client, ids["mine"], action="save", idea="yes") == "done_commune_saved"
        page = (await client.get(f"/web/products/{ids['mine']}?problem=commune_incomplete")).text
        assert 'name="identity" aria-invalid="true"' in page  # the one still to answer
        assert await _act(client, ids["mine"], action="forward",
                          identity="no") == "done_commune_forwarded"
        page = (await client.get(f"/web/products/{ids['mine']}")).text
        assert "đã chuyển hồ sơ lên tỉnh ngày" in page and 'id="commune-forward"' not in page
    async with console_server(db) as client:  # the province sees the commune's answers
        await sign_in(client, db, ids["vl"])
        page = (await client.get(f"/web/products/{ids['mine']}")).text
        assert 'id="mau03"' in page and "Nguyên liệu tại địa phương" in page
        assert 'id="accept"' in page
    async with db.reading() as store:
        review = await store.communes.latest_for(ids["mine"])
        forwarded = await store.audit.entries("commune_forwarded")
    assert review is not None and review.outcome == "forwarded" and review.assessment == MAU03
    assert forwarded[0].actor == "telegram:700"
    keys = [row["dedupe_key"] for row in await outbox(db)]
    assert any(key.startswith(f"review:{ids['mine']}:") for key in keys)  # the province told
    assert any(key.endswith(":forwarded") for key in keys)  # the producer told


async def test_the_commune_follows_the_dossiers_it_forwarded_or_returned(db: Database) -> None:
    ids = await _setup(db)
    long_ago = now() - timedelta(days=400)  # a check closed before the last 12 months
    async with db.transaction() as store:
        old = await store.communes.open_review(ids["accepted"], "VL", "Xã Tân Phú", "tan phu",
                                               long_ago, long_ago.date())
        await store.communes.decide(old, "returned", "telegram:700", long_ago)
    today = now().astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m/%Y")
    async with console_server(db) as client:
        await sign_in(client, db, ids["xa2"])  # Long Hồ returns its own dossier
        assert await _act(client, ids["theirs"], action="return",
                          note="Bổ sung ảnh nhãn") == "done_commune_returned"
    async with console_server(db) as client:
        await sign_in(client, db, ids["xa"])
        page = (await client.get("/web/communes")).text
        assert "Trong 12 tháng qua xã chưa chuyển lên tỉnh hoặc trả lại hồ sơ nào." in page
        assert await _act(client, ids["mine"], action="forward", **MAU03) == (
            "done_commune_forwarded")
        page = (await client.get("/web/communes")).text
        dossier = await client.get(f"/web/products/{ids['mine']}")  # read-only now
    followed = page.split('id="closed"')[1]
    assert "Không có hồ sơ nào đang ở xã." in page  # nothing open any more
    assert f"Chuyển lên tỉnh ngày {today}" in followed
    assert "Đã gửi, chờ tiếp nhận" in followed and "Kẹo dừa Bến Tre" in followed
    assert "Cam sành Long Hồ" not in followed and "Bánh tráng" not in followed
    assert dossier.status_code == 200 and "đã chuyển hồ sơ lên tỉnh ngày" in dossier.text
    for form in ('id="commune-forward"', 'id="accept"', 'id="revoke"', 'name="note"'):
        assert form not in dossier.text, form
    async with console_server(db) as client:  # the province accepts it: the commune sees it
        await sign_in(client, db, ids["vl"])
        page = (await client.get(f"/web/products/{ids['mine']}")).text
        await client.post(f"/web/products/{ids['mine']}/decide",
                          data={"csrf": csrf_of(page), "action": "accept"})
    async with console_server(db) as client:
        await sign_in(client, db, ids["xa"])
        followed = (await client.get("/web/communes")).text.split('id="closed"')[1]
    assert "Đã tiếp nhận, chờ đánh giá" in followed


async def test_the_commune_returns_a_dossier_and_others_may_not(db: Database) -> None:
    ids = await _setup(db)
    async with console_server(db) as client:
        await sign_in(client, db, ids["xa2"])  # Long Hồ's officer on Tân Phú's dossier
        page = (await client.get(f"/web/products/{ids['theirs']}")).text
        other = await client.post(f"/web/products/{ids['mine']}/commune",
                                  data={"csrf": csrf_of(page), "action": "forward", **MAU03})
        assert other.status_code == 403
    async with console_server(db) as client:
        await sign_in(client, db, ids["xa"])
        assert await _act(client, ids["mine"], action="return", note="") == "bad_note"
        assert await _act(client, ids["mine"], action="return",
                          note="Bổ sung phiếu kiểm nghiệm") == "done_commune_returned"
        assert await _act(client, ids["mine"], action="save") == "commune_closed"
    async with db.reading() as store:
        product = await store.products.get(ids["mine"])
        review = await store.communes.latest_for(ids["mine"])
    assert product is not None and product.status is ProductStatus.RETURNED
    assert review is not None and review.outcome == "returned"


async def test_a_commune_officer_without_a_commune_sees_nothing(db: Database) -> None:
    ids = await _setup(db)
    async with db.transaction() as store:
        user = await store.users.seen("telegram", "702", "702", now())
        await store.users.grant(user.id, Role.COMMUNE_OFFICER, "VL", "test", now())
    async with console_server(db) as client:
        signed = await open_link(client, await link_for(db, user.id))
        assert signed.status_code == 303
        assert (await client.get("/web/communes")).status_code == 403
        assert (await client.get(f"/web/products/{ids['mine']}")).status_code == 403


async def test_the_dossier_shows_the_commune_as_written_when_it_became_another(
    db: Database
) -> None:
    ids = await _setup(db)
    async with db.transaction() as store:
        product = await store.products.get(ids["mine"])
        assert product is not None
        await store.places._db.execute(  # typed before the reform, placed at the next start
            "UPDATE producers SET commune = 'Xã Thông Hòa, Huyện Cầu Kè', commune_code = NULL,"
            " commune_typed = NULL WHERE id = ?", (product.producer_id,))
        await store.places.place_producers(product.producer_id)
    async with console_server(db) as client:
        await sign_in(client, db, ids["vl"])
        page = (await client.get(f"/web/products/{ids['mine']}")).text
        plain = (await client.get(f"/web/products/{ids['theirs']}")).text  # named as it is
        sheet = await client.get("/web/products.xlsx")
    assert "Xã Tam Ngãi" in page and "(đã ghi là “Xã Thông Hòa, Huyện Cầu Kè”)" in page
    assert "Xã Long Hồ" in plain and "(đã ghi là" not in plain
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    column = {name: index for index, name in enumerate(rows[0])}
    written = {row[column["Tên sản phẩm"]]: (row[column["Xã/phường"]],
                                             row[column["Xã/phường (như đã ghi)"]])
               for row in rows[1:]}
    assert column["Xã/phường (như đã ghi)"] == column["Xã/phường"] + 1
    assert written["Kẹo dừa Bến Tre"] == ("Xã Tam Ngãi", "Xã Thông Hòa, Huyện Cầu Kè")
    assert written["Cam sành Long Hồ"] == ("Xã Long Hồ", None)  # the same place: left empty
