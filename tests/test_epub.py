"""EPUB: every book the tests write passes EPUBCheck 5 (no errors, no warnings); books are
byte-for-byte reproducible; nothing is lost or leaked; artconv's books read back to the same
JSON; hostile EPUBs get a one-line error."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import lxml.etree as etree
import pytest

from .conftest import FIXTURES, complete, run_cli, run_epubcheck

TEXT = FIXTURES / "text"
KITCHEN_SINK = FIXTURES / "writers" / "kitchen-sink.json"
SECRET = b"TOP-SECRET-CONTENT-0xDEADBEEF"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


GIF = (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00\x00"
       b"\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")


def convert(*args: str | Path, input: bytes | None = None, expect: int = 0) -> bytes:
    run = run_cli("convert", *args, input=input)
    assert run.exit_code == expect, run.stderr
    return run.stdout


# ---------------------------------------------------------------------------------------------
# The books, built once and checked by EPUBCheck together


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("books")
    out: dict[str, Path] = {}

    with_pictures = root / "with-pictures"
    with_pictures.mkdir()
    (with_pictures / "seed.txt").write_bytes((TEXT / "seed.txt").read_bytes())
    (with_pictures / "72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg").write_bytes(png())
    (with_pictures / "679c739d8342cc8894f039ba9bce9de3c9f3f239.jpeg").write_bytes(GIF)
    out["seed-embedded-cover"] = root / "seed-embedded.epub"
    convert(with_pictures / "seed.txt", "-o", out["seed-embedded-cover"], "--quiet")

    out["seed-missing-images"] = root / "seed-missing.epub"
    convert(TEXT / "seed.txt", "-o", out["seed-missing-images"], "--quiet")

    out["kitchen-sink"] = root / "kitchen-sink.epub"
    convert(KITCHEN_SINK, "-o", out["kitchen-sink"], "--quiet")

    out["english"] = root / "english.epub"
    convert(TEXT / "english.txt", "-o", out["english"], "--quiet")

    out["no-subtitle"] = root / "no-subtitle.epub"
    convert(TEXT / "no-subtitle-sentence.txt", "-o", out["no-subtitle"], "--quiet")

    out["book-of-fixtures"] = root / "all.epub"
    convert(*sorted(TEXT.glob("*.txt")), KITCHEN_SINK, "-o", out["book-of-fixtures"],
            "--title", "Every fixture", "--author", "Test Suite", "--quiet")

    edge = root / "edge.jsonl"
    edge.write_text("\n".join(json.dumps(doc, ensure_ascii=False) for doc in EDGE_ARTICLES))
    out["edge-cases"] = root / "edge.epub"
    convert(edge, "-o", out["edge-cases"], "--quiet")

    out["linked-book"] = root / "linked.epub"
    linked = root / "linked.jsonl"
    linked.write_text("\n".join(json.dumps(doc, ensure_ascii=False) for doc in LINKED_ARTICLES))
    convert(linked, "-o", out["linked-book"], "--quiet")

    hostile = root / "hostile.html"
    vectors = json.loads((Path(__file__).parent / "data" / "xss" /
                          "artconv-vectors.json").read_text(encoding="utf-8"))
    hostile.write_text("<html><head><title>Hostile</title></head><body><article><h1>Hostile"
                       "</h1>" + "".join(f"<p>Vector {i}: text around it.</p>{v['payload']}"
                                         for i, v in enumerate(vectors)) + "</article></body>"
                       "</html>", encoding="utf-8")
    out["xss-corpus"] = root / "hostile.epub"
    convert(hostile, "-o", out["xss-corpus"], "--quiet")

    many = root / "many.jsonl"
    many.write_text("\n".join(json.dumps(_article(f"Chapter {n}", f"Body of chapter {n}."))
                              for n in range(500)))
    out["500-chapters"] = root / "many.epub"
    convert(many, "-o", out["500-chapters"], "--quiet")
    return out


@pytest.fixture(scope="module")
def epubcheck_results(books) -> dict[Path, list[str]]:
    return run_epubcheck(list(books.values()))


def test_epubcheck_as_run_here_reports_a_broken_book(books, tmp_path):
    """The validator the other tests trust does see faults: a chapter that is not XHTML and a
    manifest item that is missing."""
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(books["seed-missing-images"]) as source, \
            zipfile.ZipFile(broken, "w") as out:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.endswith("chapter-001.xhtml"):
                data = data.replace(b"</p>", b"", 1)
            if item.filename.endswith("nav.xhtml"):
                continue
            out.writestr(item, data)
    found = " ".join(run_epubcheck([broken])[broken])
    assert "RSC-005" in found or "RSC-016" in found  # the chapter
    assert "RSC-001" in found or "OPF-" in found  # the missing navigation document


def _article(title: str, body: str, **meta: object) -> dict:
    return complete({"version": 1, "meta": {"title": title, "lang": "en", **meta}, "blocks": [
        {"type": "paragraph", "children": [{"type": "text", "text": body}]}]})


EDGE_ARTICLES = [
    _article("Ampersand & <angle> \"quotes\" 'apostrophe'", "Text & more <b>not bold</b>."),
    complete({"version": 1, "meta": {"title": "Empty body", "lang": "en"}, "blocks": []}),
    complete({"version": 1, "meta": {"title": "", "lang": "en"}, "blocks": [
        {"type": "image", "src": "only-a-picture.jpg", "alt": "", "caption": None}]}),
    _article("Кириллица", "Русский текст.", lang="ru"),
    # found by fuzz/fuzz_readers.py: a zip cannot date an entry after 2107
    _article("Far future", "Dated in the year 3650.", date="3650-05-02T08:30:00+00:00"),
    _article("中文标题", "这是中文文本。", lang="zh"),
    _article("עברית", "טקסט בעברית.", lang="he"),
    _article("Bad language tag", "The tag C is not BCP 47.", lang="C"),
    _article("Links that cannot stay", "x", url=None),
]
EDGE_ARTICLES[-1] = complete({**EDGE_ARTICLES[-1], "blocks": [{"type": "paragraph", "children": [
    {"type": "link", "href": "/relative/page.html", "children": [{"type": "text", "text": "rel"}]},
    {"type": "text", "text": " "},
    {"type": "link", "href": "#nowhere", "children": [{"type": "text", "text": "frag"}]},
    {"type": "text", "text": " "},
    {"type": "link", "href": "javascript:alert(1)", "children": [{"type": "text", "text": "js"}]},
    {"type": "text", "text": " "},
    {"type": "link", "href": "https://example.com/ok", "children": [
        {"type": "text", "text": "ok"}]}]}]})


def _link(href: str) -> dict:
    return {"type": "link", "href": href, "children": [{"type": "text", "text": href}]}


# URLs that a page may hold and a URL parser rejects or EPUBCheck finds invalid (the fuzzer
# found the first); the book keeps their text and the JSON keeps them as written
ODD_URLS = ["http://[not an address]/x", "https://[::1/x", "https://example.com/a b/[x]?q=1 2",
            "https://пример.рф/путь?к=1#я", "https://example.com/100%/bad%zzescape",
            "mailto:someone@example.com?subject=Hello world", "https://exa_mple.com/"]
ODD_URL_ARTICLE = complete({**_article("Odd URLs", "x", url="https://example.com/odd [1].html"),
                            "blocks": [
                       {"type": "paragraph", "children": [_link(u) for u in ODD_URLS]},
                       {"type": "related", "heading": "Read more", "items": [
                           {"title": u, "url": u, "image": None, "summary": None}
                           for u in ODD_URLS]}]})
EDGE_ARTICLES.append(ODD_URL_ARTICLE)

LINKED_ARTICLES = [
    {**_article("First", "First article.", url="https://news.example/first.html"),
     "blocks": [{"type": "paragraph", "children": [{"type": "text", "text": "First."}]},
                {"type": "related", "heading": "Read also", "items": [
                    {"title": "Second", "url": "/second.html", "image": None,
                     "summary": None},
                    {"title": "Elsewhere", "url": "https://other.example/x", "image": None,
                     "summary": None}]}]},
    _article("Second", "Second article.", url="https://news.example/second.html"),
]


@pytest.mark.parametrize("name", [
    "seed-embedded-cover", "seed-missing-images", "kitchen-sink", "english", "no-subtitle",
    "book-of-fixtures", "edge-cases", "linked-book", "xss-corpus", "500-chapters"])
def test_epubcheck_reports_nothing(name, books, epubcheck_results):
    assert epubcheck_results[books[name]] == []


# ---------------------------------------------------------------------------------------------
# What is inside


def entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def test_zip_layout(books):
    for path in books.values():
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
        first = infos[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert first.extra == b""
        names = [i.filename for i in infos]
        assert len(names) == len(set(names))
        assert not any(n.endswith("/") for n in names)
        assert all(re.fullmatch(r"[A-Za-z0-9._/-]+", n) for n in names)
        assert entries(path)["mimetype"] == b"application/epub+zip"


def test_every_xhtml_member_is_strict_xml_without_controls(books):
    for path in books.values():
        for name, data in entries(path).items():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                etree.fromstring(data, etree.XMLParser(recover=False, huge_tree=True))
                assert not re.search(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]", data), name


def test_no_script_form_or_event_handler_reaches_the_book(books):
    from .oracle import problems

    for name, data in entries(books["xss-corpus"]).items():
        if name.startswith("EPUB/chapter"):
            body = data.decode().split("<body>", 1)[1].split("</body>", 1)[0]
            assert problems(body) == [], name


def test_pictures_embedded_with_their_type_and_the_lead_one_is_the_cover(books):
    files = entries(books["seed-embedded-cover"])
    opf = files["EPUB/content.opf"].decode()
    assert 'properties="cover-image"' in opf and '<meta name="cover"' in opf
    assert files["EPUB/images/img-001.png"] == png()
    assert files["EPUB/images/img-002.gif"] == GIF
    chapter = files["EPUB/chapter-001.xhtml"].decode()
    assert ('<img src="images/img-001.png" alt="" '
            'data-artconv-src="72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg"/>') in chapter


def test_missing_pictures_stay_as_captioned_figures_naming_the_placeholder(books):
    chapter = entries(books["seed-missing-images"])["EPUB/chapter-001.xhtml"].decode()
    assert chapter.count('class="missing-image"') == 1
    assert "[72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg]" in chapter
    assert "images/" not in chapter


def test_missing_picture_warns(tmp_path):
    run = run_cli("convert", TEXT / "seed.txt", "-o", tmp_path / "x.epub")
    assert run.exit_code == 0
    assert "72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg" in run.stderr
    assert "kept as a placeholder" in run.stderr
    strict = run_cli("convert", TEXT / "seed.txt", "-o", tmp_path / "y.epub", "--strict")
    assert strict.exit_code == 3 and not (tmp_path / "y.epub").exists()


def test_metadata(books):
    opf = entries(books["kitchen-sink"])["EPUB/content.opf"].decode()
    assert re.search(r'<dc:identifier id="id">urn:uuid:[0-9a-f-]{36}</dc:identifier>', opf)
    assert "<dc:language>en</dc:language>" in opf
    assert opf.count("<dc:creator") == 2 and 'id="creator1"' in opf and 'id="creator2"' in opf
    assert "<dc:date>2021-02-01T10:15:00+10:00</dc:date>" in opf
    assert "<dc:subject>Testing</dc:subject>" in opf
    assert "<dc:publisher>Example News</dc:publisher>" in opf
    assert "<dc:source>https://news.example.com/2021/02/kitchen-sink.html</dc:source>" in opf
    assert re.search(r"<meta property=\"dcterms:modified\">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ</meta>",
                     opf)
    edge = entries(books["edge-cases"])["EPUB/content.opf"].decode()
    assert "<dc:language>en</dc:language>" in edge  # "C" never becomes the book's language


def test_a_book_of_several_articles(books):
    files = entries(books["book-of-fixtures"])
    chapters = sorted(n for n in files if n.startswith("EPUB/chapter-"))
    assert len(chapters) == len(list(TEXT.glob("*.txt"))) + 1
    nav = files["EPUB/nav.xhtml"].decode()
    assert nav.count("<li>") == len(chapters)
    opf = files["EPUB/content.opf"].decode()
    assert "<dc:title>Every fixture</dc:title>" in opf and "Test Suite" in opf


def test_related_link_to_another_article_of_the_book_points_inside_it(books):
    chapter = entries(books["linked-book"])["EPUB/chapter-001.xhtml"].decode()
    assert '<a class="title" href="chapter-002.xhtml">Second</a>' in chapter
    assert 'href="https://other.example/x"' in chapter


def test_links_that_would_break_the_book_keep_their_text(books):
    chapter = next(d.decode() for n, d in entries(books["edge-cases"]).items()
                   if n.endswith(".xhtml") and b"Links that cannot stay" in d)
    assert ' href="/relative' not in chapter and ' href="#nowhere"' not in chapter
    from lxml import html as lxml_html

    body = lxml_html.fromstring(chapter.split("<body>")[1].split("</body>")[0])
    # the script URL is nowhere (the URL policy dropped it, keeping its text); the links a
    # book cannot hold keep their URL in data-artconv-href, for artconv to read back
    assert [(e.tag, k) for e in body.iter() for k, v in e.attrib.items()
            if "javascript" in v.lower()] == []
    kept = {e.text_content(): e.get("data-artconv-href") for e in body.iter()
            if e.get("data-artconv-href")}
    assert kept == {"rel": "/relative/page.html", "frag": "#nowhere"}, kept
    assert [e.tag for e in body.iter() if e.text_content() in ("rel", "frag", "js")
            and e.tag == "a"] == []
    (paragraph,) = [p for p in body.iter("p") if "frag" in p.text_content()]
    assert paragraph.text_content().split() == ["rel", "frag", "js", "ok"]
    assert '<a href="https://example.com/ok">ok</a>' in chapter


# ---------------------------------------------------------------------------------------------
# Reproducible


def test_two_writes_seconds_apart_are_identical(tmp_path):
    first, second = tmp_path / "a.epub", tmp_path / "b.epub"
    convert(KITCHEN_SINK, "-o", first)
    time.sleep(1.1)
    convert(KITCHEN_SINK, "-o", second)
    assert first.read_bytes() == second.read_bytes()


def test_same_bytes_under_another_time_zone(tmp_path):
    here = tmp_path / "here.epub"
    convert(KITCHEN_SINK, "-o", here)
    there = tmp_path / "there.epub"
    env = {**os.environ, "TZ": "Asia/Vladivostok"}
    subprocess.run([sys.executable, "-m", "artconv", "convert", str(KITCHEN_SINK), "-o",
                    str(there)], env=env, check=True)
    assert here.read_bytes() == there.read_bytes()


@pytest.mark.parametrize("epoch,modified,zip_date", [
    ("1700000000", "2023-11-14T22:13:20Z", (2023, 11, 14, 22, 13, 20)),
    ("0", "1970-01-01T00:00:00Z", (1980, 1, 1, 0, 0, 0)),
    ("40000000000", "3237-07-19T23:06:40Z", (2107, 12, 31, 23, 59, 58)),
])
def test_source_date_epoch(epoch, modified, zip_date, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    path = tmp_path / "x.epub"
    convert(KITCHEN_SINK, "-o", path)
    assert f'<meta property="dcterms:modified">{modified}</meta>' in \
        entries(path)["EPUB/content.opf"].decode()
    with zipfile.ZipFile(path) as z:
        assert {i.date_time for i in z.infolist()} == {zip_date}


def test_malformed_source_date_epoch_warns(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    run = run_cli("convert", KITCHEN_SINK, "-o", tmp_path / "x.epub")
    assert run.exit_code == 0 and "SOURCE_DATE_EPOCH" in run.stderr


def test_identifier_is_stable_and_specific(tmp_path):
    def identifier(path: Path) -> str:
        return re.search(r"<dc:identifier id=\"id\">([^<]+)<",
                         entries(path)["EPUB/content.opf"].decode()).group(1)

    a, b, c = tmp_path / "a.epub", tmp_path / "b.epub", tmp_path / "c.epub"
    convert(TEXT / "english.txt", "-o", a)
    convert(TEXT / "english.txt", "-o", b)
    convert(TEXT / "lists.txt", "-o", c)
    assert identifier(a) == identifier(b) != identifier(c)
    d = tmp_path / "d.epub"
    convert(TEXT / "english.txt", "-o", d, "--identifier", "urn:isbn:9780000000000")
    assert identifier(d) == "urn:isbn:9780000000000"


# ---------------------------------------------------------------------------------------------
# Goldens


@pytest.mark.parametrize("name", ["seed-embedded-cover", "kitchen-sink"])
def test_golden_listing_and_xhtml(name, books, golden):
    files = entries(books[name])
    with zipfile.ZipFile(books[name]) as z:
        listing = "\n".join(f"{i.filename} {i.file_size} {i.compress_type}"
                            for i in z.infolist()) + "\n"
    base = FIXTURES / "epub" / name
    golden(base.with_suffix(".listing.txt"), listing)
    golden(base.with_suffix(".chapter.xhtml"), files["EPUB/chapter-001.xhtml"])
    golden(base.with_suffix(".opf"), files["EPUB/content.opf"])


# ---------------------------------------------------------------------------------------------
# Reading books back


@pytest.mark.parametrize("source", [TEXT / "seed.txt", KITCHEN_SINK, TEXT / "english.txt"],
                         ids=lambda p: p.stem)
def test_artconv_books_read_back_to_the_same_json(source, tmp_path):
    book = tmp_path / "book.epub"
    convert(source, "-o", book, "--quiet")
    assert convert(book, "-t", "json") == as_shown(source, tmp_path)


def as_shown(source: Path, tmp_path: Path) -> bytes:
    """The JSON of ``source`` as a book or a page says it: raw HTML as what it shows."""
    expected = convert(source, "-t", "json")
    if b'"raw_html"' in expected:
        page = tmp_path / "page.html"
        convert(source, "-o", page, "--quiet")
        expected = convert(page, "-t", "json")
        assert b'"raw_html"' not in expected
    return expected


def test_odd_urls_are_kept_as_written_through_a_book(tmp_path):
    source = tmp_path / "odd.json"
    source.write_text(json.dumps(ODD_URL_ARTICLE, ensure_ascii=False), encoding="utf-8")
    book = tmp_path / "odd.epub"
    convert(source, "-o", book, "--quiet")
    assert json.loads(convert(book, "-t", "json")) == json.loads(convert(source, "-t", "json"))


@pytest.mark.parametrize("url,expected", [
    ("https://example.com/a b/[x]?q=1 2", "https://example.com/a%20b/%5Bx%5D?q=1%202"),
    ("https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C"),
    ("https://example.com/100%/ok%20", "https://example.com/100%25/ok%20"),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ("http://[not an address]/x", None), ("https://[::1/x", None),
    ("https://exa_mple.com/", None), ("https://example.com:99999/", None),
    ("mailto:a@example.com", "mailto:a@example.com"),
])
def test_book_urls_are_valid_or_none(url, expected):
    from artconv.urls import valid_url as book_url

    assert book_url(url) == expected


def test_a_book_reads_back_one_article_per_line(books, tmp_path):
    lines = convert(books["book-of-fixtures"], "-t", "jsonl").decode().splitlines()
    originals = [json.loads(convert(p, "-t", "json")) for p in sorted(TEXT.glob("*.txt"))]
    originals.append(json.loads(as_shown(KITCHEN_SINK, tmp_path)))
    assert [json.loads(line) for line in lines] == originals


def test_embedded_pictures_read_back_to_their_placeholders(books):
    doc = json.loads(convert(books["seed-embedded-cover"], "-t", "json"))
    assert doc["blocks"][0]["src"] == "72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg"


def test_binary_output_to_a_terminal_or_without_dash_o_is_refused():
    run = run_cli("convert", TEXT / "seed.txt", "-t", "epub")
    assert run.exit_code == 2 and "-o" in run.stderr and run.stdout == b""


def test_epub_to_a_pipe_with_dash_o_dash():
    proc = subprocess.run([sys.executable, "-m", "artconv", "convert", str(TEXT / "seed.txt"),
                           "-t", "epub", "-o", "-", "-q"], capture_output=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith(b"PK\x03\x04")


# ---------------------------------------------------------------------------------------------
# Files and paths: nothing outside the input's folder and --assets is read


def test_hostile_image_references_never_leak_a_file(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SECRET)
    (outside / "secret.png").write_bytes(png() + SECRET)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "pic.png").symlink_to(outside / "secret.png")
    (folder / "text.png").write_bytes(b"not a picture " + SECRET)
    refs = ["../outside/secret.png", str(outside / "secret.png"),
            f"file://{outside / 'secret.png'}", "%2e%2e%2foutside%2fsecret.png",
            "%252e%252e%252foutside%252fsecret.png", "..\\outside\\secret.png", "pic.png",
            "text.png", "C:\\outside\\secret.png"]
    dump = "Title\n\nLead\n\n" + "\n\n".join(f"{ref}\n\nParagraph {i}." for i, ref in
                                             enumerate(refs)) + "\n"
    (folder / "article.txt").write_text(dump, encoding="utf-8")
    book = tmp_path / "book.epub"
    run = run_cli("convert", folder / "article.txt", "-o", book, "--assets", outside.parent,
                  "-v")
    assert run.exit_code == 0
    data = book.read_bytes()
    assert SECRET not in data
    for content in entries(book).values():
        assert SECRET not in content
    # a file: URL is not a picture source the model takes (dropped when read, with a
    # warning); every other reference stays a placeholder, with a warning each
    assert "dropped a picture with the source 'file://" in run.stderr
    kept = [ref for ref in refs if not ref.startswith("file:")]
    assert run.stderr.count("kept as a placeholder") >= len(kept)
    back = json.loads(convert(book, "-t", "json"))
    assert [b["src"] for b in back["blocks"] if b["type"] == "image"] == kept


def test_html_references_never_leak_a_file(tmp_path):
    """reliability.md R-I1: the five ways a page can point at a local file."""
    (tmp_path / "secret.txt").write_bytes(SECRET)
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "pic.png").symlink_to(tmp_path / "secret.txt")
    page = folder / "page.html"
    page.write_text(
        "<html><head><title>Leak</title></head><body><article><h1>Leak</h1>"
        "<p>Some text of the article, long enough to be found, with commas, and more.</p>"
        '<img src="../secret.txt"><img src="/etc/hostname"><img src="file:///etc/hostname">'
        '<img src="pic.png"><iframe src="../secret.txt"></iframe>'
        "<p>The end of the article, which also has some words in it.</p>"
        "</article></body></html>", encoding="utf-8")
    book = tmp_path / "leak.epub"
    run = run_cli("convert", page, "-o", book)
    assert run.exit_code == 0
    hostname = Path("/etc/hostname").read_bytes().strip() if Path("/etc/hostname").exists() \
        else SECRET
    for content in entries(book).values():
        assert SECRET not in content
        assert not (hostname and content.startswith(hostname))
    assert run_epubcheck([book])[book] == []
    html = convert(page, "-t", "html").decode()
    assert SECRET.decode() not in html


def test_assets_folder_is_searched(tmp_path):
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg").write_bytes(png())
    book = tmp_path / "book.epub"
    run = run_cli("convert", TEXT / "seed.txt", "-o", book, "--assets", assets, "--no-cover")
    assert run.exit_code == 0
    files = entries(book)
    assert "EPUB/images/img-001.png" in files
    assert "cover-image" not in files["EPUB/content.opf"].decode()


# ---------------------------------------------------------------------------------------------
# Hostile EPUBs


def make_zip(members: dict[str, bytes], *, mimetype: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if mimetype:
            z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip")
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


CONTAINER = (b'<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
             b'opendocument:xmlns:container"><rootfiles><rootfile full-path="EPUB/content.opf" '
             b'media-type="application/oebps-package+xml"/></rootfiles></container>')


def opf(href: str = "c.xhtml", extra: bytes = b"") -> bytes:
    return (b'<?xml version="1.0"?>' + extra + b'<package xmlns="http://www.idpf.org/2007/opf" '
            b'version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T'
            b'</dc:title></metadata><manifest><item id="c" href="' + href.encode() +
            b'" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c"/>'
            b"</spine></package>")


CHAPTER = b'<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>T</h1><p>Hi.</p></body></html>'


def bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER)
        z.writestr("EPUB/content.opf", opf())
        with z.open("EPUB/c.xhtml", "w", force_zip64=True) as handle:
            block = b"\0" * (1 << 20)
            for _ in range(1024):  # 1 GB of zeros, about 1 MB compressed
                handle.write(block)
    return buf.getvalue()


def many_entries(count: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip")
        for i in range(count):
            z.writestr(f"f{i}", b"")
    return buf.getvalue()


def encrypted() -> bytes:
    """A container.xml whose central directory entry says it is encrypted."""
    data = bytearray(make_zip({"META-INF/container.xml": CONTAINER}))
    at = data.find(b"PK\x01\x02")
    while at != -1:
        if b"container.xml" in data[at:at + 120]:
            data[at + 8] |= 1
        at = data.find(b"PK\x01\x02", at + 1)
    return bytes(data)


def non_utf8_name() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER)
        z.writestr("EPUB/XX.xhtml", CHAPTER)
    return buf.getvalue().replace(b"EPUB/XX.xhtml", b"EPUB/\xff\xfe.xhtml")


@pytest.mark.parametrize("name,data,message", [
    ("not-a-zip", b"just text, not a zip", "not a zip"),
    ("drive-letter", make_zip({"META-INF/container.xml": CONTAINER, "C:\\x": b"x"}),
     "would leave the book"),
    ("dotdot-inside", make_zip({"META-INF/container.xml": CONTAINER, "a/../../x": b"x"}),
     "would leave the book"),
    ("100k-entries", many_entries(100_000), "entries (limit"),
    ("encrypted", encrypted(), "encrypted"),
    ("non-utf8-name", non_utf8_name(), "no 'EPUB/content.opf'"),
    ("zip-not-epub", make_zip({"hello.txt": b"hi"}, mimetype=False), "container.xml"),
    ("dotdot", make_zip({"META-INF/container.xml": CONTAINER, "../../evil.txt": b"x"}),
     "would leave the book"),
    ("absolute", make_zip({"META-INF/container.xml": CONTAINER, "/etc/evil": b"x"}),
     "would leave the book"),
    ("opf-escapes", make_zip({"META-INF/container.xml": CONTAINER,
                              "EPUB/content.opf": opf("../../etc/passwd")}), "outside the book"),
    ("xxe", make_zip({"META-INF/container.xml": CONTAINER, "EPUB/content.opf": opf(
        extra=b'<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/hostname">]>'),
        "EPUB/c.xhtml": CHAPTER}), "entities"),
    ("billion-laughs", make_zip({"META-INF/container.xml": CONTAINER,
                                 "EPUB/content.opf": opf(), "EPUB/c.xhtml":
                                 b'<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;'
                                 b'&a;&a;&a;&a;&a;&a;&a;">]>' + CHAPTER}), "entities"),
])
def test_hostile_books_get_a_one_line_error(name, data, message, tmp_path):
    path = tmp_path / f"{name}.epub"
    path.write_bytes(data)
    started = time.process_time()  # CPU time, with room: never a wall-clock race
    run = run_cli("convert", path, "-t", "json")
    assert time.process_time() - started < 5
    assert run.exit_code == 1 and run.stdout == b""
    assert message in run.stderr and run.stderr.count("\n") == 1, run.stderr


def test_zip_bomb_is_stopped_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.epub"
    path.write_bytes(bomb())
    started = time.process_time()  # CPU time, with room: never a wall-clock race
    run = run_cli("convert", path, "-t", "json")
    assert time.process_time() - started < 5
    assert run.exit_code == 1 and "zip bomb" in run.stderr


def test_symlink_entry_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), b"application/epub+zip")
        info = zipfile.ZipInfo("META-INF/container.xml")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        z.writestr(info, b"/etc/passwd")
    path = tmp_path / "link.epub"
    path.write_bytes(buf.getvalue())
    run = run_cli("convert", path, "-t", "json")
    assert run.exit_code == 1 and "symbolic link" in run.stderr


def test_the_writer_is_a_function_of_the_model_and_the_media_bag():
    """No file system: the pictures come in the media bag, the book comes out as bytes."""
    import artconv
    from artconv.media import MediaBag, as_picture
    from artconv.model import Article, Image, Meta
    from artconv.options import WriteOptions
    from artconv.writers.epub import write

    picture = as_picture(png())
    assert picture is not None
    article = Article(Meta(title="In memory", lang="en"), (Image("nowhere/on/disk.png"),))
    data = write([article], WriteOptions(), artconv.Log(), MediaBag(({"nowhere/on/disk.png":
                                                                        picture},)))
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        assert book.read("EPUB/images/img-001.png") == picture.data
    back = artconv.read(data, from_="epub", log=artconv.Log())
    assert back.blocks == (Image("nowhere/on/disk.png"),)
