"""Scoring an extraction against Readability's expected output, as
``../shared/tools/readability_bench.py`` does, with one correction: ``expected.html`` is read
as the UTF-8 it is (the shared tool lets lxml guess, which turns every non-ASCII word into
mojibake for every tool it scores)."""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html

WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> collections.Counter[str]:
    return collections.Counter(w.lower() for w in WORD.findall(text or ""))


def f1(predicted: str, truth: str) -> float:
    p, t = words(predicted), words(truth)
    if not p and not t:
        return 1.0
    common = sum((p & t).values())
    precision = common / sum(p.values()) if p else 0.0
    recall = common / sum(t.values()) if t else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def basename(src: str | None) -> str:
    return urlsplit(src or "").path.rstrip("/").rsplit("/", 1)[-1].lower()


def expected(folder: Path) -> dict[str, Any]:
    raw = (folder / "expected.html").read_bytes().decode("utf-8")
    tree = lxml.html.fromstring(raw)
    return {
        "text": tree.text_content(),
        "images": {basename(i.get("src")) for i in tree.iter("img")
                   if i.get("src") and not i.get("src").startswith("data:")},
        "links": {a.get("href") for a in tree.iter("a")
                  if a.get("href") and not a.get("href").startswith("#")},
        "meta": json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8")),
    }


def observed(doc: dict[str, Any]) -> dict[str, Any]:  # noqa: C901 - a case a node type
    """Body text (related blocks left out), image file names and links of artconv JSON."""
    texts: list[str] = []
    images: set[str] = set()
    links: set[str] = set()

    def visit(node: Any) -> None:
        if isinstance(node, list):
            for n in node:
                visit(n)
            return
        if not isinstance(node, dict):
            return
        if node.get("type") == "link" and node.get("href"):
            links.add(node["href"])
        if node.get("type") == "image" and node.get("src"):
            images.add(basename(node["src"]))
        if isinstance(node.get("text"), str):
            texts.append(node["text"])
        for key in ("children", "caption", "blocks"):
            if isinstance(node.get(key), list):
                visit(node[key])
        if node.get("type") == "list":
            for item in node.get("items", []):
                visit(item)
        if node.get("type") == "table":
            for row in node.get("rows", []):
                for cell in row:
                    visit(cell)
        texts.append(" ")

    for block in doc.get("blocks", []):
        if block.get("type") != "related":
            visit(block)
    return {"text": "".join(texts), "images": images, "links": links,
            "meta": doc.get("meta", {})}


def norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip().lower()


def score(truth: dict[str, Any], got: dict[str, Any]) -> dict[str, Any]:
    lang = truth["meta"].get("lang")
    return {
        "f1": f1(got["text"], truth["text"]),
        "images": (len(truth["images"] & got["images"]), len(truth["images"])),
        "links": (len(truth["links"] & got["links"]), len(truth["links"])),
        "title": norm(got["meta"].get("title")) == norm(truth["meta"].get("title")),
        "lang": None if not lang else
        (got["meta"].get("lang") or "").split("-")[0].lower() == lang.split("-")[0].lower(),
        "byline": _byline_agrees(truth["meta"].get("byline"), got["meta"].get("authors")),
    }


def _byline_agrees(truth: str | None, authors: list[str] | None) -> bool | None:
    """None where Readability expects no byline; else whether the names agree (one holds the
    other once punctuation and case are set aside: "By Ann Lee" and ["Ann Lee"])."""
    if not truth:
        return None
    got = re.sub(r"\W+", " ", " ".join(authors or ())).strip().lower()
    want = re.sub(r"\W+", " ", truth).strip().lower()
    return bool(got) and (got in want or want in got)
