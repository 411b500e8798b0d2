"""Sample contexts for the self-assessment templates (tự chấm điểm) and the criteria CLI."""

from storage.criteria_models import CriteriaSet, Criterion, Option

OPTIONS = [
    {"n": 1, "label": "Nguyên liệu trong xã <dưới> 50%", "points": 1.0, "min_star": 0,
     "case": "", "chosen": False},
    {"n": 2, "label": "Từ 50% đến dưới 75%", "points": 2.5, "min_star": 3, "case": "a",
     "chosen": True},
]
ROW = {"code": "1.1", "label": "Nguồn gốc <nguyên liệu>"}

SET = CriteriaSet(
    version="26/2026", set_no=7, slug="bo-7", title="Chế biến từ <rau>", star_legend=True,
    disqualification="Hồ sơ bị loại khi: giả mạo hồ sơ",
    rows=(Criterion("A", "A", "", 0, "SẢN PHẨM <VÀ> SỨC MẠNH", 40.0, "section"),
          Criterion("A", "1", "A", 1, "TỔ CHỨC SẢN XUẤT", 40.0, "heading"),
          Criterion("A", "1.1", "1", 2, "Nguồn gốc", 40.0, "criterion", options=(
              Option(1, "Dưới 50%", 10.0), Option(2, "Từ 50%", 40.0, 4, "a"))),),
)

SELF = {"version": "26/2026", "total": 68.5, "stars": 3, "certified": True, "answered": 30,
        "count": 32, "finished": False, "updated_at": None,
        "unmet": [{**ROW, "stars": 4}], "more_unmet": 2}

SAMPLES: dict[str, dict[str, object]] = {
    "assessment/coaching": {"within": 5.0, "count": 1, "rows": [
        {"id": 12, "name": "Kẹo <dừa>", "producer": "HTX <Tân Phú>", "score": 67.5,
         "next": 70.0, "stars": 3, "capped": False},
        {"id": 13, "name": "Mắm <tôm>", "producer": "Hộ Lan", "score": 78.0, "next": 90.0,
         "stars": 3, "capped": True}]},
    "assessment/officer_summary": {"self_score": SELF},
    "assessment/side_by_side": {"compare": {"self": SELF, "council": 72.5, "council_stars": 4,
                                            "gap": 4.0}},
    "cli/criteria_loaded": {"version": "26/2026", "sets": 26, "options": 2579},
    "cli/criteria_refused": {"lines": ["qd26-2026-options.csv:4: yêu cầu tối thiểu “7” sao"]},
    "cli/criteria_missing": {"set_no": 99},
    "cli/criteria_show": {"criteria": SET},
    "assessment/intro": {"name": "Kẹo dừa <Tân Phú>", "title": "Chế biến từ rau, củ, quả",
                         "version": "26/2026", "count": 32,
                         "disqualification": "Hồ sơ bị loại khi: giả mạo hồ sơ"},
    "assessment/criterion": {
        "section": "A", "section_label": "SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG",
        "section_max": 40.0, "heading": "1. TỔ CHỨC SẢN XUẤT", "product": "Kẹo <dừa>",
        "index": 1, "count": 32, "code": "1.1", "label": "Nguồn gốc <sản phẩm>", "max": 3.0,
        "notes": ["Yêu cầu: 100% sản phẩm trên địa bàn cấp tỉnh"], "options": OPTIONS,
        "answered": True, "unsure": True, "evidence": "Bản sao hợp đồng <mua bán>",
        "item": "Nguồn gốc nguyên liệu", "star_legend": True,
    },
    "assessment/saved": {"code": "1.1", "label": "Nguồn gốc", "points": 2.5, "unsure": False},
    "assessment/resumed": {"done": 3, "count": 32},
    "assessment/not_loaded": {},
    "assessment/no_set": {},
    "assessment/no_products": {},
    "assessment/pick_product": {},
    "assessment/saved_for_later": {},
    "assessment/edit": {"part": "A", "label": "SẢN PHẨM VÀ SỨC MẠNH CỦA CỘNG ĐỒNG"},
    "assessment/report_sent": {"name": "Kẹo <dừa>", "filename": "mau02-tu-danh-gia-12.docx"},
    "assessment/result": {
        "name": "Kẹo <dừa>", "version": "26/2026",
        "parts": [{"name": "A", "points": 30.5, "max": 40.0},
                  {"name": "B", "points": 20.0, "max": 25.0},
                  {"name": "C", "points": 25.0, "max": 35.0}],
        "total": 75.5, "band": 4, "stars": 3, "certified": True, "capped": True,
        "next_star": 4, "points_needed": 0.0,
        "shortfalls": [{**ROW, "needed": "Từ 75% <đến> 100%", "points": 3.0, "stars": 4,
                        "chosen": 2.0}],
        "more_shortfalls": 2,
        "gains": [{**ROW, "step": "Có chứng nhận <quốc tế>", "gain": 1.5}],
        "unsure": [ROW], "more_unsure": 3, "unanswered": 1,
        "proofs": [{"name": "Nhãn hiệu <hoặc> chỉ dẫn địa lý", "ready": False,
                    "codes": ["1.2", "3.5"]},
                   {"name": "Câu chuyện sản phẩm", "ready": True, "codes": ["5.1"]}],
    },
}
