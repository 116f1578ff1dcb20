#!/usr/bin/env python3
"""The failure tail of the extraction bench, and the development half split again.

The shared bench (../shared/tools/extraction_bench.py) prints each tool's mean F1 on each
dataset's development half. A mean hides the pages where a tool takes the wrong block: this
script reads the bench's results.json and prints, per dataset and tool, the mean F1 on the
whole development half and on each of its two halves (pages split by the second hex digit of
sha1(dataset/id): "A" even, "B" odd — tune on one, check on the other), the count of pages
under F1 0.5, and for artconv the pages where it is more than 0.3 behind the best peer (and
ahead of it).

    python benchmarks/extraction_tail.py /tmp/xb/results.json [--pages]
    python benchmarks/extraction_tail.py NEW/results.json --before OLD/results.json

``--pages`` lists the tail's pages (artconv under 0.5, or 0.3 behind the best peer) with each
tool's F1; ``--before`` prints the change of each figure against an earlier run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
from pathlib import Path

OURS = "artconv"
PEERS = ("trafilatura", "trafilatura-precision", "readability")
FAIL = 0.5
BEHIND = 0.3


def half(dataset: str, page: str) -> str:
    """Which half of the development half a page is in: the bench took pages whose sha1
    starts with an even digit; this splits them by the next digit."""
    digest = hashlib.sha1(f"{dataset}/{page}".encode()).hexdigest()
    return "A" if int(digest[1], 16) % 2 == 0 else "B"


def figures(results: dict) -> dict[str, dict[str, dict[str, float]]]:
    """dataset -> tool -> figure -> value."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for dataset, result in results.items():
        per_page = result["per_page"]
        tools = [t for t in (OURS, *PEERS) if t in per_page]
        pages = sorted(set.intersection(*(set(per_page[t]) for t in tools)))
        f1 = {t: {p: per_page[t][p][2] for p in pages} for t in tools}
        rows: dict[str, dict[str, float]] = {}
        for tool in tools:
            row = {"pages": len(pages), "mean": statistics.fmean(f1[tool].values()),
                   "fail": sum(1 for v in f1[tool].values() if v < FAIL)}
            for name in "AB":
                mine = [f1[tool][p] for p in pages if half(dataset, p) == name]
                row[f"mean {name}"] = statistics.fmean(mine) if mine else 0.0
                row[f"fail {name}"] = sum(1 for v in mine if v < FAIL)
            rows[tool] = row
        if OURS in f1:
            peers = [t for t in tools if t != OURS]
            best = {p: max(f1[t][p] for t in peers) for p in pages}
            rows[OURS]["behind"] = sum(1 for p in pages if f1[OURS][p] < best[p] - BEHIND)
            rows[OURS]["ahead"] = sum(1 for p in pages if f1[OURS][p] > best[p] + BEHIND)
        out[dataset] = rows
    return out


def tail_pages(results: dict) -> list[tuple[str, str, dict[str, float]]]:
    found = []
    for dataset, result in results.items():
        per_page = result["per_page"]
        tools = [t for t in (OURS, *PEERS) if t in per_page]
        for page in sorted(per_page.get(OURS, {})):
            scores = {t: per_page[t][page][2] for t in tools if page in per_page[t]}
            best = max((v for t, v in scores.items() if t != OURS), default=0.0)
            if scores[OURS] < FAIL or scores[OURS] < best - BEHIND:
                found.append((dataset, page, scores))
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("results", type=Path)
    ap.add_argument("--before", type=Path, help="an earlier run's results.json")
    ap.add_argument("--pages", action="store_true", help="list the tail's pages")
    args = ap.parse_args()
    now = figures(json.loads(args.results.read_text("utf-8")))
    before = figures(json.loads(args.before.read_text("utf-8"))) if args.before else {}
    columns = ("pages", "mean", "mean A", "mean B", "fail", "fail A", "fail B", "behind",
               "ahead")
    print(f"{'dataset':<16} {'tool':<22}" + "".join(f"{c:>9}" for c in columns))
    for dataset, rows in now.items():
        for tool, row in rows.items():
            cells = []
            for c in columns:
                value = row.get(c)
                if value is None:
                    cells.append(f"{'':>9}")
                    continue
                old = before.get(dataset, {}).get(tool, {}).get(c)
                text = f"{value:.3f}" if isinstance(value, float) else str(value)
                if old is not None and old != value:
                    delta = value - old
                    text += f"{'+' if delta > 0 else ''}{delta:.3f}" if isinstance(value, float) \
                        else f"{'+' if delta > 0 else ''}{delta}"
                cells.append(f"{text:>9}" if len(text) <= 9 else f" {text}")
            print(f"{dataset:<16} {tool:<22}" + "".join(cells))
    if args.pages:
        print()
        for dataset, page, scores in tail_pages(json.loads(args.results.read_text("utf-8"))):
            print(f"{dataset:<16} {page:<40} " + " ".join(f"{t}={v:.2f}"
                                                          for t, v in scores.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
