"""Every reader accounts for what it reads (issue 13): the words a reader of the input sees
either reach the model or a warning says something was lost (which ``--strict`` fails on).

Checked over every fixture the format has, the 655 CommonMark spec examples, EPUBs of our own
and generated Markdown. "Seen" is what a renderer shows: Markdown rendered by markdown-it-py
(front matter left out, as renderers do), the text of each chapter's body for a book, every
line of a text dump. Words are compared as a set (a word the model holds once counts)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html as lxml_html

import artconv

from .conftest import FIXTURES

SPEC = Path(__file__).parent / "data" / "commonmark" / "spec-0.31.2-examples.json"
WORD = re.compile(r"\w+")


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def model_side(text: str) -> set[str]:
    """The model's words, also split where letters meet digits (a date's "01T10" is shown as
    "01")."""
    found = words(text)
    return found | {w.lower() for w in re.findall(r"[^\W\d_]+|\d+", text)}


def model_words(articles: list[artconv.model.Article]) -> set[str]:
    """Every word the model holds: its text as the text writer runs it together (``H`` and a
    subscript ``2`` make ``H2``), and every string of its JSON (metadata, captions, titles,
    raw HTML)."""
    found: set[str] = set()
    for article in articles:
        found |= model_side(artconv.write(article, "text", log=artconv.Log()).decode())
        found |= _strings(json.loads(artconv.write(article, "json")))
    return found


def _strings(value: object) -> set[str]:
    if isinstance(value, str):
        return model_side(value)
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value)) if value else set()
    return set()


def shown_markdown(source: str) -> set[str]:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    renderer = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    renderer.use(footnote_plugin).use(front_matter_plugin)
    rendered = renderer.render(source)
    try:
        tree = lxml_html.fragment_fromstring(rendered, create_parent="div")
    except Exception:  # lxml finds nothing to parse: nothing is shown
        return set()
    return shown_words(tree)


BLOCKS = {"p", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "figure",
          "blockquote", "tr", "td", "th", "pre", "br", "ul", "ol", "aside", "table", "section",
          "header", "article", "hr", "dd", "dt", "body", "html", "summary", "details"}


def shown_words(tree: object) -> set[str]:
    """The words a browser shows (not a script's or a stylesheet's): block elements and line
    breaks part words."""
    for el in list(tree.iter()):  # type: ignore[attr-defined]
        if el.tag in ("script", "style"):
            el.drop_tree()
            continue
        if isinstance(el.tag, str) and el.tag in BLOCKS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    return words(tree.text_content()) - {"↩"}  # type: ignore[attr-defined]


def accounted(data: bytes, from_: str, shown: set[str]) -> tuple[set[str], list[str]]:
    """The words shown that the model lacks, and the loss warnings of the read."""
    log = artconv.Log()
    try:
        articles = artconv.read_all(data, from_=from_, log=log)
    except artconv.ArtconvError:
        return set(), ["refused with an error"]  # a one-line error names the loss
    missing = shown - model_words(articles)
    return missing, [w.message for w in log.warnings if w.loss]


def check(name: str, data: bytes, from_: str, shown: set[str]) -> None:
    missing, losses = accounted(data, from_, shown)
    assert not missing or losses, f"{name}: lost {sorted(missing)[:10]} without a warning"


# ---------------------------------------------------------------------------------------------


def test_every_commonmark_spec_example_is_accounted_for():
    examples = json.loads(SPEC.read_text(encoding="utf-8"))
    unaccounted = []
    for example in examples:
        source = example["markdown"]
        missing, losses = accounted(source.encode(), "markdown", shown_markdown(source))
        if missing and not losses:
            unaccounted.append((example["example"], sorted(missing)[:5]))
    assert unaccounted == []


@pytest.mark.parametrize("path", sorted((FIXTURES / "text").glob("*.txt")),
                         ids=lambda p: p.stem)
def test_every_text_fixture_is_accounted_for(path: Path):
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251")
    check(path.name, data, "text", words(text))


@pytest.mark.parametrize("path", sorted((FIXTURES / "writers").glob("*.md")),
                         ids=lambda p: p.name)
def test_every_markdown_fixture_is_accounted_for(path: Path):
    source = path.read_text(encoding="utf-8")
    check(path.name, source.encode(), "markdown", shown_markdown(source))


@pytest.mark.parametrize("path", sorted((FIXTURES / "writers").glob("*.html")),
                         ids=lambda p: p.name)
def test_every_page_artconv_wrote_is_accounted_for(path: Path):
    tree = lxml_html.document_fromstring(path.read_text(encoding="utf-8"))
    for dropped in tree.xpath("//head|//style|//script"):
        dropped.drop_tree()
    check(path.name, path.read_bytes(), "html", shown_words(tree))


def book_words(path: Path) -> set[str]:
    """The words of every chapter's body, as a reading system shows them."""
    shown: set[str] = set()
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".html")) and "nav" not in name.rsplit("/", 1)[-1]:
                tree = lxml_html.document_fromstring(book.read(name))
                body = tree.find("body")
                if body is not None:
                    shown |= shown_words(body)
    return shown


def test_books_of_our_own_are_accounted_for(tmp_path):
    from .test_documents import foreign_book

    foreign = tmp_path / "sky.epub"
    foreign_book(foreign)
    ours = tmp_path / "ours.epub"
    data = artconv.convert(FIXTURES / "writers" / "kitchen-sink.json", "epub",
                           log=artconv.Log())
    assert isinstance(data, bytes) and data.startswith(b"PK\x03\x04") and len(data) > 1000
    ours.write_bytes(data)
    for book in (foreign, ours):
        check(book.name, book.read_bytes(), "epub", book_words(book))


MARKDOWN_PIECES = st.sampled_from([
    "word", "*em*", "**strong**", "`code`", "[link](http://x.example/a)", "![alt](a.png)",
    "# Heading", "> quote", "- item", "1. item", "<b>bold</b>", "<span class=x>in</span>",
    "<!-- note -->", "<div>block</div>", "<script>run()</script>", "<style>p{}</style>",
    "---", "***", "\n", "\n\n", "    indented", "```\nfenced\n```", "[^1]", "[^1]: footnote",
    "| a | b |\n|---|---|\n| c | d |", "~~gone~~", "<textarea>kept</textarea>", "[]()",
    "<http://x.example>", "<made-up:thing>", "&amp;", "\\*", "_under_", "<img src=p.png>",
])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(MARKDOWN_PIECES, min_size=1, max_size=12).map(" ".join))
def test_generated_markdown_is_accounted_for(source: str):
    check(repr(source), source.encode(), "markdown", shown_markdown(source))
