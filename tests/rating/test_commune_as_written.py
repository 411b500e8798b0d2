"""The commune as the producer wrote it, beside the official place it became: officers see it
where they review the producer's dossier in chat (the commune's check and the province's),
only when it names another place than the official one."""

from __future__ import annotations

from storage import Database
from tests.chat import Chat, ChatFor
from tests.products.steps import make_officer, register
from tests.rating.test_commune_step import _commune_officer

OLD_ADDRESS = "Xã Thông Hòa, Huyện Cầu Kè"  # Trà Vinh before the reform: Xã Tam Ngãi today


async def _written_before_the_reform(db: Database, chat: Chat) -> None:
    """The producer's commune typed as an old address, matched as at the next start."""
    async with db.transaction() as store:
        user = await store.users.find("telegram", chat.user)
        assert user is not None and user.producer_id is not None
        await store.places._db.execute(
            "UPDATE producers SET commune = ?, commune_code = NULL, commune_typed = NULL"
            " WHERE id = ?", (OLD_ADDRESS, user.producer_id))
        assert await store.places.place_producers(user.producer_id) == 1


async def test_officers_see_the_commune_as_written_when_it_became_another_place(
    chat_for: ChatFor, db: Database
) -> None:
    plain = chat_for("511")
    await plain.onboard("HTX Tân Phú")  # "Xã Tân Phú" as typed: nothing more to show
    lan = chat_for("512")
    await lan.onboard("HTX Tam Ngãi")
    await _written_before_the_reform(db, lan)
    xa = await _commune_officer(db, chat_for, "513", "xa tam ngai")
    tinh = chat_for("514")
    await make_officer(db, tinh, "VL")
    plain_pid = await register(plain, "Kẹo dừa Tân Phú")
    await plain.press("sm:ok")
    pid = await register(lan, "Cam sành Tam Ngãi")
    await lan.press("sm:ok")

    await xa.say("/hosoxa")
    [review_key] = [k for k in xa.keys if k.startswith("c:") and k[2:].isdigit()]
    await xa.press(review_key)
    assert f"xã Tam Ngãi (đã ghi là “{OLD_ADDRESS}”)" in xa.text
    await xa.press("c:assess")
    for answer in ("a:yes", "a:yes", "a:part", "a:yes"):
        await xa.press(answer)
    await xa.press("c:fwd")

    await tinh.say("/tiepnhan")
    await tinh.press(f"r:{pid}")
    assert f"Xã Tam Ngãi (đã ghi là “{OLD_ADDRESS}”)" in tinh.text
    await tinh.press("ra:back")
    await tinh.press(f"r:{plain_pid}")
    assert "Xã Tân Phú" in tinh.text and "đã ghi là" not in tinh.text
