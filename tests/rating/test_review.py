"""Officer review and results: return → edit → resubmit → accept → result → one notice."""

from __future__ import annotations

from storage import Database
from storage.models import Role
from storage.product_models import ProductStatus
from tests.chat import ChatFor, Clock
from tests.products.steps import document, make_officer, outbox, register


async def test_return_edit_resubmit_accept_rate_notice_once(
    chat_for: ChatFor, clock: Clock, db: Database
) -> None:
    producer = chat_for("501")
    officer = chat_for("601")
    await producer.onboard()
    pid = await register(producer)
    await producer.press("sm:ok")
    await make_officer(db, officer, "VL")
    await producer.say("/sanpham")
    await producer.press(f"p:{pid}")
    await producer.press("v:chk")
    await producer.press("i:reg_form")
    await producer.photo("form-scan")
    await producer.press("i:business_reg")
    await document(producer, "licence.pdf", "application/pdf")

    await officer.say("/duyet")
    assert officer.keys[0] == f"r:{pid}"
    await officer.press(f"r:{pid}")
    assert officer.templates == ["review/photo", "review/photo", "review/open"]
    assert officer.last.replies[0].photo == "photo-Kẹo dừa Tân Phú-0"
    await officer.press("ra:files")
    assert officer.templates == ["review/evidence", "review/evidence", "review/open"]
    assert [r.photo for r in officer.last.replies[:2]] == ["form-scan", None]
    await officer.press("ra:ret")
    assert officer.templates == ["review/ask_note"]
    await officer.say("Bổ sung ảnh nhãn <mặt sau> và phiếu kiểm nghiệm")
    assert officer.templates == ["review/returned", "review/queue"]

    rows = await outbox(db)
    assert [r["dedupe_key"].split(":")[0] for r in rows] == ["review"]
    assert "&lt;mặt sau&gt;" in rows[0]["payload"]["text"]  # HTML-escaped for Telegram

    await producer.say("/sanpham")
    await producer.press(f"p:{pid}")
    assert producer.last.replies[0].context["note"].startswith("Bổ sung ảnh nhãn")
    await producer.press("v:edit")
    assert producer.templates == ["products/summary"]
    await producer.press("sm:desc")
    await producer.say("Kẹo dừa truyền thống, có phiếu kiểm nghiệm mới")
    await producer.press("sm:ok")
    assert producer.templates == ["products/submitted", "products/details"]

    clock.advance(hours=1)
    await officer.say("/duyet")
    await officer.press(f"r:{pid}")
    await officer.press("ra:ok")
    assert officer.templates == ["review/accepted", "review/queue"]

    await officer.press("rq:res")
    assert officer.templates == ["results/pick"]
    await officer.press(f"x:{pid}")
    await officer.say("105")
    assert officer.templates[0] == "results/bad_score"
    await officer.say("72,5")
    await officer.say("1234/QĐ-UBND")
    await officer.say("31/12/2026")  # the clock is on 01/12/2026: the future
    assert officer.templates[0] == "results/future_date"
    await officer.say("15/11/2026")
    await officer.say("OCOP-VL-2026-001")
    assert officer.templates == ["results/confirm"]
    assert officer.last.replies[0].context["stars"] == 4
    confirm_version = officer.last.menu_version
    await officer.press("x:ok")
    assert officer.templates == ["results/recorded", "results/pick"]
    await officer.press("x:ok", version=confirm_version)  # a second tap on the old button
    assert officer.templates in ([], ["errors/stale_menu", "results/pick"])

    async with db.transaction() as store:
        product = await store.products.get(pid)
        cert = await store.certifications.latest_for(pid)
        events = [e.kind for e in await store.products.events(pid)]
        audit = [e.action for e in await store.audit.entries()]
    assert product is not None and product.status is ProductStatus.CERTIFIED
    assert cert is not None and cert.stars == 4 and str(cert.expires_on) == "2029-11-15"
    assert events == [
        "created",
        "submitted",
        "returned",
        "resubmitted",
        "accepted",
        "rated",
        "certified",
    ]
    assert {"product_returned", "product_accepted", "result_recorded"} <= set(audit)

    rows = await outbox(db)
    certs = [r for r in rows if r["dedupe_key"].startswith("cert:")]
    assert len(certs) == 1 and certs[0]["urgent"] == 1 and certs[0]["cap_exempt"] == 1
    assert certs[0]["dedupe_key"] == f"cert:{cert.id}"
    assert "OCOP-VL-2026-001" in certs[0]["payload"]["text"]
    reviews = [r["chat_id"] for r in rows if r["dedupe_key"].startswith("review:")]
    assert sorted(reviews) == ["501", "501", "601"]  # returned, accepted; the officer: resubmitted

    await producer.say("/sanpham")
    await producer.press(f"p:{pid}")
    await producer.press("v:cert")
    assert producer.templates == ["products/certificate", "products/details"]
    await producer.press("v:hist")
    assert "72,5 → 4★" in producer.text  # a Vietnamese decimal comma, as everywhere else


