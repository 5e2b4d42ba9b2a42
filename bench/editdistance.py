#!/usr/bin/env python
"""The review page's "people changed N% of the machine's words": ``python bench/editdistance.py``.

Times ``reviews.editdistance.changed_share`` on paragraphs of the longest size a
paragraph may have (10,000 characters, about 1,700 words) for edit patterns
from one changed word to a full rewrite, and on short paragraphs for
comparison. Needs no database. Prints a table and writes
bench/results/editdistance.json (``editdistance_<pattern>_ms``: the median of
``--repeat`` runs, and whether the answer was exact).
"""

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reviews.editdistance import changed_share  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "editdistance.json"


def paragraph(words, rng):
    return [f"w{rng.randrange(5000)}" for _ in range(words)]


def edited(words, share, rng):
    """``words`` with ``share`` of them replaced, inserted or deleted, spread evenly."""
    out = list(words)
    count = round(len(words) * share)
    for spot in sorted(rng.sample(range(len(out)), count), reverse=True):
        kind = rng.choice("rid")
        if kind == "r":
            out[spot] = f"x{rng.randrange(5000)}"
        elif kind == "i":
            out.insert(spot, f"x{rng.randrange(5000)}")
        else:
            del out[spot]
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(15)
    long = paragraph(1700, rng)
    short = paragraph(60, rng)
    cases = {
        "long_one_word": (long, edited(long, 1 / 1700, rng)),
        "long_1pct": (long, edited(long, 0.01, rng)),
        "long_5pct": (long, edited(long, 0.05, rng)),
        "long_20pct": (long, edited(long, 0.20, rng)),
        "long_rewrite": (long, paragraph(1700, rng)),
        "short_20pct": (short, edited(short, 0.20, rng)),
    }
    figures = {}
    print(f"{'pattern':<16} {'chars':>6} {'ms (median)':>12} {'changed':>8} exact")
    for name, (machine, human) in cases.items():
        a, b = " ".join(machine), " ".join(human)
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            change = changed_share(a, b)
            times.append((time.perf_counter() - start) * 1000)
        median = statistics.median(times)
        figures[f"editdistance_{name}_ms"] = round(median, 2)
        figures[f"editdistance_{name}_exact"] = not change.approximate
        print(f"{name:<16} {len(a):>6} {median:>12.2f} {change.percent:>7}% "
              f"{'yes' if not change.approximate else 'lower bound'}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
