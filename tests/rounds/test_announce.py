"""A new round or training is announced once to the producers it concerns, as promised."""

from __future__ import annotations

from pathlib import Path

from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from tests.chat import Chat, ChatFor, Clock
from tests.rounds import support


async def _producers(chat_for: ChatFor, db: Database) -> dict[str, Chat]:
    """Producers typing without diacritics: two of Vĩnh Long (one in another commune, one who
    turned announcements off), one of Hà Nội."""
    chats = {
        "101": await support.producer(chat_for, "101", "HTX Tan Phu"),
        "102": await support.producer(chat_for, "102", "HTX Long Ho"),
        "103": await support.producer(chat_for, "103", "HTX Ha Noi",
                                      province="ha noi"),
        "104": await support.producer(chat_for, "104", "HTX Im Lang"),
    }
    async with db.transaction() as store:
        quiet = await store.users.find("telegram", "104")
        assert quiet is not None
        await store.users.set_preferences(quiet.id, announcements_on=False)
    return chats


async def test_a_new_round_is_announced_once_to_its_province(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock, tmp_path: Path
) -> None:
    farmers = await _producers(chat_for, db)
    await farmers["101"].say("han chot")
    assert "sẽ báo khi có đợt mới" in farmers["101"].text  # the promise being kept

    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:rnd")
    await off.press("r:new")
    await off.say("Dot II nam 2026")
    await off.press("k:all")
    for typed in ("2/12", "15/12/2026", "31/12/2026", "15/1/2027 8h", "1/2/2027"):
        await off.say(typed)
    await off.press("n:skip")
    await off.press("c:ok")
    assert off.templates == ["rounds/created", "rounds/officer_detail"]
    assert "cho 2 chủ thể" in off.text

    rows = support.outbox(tmp_path / "ocop.db", "announce:round:")
    chats = sorted(row["chat_id"] for row in rows)
    assert chats == ["101", "102"]  # not Hà Nội, not the one who opted out
    assert all(row["kind"] == "announcement" for row in rows)
    text = rows[0]["payload"]["text"]
    assert "Dot II nam 2026" in text and "hạn chót" in text


async def test_a_new_training_is_announced_to_the_commune_it_is_for(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock, tmp_path: Path
) -> None:
    await _producers(chat_for, db)
    off = await support.officer(db, chat_for)
    await off.say("/canbo")
    await off.press("o:trn")
    await off.press("t:new")
    await off.say("Tap huan bao bi")
    await off.press("tp:packaging")
    for typed in ("8:30 sang 15/12", "11h30", "Hoi truong UBND xa", "40"):
        await off.say(typed)
    await off.press("a:commune")
    await off.say("Xa Tan Phu")
    await off.say("12/12")
    await off.press("c:ok")
    assert off.templates == ["trainings/published", "trainings/officer_detail"]
    rows = support.outbox(tmp_path / "ocop.db", "announce:training:")
    assert sorted(row["chat_id"] for row in rows) == ["101", "102"]
    assert all("Tap huan bao bi" in row["payload"]["text"] for row in rows)


async def test_an_admin_is_asked_the_rounds_province_not_a_producers(
    dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    admin = Chat(dispatcher, renderer, clock, channel="telegram", user="999")
    await admin.say("/canbo")
    await admin.press("o:rnd")
    await admin.press("r:new")
    assert admin.templates == ["profile/ask_item_province"]
    assert "Đợt đánh giá này dành cho" in admin.text and "Chủ thể ở" not in admin.text
    await admin.say("vinh long")
    assert admin.templates == ["rounds/ask_name"]
    await admin.say("/canbo")
    await admin.press("o:trn")
    await admin.press("t:new")
    assert "Lớp tập huấn này dành cho" in admin.text
