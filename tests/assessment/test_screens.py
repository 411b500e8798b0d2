"""Every criterion screen of every set fits one message: Zalo 2.000 characters, Telegram 4.096."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from handlers.assessment.evidence import evidence_row_of, item_code_of, needs_proof
from handlers.assessment.result import result_context
from handlers.assessment.score import result_of
from handlers.assessment.screen import note_lines, option_rows, place_of
from messages import Format, Renderer
from messages.split import utf16_len
from storage.bundled import bundled
from storage.criteria_files import parse_criteria, read_folder
from tests.assessment.criteria_files import criteria_folder
from tests.assessment.test_score import BANDS

ZALO, TELEGRAM = 2000, 4096
NAMES = {item["code"]: item["name_vi"] for item in bundled("dossier_items.json")}
LONGEST_PROOF = "Bản sao tài liệu: " + "hợp đồng mua bán, hóa đơn chứng từ hợp lệ; " * 5


def test_every_criterion_screen_fits_a_phone_message(tmp_path: Path) -> None:
    renderer = Renderer()
    bundle = parse_criteria(read_folder(criteria_folder(tmp_path)))
    checked = 0
    for criteria in bundle.sets:
        for index, row in enumerate(criteria.scored, start=1):
            context = {
                **place_of(criteria, row), "product": "Kẹo dừa Tân Phú loại đặc biệt 500 g",
                "index": index, "count": len(criteria.scored), "code": row.code,
                "label": row.label, "max": row.max_points, "notes": note_lines(row),
                "options": option_rows(row, row.options[-1].no), "answered": True,
                "unsure": False, "evidence": LONGEST_PROOF, "item": "Nguồn gốc nguyên liệu",
                "star_legend": criteria.star_legend,
            }
            choices = [renderer.label("vi", "assessment.option", n=n, points="10")
                       for n in range(1, len(row.options) + 1)]
            choices += [renderer.label("vi", key) for key in (
                "assessment.unsure", "assessment.send_proof", "common.back", "assessment.later")]
            plain = renderer.render("vi", "assessment/criterion", Format.PLAIN, **context)
            numbered = plain + "\n\n" + "\n".join(
                f"{n}. {label}" for n, label in enumerate(choices, start=1))
            html = renderer.render("vi", "assessment/criterion", Format.HTML, **context)
            assert len(numbered) <= ZALO, (criteria.set_no, row.code, len(numbered))
            assert utf16_len(html) <= TELEGRAM, (criteria.set_no, row.code)
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("how", ["lowest", "unsure", "best"])
def test_the_result_screen_fits_a_zalo_message(tmp_path: Path, how: str) -> None:
    renderer = Renderer()
    bundle = parse_criteria(read_folder(criteria_folder(tmp_path)))
    for criteria in bundle.sets:
        answers: dict[str, int | None] = {
            row.key: None if how == "unsure" else (
                min if how == "lowest" else max)(row.options, key=lambda o: o.points).no
            for row in criteria.scored}
        result = result_of(criteria, answers, BANDS)
        numbers = {evidence_row_of(r.label) for r in criteria.scored
                   if needs_proof(r, answers[r.key])}
        rows = {item_code_of(n) for n in numbers if n is not None} - {None}
        proofs = [{"name": NAMES[code], "ready": False, "codes": ["1.1", "2.2"]}
                  for code in rows if code]
        scoring = SimpleNamespace(product=SimpleNamespace(name="Kẹo dừa Tân Phú"),
                                  criteria=criteria)
        context = {**result_context(scoring, result), "proofs": proofs}  # type: ignore[arg-type]
        plain = renderer.render("vi", "assessment/result", Format.PLAIN, **context)
        labels = [renderer.label("vi", "assessment.edit_part", part="A", points="40", max="40")
                  ] * 3 + [renderer.label("vi", key) for key in (
                      "assessment.report", "assessment.to_product", "common.to_menu")]
        numbered = plain + "\n\n" + "\n".join(f"{n}. {label}" for n, label in enumerate(
            labels, start=1))
        assert len(numbered) <= ZALO, (criteria.set_no, how, len(numbered))
