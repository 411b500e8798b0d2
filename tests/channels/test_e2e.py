"""Every flow end to end on both channels: the same steps, each channel's own way of answering.

The bot runs both channels on one database, each against its fake server over real HTTP:
Telegram with python-telegram-bot long-polling the fake Bot API (choices are buttons, pressed
as callback queries), Zalo long-polling the fake Zalo API (choices are numbered lines, picked
by typing the number). The drivers are in `tests/channel_drivers.py`.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.channels.telegram import TelegramChannel
from bot.channels.zalo import ZaloBot
from bot.channels.zalo_api import ZaloApi
from bot.config import Settings
from bot.core import open_core
from bot.outbox.sender import Sender
from bot.outbox.tasks import send_policy
from bot.outbox.telegram import TelegramTransport
from bot.outbox.zalo import ZaloTransport
from fakes.telegram import TOKEN as TELEGRAM_TOKEN
from fakes.telegram import FakeTelegram
from fakes.zalo import FakeZalo
from storage.models import Role
from storage.training_models import NewTraining
from tests.channel_drivers import Bot, Driver, driver_for, seen


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    """The bot with both channels long-polling their fake servers."""
    telegram, zalo = FakeTelegram(), FakeZalo(poll_cap=0.5)
    await telegram.start()
    await zalo.start()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        db_path=tmp_path / "ocop.db",
        telegram_bot_token=TELEGRAM_TOKEN,
        telegram_api_base_url=telegram.base_url,
        telegram_poll_timeout=1,
        zalo_bot_token=zalo.token,
        zalo_api_base_url=zalo.base_url,
    )
    async with open_core(settings) as core:
        channel = TelegramChannel(core)
        await channel.start()
        api = ZaloApi(zalo.token, zalo.base_url)
        zalo_bot = ZaloBot(core.dispatcher, core.renderer, api, poll_timeout=1, poll_gap=0.02)
        polling = asyncio.create_task(zalo_bot.run_polling())
        try:
            yield Bot(core=core, telegram=telegram, zalo=zalo, zalo_bot=zalo_bot)
        finally:
            polling.cancel()
            await asyncio.gather(polling, return_exceptions=True)
            await api.aclose()
            await channel.stop()
    await zalo.stop()
    await telegram.stop()
    assert telegram.rejected == [], [c.description for c in telegram.rejected]
    assert telegram.unanswered_callbacks() == []


# --- the scenarios: each is a list of steps any Driver can run ----------------------------


async def onboard(person: Driver, name: str = "HTX Tân Phú") -> None:
    """Onboarding with diacritics, choices picked the channel's way."""
    await person.say("/start")
    assert person.keys == ["l:vi", "l:en"]
    await person.pick("l:vi")
    await person.pick("c:yes")
    await person.say(name)
    await person.pick("e:cooperative")
    await person.say("Nguyễn Thị Lan")
    await person.say("0912 345 678")
    await person.say("Vĩnh Long")
    summary = await person.say("Xã Tân Phú")
    assert name in summary and "0912345678" in summary
    done = await person.pick("s:ok")
    assert seen("onboarding/done", name=name) in done


async def scenario_onboarding_with_diacritics(bot: Bot, person: Driver) -> None:
    await onboard(person)
    producer = await bot.producer(person)
    assert producer is not None
    assert (producer.name, producer.entity_type, producer.phone, producer.province_code) == (
        "HTX Tân Phú", "cooperative", "+84912345678", "VL"
    )


async def scenario_onboarding_typed_without_diacritics(bot: Bot, person: Driver) -> None:
    for typed in ("bat dau", "tieng viet", "dong y", "HTX Tan Phu", "hop tac xa",
                  "Nguyen Van Minh", "0912345678", "vinh long", "xa tan phu"):
        answer = await person.say(typed)
        assert answer, f"no answer to {typed!r}"
    done = await person.say("xac nhan")
    assert seen("onboarding/done", name="HTX Tan Phu") in done
    producer = await bot.producer(person)
    assert producer is not None and producer.entity_type == "cooperative"
    assert producer.contact_person == "Nguyen Van Minh" and producer.province_code == "VL"


