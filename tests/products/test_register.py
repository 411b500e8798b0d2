"""Registering a product by chat: every step, photos, bad input, drafts, the checklist."""

from __future__ import annotations

from handlers import FEATURES
from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from storage.product_models import ProductStatus
from tests.chat import Chat, Clock
from tests.engines import BOTH_ENGINES
from tests.products.steps import document, register

pytestmark = BOTH_ENGINES  # these conversations run on SQLite and on PostgreSQL


async def _product(db: Database, pid: int):  # type: ignore[no-untyped-def]
    async with db.transaction() as store:
        return await store.products.get(pid)


async def test_full_registration_with_photos_checklist_and_submit(
    chat: Chat, db: Database
) -> None:
    await chat.onboard()
    pid = await register(chat, photos=2)
    summary = chat.last.replies[-1].context
    assert summary["product"]["photos"] == 2 and summary["product"]["set"]
    assert summary["total"] == 13 and summary["done"] == 0  # VietGAP/ISO… (optional) not counted
    await chat.press("sm:chk")
    assert chat.templates == ["dossier/checklist"]
    assert "i:food_safety" in chat.keys and "i:samples" in chat.keys
    await chat.press("i:reg_form")
    assert chat.templates == ["dossier/item"]
    await chat.photo("form-scan")
    assert chat.templates == ["dossier/marked", "dossier/checklist"]
    await chat.press("i:business_reg")
    await document(chat, "licence.pdf", "application/pdf")
    await chat.press("i:samples")
    await chat.press("m:paper")
    assert chat.last.replies[0].context["done"] == 3
    assert "3/13" in chat.text
    checklist = chat.last.replies[-1].context
    assert len(checklist["missing"]) == 10  # the optional VietGAP/ISO item is not missing
    await chat.press("i:back")
    assert chat.templates == ["products/summary"]
    await chat.press("sm:ok")
    assert chat.templates == ["products/submitted", "products/details"]
    product = await _product(db, pid)
    assert product.status is ProductStatus.SUBMITTED and product.submitted_at is not None
    async with db.transaction() as store:
        marks = await store.products.marks(pid)
        events = [e.kind for e in await store.products.events(pid)]
    assert {m.how for m in marks.values()} == {"file", "paper"} and len(marks) == 3
    assert events == ["created", "submitted"]
    await chat.say("/sanpham")
    assert chat.keys[0] == f"p:{pid}"
    await chat.press(f"p:{pid}")
    await chat.press("v:hist")
    assert chat.templates == ["products/history", "products/details"]