async def test_not_certified_result_needs_no_certificate(
    chat_for: ChatFor, db: Database
) -> None:
    producer = chat_for("502")
    admin = chat_for("999")  # an admin by configuration
    await producer.onboard(province="can tho")
    pid = await register(producer, photos=0)
    await producer.press("sm:ok")
    await admin.say("/duyet")
    await admin.press(f"r:{pid}")
    await admin.press("ra:ok")
    await admin.say("/ketqua")
    await admin.press(f"x:{pid}")
    await admin.say("41")
    assert admin.templates == ["results/confirm"]
    await admin.press("x:ok")
    rows = [r for r in await outbox(db) if r["dedupe_key"].startswith("cert:")]
    assert len(rows) == 1 and "41" in rows[0]["payload"]["text"]
    async with db.transaction() as store:
        product = await store.products.get(pid)
    assert product is not None and product.status is ProductStatus.NOT_CERTIFIED


async def test_certificate_number_used_twice_is_refused(
    chat_for: ChatFor, db: Database
) -> None:
    producer = chat_for("503")
    officer = chat_for("603")
    await producer.onboard()
    first = await register(producer, name="Sản phẩm một", photos=0)
    await producer.press("sm:ok")
    second = await register(producer, name="Sản phẩm hai", photos=0)
    await producer.press("sm:ok")
    await make_officer(db, officer, "VL")
    for pid in (first, second):
        await officer.say("/duyet")
        await officer.press(f"r:{pid}")
        await officer.press("ra:ok")
    for pid in (first, second):
        await officer.say("/ketqua")
        await officer.press(f"x:{pid}")
        await officer.say("80")
        await officer.say("99/QĐ-UBND")
        await officer.say("01/11/2026")
        await officer.say("gcn-1")  # the same number, typed in another case
        if pid == first:
            await officer.press("x:ok")
    assert officer.templates[0] == "results/certificate_used"
    async with db.transaction() as store:
        second_product = await store.products.get(second)
    assert second_product is not None and second_product.status is ProductStatus.ACCEPTED


async def test_admin_role_granted_in_database_sees_every_province(
    chat_for: ChatFor, db: Database
) -> None:
    producer = chat_for("504")
    admin = chat_for("704")
    await producer.onboard(province="can tho")
    pid = await register(producer, photos=0)
    await producer.press("sm:ok")
    await make_officer(db, admin, None, role=Role.ADMIN)
    await admin.say("/duyet")
    assert f"r:{pid}" in admin.keys


async def test_a_score_of_90_is_4_stars_from_the_province_or_5_from_the_ministry(
    chat_for: ChatFor, db: Database
) -> None:
    producer = chat_for("505")
    officer = chat_for("605")
    await producer.onboard()
    first = await register(producer, name="Rượu Bàu Đá", photos=0)
    await producer.press("sm:ok")
    second = await register(producer, name="Nước mắm Phú Quốc", photos=0)
    await producer.press("sm:ok")
    await make_officer(db, officer, "VL")
    for pid, level, number in ((first, "x:prov", "P-1"), (second, "x:min", "M-1")):
        await officer.say("/duyet")
        await officer.press(f"r:{pid}")
        await officer.press("ra:ok")
        await officer.say("/ketqua")
        await officer.press(f"x:{pid}")
        await officer.say("92")
        assert officer.templates == ["results/ask_level"]
        await officer.press(level)
        await officer.say("5/QĐ")
        await officer.say("20/11/2026")
        await officer.say(number)
        await officer.press("x:ok")
    async with db.transaction() as store:
        stars = [(await store.certifications.latest_for(pid)).stars for pid in (first, second)]
    assert stars == [4, 5]
    notices = [r for r in await outbox(db) if r["dedupe_key"].startswith("cert:")]
    assert "tiềm năng 5 sao" in notices[0]["payload"]["text"]
    assert "tiềm năng 5 sao" not in notices[1]["payload"]["text"]


async def test_officers_of_the_province_hear_of_a_new_dossier(
    chat_for: ChatFor, db: Database
) -> None:
    producer = chat_for("511")
    here = chat_for("611")
    elsewhere = chat_for("612")
    await make_officer(db, here, "VL")
    await make_officer(db, elsewhere, "HN")
    await producer.onboard()
    pid = await register(producer)
    await producer.press("sm:ok")
    rows = [r for r in await outbox(db) if r["dedupe_key"].startswith(f"review:{pid}:")]
    assert [r["chat_id"] for r in rows] == ["611"]
    assert rows[0]["kind"] == "notice" and "/tiepnhan" in rows[0]["payload"]["text"]



async def test_the_decision_date_may_be_typed_as_people_say_it(
    chat_for: ChatFor, clock: Clock, db: Database
) -> None:
    producer = chat_for("503")
    admin = chat_for("999")
    await producer.onboard()
    first = await register(producer, name="Kẹo dừa", photos=0)
    await producer.press("sm:ok")
    second = await register(producer, name="Bánh tráng", photos=0)
    await producer.press("sm:ok")
    await admin.say("/tiepnhan")  # the word officers are shown; /duyet still works above
    for pid in (first, second):
        await admin.press(f"r:{pid}")
        await admin.press("ra:ok")
    expected = {first: ("hôm nay", "2026-12-01"), second: ("20/11", "2026-11-20")}
    for pid, (typed, _) in expected.items():  # the clock is on 01/12/2026
        await admin.say("/ketqua")
        await admin.press(f"x:{pid}")
        await admin.say("75")
        await admin.say(f"{pid}/QĐ-UBND")
        await admin.say(typed)
        assert admin.templates == ["results/ask_certificate"], admin.text
        await admin.say(f"OCOP-VL-{pid}")
        await admin.press("x:ok")
    async with db.transaction() as store:
        for pid, (_, day) in expected.items():
            cert = await store.certifications.latest_for(pid)
            assert cert is not None and str(cert.decision_date) == day