async def scenario_profile_edit(bot: Bot, person: Driver) -> None:
    await onboard(person)
    shown = await person.say("/toi")
    assert "HTX Tân Phú" in shown and "f:p" in person.keys
    await person.pick("f:p")
    saved = await person.say("0987 654 321")
    assert seen("profile/saved") in saved and "0987654321" in saved
    await person.pick("f:n")
    await person.pick("f:keep")  # keeping the name changes nothing
    producer = await bot.producer(person)
    assert producer is not None
    assert (producer.phone, producer.name) == ("+84987654321", "HTX Tân Phú")
    assert seen("menu/main", producer_name="HTX Tân Phú", officer=False) in await person.pick(
        "f:back"
    )


async def scenario_settings(bot: Bot, person: Driver) -> None:
    await person.say("/caidat")
    await person.pick("p:rem")
    await person.pick("p:ann")
    await person.pick("p:lang")
    answer = await person.pick("l:en")
    assert seen("preferences/saved", "en") in answer
    user = await bot.user(person.channel, person.external_id)
    assert user is not None
    assert (user.reminders_on, user.announcements_on, user.locale) == (False, False, "en")


async def scenario_data_deletion(bot: Bot, person: Driver) -> None:
    await onboard(person)
    shown = await person.say("/xoadulieu")
    assert "HTX Tân Phú" in shown and person.keys == ["d:del", "d:keep"]
    await person.pick("d:del")
    done = await person.pick("d:yes")
    assert seen("deletion/done") in done
    assert await bot.producer(person) is None
    user = await bot.user(person.channel, person.external_id)
    assert user is not None and user.consent_at is None


async def scenario_bad_input(bot: Bot, person: Driver) -> None:
    await person.say("/start")
    assert seen("errors/number_not_offered", number=9, count=2) in await person.say("9")
    assert seen("errors/pick_a_choice") in await person.sticker()
    await person.pick("l:vi")
    await person.pick("c:yes")
    assert seen("profile/need_letters") in await person.say("!!!")
    await person.say("HTX Tân Phú")
    await person.pick("e:household")
    await person.say("Lan")
    assert seen("profile/invalid_phone", typed="12345") in await person.say("12345")
    assert seen("errors/text_expected") in await person.photo("not-a-phone")
    cancelled = await person.say("huỷ")
    assert seen("menu/cancelled") in cancelled
    resumed = await person.say("/start")  # the draft was kept
    assert seen("onboarding/welcome_back", resumed=True) in resumed
    assert await bot.producer(person) is None
    assert seen("onboarding/done", name="HTX Tân Phú") not in resumed


async def register_product(person: Driver) -> str:
    """Register a product by chat, with two photos; the summary as shown."""
    await person.say("/dangky")
    if "r:new" in person.keys:
        await person.pick("r:new")
    await person.say("Kẹo dừa Tân Phú")
    await person.pick("g:food")
    await person.pick("s:food07")
    await person.pick("k:first")
    await person.say("Kẹo dừa làm thủ công theo cách truyền thống, không chất bảo quản.")
    await person.say("Dừa khô, đường mía")
    await person.say("Vườn nhà và các hộ trong xã Tân Phú")
    await person.photo("keo-dua-1")
    await person.photo("keo-dua-2")
    return await person.pick("ph:done")


async def scenario_product_with_photos(bot: Bot, person: Driver) -> None:
    await onboard(person)
    assert "Kẹo dừa Tân Phú" in await register_product(person)
    producer = await bot.producer(person)
    assert producer is not None
    async with bot.core.db.transaction() as store:
        products = await store.products.of_producer(producer.id)
        assert [p.name for p in products] == ["Kẹo dừa Tân Phú"]
        photos = await store.products.photos(products[0].id)
    assert len(photos) == 2 and {p.channel for p in photos} == {person.channel}
    if person.channel == "zalo":
        assert photos[0].file_id.startswith("https://photo.zalo.test/")


