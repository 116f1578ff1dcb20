"""XSS through Markdown, by class (issue 11): metadata in the front matter, a code block's
language in its fence, an HTML block that a blank line would end, and URLs outside the allow
list by any route. Each output is rendered the ways people render Markdown (markdown-it-py as
CommonMark with HTML on, the raw file included; pandoc -s with its YAML metadata) and checked
by the oracle, never by exact strings."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from markdown_it import MarkdownIt

from .conftest import complete, run_cli
from .oracle import problems

PAYLOADS = [
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<svg onload=alert(1)>",
    "[x](javascript:alert(1))", "![x](javascript:alert(1))", "<a href=javascript:alert(1)>x</a>",
    "\\<img src=x onerror=alert(1)>", "`<b onclick=x>`", "- <i onclick=x>list</i>",
    "1. <img src=x onerror=y>", "# <b onmouseover=x>", "a\n\n<script>alert(1)</script>",
    "<!--", "]]><script>x</script>", "&lt;img src=x onerror=alert(1)&gt;", "x\r\n<iframe src=x>",
]
META_FIELDS = ("title", "subtitle", "authors", "date", "section", "site")


def pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def renderings(markdown: str) -> dict[str, str]:
    """The Markdown as the renderers people use show it."""
    proc = subprocess.run([pandoc(), "-s", "-f", "markdown", "-t", "html"],
                          input=markdown.encode(), capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return {
        "markdown-it": MarkdownIt("commonmark", {"html": True}).render(markdown),
        "pandoc -s": proc.stdout.decode(),
    }


def assert_safe(markdown: str, what: object) -> None:
    for renderer, html in renderings(markdown).items():
        found = problems(html, page=renderer == "pandoc -s")
        assert found == [], (renderer, what, found)


def convert(data: bytes, *args: str) -> str:
    run = run_cli("convert", "-", *args, input=data)
    assert run.exit_code == 0, run.stderr
    return run.stdout.decode()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_front_matter_from_json_metadata_is_text(payload):
    meta = {f: [payload] if f == "authors" else payload for f in META_FIELDS}
    doc = complete({"meta": {**meta, "lang": "en"}, "blocks": []})
    markdown = convert(json.dumps(doc).encode(), "-f", "json", "-t", "md")
    assert_safe(markdown, payload)
    back = json.loads(convert(markdown.encode(), "-f", "markdown", "-t", "json"))
    for field in META_FIELDS:
        want = [payload] if field == "authors" else payload
        got = back["meta"][field]
        assert got == want, field


@pytest.mark.parametrize("payload", PAYLOADS[:8])
def test_front_matter_from_a_page_headline_and_a_dump_title(payload):
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    page = (f"<html><head><title>{escaped}</title></head><body><article><h1>{escaped}</h1>"
            "<p>" + "A paragraph of the article, long enough to be read as one. " * 5 + "</p>"
            "</article></body></html>")
    markdown = convert(page.encode(), "-f", "html", "-t", "md")
    assert_safe(markdown, payload)
    dump = f"{payload.splitlines()[0]}\n\nThe body of the article.\n"
    assert_safe(convert(dump.encode(), "-f", "text", "-t", "md"), payload)


@pytest.mark.parametrize("language", [
    "x```\n<script>alert(1)</script>", "~~~", "py\r<img src=x onerror=y>", "a b",
    "`", "\n", "<svg/onload=x>",
])
def test_a_code_language_that_is_not_a_name_is_dropped_with_a_warning(language):
    doc = complete({"meta": {"title": "Code", "lang": "en"}, "blocks": [
        {"type": "code", "text": "print(1)\n<script>alert(2)</script>", "language": language}]})
    run = run_cli("convert", "-", "-f", "json", "-t", "md", input=json.dumps(doc).encode())
    assert run.exit_code == 0 and "dropped the code language" in run.stderr
    assert_safe(run.stdout.decode(), language)
    fence = run.stdout.decode().split("---\n", 2)[2].lstrip().splitlines()[0]
    assert fence == "~~~"


def test_a_table_with_a_blank_line_in_a_cell_stays_one_html_block():
    page = ("<html><body><article><h1>Table</h1><p>" + "Enough prose to be an article. " * 10
            + "</p><table><thead><tr><th>h</th><th>i</th></tr></thead><tbody><tr><td><pre>"
            "a\n\n[x](javascript:alert(1))\n\n*b*</pre></td><td>c</td></tr><tr><td>"
            "d</td><td>e</td></tr></tbody></table></article></body></html>")
    for flavour in ("md", "gfm"):
        markdown = convert(page.encode(), "-f", "html", "-t", flavour)
        assert_safe(markdown, flavour)
        for block in re.findall(r"<table>.*?</table>", markdown, re.DOTALL):
            assert "\n\n" not in block and not re.search(r"\n[ \t]*\n", block)
        back = json.loads(convert(markdown.encode(), "-f", "markdown", "-t", "json"))
        table = next(b for b in back["blocks"] if b["type"] == "table")
        assert "[x](javascript:alert(1))" in json.dumps(table)  # the text, as text


UNSAFE = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
          "\u2028javascript:alert(1)", "vbscript:msgbox(1)", "data:text/html,<script>x</script>",
          "file:///etc/passwd"]


@pytest.mark.parametrize("url", UNSAFE)
def test_no_url_outside_the_allow_list_reaches_any_output(url, tmp_path):
    doc = complete({"meta": {"title": "Links", "lang": "en", "url": url}, "blocks": [
        {"type": "paragraph", "children": [
            {"type": "link", "href": url, "children": [{"type": "text", "text": "link text"}]}]},
        {"type": "image", "src": url, "alt": "", "caption": [{"type": "text", "text": "cap"}]},
        {"type": "related", "heading": "More", "items": [
            {"title": "Item", "url": url, "image": url, "summary": None}]}]})
    source = tmp_path / "doc.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    scheme = url.split(":")[0].replace("\t", "").replace("\u2028", "").lower()
    for to in ("json", "html", "md", "gfm", "text", "epub"):
        out = tmp_path / f"out.{to}"
        run = run_cli("convert", source, "-t", to, "-o", out)
        assert run.exit_code == 0, run.stderr
        assert "unsafe-url" in run.stderr or "dropped" in run.stderr
        data = out.read_bytes()
        if to == "epub":
            import zipfile

            with zipfile.ZipFile(out) as book:
                data = b"".join(book.read(name) for name in book.namelist())
        lowered = data.decode("utf-8", "replace").replace("\t", "").lower()
        assert f"{scheme}:" not in lowered, to
        assert "link text" in " ".join(data.decode("utf-8", "replace").split()), to
