#!/usr/bin/env python3
"""Would a second opinion close artconv's failure tail? A replay over the extraction bench's
cached outputs (no page is converted again).

For every page of the development halves: artconv's and readability-lxml's texts, and two
rules a fallback would use, for M in 1.5, 2, 3, 4 and a containment C of 0.8, 0.9, 0.95:
"too much" (take readability-lxml's text when artconv's holds C of its words and M times as
many) and "too little" (take it when it holds C of artconv's words and M times as many). For
each rule, half (as benchmarks/extraction_tail.py splits them) and dataset: the change of mean
F1, the pages switched, and the change of the count of pages under F1 0.5.
docs/extraction.md gives the figures and the decision.

    python benchmarks/second_opinion.py BENCH_OUT      # the bench's --out folder
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extraction_tail import half  # noqa: E402

BENCH = Path(__file__).resolve().parents[2] / "shared" / "tools" / "extraction_bench.py"
DATASETS = ("dragnet", "l3s-gn1", "cleaneval", "cleanportaleval")
TOKEN = re.compile(r"\w+")


def rows(out: Path) -> list[dict]:
    spec = importlib.util.spec_from_file_location("extraction_bench", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    found = []
    for ds in DATASETS:
        truth = json.loads((out / ds / "truth.json").read_text("utf-8"))["truth"]
        ours = json.loads((out / ds / "artconv.json").read_text("utf-8"))["pages"]
        theirs = json.loads((out / ds / "readability.json").read_text("utf-8"))["pages"]
        for page, result in ours.items():
            if not truth.get(page, "").strip():
                continue
            a = bench.artconv_text(result.get("doc"))
            r = theirs[page].get("text") or ""
            ta, tr = set(TOKEN.findall(a.lower())), set(TOKEN.findall(r.lower()))
            found.append({
                "ds": ds, "half": half(ds, page),
                "fa": bench.token_prf(truth[page], a)[2], "fr": bench.token_prf(truth[page], r)[2],
                "na": len(TOKEN.findall(a)), "nr": len(TOKEN.findall(r)),
                "r_in_a": len(ta & tr) / max(1, len(tr)), "a_in_r": len(ta & tr) / max(1, len(ta)),
            })
    return found


def evaluate(data: list[dict], rule: Callable[[dict], bool], which: str) -> dict[str, tuple]:
    out = {}
    for ds in DATASETS:
        pages = [r for r in data if r["ds"] == ds and r["half"] == which]
        if not pages:
            continue
        new = [r["fr"] if rule(r) else r["fa"] for r in pages]
        out[ds] = (round(statistics.fmean(new) - statistics.fmean(r["fa"] for r in pages), 4),
                   sum(1 for r in pages if rule(r)),
                   sum(1 for x in new if x < 0.5) - sum(1 for r in pages if r["fa"] < 0.5))
    return out


def main() -> int:
    data = rows(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/xb"))
    print("rule: (mean F1 change, pages switched, change of pages under 0.5) per dataset")
    for m, c in itertools.product((1.5, 2, 3, 4), (0.8, 0.9, 0.95)):
        def much(r: dict, m: float = m, c: float = c) -> bool:
            return r["nr"] >= 10 and r["na"] > m * r["nr"] and r["r_in_a"] >= c

        def little(r: dict, m: float = m, c: float = c) -> bool:
            return r["na"] > 0 and r["nr"] > m * r["na"] and r["a_in_r"] >= c

        for name, rule in (("too much", much), ("too little", little)):
            print(f"M={m} C={c} {name:<10} A: {evaluate(data, rule, 'A')}")
            print(f"{'':<22} B: {evaluate(data, rule, 'B')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
