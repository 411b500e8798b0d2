"""Sample contexts for the rating-round templates."""

from datetime import UTC, datetime

ROUND = {
    "id": 3,
    "name": "Đợt II năm 2026 <Vĩnh Long>",
    "province_code": "VL",
    "kinds": ["first", "rerating", "upgrade"],
    "opens": datetime(2026, 12, 1, 17, 0, tzinfo=UTC),
    "registration_deadline": datetime(2026, 12, 15, 16, 59, tzinfo=UTC),
    "dossier_deadline": datetime(2026, 12, 31, 16, 59, tzinfo=UTC),
    "council": datetime(2027, 1, 15, 1, 0, tzinfo=UTC),
    "results": datetime(2027, 2, 1, 1, 0, tzinfo=UTC),
    "note": "Nộp hồ sơ tại UBND xã & gọi 0912 345 678",
    "state": "open",
    "registration_days": 5,
    "dossier_days": 21,
    "opens_days": 0,
}
DRAFT = {
    "name": "Đợt II năm 2026",
    "province_code": "VL",
    "kinds": ("first", "upgrade"),
    "registration_opens_at": ROUND["opens"],
    "registration_deadline": ROUND["registration_deadline"],
    "dossier_deadline": ROUND["dossier_deadline"],
    "council_at": ROUND["council"],
    "results_at": ROUND["results"],
    "note": "<ghi chú>",
}

SAMPLES: dict[str, dict[str, object]] = {
    "rounds/round_dates": {"round": ROUND},
    "rounds/officer_list": {"rounds": [ROUND, {**ROUND, "state": "upcoming", "note": ""}]},
    "rounds/not_found": {},
    "rounds/ask_name": {},
    "rounds/name_taken": {"name": "Đợt <I>"},
    "rounds/ask_kinds": {},
    "rounds/ask_date": {"field": "dossier_deadline"},
    "rounds/date_unreadable": {"typed": "15/13 <x>"},
    "rounds/date_refused": {
        "field": "dossier_deadline",
        "why": "order",
        "value": ROUND["opens"],
        "before_field": "registration_deadline",
        "before": ROUND["registration_deadline"],
    },
    "rounds/ask_note": {},
    "rounds/confirm": {"draft": DRAFT, "province": "Vĩnh Long"},
    "rounds/discarded": {},
    "rounds/created": {"name": "Đợt <II>"},
    "rounds/officer_detail": {"round": ROUND, "entries": ["Mật ong <rừng>", "Kẹo dừa"]},
    "rounds/ask_which_date": {},
    "rounds/date_changed": {"field": "council_at", "value": ROUND["council"], "told": 4},
    "rounds/cancel_confirm": {"name": "Đợt <II>", "entered": 12},
    "rounds/cancelled": {"name": "Đợt <II>", "told": 12},
    "rounds/changed": {"round": ROUND, "change": "date", "products": ["Kẹo dừa <Bến Tre>"]},
    "rounds/deadlines": {
        "rounds": [{**ROUND, "entered": ["Kẹo dừa"]}, {**ROUND, "state": "closed", "entered": []}]
    },
    "rounds/registration_closed": {"round": {**ROUND, "state": "closed"}, "next": ROUND},
    "rounds/not_open_yet": {"round": {**ROUND, "state": "upcoming"}},
    "rounds/withdraw_too_late": {"round": ROUND, "product": "Kẹo <dừa>"},
    "rounds/withdrawn": {"round": ROUND, "product": "Kẹo <dừa>"},
    "rounds/no_product_to_enter": {},
    "rounds/ask_product": {"name": "Đợt <II>"},
    "rounds/product_not_ready": {"round": ROUND, "product": "Kẹo <dừa>"},
    "rounds/already_entered": {"round": ROUND, "product": "Kẹo <dừa>"},
    "rounds/kind_not_taken": {"round": ROUND, "product": "Kẹo <dừa>"},
    "rounds/entered": {"round": ROUND, "product": "Kẹo <dừa>"},
    "rounds/remind_registration": {"round": ROUND, "days": 7},
    "rounds/remind_dossier": {
        "round": ROUND,
        "days": 1,
        "product": "Kẹo <dừa>",
        "missing": ["Phiếu kiểm nghiệm", "Câu chuyện sản phẩm"],
    },
}
