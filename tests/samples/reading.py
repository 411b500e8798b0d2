"""Sample contexts for the templates of reading typed words (greetings, which one was meant)."""

SAMPLES: dict[str, dict[str, object]] = {
    "menu/hello": {"known": True, "thanks": False},
    "errors/which_choice": {"typed": "nang <hang>", "labels": ["Nâng hạng", "Tất cả & khác"]},
    "errors/which_meaning": {"typed": "dung"},
    "announcements/restarted": {},
}