async def scenario_dossier_item_by_photo(bot: Bot, person: Driver) -> None:
    await onboard(person)
    await register_product(person)
    await person.pick("sm:chk")
    item = next(key for key in person.keys if key.startswith("i:") and key != "i:back")
    await person.pick(item)
    marked = await person.photo("giay-chung-nhan")
    assert person.keys and "i:back" in person.keys  # back on the checklist
    producer = await bot.producer(person)
    assert producer is not None and marked
    async with bot.core.db.transaction() as store:
        (product,) = await store.products.of_producer(producer.id)
        marks = await store.products.marks(product.id)
    assert marks[item[2:]].how == "file" and marks[item[2:]].channel == person.channel


async def scenario_training_enrolment(bot: Bot, person: Driver) -> None:
    now = datetime.now(UTC)
    async with bot.core.db.transaction() as store:
        training_id = await store.trainings.create(
            NewTraining(
                title="Tập huấn hồ sơ OCOP", topic_code="dossier", province_code="VL",
                starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=3),
                place="Hội trường xã Tân Phú", capacity=30,
                registration_deadline=now + timedelta(days=7),
            ),
            "test", now,
        )
    await onboard(person)
    listed = await person.say("/taphuan")
    assert "Tập huấn hồ sơ OCOP" in listed
    await person.pick(f"t:{training_id}")
    enrolled = await person.pick("en")
    assert "Tập huấn hồ sơ OCOP" in enrolled
    user = await bot.user(person.channel, person.external_id)
    assert user is not None
    async with bot.core.db.transaction() as store:
        enrolment = await store.trainings.enrolment_of(training_id, user.id)
    assert enrolment is not None and enrolment.status == "enrolled"
    if person.channel == "telegram":  # the calendar file
        assert bot.telegram.calls("sendDocument")
    else:  # Zalo cannot send files: none is promised, nor apologised for
        assert "Tệp đính kèm" not in enrolled
        assert seen("zalo/document_unavailable", filename="x").split("x")[0] not in enrolled


async def scenario_menu_items_open(bot: Bot, person: Driver) -> None:
    await onboard(person)
    for key in ("m:prod", "m:dl", "m:tr", "m:ann", "m:help"):
        await person.say("0")  # back to the menu, on either channel
        answer = await person.pick(key)
        assert answer and seen("errors/generic") not in answer, key


async def scenario_officer_broadcast(bot: Bot, person: Driver) -> None:
    """An officer on this channel announces; producers on both channels receive it."""
    producers = [driver_for(bot, "telegram", 2), driver_for(bot, "zalo", 3)]
    for producer in producers:
        await onboard(producer)
    await person.say("/menu")
    user = await bot.user(person.channel, person.external_id)
    assert user is not None
    async with bot.core.db.transaction() as store:
        await store.users.grant(user.id, Role.OFFICER, "VL", "test", datetime.now(UTC))
    await person.say("/broadcast")
    await person.say("Hội chợ OCOP Vĩnh Long mở cửa ngày 20/12 tại quảng trường tỉnh.")
    await person.pick("a:ok")
    await person.pick("c:now")
    queued = await person.pick("c:go")
    assert queued and "c:go" not in person.keys
    daytime = datetime.now(UTC).replace(hour=3, minute=0) + timedelta(days=1)  # 10:00 in VN
    for channel, transport in (
        ("telegram", TelegramTransport(TELEGRAM_TOKEN, bot.telegram.base_url)),
        ("zalo", ZaloTransport.from_token(bot.zalo.token, bot.zalo.base_url)),
    ):
        await transport.start()
        policy = send_policy(bot.core.settings, rate=50, chat_interval=0)
        sender = Sender(bot.core.db, transport, bot.core.renderer, policy, clock=lambda: daytime)
        try:
            assert await sender.drain_once() >= 1, channel
        finally:
            await transport.stop()
    telegram_texts = [str(c.params.get("text")) for c in bot.telegram.sent_to(702)]
    assert any("Hội chợ OCOP Vĩnh Long" in text for text in telegram_texts)
    assert any("Hội chợ OCOP Vĩnh Long" in text for text in bot.zalo.texts("zalo-user-3"))


