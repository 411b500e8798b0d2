"""Every criterion screen of every set fits one message: Zalo 2.000 characters, Telegram 4.096."""

from __future__ import annotations

from pathlib import Path

from handlers.assessment.screen import note_lines, option_rows, place_of
from messages import Format, Renderer
from messages.split import utf16_len
from storage.criteria_files import parse_criteria, read_folder
from tests.assessment.criteria_files import criteria_folder

ZALO, TELEGRAM = 2000, 4096
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
