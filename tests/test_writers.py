"""Writers: goldens, round trips through every format that can carry the model, and a
cross-check of the Markdown (rendered by markdown-it-py) against the HTML."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import html5lib
import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt

import artconv

from .conftest import FIXTURES, complete, run_cli, validate_json

WRITERS = FIXTURES / "writers"
KITCHEN_SINK = WRITERS / "kitchen-sink.json"
SEED_TEXT = FIXTURES / "text" / "seed.txt"
TEXT_FIXTURES = sorted((FIXTURES / "text").glob("*.txt"))
HTML_FIXTURES = sorted((FIXTURES / "html").glob("*.html"))


def seed_json(tmp_path: Path) -> Path:
    path = tmp_path / "seed.json"
    path.write_bytes(convert(SEED_TEXT, "json"))
    return path


def convert(path: Path, to: str, *args: str, input: bytes | None = None,
            from_: str | None = None) -> bytes:
    source = ["-"] if input is not None else [str(path)]
    extra = ["--from", from_] if from_ else []
    run = run_cli("convert", *source, *extra, "--to", to, *args, input=input)
    assert run.exit_code == 0, run.stderr
    return run.stdout


SOURCES = {"kitchen-sink": lambda tmp: KITCHEN_SINK, "seed": seed_json}
OUTPUTS = [("html", [], "html"), ("html", ["--fragment"], "fragment.html"), ("md", [], "md"),
           ("gfm", [], "gfm.md"), ("text", [], "txt")]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("to,args,suffix", OUTPUTS, ids=[o[2] for o in OUTPUTS])
def test_writer_golden(source, to, args, suffix, tmp_path, golden):
    out = convert(SOURCES[source](tmp_path), to, *args)
    golden(WRITERS / f"{source}.{suffix}", out)


# ---------------------------------------------------------------------------------------------
# Round trips


def _round_trip_sources(tmp_path: Path) -> list[Path]:
    paths = [KITCHEN_SINK]
    for text in TEXT_FIXTURES:
        path = tmp_path / f"{text.stem}.json"
        path.write_bytes(convert(text, "json", "--related-heading", "Смотрите также"))
        paths.append(path)
    for page in HTML_FIXTURES:
        path = tmp_path / f"page-{page.stem}.json"
        path.write_bytes(convert(page, "json"))
        paths.append(path)
    return paths


@pytest.mark.parametrize("to,args,from_", [
    ("md", [], "markdown"), ("gfm", [], "markdown"), ("html", ["--fragment"], "html"),
    ("html", [], "html"),
])
def test_json_through_a_format_and_back_is_identical(to, args, from_, tmp_path):
    for path in _round_trip_sources(tmp_path):
        original = path.read_bytes()
        if to == "html":  # a page says raw HTML as what it shows
            original = _as_a_page_says(original)
        written = convert(path, to, *args)
        back = convert(path, "json", input=written, from_=from_)
        assert back == original, f"{path.name} via {to} {args}"


def _as_a_page_says(document: bytes) -> bytes:
    """The JSON of a document as a page says it: raw HTML in a paragraph is left out (a warning
    says so), a raw HTML block is the blocks a browser shows for it."""
    from artconv.errors import Log
    from artconv.htmlform.readback import raw_html_blocks
    from artconv.model import Article, RawBlock, RawInline, normalize_inlines, transform

    article = artconv.read(document, from_="json")

    def said(node: object) -> object:
        if hasattr(node, "children") and any(isinstance(k, RawInline) for k in node.children):
            return replace(node, children=normalize_inlines(
                [k for k in node.children if not isinstance(k, RawInline)]))
        if hasattr(node, "blocks") and any(isinstance(b, RawBlock) for b in node.blocks):
            return replace(node, blocks=tuple(
                shown for b in node.blocks for shown in (
                    raw_html_blocks(b.html, Log()) if isinstance(b, RawBlock) else [b])))
        return node

    page: Article = transform(article, said)
    return artconv.write(page, "json")


def test_markdown_without_front_matter_shows_the_header_and_reads_back(tmp_path):
    """Without front matter the Markdown shows what the HTML header shows (subtitle, authors,
    date, section, site), and artconv reads the whole document back from it."""
    written = convert(KITCHEN_SINK, "md", "--no-front-matter")
    assert written.startswith(b"# Kitchen sink")
    assert b"---\n" not in written.split(b"\n\n")[0]
    for words in ("A standfirst", "Ann Smith, Борис Петров", "2021-02-01", "Testing",
                  "[Example News](https://news.example.com/"):
        assert words.encode() in written
    back = convert(KITCHEN_SINK, "json", input=written, from_="markdown")
    assert back == KITCHEN_SINK.read_bytes()
    # a header paragraph edited by hand stays as text; the comment still gives the fields
    edited = written.replace(b"\nA standfirst with", b"\nAn edited standfirst with")
    doc = json.loads(convert(KITCHEN_SINK, "json", input=edited, from_="markdown"))
    assert doc["meta"]["subtitle"] == "A standfirst with a no-break\u00a0space"
    assert doc["blocks"][0]["children"][0]["text"].startswith("An edited standfirst")


# ---------------------------------------------------------------------------------------------
# Cross-check: what CommonMark makes of our Markdown says what our HTML says


_BLOCK_TAGS = {"p", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "figure",
               "blockquote", "tr", "td", "th", "pre", "br", "ul", "ol", "aside", "table"}


def _visible(html: str) -> tuple[str, list[str], list[str]]:
    """Normalised text, link targets and image sources of an HTML fragment."""
    tree = lxml_html.fragment_fromstring(html, create_parent="div")
    for title in tree.iterfind(".//header/h1"):  # the Markdown's title is compared apart
        title.drop_tree()
    for el in list(tree.iter()):  # note numbers and back-links are styled apart: "1", "[1]"
        classes = (el.get("class") or "").split()
        if {"footnote-back", "footnote-backref"} & set(classes):
            el.drop_tree()
        elif "footnote-ref" in classes:
            number = re.sub(r"\D", "", el.text_content())
            for kid in list(el):
                el.remove(kid)
            el.text = f"[{number}]"
    for el in tree.iter():  # block boundaries and line breaks are white space to a reader
        if el.tag in _BLOCK_TAGS:
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    text = re.sub(r"\s+", " ", tree.text_content()).strip()
    links = sorted({a.get("href") for a in tree.iter("a")
                    if a.get("href") and not a.get("href").startswith("#fn")})  # notes: above
    images = [img.get("src") for img in tree.iter("img")]
    return text, links, images


@pytest.mark.parametrize("flavour", ["md", "gfm"])
def test_markdown_renders_to_what_the_html_says(flavour, tmp_path):
    from mdit_py_plugins.footnote import footnote_plugin

    renderer = MarkdownIt("commonmark", {"html": True}).use(footnote_plugin)
    if flavour == "gfm":
        renderer.enable(["table", "strikethrough"])
    for path in _round_trip_sources(tmp_path):
        markdown = convert(path, flavour, "--no-front-matter").decode()
        body = markdown.split("\n\n", 1)[1] if markdown.startswith("# ") else markdown
        rendered = _visible(renderer.render(body))
        fragment = convert(path, "html", "--fragment").decode()
        ours = _visible(fragment)
        title = lxml_html.fragment_fromstring(fragment, create_parent="div").find(".//h1")
        if markdown.startswith("# "):
            shown = _visible(renderer.render(markdown.split("\n", 1)[0]))[0]
            assert title is not None and shown == title.text_content(), path.name
        # markdown-it percent-encodes URLs it renders; compare them decoded
        from urllib.parse import unquote

        rendered = (rendered[0], sorted(unquote(u) for u in rendered[1]),
                    [unquote(u) for u in rendered[2]])
        ours = (ours[0], sorted(unquote(u) for u in ours[1]), [unquote(u) for u in ours[2]])
        assert rendered == ours, path.name


# ---------------------------------------------------------------------------------------------
# HTML: valid, standalone, semantic


def html5_errors(page: bytes) -> list:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(page)
    return list(parser.errors)


@pytest.mark.parametrize("source", SOURCES)
def test_every_page_parses_without_html5_errors(source, tmp_path):
    for args in ([], ["--fragment"]):
        out = convert(SOURCES[source](tmp_path), "html", *args)
        if args:
            out = b"<!DOCTYPE html><title>t</title>" + out
        assert html5_errors(out) == []


def test_page_carries_metadata_and_semantic_markup():
    page = convert(KITCHEN_SINK, "html").decode()
    tree = lxml_html.document_fromstring(page)
    assert tree.get("lang") == "en"
    assert tree.find(".//meta[@charset]") is not None
    assert tree.findtext(".//title").startswith("Kitchen sink")
    props = {m.get("property"): m.get("content") for m in tree.iter("meta") if m.get("property")}
    assert props["og:site_name"] == "Example News"
    assert props["article:published_time"] == "2021-02-01T10:15:00+10:00"
    assert props["article:section"] == "Testing"
    canonical = tree.find(".//link[@rel='canonical']")
    assert canonical.get("href") == "https://news.example.com/2021/02/kitchen-sink.html"
    assert [h.text_content() for h in tree.iter("h1")] == [tree.findtext(".//header/h1")]
    assert tree.find(".//header/p[@class='subtitle']") is not None
    assert tree.find(".//time").get("datetime") == "2021-02-01T10:15:00+10:00"
    assert tree.find(".//figure/img").get("src") == "https://cdn.example.com/pics/a b (1).png"
    linked = tree.find(".//figure/a/img")  # a linked picture
    assert linked.get("src") == "72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg"
    assert linked.getparent().get("href") == "https://news.example.com/full-size.jpg"
    assert tree.find(".//figure/figcaption") is not None
    aside = tree.find(".//aside[@class='related']")
    assert aside.findtext("h2") == "Read also"
    assert [a.get("href") for a in aside.iter("a") if a.get("class") == "title"] == \
        ["/news/first.html", "https://example.com/second"]
    assert tree.find(".//style") is not None


def test_css_option_links_a_stylesheet():
    page = convert(KITCHEN_SINK, "html", "--css", "https://example.com/site.css").decode()
    assert '<link rel="stylesheet" href="https://example.com/site.css">' in page
    assert "<style>" not in page


def test_body_heading_level_one_is_shifted_below_the_title(tmp_path):
    doc = json.loads(KITCHEN_SINK.read_bytes())
    doc["blocks"].insert(0, {"type": "heading", "level": 1,
                             "children": [{"type": "text", "text": "Body H1"}]})
    page = convert(KITCHEN_SINK, "html", input=json.dumps(doc).encode(), from_="json")
    tree = lxml_html.document_fromstring(page)
    assert len(list(tree.iter("h1"))) == 1
    assert any(h.text_content() == "Body H1" for h in tree.iter("h2"))


# ---------------------------------------------------------------------------------------------
# Markdown: escape what would become markup in any dialect of the matrix (docs/markdown.md)


@pytest.mark.parametrize("text,expected", [
    ("# not a heading", "\\# not a heading"),
    ("#hashtag", "\\#hashtag"),  # Python-Markdown needs no space after "#"
    ("1. not a list", "1\\. not a list"),
    ("a) not a list", "a\\) not a list"),  # pandoc's fancy lists
    ("iv. not a list", "iv\\. not a list"),
    ("(b) not a list", "\\(b) not a list"),
    ("(@) not an example", "\\(@) not an example"),
    ("- not a list", "\\- not a list"),
    ("> not a quote", "\\> not a quote"),
    (": not a definition", "&#58; not a definition"),
    ("::: not a div", "&#58;:: not a div"),
    ("| not a line block", "&#124; not a line block"),
    ("% not a title block", "&#37; not a title block"),
    ("+--+ not a grid table", "\\+--+ not a grid table"),
    ("~~~ not a fence", "&#126;~~ not a fence"),
    ("*stars* and _under_", "\\*stars\\* and \\_under\\_"),
    ("2 * 3 = 6 and snake_case", "2 * 3 = 6 and snake_case"),
    ("`tick`", "\\`tick\\`"),
    ("[a](b) and ![c](d)", "\\[a](b) and !\\[c](d)"),
    ("<script>x</script> and 1 < 2", "&lt;script>x&lt;/script> and 1 &lt; 2"),
    ("AT&T and &amp;", "AT&amp;T and &amp;amp;"),
    ("a {onclick=x} b", "a \\{onclick=x} b"),
    ("H~2~O, 2^10^, ==mark== and a ~ b", "H&#126;2&#126;O, 2&#94;10&#94;, &#61;&#61;mark&#61;&#61; "
     "and a ~ b"),
    ("$5 and $10, 5$ and $$x, 5 $", "&#36;5 and &#36;10, 5$ and &#36;&#36;x, 5 $"),
    ("C:\\path and \\alpha", "C:\\\\path and \\\\alpha"),
    ("Привет, мир — «цитата» (скобки) 100% #хештег",
     "Привет, мир — «цитата» (скобки) 100% #хештег"),
    ("***", "\\***"),
])
def test_markdown_escapes_only_what_would_become_markup(text, expected):
    doc = complete({"version": 1, "meta": {"title": "T"}, "blocks": [
        {"type": "paragraph", "children": [{"type": "text", "text": text}]}]})
    out = convert(KITCHEN_SINK, "md", "--no-front-matter", input=json.dumps(doc).encode(),
                  from_="json").decode()
    assert out == f"# T\n\n{expected}\n"
    back = json.loads(convert(KITCHEN_SINK, "json", input=out.encode(), from_="markdown"))
    assert back["blocks"][0]["children"] == [{"type": "text", "text": text}]


def test_bang_before_a_link_is_escaped_so_it_stays_a_link():
    nodes = [{"type": "text", "text": "Wow!"},
             {"type": "link", "href": "https://example.com/", "children": [
                 {"type": "text", "text": "see"}]}]
    doc = complete({"version": 1, "meta": {"title": "T"}, "blocks": [
        {"type": "paragraph", "children": nodes}]})
    out = convert(KITCHEN_SINK, "md", "--no-front-matter", input=json.dumps(doc).encode(),
                  from_="json").decode()
    assert out == "# T\n\nWow\\![see](https://example.com/)\n"
    back = json.loads(convert(KITCHEN_SINK, "json", input=out.encode(), from_="markdown"))
    assert back["blocks"][0]["children"] == doc["blocks"][0]["children"]


def test_a_link_that_would_read_as_a_reference_definition_is_written_as_html():
    # found by the properties: "[`]:`](url)" opens a paragraph as a link reference definition
    nodes = [{"type": "link", "href": "https://example.com/?a=1&b=2", "children": [
        {"type": "code", "text": "]:"}]}, {"type": "text", "text": " after"}]
    doc = complete({"version": 1, "meta": {"title": "T"}, "blocks": [
        {"type": "paragraph", "children": nodes}]})
    out = convert(KITCHEN_SINK, "md", "--no-front-matter", input=json.dumps(doc).encode(),
                  from_="json").decode()
    assert out == '# T\n\n<a href="https://example.com/?a&#61;1&amp;b&#61;2">`]:`</a> after\n'
    back = json.loads(convert(KITCHEN_SINK, "json", input=out.encode(), from_="markdown"))
    assert back["blocks"][0]["children"] == doc["blocks"][0]["children"]


def test_wrap_only_when_asked_and_still_round_trips(tmp_path):
    unwrapped = convert(SEED_TEXT, "md").decode()
    assert max(len(line) for line in unwrapped.splitlines()) > 200
    wrapped = convert(SEED_TEXT, "md", "--wrap", "60").decode()
    body = wrapped.split("---\n", 2)[2]
    # paragraphs wrap; a related item's title line cannot (it would run into the summary)
    long_lines = [line for line in body.splitlines()
                  if len(line) > 60 and not line.startswith(("!", "- ", "  "))]
    assert not long_lines
    original = json.loads(convert(SEED_TEXT, "json"))
    back = json.loads(convert(SEED_TEXT, "json", input=wrapped.encode(), from_="markdown"))
    assert back == original


def test_front_matter_is_yaml_with_every_field():
    import yaml

    out = convert(KITCHEN_SINK, "md").decode()
    front = yaml.safe_load(out.split("---\n")[1])
    # values are Markdown text, as pandoc reads them: a "<" is a reference
    assert front == {
        "title": "Kitchen sink: &lt;every> block &amp; \"inline\" type's test",
        "subtitle": "A standfirst with a no-break\u00a0space",
        "author": ["Ann Smith", "Борис Петров"], "date": "2021-02-01T10:15:00+10:00",
        "modified": "2021-02-03T08:00:00+10:00", "lang": "en", "section": "Testing",
        "categories": ["Testing", "Writers"], "tags": ["kitchen sink", "every block"],
        "description": "Every block and inline type, for the golden files.",
        "image": "https://news.example.com/img/kitchen-sink.jpg", "site": "Example News",
        "hostname": "news.example.com",
        "url": "https://news.example.com/2021/02/kitchen-sink.html", "license": "CC BY 4.0",
        "weight": 3, "menu": {"main": {"parent": "tests"}},
    }
    from artconv import read

    assert read(out.encode(), from_="markdown").meta == read(KITCHEN_SINK).meta


def test_image_placeholders_and_related_links_reach_every_output(tmp_path):
    from artconv import read
    from artconv.model import Image, Related, walk

    article = read(KITCHEN_SINK)
    sources = [n.src for n in walk(article) if isinstance(n, Image)]
    related = [(i.url, i.image) for n in walk(article) if isinstance(n, Related)
               for i in n.items]
    for to in ("html", "md", "gfm", "text", "json"):
        out = convert(KITCHEN_SINK, to).decode()
        for src in sources:
            assert src in out or src.replace("&", "&amp;") in out, (to, src)
        for url, image in related:
            if to != "text" or url:
                assert (url or "") in out and (image or "") in out, (to, url, image)
    validate_json(json.loads(convert(KITCHEN_SINK, "json")))


@pytest.mark.parametrize("ordered", [False, True])
def test_adjacent_lists_stay_apart_with_an_empty_comment(ordered):
    """pandoc's way: CommonMark's other marker is read by neither Python-Markdown nor
    kramdown (docs/markdown.md); artconv reads the empty comment as nothing."""
    lists = [{"type": "list", "ordered": ordered, "start": 1, "tight": True, "items": [[
        {"type": "paragraph", "children": [{"type": "text", "text": f"list {n}"}]}]]}
        for n in range(3)]
    doc = complete({"meta": {"title": "T"}, "blocks": lists})
    out = convert(KITCHEN_SINK, "md", "--no-front-matter", input=json.dumps(doc).encode(),
                  from_="json").decode()
    marker = "1.  " if ordered else "-   "
    assert out == "# T\n\n" + "\n\n<!-- -->\n\n".join(f"{marker}list {n}" for n in range(3)) \
        + "\n"
    back = json.loads(convert(KITCHEN_SINK, "json", input=out.encode(), from_="markdown"))
    assert back["blocks"] == lists
