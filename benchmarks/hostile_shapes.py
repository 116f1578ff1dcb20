#!/usr/bin/env python3
"""Cost of hostile input shapes: CPU seconds, seconds per MB and peak memory of one
``artconv convert`` per shape, beside pandoc's where pandoc is installed (and reads the
format). Issue 11's budget: any input up to 20 MB converts in under 1 GB, at a cost per MB no
worse than the seed's.

    python benchmarks/hostile_shapes.py            # every shape
    python benchmarks/hostile_shapes.py srcset br  # the shapes whose name holds a word

Prints one line per shape; the test suite runs small versions of the same shapes
(tests/test_hostile.py) with budgets in CPU time.
"""

from __future__ import annotations

import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "text" / "seed.txt"


def _json_list(items: int, start: int) -> bytes:
    doc = {"version": 1, "meta": {"title": "List", "subtitle": None, "authors": [], "date": None,
                                  "lang": "en", "section": None, "site": None, "url": None},
           "blocks": [{"type": "list", "ordered": True, "start": start,
                       "items": [[] for _ in range(items)]}]}
    return json.dumps(doc).encode()


def _epub(spine_repeats: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" '
                   'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                   '<rootfile full-path="c.opf" media-type="application/oebps-package+xml"/>'
                   "</rootfiles></container>")
        refs = '<itemref idref="c"/>' * spine_repeats
        z.writestr("c.opf", '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf"'
                   ' version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
                   "<dc:title>T</dc:title></metadata><manifest><item id=\"c\" href=\"c.xhtml\""
                   ' media-type="application/xhtml+xml"/></manifest><spine>' + refs +
                   "</spine></package>")
        z.writestr("c.xhtml", '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Chapter'
                   "</p></body></html>")
    return out.getvalue()