async def scenario_officer_review(bot: Bot, person: Driver) -> None:
    """A producer on this channel submits; the officer on this channel accepts; both see it."""
    producer = driver_for(bot, person.channel, 4)
    await onboard(producer)
    await register_product(producer)
    await producer.pick("sm:ok")
    await person.say("/menu")
    user = await bot.user(person.channel, person.external_id)
    assert user is not None
    async with bot.core.db.transaction() as store:
        await store.users.grant(user.id, Role.OFFICER, "VL", "test", datetime.now(UTC))
    await person.say("/canbo")
    assert await person.pick("o:rev")
    item = next(key for key in person.keys if key.startswith("r:"))
    await person.pick(item)
    if person.channel == "zalo":  # the producer's photos are URLs Zalo can show
        assert len(bot.zalo.calls("sendPhoto")) == 2
    else:
        assert len(bot.telegram.calls("sendPhoto")) == 2
    accepted = await person.pick("ra:ok")
    assert "Kẹo dừa Tân Phú" in accepted
    owner = await bot.producer(producer)
    assert owner is not None
    async with bot.core.db.transaction() as store:
        (product,) = await store.products.of_producer(owner.id)
    assert product.status.value == "accepted"


Scenario = Callable[[Bot, Driver], Awaitable[None]]
SCENARIOS: dict[str, Scenario] = {
    "onboarding_with_diacritics": scenario_onboarding_with_diacritics,
    "onboarding_typed_without_diacritics": scenario_onboarding_typed_without_diacritics,
    "profile_edit": scenario_profile_edit,
    "settings": scenario_settings,
    "data_deletion": scenario_data_deletion,
    "bad_input": scenario_bad_input,
    "product_with_photos": scenario_product_with_photos,
    "dossier_item_by_photo": scenario_dossier_item_by_photo,
    "training_enrolment": scenario_training_enrolment,
    "menu_items_open": scenario_menu_items_open,
    "officer_broadcast": scenario_officer_broadcast,
    "officer_review": scenario_officer_review,
}


@pytest.mark.parametrize("channel", ["telegram", "zalo"])
@pytest.mark.parametrize("scenario", list(SCENARIOS))
async def test_scenario_on_channel(bot: Bot, channel: str, scenario: str) -> None:
    await SCENARIOS[scenario](bot, driver_for(bot, channel))


@pytest.mark.parametrize(("shows", "types"), [("telegram", "zalo"), ("zalo", "telegram")])
async def test_linking_across_channels(bot: Bot, shows: str, types: str) -> None:
    owner, other = driver_for(bot, shows, 1), driver_for(bot, types, 2)
    await onboard(owner)
    await owner.say("/toi")
    await owner.pick("f:link")
    shown = await owner.pick("k:show")
    found = re.search(r"\b\d{4} \d{4} \d{4}\b", shown)  # shown in groups of four
    assert found is not None, shown
    code = found.group(0)
    await other.say("/lienket")
    await other.pick("k:enter")
    confirm = await other.say(code)
    assert "HTX Tân Phú" in confirm
    await other.pick("k:yes")
    assert other.keys[0].startswith("n:")
    target = await bot.user(other.channel, other.external_id)
    assert target is not None
    saved = await other.pick(f"n:{target.id}")
    assert seen("linking/notify_saved", channel=other.channel) in saved
    mine, theirs = await bot.producer(owner), await bot.producer(other)
    assert mine is not None and theirs is not None and mine.id == theirs.id
    assert code in shown
