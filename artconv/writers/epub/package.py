"""The package of an EPUB built with ebooklib: metadata, chapters, pictures, navigation. The
traps of ebooklib 0.20 (docs/epub-notes.md) are worked around here: write errors raised, a
stable identifier, ``dc:language`` always set, explicit author ids, a non-empty table of
contents, a fixed ``dcterms:modified``, chapters whose bytes ebooklib does not rewrite."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import re
import uuid

from ...errors import Log, OutputError
from ...jsonform import article_to_dict
from ...lang import is_valid_tag
from ...media import Picture
from ...model import Article, walk
from ...options import WriteOptions
from ...textutil import clean_text
from ...urls import url_scheme

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

FIXED_DATE = dt.datetime(2000, 1, 1)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_W3C_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                       r"(?:Z|[+-]\d{2}:\d{2}))?)?)?")


def package(articles: Sequence[Article], chapters: Sequence[tuple[str, str, bytes]],
            pictures: Sequence[tuple[str, Picture]], cover: str | None, stylesheet: str,
            options: WriteOptions, log: Log, when: dt.datetime) -> bytes:
    """The EPUB as ebooklib writes it: ``chapters`` are (file name, title, XHTML bytes),
    ``pictures`` (file name, picture); ``cover`` names one of the pictures."""
    from ebooklib import epub

    class Chapter(epub.EpubHtml):  # type: ignore[misc]
        """A chapter whose bytes ebooklib must not rewrite (epub-notes 10-12)."""

        def __init__(self, content: bytes, **kwargs: object) -> None:
            super().__init__(**kwargs)
            self.raw = content

        def get_content(self, default: object = None) -> bytes:
            return self.raw

    book = epub.EpubBook()
    titles = [title for _, title, _ in chapters]
    title = options.title or (titles[0] if len(articles) == 1 else book_title(articles))
    lang = book_language(articles, log)
    book.set_identifier(options.identifier or identifier(articles, title))
    book.set_title(clean_text(title))
    book.set_language(lang)
    _metadata(book, articles, options)
    book.add_item(epub.EpubItem(uid="style", file_name="style/article.css",
                                media_type="text/css", content=stylesheet.encode("utf-8")))
    items = []
    for name, chapter_title, content in chapters:
        item = Chapter(content, uid=name.split(".")[0], file_name=name,
                       title=clean_text(chapter_title), lang=lang)
        book.add_item(item)
        items.append(item)
    for name, picture in pictures:
        image = epub.EpubImage(uid=name.split("/")[-1].split(".")[0], file_name=name,
                               media_type=picture.media_type, content=picture.data)
        if name == cover:
            image.properties = ["cover-image"]
        book.add_item(image)
    if cover:
        cover_id = next(i.id for i in book.get_items() if i.file_name == cover)
        book.add_metadata(None, "meta", "", {"name": "cover", "content": cover_id})
    book.toc = tuple(items)
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav()
    book.add_item(nav)
    book.spine = [nav, *items]
    buffer = io.BytesIO()
    try:
        writer = _writer_class()(buffer, book, {"raise_exceptions": True, "mtime": when,
                                                "epub3_pages": False, "compresslevel": 9})
        writer.process()
        writer.write()
    except Exception as exc:  # ebooklib raises lxml, OS and value errors alike
        raise OutputError(f"cannot write the EPUB: {type(exc).__name__}: {exc}") from None
    return buffer.getvalue()


@functools.cache
def _writer_class() -> type:
    """ebooklib's writer with an NCX built in one pass: ebooklib's own looks up its parent
    once per chapter (``find``), which costs quadratic time in a book of 40,000 articles. The
    bytes are the same (a flat table of contents of chapters, no play order)."""
    import lxml.etree as etree
    from ebooklib import epub
    from ebooklib.utils import parse_string

    class Writer(epub.EpubWriter):  # type: ignore[misc]
        def _get_ncx(self) -> bytes:
            root = parse_string(self.book.get_template("ncx")).getroot()
            head = etree.SubElement(root, "head")
            for content, name in ((self.book.uid, "dtb:uid"), ("0", "dtb:depth"),
                                  ("0", "dtb:totalPageCount"), ("0", "dtb:maxPageNumber")):
                etree.SubElement(head, "meta", {"content": content, "name": name})
            doc_title = etree.SubElement(root, "docTitle")
            etree.SubElement(doc_title, "text").text = self.book.title
            nav_map = etree.SubElement(root, "navMap")
            for item in self.book.toc:
                point = etree.SubElement(nav_map, "navPoint", {"id": item.get_id()})
                label = etree.SubElement(point, "navLabel")
                etree.SubElement(label, "text").text = item.title
                etree.SubElement(point, "content", {"src": item.file_name})
            return etree.tostring(root, pretty_print=True, encoding="utf-8",  # type: ignore[no-any-return]
                                  xml_declaration=True)

    return Writer


def _metadata(book: object, articles: Sequence[Article], options: WriteOptions) -> None:
    authors = list(options.authors) or _unique(a for art in articles for a in art.meta.authors)
    for n, author in enumerate(authors, start=1):
        book.add_author(clean_text(author), uid=f"creator{n}")  # type: ignore[attr-defined]
    first = articles[0].meta
    date = w3c_date(first.date) if len(articles) == 1 else None
    if date:
        book.add_metadata("DC", "date", date)  # type: ignore[attr-defined]
    subjects = (s for a in articles for s in (a.meta.section, *a.meta.categories,
                                              *a.meta.tags) if s)
    for subject in _unique(subjects):
        book.add_metadata("DC", "subject", clean_text(subject))  # type: ignore[attr-defined]
    if len(articles) == 1 and first.description:
        book.add_metadata("DC", "description", clean_text(first.description))  # type: ignore[attr-defined]
    for rights in _unique(a.meta.license for a in articles if a.meta.license):
        book.add_metadata("DC", "rights", clean_text(rights))  # type: ignore[attr-defined]
    for site in _unique(a.meta.site for a in articles if a.meta.site):
        book.add_metadata("DC", "publisher", clean_text(site))  # type: ignore[attr-defined]
    if len(articles) == 1 and first.url and url_scheme(first.url) in ("http", "https"):
        book.add_metadata("DC", "source", clean_text(first.url))  # type: ignore[attr-defined]


def book_title(articles: Sequence[Article]) -> str:
    sites = {a.meta.site for a in articles}
    site = next(iter(sites)) if len(sites) == 1 else None
    return f"{site}: {len(articles)} articles" if site else f"{len(articles)} articles"


def book_language(articles: Sequence[Article], log: Log) -> str:
    """The language most of the book's text is in (its articles' characters counted by their
    own language; on a tie, the first article's), each chapter keeping its own ``xml:lang``."""
    weight: dict[str, int] = {}
    for article in articles:
        lang = article.meta.lang
        if lang and is_valid_tag(lang):
            weight[lang] = weight.get(lang, 0) + 1 + _text_size(article)
    if weight:
        return max(weight, key=weight.__getitem__)  # the first one on a tie: dicts keep order
    bad = next((a.meta.lang for a in articles if a.meta.lang), None)
    if bad:
        log.warn("bad-lang", f"not a language tag: {bad!r}; the book says en")
    else:
        log.warn("no-lang", "no article names its language; the book says en (use --lang)")
    return "en"


