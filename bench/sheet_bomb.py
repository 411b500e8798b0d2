"""How fast and how lightly a spreadsheet bomb is refused: `python -m bench.sheet_bomb`.

Builds one row of millions of empty cells (a few KB packed, gigabytes once parsed), imports it
with the command line as an officer would, and prints the seconds and the peak memory of the
whole command. Goal: refused in under 5 s with under 200 MB.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.cli.test_sheet_bombs import cell_bomb
from tests.cli.test_sheet_limits import _measured


def main(cells: int = 24_000_000) -> None:
    """Refuse a bomb of `cells` empty cells and print what it cost."""
    with tempfile.TemporaryDirectory() as folder:
        bomb = cell_bomb(Path(folder) / "ketqua.xlsx", cells)
        code, _, peak_mb, seconds = _measured(Path(folder) / "ocop.db", "import", "results",
                                              str(bomb), "--yes")
        size_kb = bomb.stat().st_size / 1024
    print(f"bomb of {cells:,} cells, {size_kb:.0f} KB: exit {code}, {seconds:.1f} s, "
          f"peak {peak_mb:.0f} MB (goal: under 5 s and 200 MB)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 24_000_000)