def _many_entries(count: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("mimetype", "application/epub+zip")
        for n in range(count):
            z.writestr(f"e{n}", b"")
    return out.getvalue()


def shapes() -> list[tuple[str, str, Callable[[], bytes], list[str]]]:
    """(name, file name, a function that makes the bytes, extra arguments): made one at a
    time, so that this process stays small (a child's peak memory counts its parent's pages
    until it runs artconv)."""
    page = "<html><body><article><h1>T</h1><p>Some text of the page.</p>{}</article></body></html>"
    para = "A short paragraph of text here."

    def html(inner: str) -> Callable[[], bytes]:
        return lambda: page.format(inner).encode()

    return [
        ("seed (reference)", "seed.txt", SEED.read_bytes, []),
        ("srcset, one 10.9 KB token", "s1.html", html('<img srcset="' + "a" * 10_900 + '">'),
         []),
        ("srcset, 20 KB of dots", "s2.html", html('<img srcset="' + "a." * 10_000 + '">'), []),
        ("srcset, 20 KB of items", "s3.html", html('<img srcset="' + "x.jpg 1x," * 2_200 + '">'),
         []),
        ("lazy attribute, 20 KB URL-like value", "s4.html",
         html('<img data-foo="' + "a.jpg" * 4_000 + ' 1">'), []),
        ("placeholder, 20 KB name", "s5.html", html('<img src="/blank' + "_x" * 10_000 + '.gif">'),
         []),
        ("srcset through a Markdown HTML block", "s6.md",
         lambda: ("# T\n\n<div><img srcset=\"" + "a" * 20_000 + "\"></div>\n").encode(), []),
        ("50,000 attributes on one element", "attrs.html",
         lambda: page.format("<p " + " ".join(f"a{i}=1" for i in range(50_000)) + ">x</p>")
         .encode(), []),
        ("JSON list, 30,000 empty items", "list.json", lambda: _json_list(30_000, 999_999_999),
         []),
        ("EPUB spine naming one chapter 20,000 times", "spine.epub", lambda: _epub(20_000), []),
        ("zip declaring 200,000 entries", "many.epub", lambda: _many_entries(200_000), []),
        ("dump, 1,000,000 list items", "items.txt",
         lambda: ("Title\n\n" + "".join(f"- item {i}\n" for i in range(1_000_000))).encode(),
         []),
        ("dump, 1,000,000 image lines", "images.txt",
         lambda: ("Title\n\n" + "".join(f"{i:08x}.jpg\n" for i in range(1_000_000))).encode(),
         []),
        ("dump, 1,000,000 related items", "related.txt",
         lambda: ("Title\n\nBody.\n\nЧитайте также\n\n" + "".join(
             f"Item {i}\n\n" for i in range(1_000_000))).encode(), []),
        ("Markdown, '[a] ' x 250,000", "brackets.md", lambda: b"[a] " * 250_000, []),
        ("Markdown, '![' x 400,000", "bang.md", lambda: b"![" * 400_000, []),
        ("GFM table, 8,000 rows", "table.md", lambda: (
            "| a | b |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(8_000))).encode(),
         ["-f", "gfm"]),
        ("GFM table, 80,000 rows", "table80.md", lambda: (
            "| a | b |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(80_000)))
         .encode(), ["-f", "gfm"]),
        ("Markdown, 1,000,000 list items", "list.md",
         lambda: "".join(f"- item {i}\n" for i in range(1_000_000)).encode(), []),
        ("HTML, <br> x 400,000", "br.html", html("<p>x" + "<br>" * 400_000 + "</p>"), []),
        ("HTML, 300,000 short paragraphs", "paras.html",
         html("".join(f"<p>{para} {i}</p>" for i in range(300_000))), []),
        ("JSON Lines, 40,000 articles into one EPUB", "many.jsonl", lambda: "".join(
            json.dumps({**json.loads(_json_list(1, 1)), "blocks": [
                {"type": "paragraph", "children": [{"type": "text", "text": f"Article {i}."}]}]})
            + "\n" for i in range(40_000)).encode(), ["-t", "epub"]),
    ]


def measure(command: list[str]) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, peak MB, exit status) of a child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss // 1024, proc.returncode


def artconv_command() -> list[str]:
    found = shutil.which("artconv")
    return [found] if found else [sys.executable, "-m", "artconv"]


def main(argv: list[str]) -> int:
    pandoc = shutil.which("pandoc")
    print(f"{'shape':<44} {'MB':>6} {'CPU s':>7} {'s/MB':>7} {'peak MB':>8} {'exit':>4}"
          + ("   pandoc s  MB" if pandoc else ""))
    with tempfile.TemporaryDirectory() as work:
        for name, filename, make, extra in shapes():
            if argv and not any(word in name for word in argv):
                continue
            path = Path(work) / filename
            path.write_bytes(make())
            size = path.stat().st_size / 1e6
            to = "json" if filename.endswith(".epub") else "md"
            target = Path(work) / "out"
            if "-t" in extra:
                to = extra[extra.index("-t") + 1]
                extra = [a for a in extra if a not in ("-t", to)]
            _, cpu, peak, status = measure([*artconv_command(), "convert", str(path), "-t", to,
                                            "-q", "-o", f"{target}.{to}", *extra])
            line = (f"{name:<44} {size:>6.2f} {cpu:>7.2f} {cpu / max(size, 0.001):>7.2f} "
                    f"{peak:>8} {status:>4}")
            if pandoc and path.suffix in (".html", ".md", ".epub"):
                fmt = {".html": "html", ".md": "commonmark", ".epub": "epub"}[path.suffix]
                _, pcpu, ppeak, _ = measure([pandoc, "-f", fmt, "-t", "commonmark",
                                             str(path), "-o", os.devnull])
                line += f"   {pcpu:>8.2f} {ppeak:>4}"
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (4 * 1024 ** 3, 4 * 1024 ** 3))
    sys.exit(main(sys.argv[1:]))
