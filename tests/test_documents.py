"""Several articles in one document (issue 14) and the pictures a book carries (issue 13): one
page, one Markdown file or one text dump for several inputs, read back into the same articles
where the format can say so; a book's pictures carried into another book or written out with
--extract-media."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from .conftest import FIXTURES, run_cli, run_epubcheck

KITCHEN_SINK = FIXTURES / "writers" / "kitchen-sink.json"
SEED = FIXTURES / "text" / "seed.txt"
ENGLISH = FIXTURES / "text" / "english.txt"


def convert(*args: str | Path, expect: int = 0) -> bytes:
    run = run_cli("convert", *args)
    assert run.exit_code == expect, run.stderr
    return run.stdout


def jsonl(path: Path, *more: str) -> list[dict]:
    return [json.loads(line) for line in convert(path, "-t", "jsonl", *more).splitlines()]


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """Three articles as JSON Lines: with notes and every block, Russian, English."""
    path = tmp_path / "three.jsonl"
    path.write_bytes(convert(SEED, ENGLISH, "-t", "jsonl", "-q")
                     + convert(KITCHEN_SINK, "-t", "jsonl", "-q"))
    return path


@pytest.mark.parametrize("to,from_", [("md", "markdown"), ("gfm", "gfm"), ("html", "html")])
def test_several_articles_make_one_document_that_reads_back(three, tmp_path, to, from_):
    out = tmp_path / f"all.{to}"
    convert(three, "-t", to, "-o", out, "-q")
    written = out.read_text(encoding="utf-8")
    originals = jsonl(three)
    back = jsonl(out, "-f", from_, "-q")
    assert len(back) == 3
    for original, read in zip(originals[:2], back[:2], strict=True):
        assert read == original
    assert back[2]["meta"] == originals[2]["meta"]
    if to == "html":
        assert written.count("<article") == 3 and written.count("<html") == 1
        ids = [line for line in written.split('id="')[1:]]
        assert len(ids) == len(set(i.split('"')[0] for i in ids))  # note ids stay unique
    else:  # each article under its own heading
        titles = [a["meta"]["title"] for a in originals]
        assert all(f"# {t.split(':')[0]}" in written for t in titles)


def test_several_inputs_to_a_named_file_make_one_document(tmp_path):
    out = tmp_path / "two.md"
    convert(SEED, ENGLISH, "-o", out, "-q")
    assert out.is_file()
    assert len(jsonl(out, "-q")) == 2
    folder = tmp_path / "site"
    convert(SEED, ENGLISH, "-t", "md", "-o", f"{folder}/", "-q")
    assert sorted(p.name for p in folder.iterdir()) == ["english.md", "seed.md"]


def test_several_articles_as_text_follow_one_another(tmp_path):
    dump = convert(SEED, ENGLISH, "-t", "text", "-q").decode()
    first, second = dump.split("\n\n* * *\n\n")
    assert first == convert(SEED, "-t", "text", "-q").decode().rstrip("\n")
    assert second == convert(ENGLISH, "-t", "text", "-q").decode()


def test_json_of_several_articles_points_at_jsonl():
    run = run_cli("convert", str(SEED), str(ENGLISH), "-t", "json")
    assert run.exit_code == 2 and "jsonl" in run.stderr


# ---------------------------------------------------------------------------------------------
# The pictures a book carries


def png(width: int, height: int, shade: int) -> bytes:
    """A small grey PNG of our own."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes([shade]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"
 lang="en" xml:lang="en"><head><title>{title}</title></head><body>
<h1>{title}</h1>
<p>{text}</p>
<figure><img src="../images/{picture}" alt="{alt}"/><figcaption>{alt}</figcaption></figure>
<p>The end of {title}.</p>
</body></html>"""


def foreign_book(path: Path) -> dict[str, bytes]:
    """A two-chapter EPUB 3 of our own (not written by artconv), pictures in a folder beside
    the chapters' one, as real books have them."""
    pictures = {"moon.png": png(8, 6, 40), "sun.png": png(6, 8, 220)}
    chapters = {
        "text/one.xhtml": CHAPTER.format(title="The Moon", text="A night picture.",
                                         picture="moon.png", alt="The moon"),
        "text/two.xhtml": CHAPTER.format(title="The Sun", text="A day picture.",
                                         picture="sun.png", alt="The sun"),
    }
    opf = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:x:1</dc:identifier>
<dc:title>Sky</dc:title><dc:language>en</dc:language></metadata>
<manifest><item id="one" href="text/one.xhtml" media-type="application/xhtml+xml"/>
<item id="two" href="text/two.xhtml" media-type="application/xhtml+xml"/>
<item id="moon" href="images/moon.png" media-type="image/png"/>
<item id="sun" href="images/sun.png" media-type="image/png"/></manifest>
<spine><itemref idref="one"/><itemref idref="two"/></spine></package>"""
    container = """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/book.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", container)
        book.writestr("OEBPS/book.opf", opf)
        for name, text in chapters.items():
            book.writestr(f"OEBPS/{name}", text)
        for name, data in pictures.items():
            book.writestr(f"OEBPS/images/{name}", data)
    return pictures


