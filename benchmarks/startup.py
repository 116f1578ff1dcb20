#!/usr/bin/env python3
"""The seed one-liner's start-up beside a bare interpreter and pandoc: medians of 25 runs,
wall and CPU (user + system of the child) in ms.

    python benchmarks/startup.py [ARTCONV [PYTHON [PANDOC]]]

ARTCONV defaults to the ``artconv`` on PATH (install it as the README says: ``pip install .``);
PANDOC to the one on PATH, else pypandoc_binary's.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "examples" / "officials-social-media.txt")
RUNS = 25


def cpu_ms(cmd: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        times.append((usage.ru_utime + usage.ru_stime) * 1000)
    return statistics.median(times)


def wall_ms(cmd: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def pandoc() -> str | None:
    found = shutil.which("pandoc")
    if found:
        return found
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return None


def main() -> int:
    artconv = sys.argv[1] if len(sys.argv) > 1 else shutil.which("artconv") or "artconv"
    python = sys.argv[2] if len(sys.argv) > 2 else sys.executable
    runs = [("python -c pass", [python, "-c", "pass"]),
            ("python -I -S -c pass", [python, "-I", "-S", "-c", "pass"]),
            ("artconv seed -> md", [artconv, "convert", EXAMPLE, "-t", "md"])]
    found = sys.argv[3] if len(sys.argv) > 3 else pandoc()
    if found:
        runs.append(("pandoc seed -> commonmark", [found, EXAMPLE, "-f", "markdown", "-t",
                                                   "commonmark"]))
    for name, cmd in runs:
        print(f"{name:28} wall {wall_ms(cmd):6.1f} ms   CPU {cpu_ms(cmd):6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
