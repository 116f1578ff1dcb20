#!/usr/bin/env python3
"""Convert a folder of articles with Dask into artconv JSON Lines (an article a line, read back
by ``artconv convert OUT.jsonl``); failures go to OUT.errors.jsonl.

    python examples/recipes/dask_jsonl.py INPUTS_DIR OUT.jsonl               # this machine
    python examples/recipes/dask_jsonl.py INPUTS_DIR OUT.jsonl --scheduler tcp://host:8786

Every worker needs artconv installed from the repository or a built wheel
(``pip install dist/artconv-*.whl``); the function they run is ``artconv.jobs.convert_file``,
part of the library, so no file of this folder has to reach them. A ``tcp://`` scheduler needs
``pip install 'dask[distributed]'``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from artconv.jobs import convert_file, read_file, write_results


def run(folder: Path, out: Path, scheduler: str = "processes") -> tuple[int, int]:
    import dask.bag as db

    paths = sorted(str(p) for p in folder.iterdir() if p.is_file())
    bag = db.from_sequence(paths, npartitions=max(1, min(len(paths), 32)))
    results = bag.map(read_file).starmap(convert_file)
    if "://" in scheduler:  # a distributed scheduler (dask.distributed)
        from dask.distributed import Client

        with Client(scheduler) as client:
            found = client.compute(results).result()
    else:
        found = results.compute(scheduler=scheduler)
    return write_results(found, str(out))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--scheduler", default="processes",
                        help="synchronous, threads, processes, or a tcp:// address")
    args = parser.parse_args()
    converted, failed = run(args.folder, args.out, args.scheduler)
    print(f"converted {converted}, failed {failed}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
