"""A province's list as it publishes it, then invitations:
`python -m bench.published_list --rows 5000 --producers 1000`.

Writes a decision's annex (title block, numbering row, group titles, the stars written every
way, an unplaced "Kết quả xếp loại" column mapped with --column) with `rows` products of
`producers` producers, all of Vĩnh Long (some under the former Trà Vinh and Bến Tre). Then
times, each through the real CLI in a subprocess on a fresh database: the dry run, the
import, the same import again (nothing new), and `invitations` for every producer. Prints
JSON; the goals are under 10 s for the dry run and the import, under 30 s for the invitations.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from bench.import_certified import _timed
from tests.claims.published import ANNEX_HEADER, STARS, annex_book

PLACES = ("Vĩnh Long", "Tỉnh Trà Vinh", "BẾN TRE")


def annex(rows: int, producers: int) -> list[list[Any]]:
    """The annex's data rows: every producer has rows // producers products."""
    out: list[list[Any]] = []
    for n in range(rows):
        owner = n % producers
        stars = STARS[n % len(STARS)]
        out.append([n + 1, f"Sản phẩm số {n}", f"HTX Nông nghiệp số {owner}", "HTX",
                    f"Ấp {owner}", PLACES[owner % len(PLACES)], stars,
                    2024 if str(stars).startswith("5") or stars == 5 else 2021 + n % 4,
                    f"{n // 50}/QĐ-UBND"])
    return out


def main() -> None:
    """Time the dry run, the import, the second import and the invitations."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--producers", type=int, default=1000)
    options = parser.parse_args()
    header = [*ANNEX_HEADER]
    header[6] = "Kết quả xếp loại"
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        sheet = annex_book(base / "phu-luc.xlsx", annex(options.rows, options.producers),
                           header=header)
        env = {**os.environ, "OCOP_DB_PATH": str(base / "ocop.db"), "OCOP_LOG_LEVEL": "WARNING",
               "TELEGRAM_BOT_USERNAME": "ocop_bench_bot"}
        mapped = ("--column", "Kết quả xếp loại=stars")
        report: dict[str, Any] = {"rows": options.rows, "producers": options.producers,
                                  "file_kb": sheet.stat().st_size // 1024}
        for name, args in (
            ("dry_run_s", ("import", "certified", str(sheet), "--dry-run", *mapped)),
            ("import_s", ("import", "certified", str(sheet), "--yes", *mapped)),
            ("import_again_s", ("import", "certified", str(sheet), "--yes", *mapped)),
            ("invitations_s", ("invitations", "--province", "Vĩnh Long",
                               str(base / "giay-moi.pdf"))),
        ):
            report[name], report[name.replace("_s", "_says")] = _timed(env, *args)
        report["pdf_kb"] = (base / "giay-moi.pdf").stat().st_size // 1024
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
