#!/usr/bin/env python3
"""Cost per node: inputs of every shape, made to a size (20 MB by default), each converted to
every output format by ``artconv convert`` in a child process limited to one core; CPU seconds,
peak memory, memory per model node and CPU per MB against the seed-shaped input's. Issue 20's
budget: any input up to 20 MB converts to every format in under 10 s of CPU and 1 GB peak, at
most 500 bytes of peak memory per model node, at a cost per MB within 3x of the seed shape's.

    python benchmarks/hostile_shapes.py                    # every shape, every format, 20 MB
    python benchmarks/hostile_shapes.py --mb 5 list table  # shapes whose name holds a word
    python benchmarks/hostile_shapes.py --to md json       # some formats only
    python benchmarks/hostile_shapes.py --small            # the older small shapes too

Prints a line per shape and format, then the shapes over budget (exit 1 when there are). The
suite runs small versions of these shapes (tests/test_hostile.py, tests/test_cost.py) with
budgets in CPU time; pandoc is measured beside artconv with --pandoc where it reads the input.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "text" / "seed.txt"
KITCHEN_SINK = ROOT / "tests" / "fixtures" / "writers" / "kitchen-sink.json"
FORMATS = ["md", "gfm", "html", "json", "jsonl", "text", "epub"]
CPU_BUDGET = 10.0  # seconds
MEMORY_BUDGET = 1024  # MB
BYTES_PER_NODE = 500
PER_MB_FACTOR = 3.0

META = {"title": "Shape", "subtitle": None, "authors": [], "date": None, "modified": None,
        "lang": "en", "section": None, "categories": [], "tags": [], "description": None,
        "image": None, "site": None, "hostname": None, "url": None, "license": None,
        "extra": []}


def _text(text: str) -> dict:
    return {"type": "text", "text": text}


def _para(*inlines: dict) -> dict:
    return {"type": "paragraph", "children": list(inlines)}


def _json(blocks: list[dict]) -> bytes:
    return json.dumps({"version": 2, "meta": META, "blocks": blocks},
                      ensure_ascii=False).encode()


def _count(unit: int, size: int) -> int:
    return max(1, size // max(unit, 1))


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> bytes:
    return (head + unit * _count(len(unit.encode()), size) + tail).encode()


def _numbered(template: str, size: int, head: str = "", tail: str = "") -> bytes:
    unit = len(template.format(i=10 ** 6).encode())
    return (head + "".join(template.format(i=i) for i in range(_count(unit, size)))
            + tail).encode()


def _seed_shaped(size: int) -> bytes:
    """The seed article's body, its paragraphs repeated (pictures and all)."""
    title, _, body = SEED.read_text(encoding="utf-8").partition("\n\n")
    body = body.split("Другие материалы рубрики")[0]
    return (title + "\n\n" + body * _count(len(body.encode()), size)).encode()


def _json_paragraphs(size: int) -> bytes:
    one = len(json.dumps(_para(_text("Paragraph 100000."))))
    return _json([_para(_text(f"Paragraph {i}.")) for i in range(_count(one + 2, size))])


def _json_table(size: int) -> bytes:
    side = 1
    while (side + 1) ** 2 * 40 < size:
        side += 1
    rows = [[[_text(f"{r}.{c}")] for c in range(side)] for r in range(side)]
    return _json([{"type": "table", "header_rows": 1, "align": [], "rows": rows}])


def _inline_tree(depth: int) -> dict:
    """A full binary tree of spans ``depth`` deep: 2**depth leaves of text."""
    if depth == 0:
        return _text("x")
    kind = ("emphasis", "strong", "strikethrough", "superscript")[depth % 4]
    return {"type": kind, "children": [_inline_tree(depth - 1), _inline_tree(depth - 1)]}


def _json_inline_tree(size: int) -> bytes:
    depth = 1
    while 2 ** (depth + 1) * 60 < size and depth < 40:
        depth += 1
    return _json([_para(_inline_tree(depth))])


def _json_every_node(size: int) -> bytes:
    """The kitchen sink's blocks (every node type of the model), repeated."""
    doc = json.loads(KITCHEN_SINK.read_bytes())
    unit = len(json.dumps(doc["blocks"], ensure_ascii=False).encode())
    doc["blocks"] = doc["blocks"] * _count(unit, size)
    return json.dumps(doc, ensure_ascii=False).encode()


def _json_deep(size: int) -> bytes:
    """Quotes and lists nested as deep as the model allows, a paragraph at the bottom, repeated
    side by side."""
    def deep(level: int) -> dict:
        if level == 0:
            return _para(_text("deep"))
        if level % 2:
            return {"type": "quote", "blocks": [deep(level - 1)], "attribution": None}
        return {"type": "list", "ordered": False, "start": 1, "tight": True,
                "items": [[deep(level - 1)]]}
    one = deep(40)
    unit = len(json.dumps(one).encode())
    return _json([one] * _count(unit, size))


