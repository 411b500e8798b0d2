"""A product registered over Telegram (the real bot process and the fake Bot API), with a
kill -9 in the middle: the draft survives, the update typed meanwhile is handled on restart."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

from storage import open_database
from storage.product_models import Product
from tests import test_process
from tests.fake_telegram import FakeTelegram
from tests.test_process import WAIT, Bots, User

fake = test_process.fake  # the fixtures of the onboarding process test, shared
bots = test_process.bots


def _products(db_path: Path, external_id: str) -> tuple[str, list[Product]]:
    async def read() -> tuple[str, list[Product]]:
        async with open_database(db_path) as db, db.transaction() as store:
            user = await store.users.find("telegram", external_id)
            assert user is not None and user.producer_id is not None
            state = await store.conversations.state_of(user.id)
            return state.step, await store.products.of_producer(user.producer_id)

    return asyncio.run(read())


def _onboard(lan: User) -> None:
    lan.say("/start")
    lan.press("l:vi")
    lan.press("c:yes")
    lan.say("HTX Tân Phú")
    lan.press("e:cooperative")
    lan.say("Nguyễn Thị Lan")
    lan.say("0912 345 678")
    lan.say("vinh long")
    lan.say("Xã Tân Phú")
    lan.press("s:ok")


def test_register_over_telegram_with_kill_9_photos_and_checklist(
    fake: FakeTelegram, bots: Bots
) -> None:
    first = bots.start()
    lan = User(fake, 701)
    _onboard(lan)
    lan.say("/dangky")
    lan.say("Kẹo dừa Tân Phú")
    lan.press("g:food")
    assert "s:food07" in lan.keys, bots.log()

    first.send_signal(signal.SIGKILL)
    assert first.wait(10) == -signal.SIGKILL
    step, products = _products(bots.db_path, "701")
    assert step == "products.set"
    assert [(p.name, p.group_code, p.status.value) for p in products] == [
        ("Kẹo dừa Tân Phú", "food", "draft")
    ]

    data, message_id = lan.button("s:food07")
    pressed_while_down = fake.push_callback(701, data, message_id)
    mark = len(fake.sent_to(701))
    bots.start()
    fake.wait_for_sync(lambda: fake.confirmed_offset > pressed_while_down, timeout=WAIT)
    lan.last = fake.sent_to(701)[mark:]
    assert "k:first" in lan.keys, bots.log()  # the set was taken, the kind is asked

    lan.press("k:first")
    lan.say("Kẹo dừa làm thủ công, không chất bảo quản")
    lan.say("Dừa khô, đường mía")
    lan.say("Vườn nhà, xã Tân Phú")
    lan.send(lambda: fake.push_photo(701, "front", file_size=300_000))
    assert "1/5" in lan.text
    lan.send(lambda: fake.push_photo(701, "huge", file_size=15 * 1024 * 1024))
    assert "10 MB" in lan.text
    lan.send(lambda: fake.push_document(701, "menu", "menu.pdf"))
    assert "JPG" in lan.text
    lan.send(lambda: fake.push_document(701, "back", "back.png", mime_type="image/png"))
    assert "2/5" in lan.text
    lan.press("ph:done")
    assert "Gửi hồ sơ" in str(lan.last[-1].params.get("reply_markup")), lan.text
    lan.press("sm:chk")
    lan.press("i:reg_form")
    lan.send(lambda: fake.push_document(701, "form", "phieu-dang-ky.pdf"))
    assert "1/14" in lan.text
    lan.press("i:samples")
    lan.press("m:paper")
    assert "2/14" in lan.text
    lan.press("i:back")
    lan.press("sm:ok")
    assert "Đã gửi hồ sơ" in lan.text

    bots.kill_all()
    step, products = _products(bots.db_path, "701")
    assert [(p.set_code, p.status.value) for p in products] == [("food07", "submitted")]
    assert fake.rejected == [] and fake.unanswered_callbacks() == []
