"""The Markdown dialect matrix (issue 19, docs/markdown.md "Safe in every dialect"): artconv's
Markdown, for every fixture of ours, the CommonMark spec's examples, a generated hostile corpus
and the payloads of each class that made pandoc's Markdown run script, rendered by every
renderer of :mod:`tests.dialects` and checked by the oracle (no live markup, no URL outside the
allow list, pandoc's standalone page included) and for what a reader sees (the same text under
every renderer: no escape shown as it is, no word lost)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import artconv
from artconv import model as m

from .conftest import FIXTURES, complete, run_cli
from .dialects import COMMONMARK_FAMILY, check, renderers, spans_blocks

SPEC = Path(__file__).parent / "data" / "commonmark" / "spec-0.31.2-examples.json"

FIXTURE_INPUTS = sorted([
    *FIXTURES.glob("text/*.txt"), *FIXTURES.glob("html/*.html"),
    *FIXTURES.glob("readability/*/source.html"), *FIXTURES.glob("writers/*.json"),
    *FIXTURES.glob("writers/*.md"), *FIXTURES.glob("writers/*.html"),
])

def test_the_matrix_has_its_renderers():
    names = {r.name for r in renderers()}
    assert {"markdown-it commonmark", "markdown-it gfm-like", "Python-Markdown", "mistune",
            "pandoc markdown", "pandoc commonmark_x"} <= names
    if os.environ.get("CI"):  # .ci/run installs Ruby's kramdown
        assert {"kramdown", "kramdown GFM"} <= names


@pytest.mark.parametrize("path", FIXTURE_INPUTS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_every_fixture_is_inert_and_reads_alike_in_every_dialect(path: Path):
    for flavour in ("md", "gfm"):
        markdown = artconv.convert(path, flavour, log=artconv.Log()).decode()
        assert check(markdown, flavour) == [], (path.name, flavour)


def test_every_commonmark_example_is_inert_and_reads_alike_in_every_dialect():
    failures = {}
    for example in json.loads(SPEC.read_text(encoding="utf-8")):
        try:
            article = artconv.read(example["markdown"].encode(), from_="markdown",
                                   log=artconv.Log())
        except artconv.ArtconvError:
            continue
        for flavour in ("md", "gfm"):
            found = check(artconv.write(article, flavour, log=artconv.Log()).decode(),
                          flavour, strict=False, raw_spans=spans_blocks(article))
            if found:
                failures[(example["example"], flavour)] = found[:3]
    assert failures == {}


# ---------------------------------------------------------------------------------------------
# Generated: text full of every dialect's syntax, raw HTML soup, hostile URLs and languages

SYNTAX = [*"\\`*_{}[]()#+-.!|:<>~^$@=&%\"' ", "\n", "\t", "\u00a0", "a", "b", "Я", "1", "23",
          "onclick=alert(1)", "{=html}", "{onclick=alert(1)}", "{: .x onclick=y}", ":::",
          "~~~", "```", "$$", "^[", "(@)", "[^1]", "<img src=x onerror=alert(1)>",
          "[x](javascript:alert(1))", "![x](p.png){onerror=alert(1)}", "<!--", "-->",
          "&#x3C;", "&lt;script&gt;", "javascript:", "www.example.com", "a@b.example",
          "1. ", "- ", "> ", "# ", "| --- |", "+--+", ": ", "%", "{::nomarkdown}"]
TEXT = st.lists(st.sampled_from(SYNTAX), max_size=14).map("".join)
WORDS = st.lists(st.sampled_from(SYNTAX[:-20] + ["word", "слово"]), min_size=1,
                 max_size=8).map("".join)
URLS = st.sampled_from(["https://example.com/a_(b)", "javascript:alert(1)", "/rel?a=1&b=2",
                        "java\tscript:x", "http://x/`y|z`", "mailto:a@b.example",
                        "data:text/html,<script>x</script>", "#frag", "(x"])
LANGUAGES = st.sampled_from([None, "python", "c++", "{=html}", "{onclick=alert(1)}",
                             "=html", "js onclick=x", "~~~", "c#"])
SOUP = st.lists(st.sampled_from([
    "<div>", "</div>", '<div markdown="1">', "<details ontoggle=alert(1)>", "</details>",
    "<summary>", '<span title="[x](javascript:alert(1))">', "</span>", "<kbd>", "</kbd>",
    '<a href="javascript:alert(1)">', '<a href="https://example.com/">', "</a>",
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<custom-el>", "<warning>",
    "<svg onload=alert(1)>", "<style>x</style>", "<!-- c -->", "<p>", "</p>", "<pre>",
    "</pre>", "*x*", "[y](javascript:z)", "\n", "\n\n", "text", "<table><tr><td>",
]), min_size=1, max_size=10).map("".join)


def _inlines(depth: int) -> st.SearchStrategy:
    leaves = st.one_of(TEXT.map(m.Text), WORDS.map(m.InlineCode), st.just(m.LineBreak()),
                       SOUP.map(m.RawInline))
    if depth <= 0:
        return st.lists(leaves, max_size=4).map(tuple)
    inner = _inlines(depth - 1)
    return st.lists(st.one_of(
        leaves, inner.map(m.Emphasis), inner.map(m.Strong), inner.map(m.Strikethrough),
        inner.map(m.Superscript),
        st.builds(m.Link, href=URLS, children=inner, title=st.none() | TEXT),
        inner.map(lambda kids: m.Note((m.Paragraph(kids),)))), max_size=4).map(tuple)


def _blocks(depth: int) -> st.SearchStrategy:
    inlines = _inlines(1)
    leaves = st.one_of(
        inlines.map(m.Paragraph), st.builds(m.Heading, st.integers(1, 6), inlines),
        st.builds(m.CodeBlock, TEXT, LANGUAGES), SOUP.map(m.RawBlock), st.just(m.Rule()),
        st.builds(m.Image, URLS, TEXT, st.none() | inlines, st.none() | TEXT, st.none() | URLS),
        st.builds(m.Table, st.lists(st.lists(inlines, min_size=2, max_size=2).map(tuple),
                                    min_size=1, max_size=3).map(tuple), st.just(1)),
        st.builds(m.Related, st.none() | WORDS, st.lists(st.builds(
            m.RelatedItem, WORDS, st.none() | URLS, st.none() | URLS, st.none() | TEXT),
            max_size=2).map(tuple)))
    if depth <= 0:
        return st.lists(leaves, min_size=1, max_size=3).map(tuple)
    inner = _blocks(depth - 1)
    return st.lists(st.one_of(
        leaves, inner.map(lambda b: m.Quote(b)),
        st.builds(m.ListBlock, st.booleans(), st.lists(inner, min_size=1, max_size=3)
                  .map(tuple))), min_size=1, max_size=4).map(tuple)


HOSTILE_ARTICLES = st.builds(
    m.Article, st.builds(m.Meta, title=TEXT, subtitle=st.none() | TEXT,
                         authors=st.lists(WORDS, max_size=2).map(tuple), lang=st.just("en"),
                         url=st.none() | URLS, tags=st.lists(TEXT, max_size=2).map(tuple)),
    _blocks(2))


@settings(max_examples=int(os.environ.get("ARTCONV_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(HOSTILE_ARTICLES, st.sampled_from(["md", "gfm"]))
def test_generated_hostile_documents_are_inert_and_read_alike(article, flavour):
    """Through JSON, as a document would come (the pipeline's URL policy and normal form).
    Inert under every renderer; the same text under the CommonMark family: generated
    structures (emphasis runs against raw tags, lazy lines, the content of ``<kbd>``) are
    where pandoc's Markdown, Python-Markdown, mistune and kramdown read structure their own
    way (docs/markdown.md); their text is held on the fixtures and the spec's examples."""
    data = artconv.write(article, "json", log=artconv.Log())
    try:
        markdown = artconv.convert(data, flavour, from_="json", log=artconv.Log()).decode()
    except artconv.ArtconvError:
        return  # a document the JSON reader refuses (nothing left to write) says so
    assert check(markdown, flavour, strict=False, raw_spans=spans_blocks(article),
                 text_of=COMMONMARK_FAMILY) == []


# ---------------------------------------------------------------------------------------------
# The payloads of each class, through the command line, from every input format

MARKDOWN_PAYLOADS = [
    "## Head {onclick=alert(1)}", "[l](http://a.b){onclick=alert(1)}",
    "![x](p.png){onerror=alert(1)}", "`<img src=x onerror=alert(1)>`{=html}",
    "```{=html}\n<img src=x onerror=alert(1)>\n```", "```{onclick=alert(1)}\ncode\n```",
    "~~~ {.py onclick=alert(1)}\ncode\n~~~", "::: {onclick=alert(1)}\ntext\n:::",
    "<div>\n[x](javascript:alert(1))\n</div>", "<div>\n![x](p.png){onerror=alert(1)}\n</div>",
    '<div markdown="1">\n[x](javascript:alert(1))\n</div>', "[text]{onclick=alert(1)}",
    '*x*{: onclick="alert(1)"}', 'para\n{: onclick="alert(1)"}', "para\n{onclick=alert(1)}",
    "{::nomarkdown}<img src=x onerror=alert(1)>{:/}",
    '<span title="[x](javascript:alert(1))">s</span>',
    "- item\n\n  ```\n  a\n\n  <img src=x onerror=alert(1)>\n  ```",
    "> ```\n> a\n>\n> <img src=x onerror=alert(1)>\n> ```",
    "[x]: javascript:alert(1)\n\n[x]", "[x]: <javascript:alert(1)>\n\n[y][x]",
    "---\ntitle: T\ncss: javascript:alert(1)\nheader-includes: x\n---\n\ntext",
    "<details open ontoggle=alert(1)><summary>s</summary>x</details>",
    '<a href="java&#x09;script:alert(1)">x</a>', "<svg onload=alert(1)>",
    "$x$ <b onclick=alert(1)>b</b> $y$", "^[note <img src=x onerror=alert(1)>]",
    "Term\n: <img src=x onerror=alert(1)>", "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
]
PAGE_PAYLOADS = [
    "<h2>Head {onclick=alert(1)}</h2>", '<p><a href="http://a.b">l</a>{onclick=alert(1)}</p>',
    "<p><code>&lt;img src=x onerror=alert(1)&gt;</code>{=html}</p>",
    '<pre><code class="language-{=html}">&lt;img src=x onerror=alert(1)&gt;</code></pre>',
    "<p>::: {onclick=alert(1)}</p>", "<p>[x](javascript:alert(1))</p>",
    '<figure><img src="p.png" alt="x"><figcaption>{onerror=alert(1)}</figcaption></figure>',
    "<ul><li>a<pre>b\n\n&lt;img src=x onerror=alert(1)&gt;</pre></li></ul>",
]
FILLER = "<p>" + "A paragraph of the article, long enough to be read as one. " * 5 + "</p>"


def _json_payloads() -> list[dict]:
    text = [{"type": "text", "text": "{onclick=alert(1)}"}]
    link = {"type": "link", "href": "http://a.b", "children": [{"type": "text", "text": "l"}]}
    return [
        {"type": "code", "text": "<img src=x onerror=alert(1)>", "language": "{=html}"},
        {"type": "code", "text": "x", "language": "{onclick=alert(1)}"},
        {"type": "raw_html", "html": "<div>\n[x](javascript:alert(1))\n</div>"},
        {"type": "raw_html", "html": '<div markdown="1">\n\n*x*\n\n</div>'},
        {"type": "paragraph", "children": [
            {"type": "raw_html", "html": '<span title="[x](javascript:alert(1))">'},
            {"type": "text", "text": "s"}]},
        {"type": "paragraph", "children": [link, *text]},
        {"type": "heading", "level": 2, "children": [{"type": "text", "text": "H "}, *text]},
        {"type": "paragraph", "children": [{"type": "code", "text": "<img src=x onerror=y>"},
                                           {"type": "text", "text": "{=html}"}]},
    ]


def _cases() -> list[tuple[str, str, bytes]]:
    cases = [(f"markdown {i}", "markdown", f"# T\n\nBefore.\n\n{p}\n\nAfter.\n".encode())
             for i, p in enumerate(MARKDOWN_PAYLOADS)]
    cases += [(f"page {i}", "html", (f"<html><head><title>T</title></head><body><article>"
                                     f"<h1>T</h1>{FILLER}{p}{FILLER}</article></body></html>")
               .encode()) for i, p in enumerate(PAGE_PAYLOADS)]
    cases += [(f"json {i}", "json", json.dumps(complete(
        {"meta": {"title": "T", "lang": "en", "extra": [
            {"name": "css", "value": "javascript:alert(1)"}]}, "blocks": [block]})).encode())
        for i, block in enumerate(_json_payloads())]
    return cases


@pytest.mark.parametrize("name,reader,data", _cases(), ids=[c[0] for c in _cases()])
def test_each_payload_class_stays_inert_in_every_dialect(name, reader, data):
    for flavour in ("md", "gfm"):
        run = run_cli("convert", "-", "-f", reader, "-t", flavour, input=data)
        assert run.exit_code == 0, run.stderr
        assert check(run.stdout.decode(), flavour, strict=False) == [], (name, flavour)


def test_a_code_language_is_a_name_or_is_dropped_with_a_warning():
    for language, kept in [("python", True), ("c++", True), ("c#", True),
                           ("objective-c", True), ("docker-compose.yml", True),
                           ("{=html}", False), ("{onclick=x}", False), ("=html", False),
                           ("a b", False), ("snake_case", False)]:
        doc = complete({"meta": {"title": "T", "lang": "en"},
                        "blocks": [{"type": "code", "text": "x", "language": language}]})
        run = run_cli("convert", "-", "-f", "json", "-t", "md", input=json.dumps(doc).encode())
        fence = run.stdout.decode().split("---\n", 2)[2].strip().splitlines()[0]
        assert fence == ("~~~" + language if kept else "~~~"), language
        assert ("dropped the code language" in run.stderr) != kept, language