def _jsonl(size: int) -> bytes:
    line = json.dumps({"version": 2, "meta": META, "blocks": [_para(_text("Article @."))]})
    head, tail = line.split("@")
    return _numbered(head.replace("{", "{{").replace("}", "}}") + "{i}"
                     + tail.replace("{", "{{").replace("}", "}}") + "\n", size)


def _markdown_kitchen_sink(size: int) -> bytes:
    text = (ROOT / "tests" / "fixtures" / "writers" / "kitchen-sink.gfm.md").read_text()
    body = text.split("---\n", 2)[2]
    return _repeat(body + "\n\n", size)


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


PAGE = "<html><body><article><h1>T</h1><p>Some text of the page.</p>{}</article></body></html>"


def shapes() -> list[tuple[str, str, Callable[[int], bytes]]]:
    """(name, file name, a function of the size in bytes to the input): made one at a time."""
    return [
        ("seed-shaped dump (reference)", "seed.txt", _seed_shaped),
        ("dump: list items", "items.txt", lambda n: _numbered("- item {i}\n", n, "Title\n\n")),
        ("dump: picture lines", "images.txt", lambda n: _numbered("{i:08x}.jpg\n", n,
                                                                  "Title\n\n")),
        ("dump: related items", "related.txt", lambda n: _numbered(
            "Item {i}\n\n", n, "Title\n\nBody.\n\nЧитайте также\n\n")),
        ("dump: indented list lines", "indented.txt", lambda n: _numbered(
            "- item {i}\n    - sub {i}\n", n, "Title\n\n")),
        ("dump: paragraphs", "paras.txt", lambda n: _numbered(
            "A paragraph of the article, number {i}.\n\n", n, "Title\n\n")),
        ("JSON: paragraphs", "paras.json", _json_paragraphs),
        ("JSON: square table", "table.json", _json_table),
        ("JSON: binary tree of spans", "tree.json", _json_inline_tree),
        ("JSON: every node type, repeated", "every.json", _json_every_node),
        ("JSON: deep nesting, repeated", "deep.json", _json_deep),
        ("JSON Lines: one-paragraph articles", "many.jsonl", _jsonl),
        ("Markdown: inline links", "links.md", lambda n: _numbered(
            "[link {i}](https://example.com/{i}) ", n)),
        ("Markdown: one reference used everywhere", "refs.md", lambda n: _repeat(
            "[x] ", n, tail="\n\n[x]: https://example.com/x\n")),
        ("Markdown: GFM table, wide", "wide.md", lambda n: _wide_table(n)),
        ("Markdown: GFM table, long", "long.md", lambda n: _numbered(
            "| {i} | x |\n", n, "| a | b |\n|---|---|\n")),
        ("Markdown: list items", "list.md", lambda n: _numbered("- item {i}\n", n)),
        ("Markdown: kitchen sink, repeated", "sink.md", _markdown_kitchen_sink),
        ("Markdown: emphasis", "emph.md", lambda n: _numbered("*a {i}* **b** `c` ", n)),
        ("HTML: paragraphs", "paras.html", lambda n: _numbered(
            "<p>A short paragraph of text here {i}.</p>", n, PAGE.split("{}")[0],
            PAGE.split("{}")[1])),
        ("HTML: <br>", "br.html", lambda n: _repeat("x<br>", n, PAGE.split("{}")[0] + "<p>",
                                                    "</p>" + PAGE.split("{}")[1])),
        ("HTML: links", "links.html", lambda n: _numbered(
            '<a href="/a/{i}">link {i}</a> ', n, PAGE.split("{}")[0] + "<p>",
            "</p>" + PAGE.split("{}")[1])),
        ("HTML: pictures", "pics.html", lambda n: _numbered(
            '<figure><img src="/i/{i}.jpg" alt="p"><figcaption>c {i}</figcaption></figure>',
            n, PAGE.split("{}")[0], PAGE.split("{}")[1])),
        ("HTML: nested divs", "divs.html", lambda n: _repeat(
            "<div><p>text</p>", n, PAGE.split("{}")[0], PAGE.split("{}")[1])),
    ]


