"""Officers' words typed in chat: never told to register as a producer; "tiếp nhận" accepts."""

from __future__ import annotations

from storage import Database
from storage.product_models import ProductStatus
from tests.chat import ChatFor
from tests.products.steps import make_officer, register
from tests.rounds import support


async def test_an_officer_typing_tap_huan_on_the_rounds_screen_gets_the_officers_trainings(
    chat_for: ChatFor, db: Database
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:rnd")
    assert off.templates[-1].startswith("rounds/"), off.templates
    for typed in ("tap huan", "lịch tập huấn", "/taphuan"):
        await off.say(typed)
        assert "errors/profile_needed" not in off.templates, (typed, off.templates)
        assert "Bắt đầu đăng ký" not in off.text and "/start" not in off.text, off.text
        assert off.templates[-1].startswith("trainings/"), (typed, off.templates)


async def test_an_officer_asking_for_a_producers_screen_is_sent_to_the_officers_section(
    chat_for: ChatFor, db: Database
) -> None:
    off = await support.officer(db, chat_for)
    await off.say("/menu")
    assert off.keys[0] == "m:off" and "m:start" not in off.keys  # no "Bắt đầu đăng ký"
    for typed in ("/sanpham", "dang ky san pham", "/dangky"):
        await off.say(typed)
        assert off.templates[0] == "errors/producers_only", (typed, off.templates)
        assert "đăng ký thông tin chủ thể" not in off.text and "/start" not in off.text
        assert "m:start" not in off.keys


async def test_tiep_nhan_on_a_dossier_accepts_it(chat_for: ChatFor, db: Database) -> None:
    producer = chat_for("501")
    officer = chat_for("601")
    await producer.onboard()
    pid = await register(producer)
    await producer.press("sm:ok")
    await make_officer(db, officer, "VL")
    await officer.say("/duyet")
    await officer.press(f"r:{pid}")
    assert officer.templates[-1] == "review/open"
    await officer.say("tiep nhan")
    assert officer.templates == ["review/accepted", "review/queue"], officer.templates
    async with db.transaction() as store:
        product = await store.products.get(pid)
    assert product is not None and product.status is ProductStatus.ACCEPTED
