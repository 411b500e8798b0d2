"""Import and export of a province's existing certified products:
`python -m bench.import_certified --rows 5000`.

Writes an .xlsx list shaped like real ones (tests/claims/rows.py), then times, each through
the real CLI in a subprocess on a fresh database: the dry run, the import, the same import
again (nothing new), and `export products`. Prints JSON; the goal is under 10 s each.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.claims.rows import many_rows, write_xlsx
from tests.processes import bot_command


def _timed(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run([*bot_command(), *args], env=env, capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    lines = done.stdout.splitlines() or [""]
    return round(elapsed, 2), lines[1] if len(lines) > 1 else lines[0]


def main() -> None:
    """Time the dry run, the import, the second import and the export."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        sheet = write_xlsx(base / "list.xlsx", many_rows(rows))
        env = {**os.environ, "OCOP_DB_PATH": str(base / "ocop.db"), "OCOP_LOG_LEVEL": "WARNING"}
        report: dict[str, Any] = {"rows": rows, "file_kb": sheet.stat().st_size // 1024}
        for name, args in (
            ("dry_run_s", ("import", "certified", str(sheet), "--dry-run")),
            ("import_s", ("import", "certified", str(sheet), "--yes")),
            ("import_again_s", ("import", "certified", str(sheet), "--yes")),
            ("export_s", ("export", "products", str(base / "out.xlsx"))),
        ):
            report[name], report[name.replace("_s", "_says")] = _timed(env, *args)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
