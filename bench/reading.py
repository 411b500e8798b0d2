"""How long reading one typed message takes: `python -m bench.reading [--rounds N]`.

Reads every message of the corpus (tests/engine/sentences.tsv and held_out.tsv) at its
screen, through the same `read` the dispatcher calls, with the remembered foldings cleared
first (a cold read, as for a message never seen) and then warm.
Prints JSON: microseconds per message.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from handlers.engine.reading import read
from messages import phrasing
from messages.text import normalize
from tests.engine.corpus import CORPUS, HELD_OUT, Line, command_names, lines, screens


def _corpus() -> list[Line]:
    return [*lines(CORPUS), *lines(HELD_OUT)]


def _once(cold: bool) -> float:
    """Seconds to read the whole corpus once."""
    corpus, shown, names = _corpus(), screens(), command_names()
    if cold:
        phrasing.forget()
    started = time.perf_counter()
    for line in corpus:
        screen = shown[line.screen]
        read(normalize(line.text), screen.state, screen.step, names)
    return time.perf_counter() - started


def main() -> None:
    """Time the corpus cold and warm, and print microseconds per message."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    rounds = parser.parse_args().rounds
    count = len(_corpus())
    _once(cold=False)  # vocabulary and labels loaded once, as in a running bot
    cold = [_once(cold=True) / count * 1e6 for _ in range(rounds)]
    warm = [_once(cold=False) / count * 1e6 for _ in range(rounds)]
    print(json.dumps({
        "messages": count,
        "rounds": rounds,
        "cold_us_per_message_median": round(statistics.median(cold), 1),
        "cold_us_per_message_max": round(max(cold), 1),
        "warm_us_per_message_median": round(statistics.median(warm), 1),
    }))


if __name__ == "__main__":
    main()
