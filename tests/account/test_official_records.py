"""/xoadulieu removes the person, never the province's record of a public decision: certified
products and their certificates stay under the producer's name, unclaimed, claimable again,
and every count stays as it was."""

from __future__ import annotations

from datetime import date

from storage import Database
from storage.figure_models import Scope
from tests.chat import ChatFor, Clock
from tests.products.steps import register
from tests.rating.support import certify

TODAY = date(2026, 12, 1)


async def _counts(db: Database) -> tuple[int, int]:
    async with db.reading() as store:
        summary = await store.figures.summary(Scope(province="VL"), 2026, TODAY)
    return summary.in_force.total, summary.new_this_year.total


async def test_deleting_an_account_keeps_the_certified_product_unclaimed(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    lan = chat_for("41")
    await lan.onboard(name="HTX Dừa Sáp Cầu Kè")
    certified = await register(lan, "Kẹo dừa sáp")
    draft = await register(lan, "Mứt dừa")
    await certify(db, certified, clock(), "VL-12")
    before = await _counts(db)
    assert before == (1, 1)

    await lan.say("/xoadulieu")
    await lan.press("d:del")
    assert "1 sản phẩm đã được công nhận" in lan.text and "vẫn được giữ" in lan.text
    await lan.press("d:yes")
    assert "deletion/done" in lan.templates

    assert await _counts(db) == before  # the province's figures do not move
    async with db.reading() as store:
        kept = await store.products.get(certified)
        assert kept is not None and await store.products.get(draft) is None
        assert await store.products.photos(certified) == []
        cert = await store.certifications.latest_for(certified)
        assert cert is not None and cert.certificate_number == "VL-12"
        producer = await store.users.producer(kept.producer_id)
        assert producer is not None and producer.name == "HTX Dừa Sáp Cầu Kè"
        assert (producer.contact_person, producer.phone) == ("", "")
        [candidate] = await store.existing.unclaimed("VL")
        assert candidate.producer_id == kept.producer_id
        assert candidate.products == ("Kẹo dừa sáp",)
        user = await store.users.find("telegram", "41")
        assert user is not None and user.producer_id is None

    ba = chat_for("42")
    await ba.onboard(name="HTX Dừa Sáp Cầu Kè (mới)")
    async with db.transaction() as store:
        user = await store.users.find("telegram", "42")
        assert user is not None
        moved = await store.claiming.claim(kept.producer_id, user.id, "officer", clock())
    assert moved == 1 and await _counts(db) == before


async def test_a_producer_without_certificates_is_deleted_whole(
    db: Database, chat_for: ChatFor
) -> None:
    lan = chat_for("43")
    await lan.onboard()
    await register(lan, "Kẹo dừa")
    await lan.say("/xoadulieu")
    await lan.press("d:del")
    assert "vẫn được giữ" not in lan.text
    await lan.press("d:yes")
    async with db.reading() as store:
        assert await store.existing.unclaimed() == []
        assert await store.products.get(1) is None
