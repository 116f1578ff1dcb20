#!/usr/bin/env python3
"""Convert a folder of article dumps with Dask: one task per file, artconv.convert in each.

    python examples/recipes/dask_jsonl.py DUMPS_DIR OUT.jsonl [--scheduler processes]

artconv.convert is a pure function of bytes, so any engine that can map a Python function over
files or records can run it: here Dask bags (``pip install 'dask[bag]'``). The same function runs
unchanged on a distributed cluster (``dask.distributed.Client(...)``) or in Spark
(``sc.binaryFiles(path).map(lambda kv: convert_one(kv[0], kv[1]))``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def convert_one(path: str, data: bytes) -> str:
    """One input to one JSON Lines record; a failure becomes a record too, never an exception
    that would stop the whole job."""
    import artconv
    from artconv.formats import by_extension

    fmt = by_extension(path)
    try:
        line = artconv.convert(data, "jsonl", from_=fmt.name if fmt else None,
                               log=artconv.Log())
        doc = json.loads(line)
        return json.dumps({"path": path, "article": doc}, ensure_ascii=False)
    except artconv.ArtconvError as exc:
        return json.dumps({"path": path, "error": str(exc)}, ensure_ascii=False)


def run(folder: Path, out: Path, scheduler: str = "synchronous") -> tuple[int, int]:
    import dask
    import dask.bag as db

    paths = sorted(str(p) for p in folder.iterdir() if p.is_file())
    bag = db.from_sequence(paths, npartitions=max(1, min(len(paths), 8)))
    records = bag.map(lambda p: convert_one(p, Path(p).read_bytes()))
    with dask.config.set(scheduler=scheduler):
        lines = records.compute()
    out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    failed = sum(1 for line in lines if '"error"' in line[:200] and json.loads(line).get("error"))
    return len(lines) - failed, failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scheduler", default="processes",
                        choices=["synchronous", "threads", "processes"])
    args = parser.parse_args()
    converted, failed = run(args.folder, args.out, args.scheduler)
    print(f"converted {converted}, failed {failed}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
