"""Sample contexts for the figures templates."""

LINES = {
    "year": 2026, "in_force": 3620, "in3": 2950, "in4": 610, "in5": 60, "new": 1200,
    "new3": 1100, "new4": 90, "new5": 10, "target": 3000, "gap": 1800,
    "pipeline": [("draft", 12), ("submitted", 9), ("returned", 3), ("accepted", 5),
                 ("rated", 0)],
    "expiring": 1300, "expiring_on_bot": 1150, "producers": 2100, "claimed": 1200,
    "unclaimed": 900, "active": 1064, "open_rounds": 1, "round_entries": 1037, "trainings": 6,
    "enrolled": 1800, "waiting": 1012, "attended": 1400,
}
ROW = {"name": "Xã An Lão <HP>", "in_force": 3620, "in3": 2950, "in4": 610, "in5": 60,
       "new": 1200, "pipeline": 1500, "expiring": 1300, "producers": 2100}  # thousands on purpose

SAMPLES: dict[str, dict[str, object]] = {
    "figures/lines": LINES,
    "figures/screen": {**LINES, "place": "Hải Phòng", "narrowed": "xã/phường An Lão",
                       "zalo": {"used": 2140, "limit": 3000, "month": "12/2026",
                                "paused_until": None},
                       "invited": 1200, "claimed_invited": 300},
    "figures/breakdown": {"dim": "commune", "year": 2026, "rows": [ROW, ROW], "more": 1003},
    "figures/years": {"rows": [{"year": 2025, "new": 2500, "in3": 2150, "in4": 340, "in5": 10,
                                "target": 3000},
                               {"year": 2026, "new": 28, "in3": 20, "in4": 7, "in5": 1,
                                "target": None}]},
    "figures/ask_target": {"place": "Hải Phòng", "commune": "An Lão", "year": 2026,
                           "current": 1022},
    "figures/target_invalid": {"max": 10_000},
    "figures/target_saved": {"year": 2026, "products": 1022, "commune": None},
    "figures/report_file": {"year": 2026},
    "figures/monthly_on": {},
    "figures/monthly_off": {},
    "figures/monthly": {**LINES, "month": "01/2027", "place": "Hải Phòng", "attached": False},
    "figures/no_province": {},
}
