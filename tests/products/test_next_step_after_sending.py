"""What the bot says comes next after a dossier is sent: not a round the product is already in."""

from __future__ import annotations

from storage import Database
from storage.product_models import ProductStatus
from tests.chat import ChatFor, Clock
from tests.products.steps import register
from tests.rounds.test_flow import make_round


async def test_a_product_already_entered_is_not_told_to_enter_the_round_again(
    chat_for: ChatFor, db: Database, clock: Clock
) -> None:
    farmer = chat_for("501")
    await farmer.onboard()
    round_id = await make_round(db, clock)
    pid = await register(farmer)
    await farmer.press("sm:ok")
    assert "Tiếp theo: đăng ký sản phẩm vào" in farmer.text  # not entered yet
    clock.advance(days=1)  # registration opens
    async with db.transaction() as store:
        row = await store.rounds.product(pid)
        assert row is not None
        await store.rounds.enter(round_id, row, clock())
        await store.products.set_status(pid, ProductStatus.RETURNED, clock())
    await farmer.say("/sanpham")
    await farmer.press(f"p:{pid}")
    await farmer.press("v:edit")
    await farmer.press("sm:ok")
    assert farmer.templates[0] == "products/submitted", farmer.templates
    assert "Tiếp theo: đăng ký" not in farmer.text
    assert "đã có trong Đợt II năm 2026" in farmer.text
