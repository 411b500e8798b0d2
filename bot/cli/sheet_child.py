"""The reader process: one spreadsheet parsed under a memory and a CPU-time ceiling.

`python -m bot.cli.sheet_child KIND PATH MEMORY_BYTES SECONDS` sets its own limits before it
imports the parser, then writes one pickled outcome to stdout: ("rows", rows),
("too_large", template, context), ("unreadable", message) or ("too_costly",) when the
memory ran out. Past the CPU ceiling the kernel ends it; the parent reads that as too costly.
"""

from __future__ import annotations

import pickle
import resource
import sys
from pathlib import Path
from typing import Any


def limit(memory_bytes: int, seconds: int) -> None:
    """Cap this process's address space and CPU time (the kernel enforces both)."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))


def outcome(kind: str, path: Path) -> tuple[Any, ...]:
    """Parse the file and say what came of it, as a picklable tuple."""
    from bot.cli.sheet_parse import parse_csv, parse_sheets, parse_xlsx  # under the ceilings
    from bot.cli.sheet_read import TooLarge, Unreadable

    try:
        rows: Any = (parse_xlsx(path) if kind == "xlsx" else parse_sheets(path)
                     if kind == "sheets" else parse_csv(path))
    except TooLarge as refused:
        return ("too_large", refused.template, refused.context)
    except Unreadable as problem:
        return ("unreadable", problem.args)
    except MemoryError:
        return ("too_costly",)
    return ("rows", rows)


def main(argv: list[str]) -> int:
    """Read the file named on the command line; the outcome goes to stdout."""
    kind, path, memory, seconds = argv
    limit(int(memory), int(seconds))
    result = outcome(kind, Path(path))
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