def _wide_table(size: int) -> bytes:
    columns = _count(6, size // 2)
    head = "|" + "|".join(f"c{i}" for i in range(columns)) + "|\n"
    rule = "|" + "|".join("-" for _ in range(columns)) + "|\n"
    row = "|" + "|".join("x" for _ in range(columns)) + "|\n"
    rows = max(1, (size - len(head) - len(rule)) // max(len(row), 1))
    return (head + rule + row * rows).encode()


SMALL = [  # issue 11's shapes, small inputs that once took quadratic time
    ("srcset, one 10.9 KB token", "s1.html",
     lambda: PAGE.format('<img srcset="' + "a" * 10_900 + '">').encode()),
    ("50,000 attributes on one element", "attrs.html",
     lambda: PAGE.format("<p " + " ".join(f"a{i}=1" for i in range(50_000)) + ">x</p>")
     .encode()),
    ("EPUB spine naming one chapter 20,000 times", "spine.epub", lambda: _epub(20_000)),
    ("zip declaring 200,000 entries", "many.epub", lambda: _many_entries(200_000)),
    ("Markdown, '![' x 400,000", "bang.md", lambda: b"![" * 400_000),
]


def measure(command: list[str]) -> tuple[float, int, int]:
    """(CPU seconds, peak MB, exit status) of a child process, on one core."""
    def one_core() -> None:
        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=one_core)
    _, status, usage = os.wait4(proc.pid, 0)
    return (usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024,
            os.waitstatus_to_exitcode(status))


def artconv_command() -> list[str]:
    found = shutil.which("artconv")
    return [found] if found else [sys.executable, "-m", "artconv"]


def count_nodes(path: Path) -> int:
    """The model nodes of an input, counted in another process."""
    code = ("import sys, artconv\nfrom artconv.model import walk\n"
            "n = sum(1 + sum(1 for _ in walk(a)) for a in artconv.read_all("
            "__import__('pathlib').Path(sys.argv[1]), log=artconv.Log()))\nprint(n)")
    run = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=False)
    return int(run.stdout.strip() or 0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="*", help="only the shapes whose name holds one")
    parser.add_argument("--mb", type=float, default=20.0)
    parser.add_argument("--to", nargs="+", default=FORMATS, choices=FORMATS)
    parser.add_argument("--small", action="store_true", help="issue 11's small shapes too")
    parser.add_argument("--pandoc", action="store_true", help="pandoc beside, where it reads")
    args = parser.parse_args(argv)
    size = int(args.mb * 1e6)
    pandoc = shutil.which("pandoc") if args.pandoc else None
    print(f"{'shape':<40} {'to':<5} {'MB':>6} {'CPU s':>6} {'s/MB':>6} {'peak MB':>7} "
          f"{'B/node':>7} {'x seed':>6}" + ("   pandoc s  MB" if pandoc else ""))
    over: list[str] = []
    seed_rate: dict[str, float] = {}
    made = [(name, filename, lambda m=make: m(size)) for name, filename, make in shapes()]
    if args.small:
        made += SMALL
    with tempfile.TemporaryDirectory() as work:
        for name, filename, make in made:
            if args.words and not any(w in name for w in args.words) \
                    and not name.startswith("seed"):
                continue
            path = Path(work) / filename
            path.write_bytes(make())
            mb = path.stat().st_size / 1e6
            nodes = count_nodes(path) if mb >= 1 else 0
            for to in args.to:
                target = Path(work) / f"out.{to}"
                cpu, peak, status = measure([*artconv_command(), "convert", str(path), "-t", to,
                                             "-q", "-o", str(target)])
                rate = cpu / max(mb, 0.001)
                if name.startswith("seed"):
                    seed_rate[to] = rate
                factor = rate / seed_rate[to] if seed_rate.get(to) else 0.0
                per_node = peak * 1024 * 1024 / nodes if nodes else 0
                line = (f"{name[:40]:<40} {to:<5} {mb:>6.1f} {cpu:>6.2f} {rate:>6.2f} "
                        f"{peak:>7} {per_node:>7.0f} {factor:>6.1f}")
                if status not in (0, 3):
                    line += f"  exit {status}"
                if pandoc and path.suffix in (".html", ".md") and to == "md":
                    fmt = {".html": "html", ".md": "commonmark"}[path.suffix]
                    pcpu, ppeak, _ = measure([pandoc, "-f", fmt, "-t", "commonmark",
                                              str(path), "-o", os.devnull])
                    line += f"   {pcpu:>8.2f} {ppeak:>4}"
                print(line, flush=True)
                if mb >= 1 and (cpu > CPU_BUDGET or peak > MEMORY_BUDGET or status not in (0, 3)
                                or factor > PER_MB_FACTOR
                                or nodes and per_node > BYTES_PER_NODE):
                    over.append(f"{name} -> {to}")
                target.unlink(missing_ok=True)
            path.unlink()
    if over:
        print("\nover budget (10 s CPU, 1 GB, 500 B a node, 3x the seed's CPU a MB):")
        print("\n".join(f"  {o}" for o in over))
    return 1 if over else 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (4 * 1024 ** 3, 4 * 1024 ** 3))
    sys.exit(main(sys.argv[1:]))
