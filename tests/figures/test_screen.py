"""`/thongke` end to end through the dispatcher: figures, drill-down, targets, scope, audit."""

from __future__ import annotations

from handlers.engine.dispatcher import Dispatcher
from handlers.engine.events import Reply
from messages import Renderer
from storage import Database
from storage.figure_models import Scope
from storage.models import Role
from tests.chat import Chat, ChatFor, Clock
from tests.figures.fixture import NOW, TODAY, fill
from tests.rounds.support import officer


def _screen(chat: Chat) -> Reply:
    return next(r for r in chat.last.replies if r.template == "figures/screen")


async def test_officer_sees_the_province_figures_and_a_chart_from_the_same_queries(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    async with db.transaction() as store:
        await fill(store)
        await store.targets.set("HP", 2026, 5, by="cli", now=NOW)
    off = await officer(db, chat_for, province="HP")
    await off.say("/thongke")
    assert off.templates == ["figures/screen"]
    text = off.text
    assert "Thống kê OCOP — Hải Phòng" in text
    assert "Sản phẩm OCOP còn hiệu lực: 4 (3★ 1 · 4★ 2 · 5★ 1)" in text
    assert "Mới được công nhận năm 2026: 2 / chỉ tiêu 5 — còn thiếu 3" in text
    assert ("Sắp hết hạn (trong 90 ngày tới): 2 giấy chứng nhận"
            " (1 chủ thể đang dùng Trợ lý OCOP)") in text
    assert "Chủ thể: 3 — đã dùng Trợ lý OCOP 2, chưa 1; hoạt động 30 ngày qua 1" in text
    assert "Đợt đánh giá đang mở: 1 (1 sản phẩm đăng ký)" in text
    assert "Tập huấn năm 2026: 2 lớp, 3 đăng ký, 1 chờ, 2 đã học" in text
    assert "Đã gửi, chờ tiếp nhận 1" in text
    chart = _screen(off).chart
    assert chart is not None
    async with db.transaction() as store:
        years = await store.figures.by_year(Scope(province="HP"), [2023, 2024, 2025, 2026])
        groups = await store.figures.breakdown(Scope(province="HP"), 2026, TODAY, "group")
        views = await store.audit.entries("figures_viewed")
    assert chart.years == ("2023", "2024", "2025", "2026")
    assert [s.values for s in chart.stacks] == [
        tuple(float(y.new.three) for y in years), tuple(float(y.new.four) for y in years),
        tuple(float(y.new.five) for y in years)]
    assert chart.target is not None and chart.target.values == (None, None, None, 5.0)
    assert chart.bars == tuple(zip(["Thực phẩm", "Đồ uống", "Dược liệu và sản phẩm từ dược liệu"],
                                   [g.in_force.total for g in groups], strict=True))
    assert views and views[0].subject == "province:HP"


async def test_drill_down_by_commune_group_former_province_and_year(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    async with db.transaction() as store:
        await fill(store)
    off = await officer(db, chat_for, province="HP")
    await off.say("thống kê")
    await off.press("f:commune")
    assert off.templates == ["figures/breakdown"]
    assert "An Lão: 3 còn hiệu lực (3★ 1 · 4★ 1 · 5★ 1), mới 2, hồ sơ 1" in off.text
    await off.press("k:1")
    assert "🔎 Tứ Kỳ" in off.text
    assert "Sản phẩm OCOP còn hiệu lực: 1 (3★ 0 · 4★ 1 · 5★ 0)" in off.text
    await off.press("f:clear")
    await off.press("f:group")
    assert "Đồ uống: 1 còn hiệu lực" in off.text
    await off.press("k:1")
    assert "🔎 Đồ uống" in off.text and "Chủ thể: 2 — đã dùng Trợ lý OCOP 2" in off.text
    await off.press("f:clear")
    await off.press("f:former")
    assert "Hải Dương: 1 còn hiệu lực" in off.text and "(chưa rõ): 1 còn hiệu lực" in off.text
    await off.press("k:0")
    assert "🔎 tỉnh cũ Hải Phòng" in off.text
    await off.press("f:year")
    assert off.templates == ["figures/years"]
    assert "2024: 1 (3★ 1 · 4★ 0 · 5★ 0)" in off.text
    await off.press("y:2023")
    assert "Mới được công nhận năm 2023: 0" in off.text  # still narrowed to former Hải Phòng
    await off.press("f:clear")
    assert "Mới được công nhận năm 2023: 1" in off.text


async def test_an_officer_sees_only_their_province_and_an_admin_the_country(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    async with db.transaction() as store:
        await fill(store)
    hanoi = await officer(db, chat_for, user="off2", province="HN")
    await hanoi.say("/thongke")
    assert "Hà Nội" in hanoi.text and "Sản phẩm OCOP còn hiệu lực: 1" in hanoi.text
    assert "f:province" not in hanoi.keys
    admin = await officer(db, chat_for, user="adm", province=None,
                          role=Role.ADMIN)
    await admin.say("/thongke")
    assert "Thống kê OCOP — Cả nước" in admin.text
    assert "Sản phẩm OCOP còn hiệu lực: 5 (3★ 1 · 4★ 2 · 5★ 2)" in admin.text
    await admin.press("f:province")
    assert "Hải Phòng: 4 còn hiệu lực" in admin.text and "Hà Nội: 1 còn hiệu lực" in admin.text
    await admin.press("k:0")
    assert "Thống kê OCOP — Hải Phòng" in admin.text
    producer = Chat(dispatcher, renderer, clock, channel="telegram", user="p1")
    await producer.say("/thongke")
    assert "figures/screen" not in producer.templates


async def test_targets_are_set_in_chat_for_the_province_and_for_a_commune(
    chat_for: ChatFor,
    db: Database, dispatcher: Dispatcher, renderer: Renderer, clock: Clock
) -> None:
    async with db.transaction() as store:
        await fill(store)
    off = await officer(db, chat_for, province="HP")
    await off.say("/thongke")
    assert "(chưa đặt chỉ tiêu)" in off.text
    await off.press("f:target")
    assert off.templates == ["figures/ask_target"]
    assert "Chỉ tiêu năm 2027" in off.text  # in December, the year ahead
    await off.say("năm 2026")
    assert "Chỉ tiêu năm 2026" in off.text
    await off.say("hai mươi")
    assert off.templates == ["figures/target_invalid", "figures/ask_target"]
    await off.say("22")
    assert off.templates == ["figures/target_saved", "figures/screen"]
    assert "2 / chỉ tiêu 22 — còn thiếu 20" in off.text
    await off.press("f:commune")
    await off.press("k:0")
    await off.press("f:target")
    await off.say("nam 2026")
    await off.say("3 sản phẩm")
    assert "cho An Lão: 3" in off.text and "2 / chỉ tiêu 3 — còn thiếu 1" in off.text
    async with db.transaction() as store:
        targets = await store.targets.of_province("HP", 2026)
        audit = await store.audit.entries("target_set")
    assert [(t.scope, t.products) for t in targets] == [("", 22), ("commune:An Lão", 3)]
    assert len(audit) == 2