def _text_size(article: Article) -> int:
    size = 0
    for node in walk(article):
        text = getattr(node, "text", None)
        if type(text) is str:
            size += len(text)
    return size


def identifier(articles: Sequence[Article], title: str) -> str:
    """A stable id: the same articles give the same book id, different ones another."""
    canonical = json.dumps([article_to_dict(a) for a in articles], ensure_ascii=False,
                           sort_keys=True)
    digest = hashlib.sha256((title + "\n" + canonical).encode("utf-8")).hexdigest()
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "artconv:" + digest))


def w3c_date(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if _W3C_DATE.fullmatch(value):
        return value
    match = _DATE.search(value)
    return match.group(0) if match else None


def build_time(articles: Sequence[Article], log: Log) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set; else the newest article date; else a fixed date.
    A naive UTC datetime, never the current time: builds are reproducible."""
    raw = os.environ.get("SOURCE_DATE_EPOCH")
    if raw is not None:
        try:
            return dt.datetime.fromtimestamp(int(raw.strip()), dt.timezone.utc).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            log.warn("source-date-epoch", f"SOURCE_DATE_EPOCH={raw[:40]!r} is not a number of "
                     "seconds; ignored")
    dates = []
    for article in articles:
        match = _DATE.search(article.meta.date or "")
        if match:
            try:
                year, month, day = (int(g) for g in match.groups())
                dates.append(dt.datetime(year, month, day))
            except ValueError:
                continue
    return max(dates) if dates else FIXED_DATE


def _unique(values: object) -> list[str]:
    seen: list[str] = []
    for value in values:  # type: ignore[attr-defined]
        if value and value not in seen:
            seen.append(value)
    return seen
