"""Sample contexts for the figures templates."""

LINES = {
    "year": 2026, "in_force": 104, "in3": 80, "in4": 22, "in5": 2, "new": 28, "new3": 20,
    "new4": 7, "new5": 1, "target": 50, "gap": 22,
    "pipeline": [("draft", 12), ("submitted", 9), ("returned", 3), ("accepted", 5),
                 ("rated", 0)],
    "expiring": 7, "expiring_on_bot": 4, "producers": 700, "claimed": 120, "unclaimed": 580,
    "active": 64, "open_rounds": 1, "round_entries": 37, "trainings": 6, "enrolled": 180,
    "waiting": 12, "attended": 140,
}
ROW = {"name": "Xã An Lão <HP>", "in_force": 12, "in3": 9, "in4": 3, "in5": 0, "new": 2,
       "pipeline": 4, "expiring": 1, "producers": 30}

SAMPLES: dict[str, dict[str, object]] = {
    "figures/lines": LINES,
    "figures/screen": {**LINES, "place": "Hải Phòng", "narrowed": "xã/phường An Lão",
                       "invited": 1200, "claimed_invited": 300},
    "figures/breakdown": {"dim": "commune", "year": 2026, "rows": [ROW, ROW], "more": 3},
    "figures/years": {"rows": [{"year": 2025, "new": 20, "in3": 15, "in4": 5, "in5": 0,
                                "target": 25},
                               {"year": 2026, "new": 28, "in3": 20, "in4": 7, "in5": 1,
                                "target": None}]},
    "figures/ask_target": {"place": "Hải Phòng", "commune": "An Lão", "year": 2026,
                           "current": 22},
    "figures/target_invalid": {"max": 10_000},
    "figures/target_saved": {"year": 2026, "products": 22, "commune": None},
    "figures/report_file": {"year": 2026},
    "figures/monthly_on": {},
    "figures/monthly_off": {},
    "figures/monthly": {**LINES, "month": "01/2027", "place": "Hải Phòng", "attached": False},
    "figures/no_province": {},
}
