"""Sample contexts for the templates of reading sentences (guesses, leaving a step)."""

SAMPLES: dict[str, dict[str, object]] = {
    "errors/did_you_mean": {"typed": "xem <sản phẩm> với thông báo"},
    "errors/leave_or_answer": {"typed": "Thôi Sơn & Tiền Giang"},
    "menu/left": {"kept": "", "working": True},
    "menu/nothing_to_resume": {},
}
SAMPLES["errors/producers_only"] = {}
