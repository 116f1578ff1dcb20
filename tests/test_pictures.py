"""The article's pictures: lead pictures outside the block chosen as the body (kept, with their
captions and credits; furniture dropped), and related items' thumbnails and missing pictures
as each output shows them (embedded when found, a named placeholder when not)."""

from __future__ import annotations

import base64
import json
import zipfile
from pathlib import Path

import pytest

from .conftest import FIXTURES, run_cli

FIGURE = """<figure class="lead-image">
<img srcset="/img/park-800.jpg 800w, /img/park-1600.jpg 1600w" sizes="100vw" alt="The park">
<noscript><img src="/img/park-800.jpg" alt="The park"></noscript>
<figcaption>The new park from above. <span class="credit">Photo: Sam Lee</span></figcaption>
</figure>"""
PICTURE = FIGURE.replace(
    '<img srcset="/img/park-800.jpg 800w, /img/park-1600.jpg 1600w" sizes="100vw" '
    'alt="The park">',
    '<picture><source srcset="/img/park.webp 1x" type="image/webp">'
    '<img srcset="/img/park-800.jpg 800w, /img/park-1600.jpg 1600w" alt="The park"></picture>')
BODY = "".join(f"<p>{text}</p>" for text in (
    "The new river park opened on Saturday, and thousands of people came to walk its paths "
    "along the water on the first warm day of the year.",
    "Its paths run for four kilometres along the river and past the old mills, which the city "
    "has turned into cafes, workshops and a small museum.",
    "The city council paid for most of the work, and a local trust raised the rest over six "
    "years of bake sales, concerts and appeals to local firms.",
    "More events are planned for the summer, including an open-air cinema and a market every "
    "Sunday morning near the old bridge."))


def page(*, hero: str = "", header: str = "", before_body: str = "",
         preview: str = "") -> bytes:
    og = f'<meta property="og:image" content="{preview}">' if preview else ""
    return f"""<!doctype html><html lang="en"><head><title>River park opens | The Daily</title>
<meta property="og:title" content="River park opens">{og}</head><body>
<header class="site-header"><a href="/"><img class="logo" src="/logo.png" alt="The Daily"></a>
<nav><a href="/">Home</a> <a href="/news">News</a></nav></header>{hero}
<main><article><header><h1>River park opens</h1>
<p class="standfirst">Thousands came on the first day.</p>
<div class="byline"><img class="avatar" src="/authors/jane.jpg" alt="Jane Roe"> By Jane Roe
</div>{header}</header>{before_body}
<div class="article-body">{BODY}<div class="ad"><img src="/ads/banner.gif" alt="Advertisement">
</div></div></article></main><footer>The Daily</footer></body></html>""".encode()


def pictures_of(data: bytes) -> list[tuple[str, str]]:
    run = run_cli("convert", "-", "-f", "html", "-t", "json", "-q", input=data)
    assert run.exit_code == 0, run.stderr
    blocks = json.loads(run.text)["blocks"]
    assert blocks[0]["type"] == "image", blocks[0]  # the lead picture comes first
    assert [b["type"] for b in blocks].count("paragraph") == 4  # its caption is not a paragraph
    return [(b["src"], " ".join(c.get("text", "") for c in b["caption"] or []))
            for b in blocks if b["type"] == "image"]


LEAD = [("/img/park-1600.jpg", "The new park from above. Photo: Sam Lee")]


@pytest.mark.parametrize("where", [
    {"before_body": FIGURE},  # above the body container, inside the article
    {"before_body": PICTURE},  # a <picture> with <source>s and a <noscript> fallback
    {"header": FIGURE},  # in the article's header, under the headline
    {"before_body": f'<div class="media"><div class="inner">{FIGURE}</div></div>'},
], ids=["above-body", "picture-element", "in-header", "wrapped"])
def test_a_lead_picture_outside_the_body_is_kept_with_its_caption(where: dict) -> None:
    assert pictures_of(page(**where)) == LEAD


def test_a_hero_picture_before_the_headline_is_kept_when_it_is_the_preview() -> None:
    hero = f'<div class="hero">{FIGURE}</div>'
    assert pictures_of(page(hero=hero, preview="https://example.com/img/park-1600.jpg")) == LEAD
    # not the page's preview and not under the headline: not known to be the article's
    run = run_cli("convert", "-", "-f", "html", "-t", "json", "-q", input=page(hero=hero))
    assert [b for b in json.loads(run.text)["blocks"] if b["type"] == "image"] == []