def book_pictures(path: Path) -> set[bytes]:
    with zipfile.ZipFile(path) as book:
        return {book.read(n) for n in book.namelist() if n.endswith((".png", ".jpg", ".gif"))}


def test_a_books_pictures_are_carried_into_the_book_written_from_it(tmp_path):
    source = tmp_path / "in" / "sky.epub"
    source.parent.mkdir()
    pictures = foreign_book(source)
    out = tmp_path / "out.epub"
    run = run_cli("convert", str(source), "-o", str(out))
    assert run.exit_code == 0, run.stderr
    assert "missing-image" not in run.stderr and "no such file" not in run.stderr
    assert set(pictures.values()) <= book_pictures(out)
    assert run_epubcheck([out])[out] == []
    # and through the book artconv wrote, once more
    again = tmp_path / "again.epub"
    convert(out, "-o", again, "-q")
    assert set(pictures.values()) <= book_pictures(again)


def test_extract_media_writes_the_pictures_and_refers_to_them(tmp_path, monkeypatch):
    source = tmp_path / "sky.epub"
    pictures = foreign_book(source)
    monkeypatch.chdir(tmp_path)  # DIR as given, relative to the output: as pandoc does
    media = tmp_path / "media"
    out = tmp_path / "sky.md"
    convert(source, "-t", "md", "-o", out, "--extract-media", "media", "-q")
    written = {p.read_bytes() for p in media.iterdir()}
    assert written == set(pictures.values())
    text = out.read_text(encoding="utf-8")
    for path in media.iterdir():
        assert f"](media/{path.name})" in text
    # the references lead to the files: a book made from the Markdown holds the pictures
    book = tmp_path / "from-md.epub"
    convert(out, "-o", book, "-q")
    assert set(pictures.values()) <= book_pictures(book)


def test_extract_media_writes_nothing_when_the_output_fails(tmp_path):
    source = tmp_path / "sky.epub"
    foreign_book(source)
    media = tmp_path / "media"
    run = run_cli("convert", str(source), "-t", "json", "-o", str(tmp_path / "x.json"),
                  "--extract-media", str(media))
    assert run.exit_code != 0 and not media.exists()


def small_book(path: Path, chapters: dict[str, tuple[str, str]],
               files: dict[str, bytes] | None = None) -> None:
    """An EPUB of our own: chapters by name (media type, content) in spine order."""
    items = "".join(f'<item id="i{n}" href="{name}" media-type="{kind}"/>'
                    for n, (name, (kind, _)) in enumerate(chapters.items()))
    items += "".join(f'<item id="f{n}" href="{name}" media-type="image/png"/>'
                     for n, name in enumerate(files or {}))
    spine = "".join(f'<itemref idref="i{n}"/>' for n in range(len(chapters)))
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" '
                      'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
                      '<rootfile full-path="book.opf" media-type="application/oebps-package+xml"'
                      '/></rootfiles></container>')
        book.writestr("book.opf", '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007'
                      '/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://'
                      'purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>'
                      '<dc:title>T</dc:title><dc:language>en</dc:language></metadata>'
                      f"<manifest>{items}</manifest><spine>{spine}</spine></package>")
        for name, (_, content) in chapters.items():
            book.writestr(name, content)
        for name, data in (files or {}).items():
            book.writestr(name, data)


def xhtml(body: str) -> tuple[str, str]:
    return ("application/xhtml+xml", '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns='
            f'"http://www.w3.org/1999/xhtml" lang="en"><head><title>x</title></head><body>{body}'
            "</body></html>")


def test_a_cover_page_a_chapter_toc_and_pages_drawn_as_pictures_are_read(tmp_path):
    """Each a class of book page that used to vanish: a cover that is a heading holding only a
    picture, a chapter's own table of contents, a spine page that is an SVG drawing with text,
    a spine page that is a picture."""
    cover = png(5, 5, 100)
    book = tmp_path / "pages.epub"
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
           'viewBox="0 0 10 10"><image xlink:href="cover.png" width="10" height="10"/>'
           "<text x='1' y='5'>Words drawn on the page</text></svg>")
    small_book(book, {
        "cover.xhtml": xhtml('<h1><img src="cover.png" alt=""/></h1>'),
        "one.xhtml": xhtml('<nav class="toc"><ol><li><a href="#a">Part A</a></li></ol></nav>'
                           '<h1>Chapter one</h1><p id="a">Text of part A.</p>'),
        "drawn.svg": ("image/svg+xml", svg),
        "page.png": ("image/png", ""),  # a page that is a picture (its bytes do not matter)
    }, files={"cover.png": cover})
    articles = jsonl(book)
    assert [b["type"] for b in articles[0]["blocks"]] == ["image"]
    assert "Part A" in json.dumps(articles[1], ensure_ascii=False)
    drawn = json.dumps(articles[2], ensure_ascii=False)
    assert "Words drawn on the page" in drawn and '"cover.png"' in drawn
    assert articles[3]["blocks"][0]["type"] == "image"
    out = tmp_path / "again.epub"
    convert(book, "-o", out, "-q")
    assert cover in book_pictures(out)
