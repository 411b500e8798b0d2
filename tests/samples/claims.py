"""Sample contexts for the claim templates (existing certified products)."""

PRODUCTS = ["Mắm tép “Bà Ba”, loại <đặc biệt>", "Bánh tét lá cẩm – Trà Cuôn"]

SAMPLES: dict[str, dict[str, object]] = {
    "claims/found_by_phone": {},
    "claims/offer": {},
    "claims/ask_who": {},
    "claims/too_short": {},
    "claims/not_found": {"typed": "HTX <Cờ Ðỏ>"},
    "claims/too_many": {"count": 12},
    "claims/pick": {"count": 2},
    "claims/gone": {},
    "claims/share_contact": {},
    "claims/verify": {"name": "HTX Nông nghiệp Cờ Ðỏ", "products": PRODUCTS},
    "claims/contact_mismatch": {},
    "claims/ask_code": {},
    "claims/code_format": {},
    "claims/wrong_code": {"left": 3},
    "claims/claimed": {"count": 2},
    "claims/link_gone": {},
    "claims/offer_notice": {"name": "HTX Cờ Ðỏ <x>", "products": ["Mắm tép", "Bánh tét"]},
    "claims/officer_notice": {"name": "HTX & con", "products": PRODUCTS},
    "claims/requested": {},
    "claims/officer_main": {"count": 2},
    "claims/request_gone": {},
    "claims/decide": {"asker": "Hộ Lan", "phone": "+84912345678",
                      "producer": "HTX Cờ Đỏ", "products": PRODUCTS},
    "claims/decided": {"approved": True, "count": 2},
    "claims/decision_saved": {"approved": False},
    "claims/ask_producer_id": {},
    "claims/no_such_producer": {"typed": "12a"},
    "claims/code_drawn": {"name": "HTX Cờ Đỏ", "code": "4821 0937 5512", "days": 30},
}