def test_furniture_stays_out() -> None:
    """Between the headline and the body, or before the headline as the page's preview: the
    logo, an avatar, an ad, an icon and a tracking pixel are not lead pictures."""
    furniture = ('<div class="promo"><img class="logo" src="/logo-big.png" srcset="/logo-2x.png 2x"'
                 ' alt="The Daily"><img class="avatar" src="/a/jane.jpg" width="400" alt="">'
                 '<div class="ad-slot"><img src="/ads/x.jpg" width="600" alt=""></div>'
                 '<img src="/icons/share.png" width="16" height="16" alt="Share">'
                 '<img src="/px/t.gif" width="1" height="1" style="display:none" alt=""></div>')
    for place in ("hero", "before_body"):
        run = run_cli("convert", "-", "-f", "html", "-t", "json", "-q", input=page(
            **{place: furniture}, preview="https://example.com/px/t.gif"))
        srcs = [b["src"] for b in json.loads(run.text)["blocks"] if b["type"] == "image"]
        assert srcs == [], place


def test_a_picture_the_body_holds_is_not_pulled_twice() -> None:
    data = page(hero=f'<div class="hero">{FIGURE}</div>',
                preview="https://example.com/img/park-1600.jpg").replace(
        b'<div class="article-body">',
        b'<div class="article-body"><figure><img src="/img/park-1600x900.jpg" alt=""></figure>')
    run = run_cli("convert", "-", "-f", "html", "-t", "json", "-q", input=data)
    srcs = [b["src"] for b in json.loads(run.text)["blocks"] if b["type"] == "image"]
    assert srcs == ["/img/park-1600x900.jpg"]


def test_source_is_a_void_element() -> None:
    """lxml's parser lets <source> hold what follows it; a browser does not."""
    from artconv.errors import Log
    from artconv.htmlform.tree import parse_html

    root = parse_html("<p>a<picture><source srcset='x.webp'><img src='x.jpg'>tail</picture>"
                      "b</p>", Log())
    source = next(root.iter("source"))
    assert len(source) == 0 and source.getnext().tag == "img"
    assert root.find(".//picture").text_content() == "tail"


# --- related thumbnails and missing pictures, per output ---------------------------------------

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
                       "hQGAhKmMIQAAAABJRU5ErkJggg==")
SEED = FIXTURES / "text" / "seed.txt"
THUMBS = ("679c739d8342cc8894f039ba9bce9de3c9f3f239.jpeg",
          "63a5a8187681a138eb0980805a5f5e3f73b87f2d.jpeg",
          "422362f2f131c0e485931211fa37a955d44fda0c.png")


def test_a_book_shows_related_thumbnails_embedded_or_named(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / THUMBS[0]).write_bytes(PNG)  # one thumbnail found, two not
    book = tmp_path / "seed.epub"
    assert run_cli("convert", tmp_path / "seed.txt", "-o", book, "-q").exit_code == 0
    with zipfile.ZipFile(book) as zf:
        chapter = zf.read("EPUB/chapter-001.xhtml").decode()
        images = [n for n in zf.namelist() if n.startswith("EPUB/images/")]
    from lxml import etree

    tree = etree.fromstring(chapter.encode())
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    items = tree.findall(".//h:aside//h:li", ns)
    assert len(items) == 3
    embedded = items[0].find(".//h:img", ns)
    assert embedded is not None and "EPUB/" + embedded.get("src") in images
    for item, name in zip(items[1:], THUMBS[1:], strict=True):
        assert item.find(".//h:img", ns) is None
        label = item.find(".//h:span[@class='placeholder']", ns)
        assert label is not None and label.text == f"[{name}]"


def test_a_page_names_the_pictures_it_did_not_find(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg").write_bytes(PNG)
    out = tmp_path / "seed.html"
    assert run_cli("convert", tmp_path / "seed.txt", "-o", out, "-q").exit_code == 0
    from lxml import html

    tree = html.fromstring(out.read_bytes())
    named = {e.get("data-artconv-src") for e in tree.find_class("missing-image")}
    assert named == set(THUMBS)  # the lead picture was found: not named
    assert 'content:"[" attr(data-artconv-src) "]"' in out.read_text(encoding="utf-8")
    # the page reads back to the same article
    again = run_cli("convert", out, "-t", "json", "-q")
    first = run_cli("convert", tmp_path / "seed.txt", "-t", "json", "-q")
    assert json.loads(again.text)["blocks"] == json.loads(first.text)["blocks"]
