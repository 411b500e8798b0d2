"""A small criteria set in the 26/2026 CSV format, made by the tests, and the shared data's place.

The shared criteria (all 26 sets) are used when `../shared/reference/ocop-criteria-26-2026/`
is beside the checkout; otherwise the tests run on this small set, written for the product set
of the products the tests register (set 7) and any other set numbers asked for.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

SHARED = Path(__file__).resolve().parents[3] / "shared" / "reference" / "ocop-criteria-26-2026"
PREFIX = "qd26-2026-"
DISQUALIFIED = "Hồ sơ bị loại khi: Giả mạo hồ sơ"

# (section, code, parent, depth, label, max, kind, note)
CRITERIA = [
    ("A", "A", "", 0, "SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG", 40, "section", ""),
    ("A", "1", "A", 1, "TỔ CHỨC SẢN XUẤT", 40, "heading", ""),
    ("A", "1.1", "1", 2, "Nguồn gốc nguyên liệu", 20, "criterion",
     "Yêu cầu: 100% nguyên liệu trên địa bàn cấp tỉnh"),
    ("A", "1.2", "1", 2, "Sở hữu trí tuệ", 20, "criterion", ""),
    ("B", "B", "", 0, "KHẢ NĂNG TIẾP THỊ", 25, "section", ""),
    ("B", "2", "B", 1, "Câu chuyện sản phẩm", 25, "criterion", ""),
    ("C", "C", "", 0, "CHẤT LƯỢNG SẢN PHẨM", 35, "section", ""),
    ("C", "3", "C", 1, "Công bố chất lượng sản phẩm", 15, "criterion", ""),
    ("C", "4", "C", 1, "Ghi nhãn song ngữ", 20, "criterion_yes_no", ""),
]
# (section, criterion, option_no, label, points, min_star)
OPTIONS = [
    ("A", "1.1", 1, "Nguyên liệu trong xã dưới 50%", 5, ""),
    ("A", "1.1", 2, "Nguyên liệu trong xã từ 50% đến dưới 75%", 10, "3"),
    ("A", "1.1", 3, "Nguyên liệu trong xã từ 75% đến 100%", 20, "4"),
    ("A", "1.2", 1, "Chưa đăng ký nhãn hiệu", 0, ""),
    ("A", "1.2", 2, "Đơn đăng ký nhãn hiệu đã được chấp nhận", 10, ""),
    ("A", "1.2", 3, "Có Giấy chứng nhận đăng ký nhãn hiệu", 20, "5"),
    ("B", "2", 1, "Có câu chuyện sản phẩm", 5, ""),
    ("B", "2", 2, "Câu chuyện có tính riêng, đặc sắc", 15, ""),
    ("B", "2", 3, "Câu chuyện đặc sắc, kể bằng tiếng nước ngoài", 25, ""),
    ("C", "3", 1, "Có bản tự công bố", 5, ""),
    ("C", "3", 2, "Có công bố theo tiêu chuẩn quốc gia", 10, "4"),
    ("C", "3", 3, "Có công bố theo tiêu chuẩn quốc tế", 15, ""),
    ("C", "4", 1, "Không", 0, ""),
    ("C", "4", 2, "Có", 20, ""),
]
EVIDENCE = [
    (7, "Sở hữu trí tuệ", "Bản sao Giấy chứng nhận đăng ký nhãn hiệu"),
    (10, "Câu chuyện về sản phẩm", "Bản sao tờ rơi, hình ảnh, phim về câu chuyện sản phẩm"),
    (11, "Công bố chất lượng sản phẩm", "Bản sao tài liệu chứng minh chất lượng được công bố"),
]


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def small_files(sets: tuple[int, ...] = (7,)) -> dict[str, str]:
    """The four CSV files of the small criteria set, for each set number, by file name."""
    heads = [[n, f"bo-{n}", "I", "THỰC PHẨM", "Nhóm", "", f"Bộ sản phẩm {n}", "", "Bộ",
              "yes", DISQUALIFIED, "yes", 4, 14, 4] for n in sets]
    criteria = [[n, *row[:7], row[7], ""] for n in sets for row in CRITERIA]
    options = [[n, s, c, no, "", label, pts, star, ""]
               for n in sets for (s, c, no, label, pts, star) in OPTIONS]
    return {
        f"{PREFIX}product-sets.csv": _csv(
            ["set_no", "slug", "industry_no", "industry", "group", "subgroup_annex_I",
             "set_title_annex_II", "scope_line_annex_II", "lead_agency_annex_I",
             "five_samples_required", "disqualification_text", "star_legend_present",
             "scorable_criteria", "options", "options_with_star_marker"], heads),
        f"{PREFIX}criteria.csv": _csv(
            ["set_no", "section", "code", "parent_code", "depth", "label", "max_points", "kind",
             "source_notes", "extraction_note"], criteria),
        f"{PREFIX}options.csv": _csv(
            ["set_no", "section", "criterion_code", "option_no", "case", "label", "points",
             "min_star", "extraction_note"], options),
        f"{PREFIX}mau02-evidence.csv": _csv(
            ["row_no", "content", "required_evidence"], [list(e) for e in EVIDENCE]),
    }


def write_small(folder: Path, sets: tuple[int, ...] = (7,)) -> Path:
    """Write the small criteria set into `folder`; the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in small_files(sets).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def criteria_folder(tmp_path: Path) -> Path:
    """The shared criteria when they are there, else the small set written under tmp_path."""
    return SHARED if SHARED.is_dir() else write_small(tmp_path / "criteria")