async def test_rerating_asks_current_stars_and_certificate(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    await chat.say("Nước mắm Cồn Cỏ")
    await chat.press("g:food")
    await chat.press("s:food09")
    await chat.press("k:rerating")
    assert chat.templates[-1] == "products/ask_stars"
    await chat.press("st:4")
    await chat.say("0123")  # digits are an answer here, not a menu pick
    assert chat.templates[-1] == "products/ask_desc"
    await chat.say("Nước mắm cá cơm ủ chượp 12 tháng")
    await chat.say("Cá cơm, muối")
    await chat.say("Biển Cồn Cỏ")
    await chat.press("ph:done")
    product = chat.last.replies[-1].context["product"]
    assert product["current_stars"] == 4 and product["current_certificate"] == "0123"


async def test_bad_answers_get_clear_replies_and_keep_the_draft(chat: Chat, db: Database) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    await chat.say("K" * 300)
    assert chat.templates == ["products/too_long", "products/progress", "products/ask_name"]
    assert chat.last.replies[0].context == {"limit": 200, "length": 300}
    await chat.say("Kẹo dừa")
    await chat.press("g:tourism")
    await chat.press("s:tour1")
    await chat.press("k:first")
    await chat.say("🙂")
    assert chat.templates[0] == "products/need_text"
    await chat.say("Homestay miệt vườn, chèo xuồng, ăn trái cây")
    await chat.say("Vườn cây ăn trái")
    await chat.say("Cù lao An Bình")
    await chat.photo("huge", size=15 * 1024 * 1024)
    assert chat.templates[0] == "products/file_too_big"
    await document(chat, "menu.pdf", "application/pdf")
    assert chat.templates[0] == "products/file_wrong_type"
    await document(chat, "clip.mp4", "video/mp4")
    assert chat.templates[0] == "products/file_wrong_type"
    await document(chat, "front.png", "image/png")
    assert chat.templates == ["products/photo_saved"]
    await chat.press("ph:done")
    summary = chat.last.replies[-1].context
    assert summary["total"] == 8  # tourism: no food safety, no samples, no label
    async with db.transaction() as store:
        items = [i.code for i in await store.catalog.dossier_items("tourism")]
    assert "samples" not in items and "food_safety" not in items


async def test_five_photos_at_most(chat: Chat) -> None:
    await chat.onboard()
    await register(chat, photos=0)
    await chat.press("sm:photos")
    for n in range(5):
        await chat.photo(f"p{n}")
    assert chat.templates == ["products/photo_saved", "products/summary"]
    assert chat.last.replies[-1].context["product"]["photos"] == 5


async def test_cancel_keeps_the_draft_and_the_menu_offers_to_continue(
    chat: Chat, db: Database
) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    await chat.say("Bánh tráng Mỹ Lồng")
    await chat.press("g:food")
    await chat.say("/huy")
    assert chat.templates == ["menu/cancelled", "menu/main"]
    assert chat.last.replies[-1].context["drafts"] == 1
    assert "1 bản nháp hồ sơ sản phẩm" in chat.text
    await chat.press("m:reg")
    assert chat.templates == ["products/resume"]
    draft_key = chat.keys[0]
    await chat.press(draft_key)
    assert chat.templates[-1] == "products/ask_set"  # name and group were kept
    await chat.press("s:food06")
    assert chat.templates[-1] == "products/ask_kind"


async def test_draft_survives_a_new_dispatcher_on_the_same_database(
    chat: Chat, db: Database, renderer: Renderer, clock: Clock
) -> None:
    """The minimum restart test: a fresh Dispatcher on the same file continues the step."""
    await chat.onboard()
    await chat.say("/dangky")
    await chat.say("Mật ong hoa nhãn")
    await chat.press("g:food")
    fresh = Dispatcher(db, chat.dispatcher._config, renderer, clock=clock, features=FEATURES)
    again = Chat(fresh, renderer, clock, channel=chat.channel, user=chat.user)
    again.last = chat.last
    await again.press("s:food04")
    assert again.templates[-1] == "products/ask_kind"


async def test_edit_a_field_from_the_summary(chat: Chat) -> None:
    await chat.onboard()
    await register(chat)
    await chat.press("sm:name")
    await chat.say("Kẹo dừa sáp")
    assert chat.templates[-1] == "products/summary"
    assert chat.last.replies[-1].context["product"]["name"] == "Kẹo dừa sáp"
    await chat.press("sm:group")
    await chat.press("g:drink")
    assert chat.templates[-1] == "products/ask_set"  # the old set belongs to another group
    await chat.press("s:drink4")
    assert chat.templates[-1] == "products/summary"
    await chat.press("sm:kind")
    await chat.press("k:upgrade")
    assert chat.keys[:2] == ["st:3", "st:4"]
    await chat.press("st:3")
    await chat.say("GCN-2024-01")
    assert chat.templates[-1] == "products/summary"
    assert chat.last.replies[-1].context["product"]["application"] == "upgrade"


async def test_data_export_lists_products_and_deletion_removes_them(
    chat: Chat, db: Database
) -> None:
    await chat.onboard()
    pid = await register(chat, name="Kẹo dừa <sáp>", photos=1)
    await chat.say("/xoadulieu")
    sections = chat.last.replies[0].context["sections"]
    assert ("products.section", [f"Mã hồ sơ {pid}: Kẹo dừa <sáp> — Bản nháp, 1 ảnh"]) in sections
    assert "Sản phẩm và hồ sơ OCOP" in chat.text
    await chat.press("d:del")
    await chat.press("d:yes")
    assert await _product(db, pid) is None


async def test_a_draft_in_my_products_is_finished_not_resubmitted(chat: Chat) -> None:
    await chat.onboard()
    await chat.say("/dangky")
    await chat.say("Bánh tráng Mỹ Lồng")
    await chat.say("/sanpham")
    await chat.press(chat.keys[0])
    assert chat.templates == ["products/details"]
    assert "Làm tiếp và gửi hồ sơ" in chat.text and "gửi lại" not in chat.text
    await chat.press("v:edit")  # continues with the first question not answered yet
    assert chat.templates == ["products/progress", "products/ask_group"]


async def test_optional_items_are_listed_but_never_missing(chat: Chat, db: Database) -> None:
    await chat.onboard()
    await register(chat, photos=0)
    await chat.press("sm:chk")
    assert "i:quality_certs" in chat.keys  # listed, to be marked if the producer has it
    checklist = chat.last.replies[-1].context
    names = [item["name"] for item in checklist["items"]]
    optional = next(n for n in names if "VietGAP" in n)
    assert optional not in checklist["missing"]
    assert checklist["total"] == len(names) - 1
