"""A product registered over Telegram (the real bot process and the fake Bot API), with a
kill -9 in the middle: the draft survives, the update typed meanwhile is handled on restart."""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fakes.telegram import FakeTelegram
from storage import open_database
from storage.models import Role
from storage.product_models import Product
from tests.process import test_process
from tests.process.test_process import WAIT, Bots, User

pytestmark = pytest.mark.slow  # real bot processes: `make test-fast` skips them

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
    assert "1/13" in lan.text
    lan.press("i:samples")
    lan.press("m:paper")
    assert "2/13" in lan.text
    lan.press("i:back")
    lan.press("sm:ok")
    assert "Đã gửi hồ sơ" in lan.text

    bots.kill_all()
    step, products = _products(bots.db_path, "701")
    assert [(p.set_code, p.status.value) for p in products] == [("food07", "submitted")]
    assert fake.rejected == [] and fake.unanswered_callbacks() == []


def _grant_officer(db_path: Path, external_id: str) -> None:
    async def grant() -> None:
        async with open_database(db_path) as db, db.transaction() as store:
            user = await store.users.find("telegram", external_id)
            assert user is not None
            await store.users.grant(user.id, Role.OFFICER, "VL", "test", datetime.now(UTC))

    asyncio.run(grant())


def _outbox_rows(db_path: Path) -> list[tuple[str, str]]:
    async def read() -> list[tuple[str, str]]:
        async with open_database(db_path) as db, db.transaction() as store:
            query = "SELECT dedupe_key, status FROM outbox ORDER BY id"
            cur = await store.outbox._db.execute(query)
            rows = [(row[0], row[1]) for row in await cur.fetchall()]
            await cur.close()
            return rows

    return asyncio.run(read())


def test_officer_over_telegram_and_the_certification_notice_arrives_once(
    fake: FakeTelegram, bots: Bots
) -> None:
    bots.start()
    lan, officer = User(fake, 711), User(fake, 712)
    _onboard(lan)
    lan.say("/dangky")
    lan.say("Mật ong hoa nhãn")
    lan.press("g:food")
    lan.press("s:food04")
    lan.press("k:first")
    lan.say("Mật ong nuôi trong vườn nhãn")
    lan.say("Mật ong")
    lan.say("Cù lao An Bình")
    lan.send(lambda: fake.push_photo(711, "jar", file_size=200_000))
    lan.press("ph:done")
    lan.press("sm:ok")
    assert "Đã gửi hồ sơ" in lan.text, bots.log()

    officer.say("/start")
    _grant_officer(bots.db_path, "712")
    officer.say("/duyet")
    product_key = next(k for k in officer.keys if k.startswith("r:"))
    officer.press(product_key)
    assert any(c.method == "sendPhoto" and c.params["photo"] == "jar" for c in officer.last)
    officer.press("ra:ok")
    officer.press("rq:res")
    officer.press("x:" + product_key[2:])
    officer.say("93")
    officer.press("x:prov")  # the province's decision: 4★, potential 5★
    officer.say("88/QĐ-UBND")
    officer.say(datetime.now(UTC).strftime("%d/%m/%Y"))
    officer.say("OCOP-VL-93")
    officer.press("x:ok")
    assert "Đã ghi kết quả" in officer.text, bots.log()

    def congratulated() -> list[object]:
        return [c for c in fake.sent_to(711) if "Chúc mừng" in str(c.params.get("text", ""))]

    fake.wait_for_sync(lambda: congratulated(), timeout=WAIT)
    fake.wait_for_sync(lambda: ("cert:1", "sent") in _outbox_rows(bots.db_path), timeout=WAIT)
    assert len(congratulated()) == 1 and "OCOP-VL-93" in str(congratulated()[0])
    assert "tiềm năng 5 sao" in str(congratulated()[0])
    assert fake.rejected == [] and fake.unanswered_callbacks() == []
