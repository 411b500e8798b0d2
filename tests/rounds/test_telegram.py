"""Rounds and trainings for both roles through the real PTB stack and the fake Bot API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.channels.telegram import TelegramChannel
from bot.core import Core
from fakes.telegram import FakeTelegram
from storage.models import Role
from storage.product_models import ProductStatus
from storage.round_models import NewRound
from tests.channels.test_telegram_e2e import TgUser, assert_clean, channel, core, fake
from tests.rounds import support

__all__ = ["channel", "core", "fake"]  # fixtures used by the tests below


async def _onboard(user: TgUser) -> None:
    await user.say("/start")
    await user.press("l:vi")
    await user.press("c:yes")
    for text in ("HTX Tân Phú", None, "Nguyễn Thị Lan", "0912 345 678", "Vĩnh Long",
                 "Xã Tân Phú"):
        if text is None:
            await user.press("e:cooperative")
        else:
            await user.say(text)
    await user.press("s:ok")


async def _officer(core: Core, user: TgUser) -> None:
    await user.say("/menu")
    async with core.db.transaction() as store:
        found = await store.users.find("telegram", str(user.id))
        assert found is not None
        await store.users.grant(found.id, Role.OFFICER, "VL", "test", datetime.now(UTC))


async def test_officer_publishes_and_producer_enrols_over_telegram(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    officer, farmer = TgUser(fake, 601), TgUser(fake, 602)
    await _officer(core, officer)
    await _onboard(farmer)

    await officer.say("/canbo")
    await officer.press("o:trn")
    await officer.press("t:new")
    await officer.say("Viết câu chuyện sản phẩm")
    await officer.press("tp:story")
    await officer.say("8h30 15/12/2030")
    await officer.say("11h30")
    await officer.say("Hội trường UBND xã Tân Phú")
    await officer.say("1")
    await officer.press("a:province")
    await officer.say("12/12/2030")
    assert "08:30 15/12/2030" in officer.texts[0]
    await officer.press("c:ok")
    assert "Viết câu chuyện sản phẩm" in officer.texts[0]

    await farmer.say("tập huấn")
    training_key = next(k for k in farmer.keys if k.startswith("t:") and k[2:].isdigit())
    await farmer.press(training_key)
    await farmer.press("en")
    documents = [c for c in farmer.last if c.method == "sendDocument"]
    assert documents and documents[0].params["document"]["filename"].endswith(".ics")
    assert "Đã đăng ký" in farmer.texts[0]

    await officer.press("d:list")
    sheet = [c for c in officer.last if c.method == "sendDocument"]
    assert sheet and sheet[0].params["document"]["filename"].endswith(".xlsx")
    assert_clean(fake)


async def test_officer_creates_a_round_and_producer_enters_over_telegram(
    fake: FakeTelegram, channel: TelegramChannel, core: Core
) -> None:
    officer, farmer = TgUser(fake, 611), TgUser(fake, 612)
    await _officer(core, officer)
    await _onboard(farmer)
    await officer.say("/canbo")
    await officer.press("o:rnd")
    await officer.press("r:new")
    await officer.say("Đợt I năm 2030")
    await officer.press("k:all")
    await officer.say("hôm qua")
    assert "15/12/2026" in officer.texts[0]  # asked again, with an example
    for typed in ("1/3/2030", "31/3/2030", "30/4/2030", "15/5/2030", "1/6/2030"):
        await officer.say(typed)
    await officer.press("n:skip")
    assert "31/03/2030" in officer.texts[0]
    await officer.press("c:ok")
    async with core.db.transaction() as store:
        user = await store.users.find("telegram", "612")
        assert user is not None and user.producer_id is not None
        [rnd] = await store.rounds.managed("VL", datetime.now(UTC))
        owner = user.producer_id
    await support.product(core.db, owner, "Mật ong rừng", datetime.now(UTC),
                          status=ProductStatus.SUBMITTED)
    await farmer.say("/hanchot")
    assert "Đợt I năm 2030" in farmer.texts[0] and "31/03/2030" in farmer.texts[0]
    assert f"e:{rnd.id}" not in farmer.keys  # registration opens on 01/03/2030

    now = datetime.now(UTC)  # the bot runs on the real clock: a round open right now
    async with core.db.transaction() as store:
        open_id = await store.rounds.create(NewRound(
            name="Đợt bổ sung", province_code="VL",
            registration_opens_at=now - timedelta(days=1),
            registration_deadline=now + timedelta(days=5),
            dossier_deadline=now + timedelta(days=9),
            council_at=now + timedelta(days=20), results_at=now + timedelta(days=30)), "test", now)
    await farmer.say("/hanchot")
    assert "còn 5 ngày" in farmer.texts[0] or "còn 4 ngày" in farmer.texts[0]
    await farmer.press(f"e:{open_id}")
    product_key = next(k for k in farmer.keys if k.startswith("p:") and k != "p:back")
    await farmer.press(product_key)
    assert "Mật ong rừng" in farmer.texts[0] and "Đợt bổ sung" in farmer.texts[0]
    async with core.db.transaction() as store:
        assert [e.product_name for e in await store.rounds.entries(open_id)] == ["Mật ong rừng"]
    assert_clean(fake)
