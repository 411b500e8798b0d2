"""Sample contexts for the rules, re-rating and revocation templates."""

from datetime import UTC, date, datetime

RULE = {"key": "commune_working_days", "name": "UBND xã kiểm tra hồ sơ <ngày>", "value": "15",
        "decision": "26/2026/QĐ-TTg", "article": "Điều 6", "checked": False,
        "updated_by": "cli", "updated_at": datetime(2026, 12, 1, 3, 0, tzinfo=UTC)}
NOTICE = {"decision": "26/2026/QĐ-TTg", "id": 12, "name": "Kẹo <dừa>", "number": "OCOP-<1>",
          "stars": 4, "expires_on": date(2027, 6, 1), "opens_on": date(2026, 12, 3),
          "closes_on": date(2027, 2, 1), "grace_until": date(2027, 11, 28), "late": False}

SAMPLES: dict[str, dict[str, object]] = {
    "rules/show": {
        "decision": "26/2026/QĐ-TTg",
        "rules": [RULE, {**RULE, "decision": "", "updated_by": None}],
        "grounds": [{"code": "quality", "name": "Vi phạm <chất lượng>",
                     "decision": "26/2026/QĐ-TTg", "article": "Điều 8", "checked": False}],
    },
    "rules/set_done": {"key": "round1_end", "name": "Đợt I <kết thúc>", "old": "30/06",
                       "value": "15/06", "article": "Điều 5"},
    "rules/set_unknown": {"key": "x<y>", "keys": ["decision", "round1_end"]},
    "rules/set_bad": {"key": "round1_end", "value": "31/02", "kind": "day_month"},
    "products/rerating_notice": {**NOTICE, "stage": "open"},
    "products/rerating_started": {"name": "Kẹo <dừa>", "id": 12, "number": "OCOP-<1>"},
}

REVOKE = {"name": "Kẹo <dừa>", "id": 12, "number": "OCOP-<1>", "stars": 4}
SAMPLES |= {
    "revocation/ask_product": {},
    "revocation/not_found": {"typed": "<x>"},
    "revocation/ask_ground": REVOKE,
    "revocation/ask_number": {},
    "revocation/ask_date": {},
    "revocation/before_decision": {"date": date(2026, 3, 2)},
    "revocation/confirm": {**REVOKE, "ground": "Vi phạm <chất lượng>",
                           "decision_number": "9/QĐ-<UBND>", "decision_date": date(2026, 11, 2)},
    "revocation/done": {"name": "Kẹo <dừa>", "id": 12},
    "revocation/notice": {**REVOKE, "decision_number": "9/QĐ", "decision_date": date(2026, 11, 2),
                          "ground_vi": "Vi phạm <chất lượng>", "ground_en": "A <breach>"},
}
SAMPLES |= {
    "certified_reason/bad_product_code": {"value": "86-<x>"},
    "certified_reason/product_code_used": {"value": "86-29254-001-2026"},
}
SAMPLES |= {
    "product_code/ask_product": {},
    "product_code/ask_code": {"name": "Kẹo <dừa>", "id": 12, "code": "86-29254-001-2026"},
    "product_code/bad": {"typed": "<86>"},
    "product_code/used": {"code": "86-29254-001-2026"},
    "product_code/saved": {"name": "Kẹo <dừa>", "id": 12, "code": "86-29254-001-2026"},
}
COMMUNE = {"name": "Kẹo <dừa>", "id": 12, "commune": "Xã <Cầu Kè>", "due_on": date(2026, 12, 22)}
SAMPLES |= {
    "commune/notice_new_dossier": {**COMMUNE, "producer": "HTX <A>", "days": 15},
    "commune/list": {"count": 2},
    "commune/not_available": {},
    "commune/open": {**COMMUNE, "producer": "HTX <A>",
                     "received": datetime(2026, 12, 1, 3, 0, tzinfo=UTC), "left": 4,
                     "assessment": {"raw_materials": "yes"},
                     "criteria": ("raw_materials", "labour", "idea", "identity"),
                     "done": False},
    "commune/ask_criterion": {"criterion": "labour", "n": 2, "of": 4},
    "commune/ask_note": {},
    "commune/forwarded": {"id": 12},
    "commune/returned": {"id": 12},
    "commune/notice_forwarded": COMMUNE,
    "commune/reminder": {**COMMUNE, "passed": 10, "limit": 15},
    "commune/late": {**COMMUNE, "passed": 15, "limit": 15},
}
SAMPLES |= {
    "cli/communes_unplaced": {"rows": [{"id": 3, "name": "HTX <A>", "province": "VL",
                                        "typed": "ấp <Một>"}]},
}
SAMPLES |= {
    "invites/ask_commune": {},
    "invites/commune_unknown": {"typed": "<tan>", "names": ["Xã Tân <Phú>", "Xã Tân An"]},
    "invites/commune_admin": {},
}
