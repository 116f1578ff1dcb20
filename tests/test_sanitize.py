"""Hostile HTML in, clean HTML and Markdown out: every XSS vector of the corpus, checked by
the oracle rather than by exact strings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from .conftest import run_cli
from .oracle import problems

DATA = Path(__file__).parent / "data" / "xss"
VECTOR_FILES = [*sorted(DATA.glob("*/vectors.json")), DATA / "artconv-vectors.json"]
VECTORS = [v["payload"] for f in VECTOR_FILES
           for v in json.loads(f.read_text(encoding="utf-8"))]
FILLER = ("<p>" + "This paragraph is here so that the page has an article to find, with enough "
          "words, commas, and sentences to look like prose. " * 4 + "</p>")


def convert(data: str, *args: str) -> str:
    run = run_cli("convert", "-", *args, input=data.encode("utf-8"))
    assert run.exit_code in (0, 3), run.stderr
    assert "Traceback" not in run.stderr
    return run.stdout.decode("utf-8")


def rendered_markdown(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).render(markdown)


def inputs(vector: str) -> dict[str, str]:
    return {
        "fragment": f"<p>before</p>{vector}<p>after</p>",
        "page": (f"<!DOCTYPE html><html><head><title>Hostile page</title>{vector}</head><body>"
                 f"<article><h1>Hostile page</h1>{FILLER}{vector}{FILLER}</article></body></html>"),
    }


@pytest.mark.parametrize("vector", VECTORS)
def test_no_vector_survives_into_html_or_markdown(vector: str):
    for kind, source in inputs(vector).items():
        page = convert(source, "-f", "html", "-t", "html")
        assert problems(page, page=True) == [], (kind, vector)
        fragment = convert(source, "-f", "html", "-t", "html", "--fragment")
        assert problems(fragment) == [], (kind, vector)
        for flavour in ("md", "gfm"):
            markdown = convert(source, "-f", "html", "-t", flavour)
            assert problems(rendered_markdown(markdown)) == [], (kind, flavour, vector)


@pytest.mark.parametrize("vector", VECTORS)
def test_vectors_as_text_stay_text(vector: str):
    dump = f"Title\n\nA paragraph quoting {vector} in the middle of a sentence.\n"
    for flavour in ("html", "md"):
        out = convert(dump, "-f", "text", "-t", flavour)
        rendered = out if flavour == "html" else rendered_markdown(out)
        assert problems(rendered, page=flavour == "html") == []
    back = json.loads(convert(convert(dump, "-f", "text", "-t", "md"), "-f", "markdown",
                              "-t", "json"))
    assert vector.replace("\n", " ").split()[0] in back["blocks"][0]["children"][0]["text"]


@pytest.mark.parametrize("vector", VECTORS[:40])
def test_markdown_input_never_passes_raw_html_through(vector: str):
    markdown = f"# Title\n\nBefore.\n\n{vector}\n\nAfter {vector} inline.\n"
    for flavour in ("html", "md"):
        out = convert(markdown, "-f", "markdown", "-t", flavour)
        rendered = out if flavour == "html" else rendered_markdown(out)
        assert problems(rendered, page=flavour == "html") == [], vector


def test_escaped_markup_is_not_rearmed():
    """markdownify and html2text turn &lt;script&gt; text into a live tag (trap 6)."""
    source = "<p>&lt;script&gt;alert(1)&lt;/script&gt; and &lt;img src=x onerror=alert(1)&gt;</p>"
    markdown = convert(source, "-f", "html", "-t", "md")
    html = rendered_markdown(markdown)
    assert problems(html) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_links_get_noopener_and_relative_urls_stay():
    out = convert('<p><a href="/local">x</a> <a href="https://e.example/">y</a></p>',
                  "-f", "html", "-t", "html", "--fragment")
    assert '<a href="/local" rel="noopener noreferrer">x</a>' in out
    assert '<a href="https://e.example/" rel="noopener noreferrer">y</a>' in out


def test_sanitising_is_idempotent():
    for vector in VECTORS:
        once = convert(inputs(vector)["fragment"], "-f", "html", "-t", "html", "--fragment")
        twice = convert(once, "-f", "html", "-t", "html", "--fragment")
        assert twice == once, vector


@pytest.mark.parametrize("bad,finding", [
    ("<script>x</script>", "<script>"), ('<a href="java&#x09;script:x">a</a>', "scheme"),
    ('<img src=x onerror=y>', "[onerror]"), ('<p style="color:red">p</p>', "[style]"),
    ('<a href="&#14;javascript:x">a</a>', "scheme"), ("<svg></svg>", "<svg>"),
    ('<img srcset="javascript:x 1x">', "scheme"), ("<base href=//x>", "<base>"),
])
def test_the_oracle_itself_catches_each_kind(bad: str, finding: str):
    assert any(finding in p for p in problems(bad))
