"""Only the owner sees a product; only officers of its province (or admins) act on it."""

from __future__ import annotations

from storage import Database
from storage.models import ConversationState, OfferedChoice
from storage.product_models import ProductStatus
from tests.chat import Chat, ChatFor
from tests.products.steps import make_officer, register


async def _forge(db: Database, chat: Chat, step: str, keys: list[str], **data: object) -> int:
    """Put a user's conversation where a forged menu offered these keys; the menu version."""
    async with db.transaction() as store:
        user = await store.users.find(chat.channel, chat.user)
        assert user is not None
        state = await store.conversations.state_of(user.id)
        forged = ConversationState(
            step=step,
            data=data,
            offered=[OfferedChoice(key=k) for k in keys],
            menu_version=state.menu_version + 1,
        )
        await store.conversations.save_state(user.id, forged, chat.clock())
    return forged.menu_version


async def test_a_producer_cannot_open_another_producers_product(
    chat_for: ChatFor, db: Database
) -> None:
    alice = chat_for("11")
    bob = chat_for("12")
    await alice.onboard()
    pid = await register(alice)
    await bob.onboard(name="HTX Bình An")
    await bob.say("/sanpham")
    await bob.say(f"/sanpham {pid}")  # a command with an id opens Bob's own list only
    assert bob.templates == ["products/none"]
    await bob.press(f"p:{pid}")  # forged callback data: not on Bob's menu
    assert bob.templates[0] == "errors/stale_menu"
    version = await _forge(db, bob, "products.mine", [f"p:{pid}"])
    await bob.press(f"p:{pid}", version=version)  # even if a menu had offered it
    assert bob.templates[0] == "products/not_found"
    for step, key in (
        ("products.summary", "sm:ok"),
        ("products.view", "v:hist"),
        ("dossier.checklist", "i:reg_form"),
        ("products.photos", "ph:clear"),
    ):
        version = await _forge(db, bob, step, [key], pid=pid)
        await bob.press(key, version=version)
        assert bob.templates[0] == "products/not_found", step
    async with db.transaction() as store:
        product = await store.products.get(pid)
        assert product is not None and product.status is ProductStatus.DRAFT
        assert len(await store.products.photos(pid)) == 2


async def test_officer_actions_are_refused_to_producers_and_other_provinces(
    chat_for: ChatFor, db: Database
) -> None:
    alice = chat_for("21")
    other = chat_for("22")
    await alice.onboard()
    pid = await register(alice)
    await alice.press("sm:ok")
    for command in ("/duyet", "/ketqua"):
        await alice.say(command)
        assert alice.templates == ["errors/forbidden", "menu/main"], command
    await alice.press("ra:ok")
    assert alice.templates[0] == "errors/stale_menu"
    version = await _forge(alice_db := db, alice, "review.open", ["ra:ok"], pid=pid)
    await alice.press("ra:ok", version=version)
    assert alice.templates[0] == "errors/forbidden"

    await make_officer(alice_db, other, "CT")  # an officer of Cần Thơ
    await other.say("/duyet")
    assert f"r:{pid}" not in other.keys
    version = await _forge(db, other, "review.queue", [f"r:{pid}"])
    await other.press(f"r:{pid}", version=version)
    assert other.templates[0] == "review/not_available"
    version = await _forge(db, other, "review.open", ["ra:ok"], pid=pid)
    await other.press("ra:ok", version=version)
    assert other.templates[0] == "review/not_available"
    version = await _forge(db, other, "results.confirm", ["x:ok"], pid=pid, score=95)
    await other.press("x:ok", version=version)
    assert other.templates[0] == "review/not_available"
    async with db.transaction() as store:
        product = await store.products.get(pid)
        denied = await store.audit.entries("denied")
    assert product is not None and product.status is ProductStatus.SUBMITTED
    assert len(denied) >= 5
