"""The rules in force as data: seeded with their decision and article, printed by
`ocop-bot rules show`, corrected by `ocop-bot rules set` (audited), read by the conversations."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

from typer.testing import CliRunner

from bot.cli.main import app
from handlers.engine.config import HandlerConfig
from handlers.rating.rules import make_result, record
from storage import Database, open_database
from storage.models import Role
from storage.product_models import ProductStatus
from tests.chat import ChatFor, Clock
from tests.rating.support import sent_dossier

NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def _cli(db_path: Path, *args: str) -> tuple[int, str]:
    env = {"OCOP_DB_PATH": str(db_path), "OCOP_LOG_LEVEL": "WARNING"}
    result = CliRunner().invoke(app, ["--create", *args], env=env)
    return result.exit_code, result.output


async def test_seeded_rules_carry_their_decision_and_article(db: Database) -> None:
    async with db.reading() as store:
        rules = {r.key: r for r in await store.rules.all()}
        grounds = await store.rules.grounds()
    assert rules["decision"].value == "26/2026/QĐ-TTg"
    assert rules["in_force_from"].value == "2026-05-22" and rules["in_force_from"].article
    assert rules["rerating_grace_days"].article == "Điều 12"
    assert rules["round1_forward_by"].value == "30/04" and rules["round1_forward_by"].article
    assert rules["commune_working_days"].value == "15"
    assert len(grounds) == 6 and all(g.decision == "26/2026/QĐ-TTg" for g in grounds)


def test_rules_show_and_a_correction_is_audited_and_kept(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    code, out = _cli(db_path, "rules", "show")
    assert code == 0, out
    assert "theo Quyết định 26/2026/QĐ-TTg" in out and "Điều 12" in out
    assert "UBND xã kiểm tra hồ sơ (ngày làm việc): 15" in out and "[commune_working_days]" in out
    code, out = _cli(db_path, "rules", "show", "--lang", "en")
    assert code == 0 and "under Decision 26/2026/QĐ-TTg" in out and "working days" in out
    code, out = _cli(db_path, "rules", "set", "commune_working_days", "20", "--article", "Điều 6")
    assert code == 0 and "15 → 20" in out and "Điều 6" in out, out
    code, out = _cli(db_path, "rules", "set", "round1_end", "31/02")
    assert code == 1 and "ngày/tháng" in out and "Chưa sửa gì" in out
    code, out = _cli(db_path, "rules", "set", "no_such_rule", "1")
    assert code == 1 and "commune_working_days" in out
    code, out = _cli(db_path, "rules", "show")
    assert "(ngày làm việc): 20 — Quyết định 26/2026/QĐ-TTg, Điều 6; sửa bởi cli" in out

    async def check() -> None:
        async with open_database(db_path) as db, db.reading() as store:
            rule = await store.rules.get("commune_working_days")
            entries = await store.audit.entries()
        assert rule is not None and rule.value == "20" and rule.checked
        assert [(e.action, e.subject, e.details["old"]) for e in entries
                if e.action == "rule_corrected"] == [("rule_corrected",
                                                      "rule:commune_working_days", "15")]

    asyncio.run(check())
    async def reopened() -> str:  # the bundled data never overwrites a correction
        async with open_database(db_path) as db, db.reading() as store:
            rule = await store.rules.get("commune_working_days")
        assert rule is not None
        return rule.value

    assert asyncio.run(reopened()) == "20"


async def test_a_corrected_validity_sets_the_expiry_of_new_results(db: Database) -> None:
    async with db.transaction() as store:
        await store.rules.correct("cert_validity_months", "24", "cli", NOW)
        user = await store.users.seen("telegram", "5", "5", NOW)
        producer = await store.users.create_producer(
            {"name": "HTX B", "entity_type": "cooperative", "contact_person": "Ba",
             "phone": "+84912000000", "province_code": "VL", "commune": "Xã B"}, NOW)
        await store.users.attach_producer(user.id, producer)
        pid = await store.products.create_draft(producer, NOW)
        await store.products.set_status(pid, ProductStatus.ACCEPTED, NOW)
        product = await store.products.get(pid)
        assert product is not None
        result = await make_result(store, HandlerConfig(), product, 95, decision_number="1/QĐ",
                                   decision_date=date(2026, 11, 2), certificate_number="C-1")
        assert result.stars == 4 and result.potential  # the province certifies at most 4 stars
        cert = await store.certifications.get(
            await record(store, HandlerConfig(), result, "t", NOW))
    assert cert is not None and cert.expires_on == date(2028, 11, 2)


async def test_help_names_the_decision_in_force(chat_for: ChatFor) -> None:
    lan = chat_for("70")
    await lan.say("/trogiup")
    assert "theo Quyết định 26/2026/QĐ-TTg" in lan.text


async def test_a_dossier_sent_before_the_decision_is_marked_under_the_old_rules(
    db: Database, chat_for: ChatFor, clock: Clock
) -> None:
    lan = chat_for("71")
    await lan.onboard()
    async with db.transaction() as store:
        user = await store.users.find("telegram", "71")
        assert user is not None and user.producer_id is not None
        await sent_dossier(store, user.producer_id, "Mắm cũ",
                           datetime(2026, 5, 21, 16, 0, tzinfo=UTC))  # 21/05 23:00
        await sent_dossier(store, user.producer_id, "Mắm mới",
                           datetime(2026, 5, 21, 17, 0, tzinfo=UTC))  # 22/05 00:00
    await lan.say("/sanpham")
    await lan.say("Mắm cũ")
    assert "theo quy định cũ (Quyết định 148/QĐ-TTg" in lan.text
    await lan.say("/sanpham")
    await lan.say("Mắm mới")
    assert "quy định cũ" not in lan.text


def test_a_day_off_is_added_from_the_command_line(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    code, out = _cli(db_path, "rules", "day-off", "04/01/2027", "Nghỉ bù")
    assert code == 0 and "04/01/2027 (Nghỉ bù) là ngày nghỉ" in out
    code, out = _cli(db_path, "rules", "day-off", "31/02/2027", "x")
    assert code != 0

    async def days() -> dict[date, str]:
        async with open_database(db_path) as db, db.reading() as store:
            return await store.communes.days_off()

    assert asyncio.run(days()) == {date(2027, 1, 4): "Nghỉ bù"}
    code, out = _cli(db_path, "rules", "show")
    assert "Ngày nghỉ thêm" in out and "04/01/2027 (Nghỉ bù)" in out


async def test_a_commune_officer_s_help_lists_the_commune_s_dossiers(
    db: Database, chat_for: ChatFor
) -> None:
    xa = chat_for("72")
    await xa.say("/menu")
    async with db.transaction() as store:
        user = await store.users.find("telegram", "72")
        assert user is not None
        await store.users.grant(user.id, Role.COMMUNE_OFFICER, "VL", "test", NOW)
    await xa.say("/trogiup")
    assert "/hosoxa" in xa.text and "Dành cho cán bộ xã" in xa.text


def test_a_revocation_ground_is_reworded_from_the_command_line(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    code, out = _cli(db_path, "rules", "ground", "logo", "--text", "Sử dụng sai biểu trưng",
                     "--article", "Điều 9")
    assert code == 0, out
    code, out = _cli(db_path, "rules", "ground", "nope", "--text", "x")
    assert code == 1
    code, out = _cli(db_path, "rules", "show")
    assert "Sử dụng sai biểu trưng — Quyết định 26/2026/QĐ-TTg, Điều 9 [logo]" in out


async def _as_released_before(db_path: Path) -> None:
    """A database seeded by the previous release (articles unchecked), one rule corrected by
    an officer since; the articles' migration not applied yet."""
    async with open_database(db_path) as db, db.transaction() as store:
        conn = store.rules._db
        await conn.execute("UPDATE rules SET article = 'Điều 5–8', checked = 0"
                           " WHERE key IN ('decision', 'rerating_grace_days', 'round1_end')")
        await store.rules.correct("round2_end", "15/12", "cli", NOW)  # no --article: unchecked
        await conn.execute("UPDATE rules SET article = 'Điều 5', checked = 0"
                           " WHERE key = 'round2_end'")
        await conn.execute("DELETE FROM schema_version WHERE version = 28")


async def _articles(db_path: Path) -> dict[str, tuple[str, str, bool]]:
    async with open_database(db_path) as db, db.reading() as store:  # migrates
        return {r.key: (r.value, r.article, r.checked) for r in await store.rules.all()}


def test_the_articles_the_source_names_are_set_and_corrections_kept(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    asyncio.run(_as_released_before(db_path))
    rules = asyncio.run(_articles(db_path))
    assert rules["decision"] == ("26/2026/QĐ-TTg", "Điều 11", True)
    assert rules["rerating_grace_days"] == ("180", "Điều 12", True)
    assert rules["round1_end"] == ("30/06", "Điều 5, 7", True)
    assert rules["round2_end"] == ("15/12", "Điều 5", False)  # the officer's row, untouched
    assert rules["commune_working_days"][1:] == ("Điều 5–8", False)  # the source names none
    code, out = _cli(db_path, "rules", "show")
    assert code == 0 and "Quyết định 26/2026/QĐ-TTg, Điều 12 [rerating_grace_days]" in out
    assert "Điều 5–8 (điều khoản chưa đối chiếu) [commune_working_days]" in out
