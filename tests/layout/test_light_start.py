"""Every `ocop-bot` command starts quickly: the heavy libraries load only when they are used.

Each CLI command is a new process (systemd timers, an officer's shell, the tests), so what the
command line imports at start is paid on every call. Spreadsheets, Word, PDF, calendars, the
PostgreSQL driver, the Telegram library and the web server belong to the commands that use them.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # a Python process

HEAVY = ("openpyxl", "docx", "fpdf", "matplotlib", "numpy", "icalendar", "psycopg",
         "psycopg_pool", "telegram", "uvicorn", "holidays", "vietnam_provinces", "segno")


def test_the_command_line_loads_no_heavy_library_until_a_command_needs_it() -> None:
    probe = ("import sys, bot.cli.main; "
             f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
