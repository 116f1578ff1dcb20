#!/usr/bin/env python3
"""artconv's HTML reader on Mozilla Readability's test pages, beside trafilatura and
readability-lxml when they are installed.

    python benchmarks/readability_corpus.py [CORPUS_DIR]

CORPUS_DIR defaults to ../shared/corpora/readability (130 pages), else the 26 pages copied
into tests/fixtures/readability. Prints, per tool: body-text F1 (bag of words against
Readability's expected.html, read as UTF-8), image recall (file names), link recall (hrefs as
the page wrote them; for artconv also with --base-url set to the address Readability's test
harness resolves against), title, language and byline agreement, and seconds per page.
artconv runs as one batch process, as a CI job would; the peers run in-process.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.quality import basename, expected, score  # noqa: E402

FAKEHOST = "http://fakehost/test/page.html"


def run_artconv(folders: list[Path], *extra: str) -> tuple[dict[str, Any], float]:
    tmp = Path(tempfile.mkdtemp())
    src, dst = tmp / "in", tmp / "out"
    src.mkdir()
    for folder in folders:
        shutil.copy(folder / "source.html", src / f"{folder.name}.html")
    start = time.perf_counter()
    command = [shutil.which("artconv") or ""] if shutil.which("artconv") else \
        [sys.executable, "-m", "artconv"]
    subprocess.run([*command, "convert", *sorted(str(p) for p in src.iterdir()), "--from",
                    "html", "--to", "json", "--output", f"{dst}/", "--quiet", *extra],
                   check=False)
    wall = time.perf_counter() - start
    from tests.quality import observed

    results = {}
    for folder in folders:
        try:
            doc = json.loads((dst / f"{folder.name}.json").read_text(encoding="utf-8"))
            results[folder.name] = observed(doc)
        except (OSError, ValueError):
            results[folder.name] = {"text": "", "images": set(), "links": set(), "meta": {}}
    shutil.rmtree(tmp)
    return results, wall


def run_trafilatura(folders: list[Path]) -> tuple[dict[str, Any], float]:
    import lxml.etree
    import trafilatura

    results, start = {}, time.perf_counter()
    for folder in folders:
        xml = trafilatura.extract((folder / "source.html").read_bytes(), output_format="xml",
                                  include_images=True, include_links=True, with_metadata=True)
        if not xml:
            results[folder.name] = {"text": "", "images": set(), "links": set(), "meta": {}}
            continue
        tree = lxml.etree.fromstring(xml.encode())
        body = tree.find("main")
        results[folder.name] = {
            "text": " ".join(body.itertext()) if body is not None else "",
            "images": {basename(g.get("src")) for g in tree.iter("graphic") if g.get("src")},
            "links": {r.get("target") for r in tree.iter("ref") if r.get("target")},
            "meta": {"title": tree.get("title"), "lang": tree.get("language"),
                     "authors": [tree.get("author")] if tree.get("author") else []},
        }
    return results, time.perf_counter() - start


def run_readability(folders: list[Path]) -> tuple[dict[str, Any], float]:
    import lxml.html
    from readability import Document

    results, start = {}, time.perf_counter()
    for folder in folders:
        try:
            document = Document((folder / "source.html").read_bytes())
            tree = lxml.html.fromstring(document.summary(html_partial=True))
            results[folder.name] = {
                "text": tree.text_content(),
                "images": {basename(i.get("src")) for i in tree.iter("img")},
                "links": {a.get("href") for a in tree.iter("a") if a.get("href")},
                "meta": {"title": document.title()},  # readability-lxml reads no byline
            }
        except Exception:  # noqa: BLE001 - a peer's failure scores zero
            results[folder.name] = {"text": "", "images": set(), "links": set(), "meta": {}}
    return results, time.perf_counter() - start


def summarise(name: str, folders: list[Path], truths: dict[str, Any],
              results: dict[str, Any], wall: float) -> str:
    scores = [score(truths[f.name], results[f.name]) for f in folders]
    n = len(scores)
    f1 = sum(s["f1"] for s in scores) / n
    images = [sum(s["images"][i] for s in scores) for i in (0, 1)]
    links = [sum(s["links"][i] for s in scores) for i in (0, 1)]
    titles = sum(1 for s in scores if s["title"])
    langs = [s["lang"] for s in scores if s["lang"] is not None]
    bylines = [s["byline"] for s in scores if s["byline"] is not None]
    return (f"{name:<22} F1 {f1:.3f}  images {images[0]}/{images[1]}  links {links[0]}/"
            f"{links[1]}  title {titles}/{n}  lang {sum(langs)}/{len(langs)}  "
            f"byline {sum(bylines)}/{len(bylines)}  "
            f"{1000 * wall / n:.1f} ms/page ({wall:.1f} s)")


def main() -> int:
    default = HERE.parent.parent / "shared" / "corpora" / "readability"
    if not default.is_dir():
        default = HERE.parent / "tests" / "fixtures" / "readability"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=default,
                        help="a folder of <page>/source.html and expected.html "
                             "(default: %(default)s)")
    corpus = parser.parse_args().corpus
    if not corpus.is_dir():
        parser.error(f"{corpus}: not a folder")
    folders = sorted(p for p in corpus.iterdir() if (p / "source.html").exists())
    truths = {f.name: expected(f) for f in folders}
    print(f"{len(folders)} pages from {corpus}")
    results, wall = run_artconv(folders)
    print(summarise("artconv", folders, truths, results, wall))
    resolved, wall2 = run_artconv(folders, "--base-url", FAKEHOST)
    print(summarise("artconv --base-url", folders, truths, resolved, wall2))
    for name, runner in (("trafilatura", run_trafilatura), ("readability-lxml",
                                                           run_readability)):
        try:
            results, wall = runner(folders)
        except ImportError as exc:
            print(f"{name:<22} not installed ({exc})")
            continue
        print(summarise(name, folders, truths, results, wall))
    return 0


if __name__ == "__main__":
    sys.exit(main())
