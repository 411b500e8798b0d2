"""Sample contexts for the templates of reading sentences (guesses, leaving a step), the
officers' side, the dossier's files and the terminal's saved files."""

SAMPLES: dict[str, dict[str, object]] = {
    "errors/did_you_mean": {"typed": "xem <sản phẩm> với thông báo"},
    "errors/leave_or_answer": {"typed": "Thôi Sơn & Tiền Giang"},
    "menu/left": {"kept": "", "working": True},
    "menu/nothing_to_resume": {},
    "errors/producers_only": {},
    "dossier/which_item": {},
    "terminal/file_saved": {"name": "lop-tap-huan.ics", "path": "data/files/lop-tap-huan.ics"},
}
