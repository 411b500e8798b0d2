"""Entity types and provinces typed the way producers' names and lists write them."""

from __future__ import annotations

import pytest

from storage import Database
from tests.chat import Chat


async def _typed(chat: Chat, db: Database, entity: str, province: str) -> tuple[str, str]:
    await chat.say("/start")
    await chat.press("l:vi")
    await chat.press("c:yes")
    await chat.say("Cơ sở Hai Lúa")
    await chat.say(entity)
    await chat.say("Nguyễn Văn Hai")
    await chat.say("0987654321")
    await chat.say(province)
    await chat.say("Xã Tân Phú")
    assert chat.templates == ["onboarding/summary"], chat.text
    await chat.press("s:ok")
    async with db.reading() as store:
        user = await store.users.find(chat.channel, chat.user)
        assert user is not None and user.producer_id is not None
        producer = await store.users.producer(user.producer_id)
    assert producer is not None
    return producer.entity_type, producer.province_code


@pytest.mark.parametrize(("entity", "code"), [
    ("Công ty TNHH", "enterprise"), ("Công ty TNHH MTV", "enterprise"),
    ("Công ty cổ phần", "enterprise"), ("CTCP", "enterprise"), ("HTXNN", "cooperative"),
    ("Hợp tác xã nông nghiệp", "cooperative"), ("Hộ SXKD", "household"),
    ("Cơ sở", "household"), ("Hộ sản xuất, kinh doanh", "household"),
])
async def test_entity_types_as_written_in_names(
    chat: Chat, db: Database, entity: str, code: str
) -> None:
    assert await _typed(chat, db, entity, "Vĩnh Long") == (code, "VL")


@pytest.mark.parametrize("province", [
    "Tỉnh Trà Vinh", "TP Cần Thơ", "TP. Cần Thơ", "Thành phố Cần Thơ", "tp.can tho",
])
async def test_provinces_with_their_prefix(chat: Chat, db: Database, province: str) -> None:
    expected = "VL" if "Trà Vinh" in province else "CT"
    assert (await _typed(chat, db, "HTX", province))[1] == expected
