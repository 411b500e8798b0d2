"""The target prompt in December asks about the year ahead; the year and the number are typed
as officers type them ("năm 2027", "30 sản phẩm")."""

from __future__ import annotations

from handlers.engine.dispatcher import Dispatcher
from messages import Renderer
from storage import Database
from tests.chat import ChatFor, Clock
from tests.figures.fixture import fill
from tests.rounds.support import officer


async def test_december_asks_for_next_years_target_and_takes_a_number_with_its_unit(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    async with db.transaction() as store:
        await fill(store)
    off = await officer(db, chat_for, province="HP")
    await off.say("/thongke")
    await off.press("f:target")
    assert "Chỉ tiêu năm 2027" in off.text and "năm 2026" in off.text
    await off.say("30 sản phẩm")
    assert off.templates == ["figures/target_saved", "figures/screen"], off.templates
    await off.press("f:target")
    await off.say("nam 2026")
    assert "Chỉ tiêu năm 2026" in off.text
    await off.say("nam 2027")  # and back to the year ahead
    assert "Chỉ tiêu năm 2027" in off.text
    await off.say("25 sp")
    async with db.transaction() as store:
        ahead = await store.targets.of_province("HP", 2027)
        this = await store.targets.of_province("HP", 2026)
    assert [t.products for t in ahead] == [25] and this == []


async def test_outside_december_the_target_is_this_years(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    async with db.transaction() as store:
        await fill(store)
    clock.advance(days=45)  # 15/01/2027
    off = await officer(db, chat_for, province="HP")
    await off.say("/thongke")
    await off.press("f:target")
    assert "Chỉ tiêu năm 2027" in off.text and "năm 2028" in off.text
