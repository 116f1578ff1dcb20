#!/usr/bin/env python3
"""Start-up, batch throughput and peak memory: artconv beside pandoc and trafilatura.

    python benchmarks/speed.py [CORPUS_DIR] [--runs N]

(a) the seed text dump to Markdown as a fresh process, artconv and pandoc (median of N runs,
    interleaved so that both see the same machine);
(b) every page of CORPUS_DIR (default ../shared/corpora/readability, else the copy in
    tests/fixtures/readability) to Markdown: artconv as one batch, artconv --jobs 2, pandoc one
    process per page, trafilatura in-process; pages per second and ratios;
(c) the peak memory (max RSS) of each.

Peers that are not installed are reported as such. Everything comes from one run, so the ratios
compare like with like.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "examples" / "officials-social-media.txt"

# Runs a command (or, with "--python CODE", some Python) in a child and prints its wall time
# and the peak RSS of everything it started.
_MEASURE = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
if sys.argv[1] == "--python":
    exec(sys.argv[2])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
else:
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": time.perf_counter() - start, "peak_kb": peak}))
"""

_PANDOC_LOOP = r"""
import pathlib, subprocess, sys
for page in sorted(pathlib.Path(sys.argv[3]).glob("*.html")):
    subprocess.run(["pandoc", "-f", "html", "-t", "commonmark", str(page), "-o",
                    str(pathlib.Path(sys.argv[4]) / (page.stem + ".md"))],
                   stderr=subprocess.DEVNULL)
"""

_TRAFILATURA_LOOP = r"""
import pathlib, sys, trafilatura
for page in sorted(pathlib.Path(sys.argv[3]).glob("*.html")):
    trafilatura.extract(page.read_bytes(), output_format="markdown", include_images=True,
                        include_links=True)
"""


def _pandoc_on_path() -> None:
    """pandoc from PATH, else the binary pypandoc_binary ships (a test extra)."""
    if shutil.which("pandoc"):
        return
    try:
        import pypandoc

        found = Path(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return
    os.environ["PATH"] = f"{found.parent}{os.pathsep}{os.environ.get('PATH', '')}"


def measure(args: list[str]) -> dict[str, float]:
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True,
                          text=True, timeout=3600)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def artconv_cmd() -> list[str]:
    found = shutil.which("artconv")
    return [found] if found else [sys.executable, "-m", "artconv"]


def one_liner(runs: int) -> None:
    print("(a) the seed text dump to Markdown, a fresh process each time "
          f"(median of {runs} runs)")
    commands = {"artconv": [*artconv_cmd(), "convert", str(SEED), "-t", "md"]}
    if shutil.which("pandoc"):
        commands["pandoc"] = ["pandoc", "-f", "markdown", "-t", "commonmark", str(SEED)]
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(t) * 1000 for name, t in times.items()}
    for name, ms in medians.items():
        print(f"    {name:<10} {ms:6.1f} ms")
    if "pandoc" in medians:
        print(f"    artconv / pandoc = {medians['artconv'] / medians['pandoc']:.2f}")
    else:
        print("    pandoc     not installed")


def batch(corpus: Path) -> None:
    folders = sorted(p for p in corpus.iterdir() if (p / "source.html").exists())
    work = Path(tempfile.mkdtemp())
    pages = work / "pages"
    pages.mkdir()
    for folder in folders:
        shutil.copy(folder / "source.html", pages / f"{folder.name}.html")
    inputs = sorted(str(p) for p in pages.iterdir())
    n = len(inputs)
    print(f"\n(b, c) {n} saved pages to Markdown")
    results: dict[str, dict[str, float]] = {}
    results["artconv batch"] = measure([*artconv_cmd(), "convert", *inputs, "-f", "html", "-t",
                                        "md", "-o", f"{work}/a/", "-q"])
    results["artconv --jobs 2"] = measure([*artconv_cmd(), "convert", *inputs, "-f", "html",
                                           "-t", "md", "-o", f"{work}/b/", "-q", "--jobs",
                                           "2"])
    if shutil.which("pandoc"):
        (work / "p").mkdir()
        results["pandoc per page"] = measure(["--python", _PANDOC_LOOP, str(pages),
                                              str(work / "p")])
    try:
        import trafilatura  # noqa: F401

        results["trafilatura"] = measure(["--python", _TRAFILATURA_LOOP, str(pages)])
    except ImportError:
        pass
    base = results["artconv batch"]["seconds"]
    for name, r in results.items():
        rate = n / r["seconds"]
        print(f"    {name:<18} {r['seconds']:7.2f} s  {rate:7.1f} pages/s  "
              f"{1000 * r['seconds'] / n:6.1f} ms/page  x{r['seconds'] / base:5.2f} of the "
              f"artconv batch  peak {r['peak_kb'] / 1024:6.0f} MB")
    for missing in ("pandoc per page", "trafilatura"):
        if missing not in results:
            print(f"    {missing:<18} not installed")
    jobs = results["artconv --jobs 2"]["seconds"]
    print(f"    --jobs 2 speed-up: {base / jobs:.2f}x on {os.cpu_count()} CPUs")
    shutil.rmtree(work)


def main() -> int:
    parser = argparse.ArgumentParser()
    default = ROOT.parent / "shared" / "corpora" / "readability"
    parser.add_argument("corpus", nargs="?", type=Path, default=default if default.is_dir()
                        else ROOT / "tests" / "fixtures" / "readability")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    _pandoc_on_path()
    one_liner(args.runs)
    batch(args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
