"""The EPUB 3 writer: valid (EPUBCheck 5, no errors, no warnings), reproducible, lossless.

One chapter per article, a navigation document and an NCX. Chapters are serialised by
:class:`EpubRenderer` (XHTML, no pretty-printing) and handed to ebooklib untouched; ebooklib's
traps are worked around as docs/epub-notes.md describes: write errors raised, stable identifier,
``dc:language`` always set, explicit author ids, a non-empty TOC, fixed ``dcterms:modified``,
and the zip re-packed with fixed timestamps and order.

Pictures are embedded when their file is found under the inputs' folders or ``--assets`` (a
regular file inside one of those folders whose bytes are an EPUB core image type); anything
else, and every remote picture, stays in the book as a captioned figure naming the placeholder.
Nothing outside those folders is ever read. artconv's own values travel in ``data-artconv-*``
attributes so that the EPUB reader gives back the same JSON.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import ArtconvError, Log, OutputError
from ..jsonform import article_to_dict
from ..lang import is_valid_tag
from ..model import Article, Image, Inline, Link, Related, RelatedItem
from ..options import WriteOptions
from ..textutil import clean_text
from ..urls import is_remote, is_safe_link, join_url, url_key, url_scheme
from .markup import HtmlRenderer, attr, heading_offset, text

CSS = """\
body{margin:0 5%;font-family:serif;line-height:1.5}
h1,h2,h3,h4,h5,h6{font-family:sans-serif;line-height:1.25}
.subtitle{font-size:1.15em;color:#444}
.byline{font-size:.9em;color:#555}
figure{margin:1em 0}
img{max-width:100%}
figcaption{font-size:.9em;color:#444}
figure.missing-image{border:1px dashed #999;padding:.5em}
figure.missing-image .placeholder{font-family:monospace}
blockquote{margin:1em 2em}
pre{white-space:pre-wrap;font-size:.85em}
table{border-collapse:collapse}
th,td{border:1px solid #999;padding:.2em .4em}
section.related{border-top:1px solid #999;margin-top:2em}
aside.related ul{list-style:none;padding:0}
aside.related li{margin:.75em 0;overflow:hidden}
aside.related img{float:left;width:5em;margin-right:.75em}
"""

CORE_IMAGE_TYPES = {b"\xff\xd8\xff": ("image/jpeg", ".jpg"), b"\x89PNG\r\n\x1a\n": ("image/png",
                    ".png"), b"GIF87a": ("image/gif", ".gif"), b"GIF89a": ("image/gif", ".gif")}
MAX_IMAGE_BYTES = 30 * 1024 * 1024
FIXED_DATE = dt.datetime(2000, 1, 1)
ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the range of a zip entry's DOS date and time
ZIP_END = dt.datetime(2107, 12, 31, 23, 59, 58)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_W3C_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                       r"(?:Z|[+-]\d{2}:\d{2}))?)?)?")


def image_type(data: bytes) -> tuple[str, str] | None:
    """(media type, extension) of an EPUB core image type, from the bytes themselves."""
    for magic, kind in CORE_IMAGE_TYPES.items():
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


# ---------------------------------------------------------------------------------------------
# Finding picture files, safely


@dataclass
class Assets:
    """Image files found for the book: placeholder -> (internal name, media type, bytes)."""

    folders: tuple[Path, ...]
    log: Log
    found: dict[str, tuple[str, str, bytes]] = field(default_factory=dict)
    by_path: dict[Path, str] = field(default_factory=dict)
    missing: set[str] = field(default_factory=set)

    def lookup(self, src: str, *, quiet: bool = False) -> tuple[str, str, bytes] | None:
        if src in self.found:
            return self.found[src]
        if src in self.missing:
            return None
        entry = self._load(src, quiet)
        if entry is None:
            self.missing.add(src)
        else:
            self.found[src] = entry
        return entry

    def _load(self, src: str, quiet: bool) -> tuple[str, str, bytes] | None:
        def miss(why: str) -> None:
            if not quiet:
                self.log.warn("missing-image", f"{src[:120]!r}: {why}; kept as a placeholder")

        if is_remote(src):
            miss("remote pictures are never fetched")
            return None
        relative = safe_relative_path(src)
        if relative is None:
            miss("refused: the path leaves the input's folder")
            return None
        for folder in self.folders:
            try:
                root = folder.resolve(strict=True)
                candidate = (root / relative).resolve(strict=True)
            except (OSError, RuntimeError):
                continue
            if root != candidate and root not in candidate.parents:
                miss("refused: it points outside the input's folder (a symlink?)")
                return None
            try:
                info = candidate.stat()
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            if info.st_size > MAX_IMAGE_BYTES:
                miss(f"over {MAX_IMAGE_BYTES // (1024 * 1024)} MB")
                return None
            if candidate in self.by_path:
                name = self.by_path[candidate]
                return next(v for v in self.found.values() if v[0] == name)
            data = candidate.read_bytes()
            kind = image_type(data)
            if kind is None:
                miss("not a JPEG, PNG, GIF or WebP picture")
                return None
            name = f"images/img-{len(self.by_path) + 1:03d}{kind[1]}"
            self.by_path[candidate] = name
            return name, kind[0], data
        miss("no such file next to the input or under --assets")
        return None


def safe_relative_path(src: str) -> Path | None:
    """The relative path a placeholder names, or None when it could leave its folder:
    absolute paths, ``file:`` and other URLs, ``..`` (also percent- or double-encoded),
    backslashes and drive letters are refused."""
    value = src.strip()
    if not value or url_scheme(value) is not None or value.startswith(("//", "\\")):
        return None
    try:
        path = urlsplit(value).path if "?" in value or "#" in value else value
    except ValueError:
        return None
    for _ in range(3):  # undo percent-encoding, twice-encoded included
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    if "\\" in path or "\x00" in path or re.match(r"[A-Za-z]:", path) or path.startswith("/"):
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return Path(*parts)


# ---------------------------------------------------------------------------------------------
# Chapters


class EpubRenderer(HtmlRenderer):
    """XHTML for one chapter: embedded pictures, placeholders for the rest, links that stay
    valid inside the package, related blocks gathered at the end of the chapter."""

    def __init__(self, log: Log, assets: Assets, article: Article, chapters: dict[str, str],
                 own_url: str | None) -> None:
        super().__init__(log, xhtml=True, offset=heading_offset(article))
        self.assets = assets
        self.chapters = chapters
        self.base = own_url if own_url and url_scheme(own_url) in ("http", "https") else None

    def article(self, article: Article) -> str:
        lang = article.meta.lang
        lang_attrs = f' lang="{attr(lang)}" xml:lang="{attr(lang)}"' \
            if lang and is_valid_tag(lang) else ""
        body = [self.block(b) for b in article.blocks if not isinstance(b, Related)]
        related = [(i, b) for i, b in enumerate(article.blocks) if isinstance(b, Related)]
        parts = [f"<article{lang_attrs}>", self.header(article), *body]
        if related:
            parts.append('<section class="related">')
            for position, block in related:
                parts.append(self.related(block).replace(
                    '<aside class="related">',
                    f'<aside class="related" data-artconv-position="{position}">', 1))
            parts.append("</section>")
        parts.append("</article>")
        return "\n".join(p for p in parts if p)

    def image(self, image: Image) -> str:
        caption = self.inlines(image.caption) if image.caption else ""
        alt = f' data-artconv-alt="{attr(image.alt)}"' if image.alt else ""
        found = self.assets.lookup(image.src)
        if found is None:
            return (f'<figure class="missing-image" data-artconv-src="{attr(image.src)}"{alt}>'
                    f'<figcaption><span class="placeholder">[{text(image.src)}]</span>'
                    f"{' ' + caption if caption else ''}</figcaption></figure>")
        name = found[0]
        img = (f'<img src="{attr(name)}" alt="{attr(image.alt)}" '
               f'data-artconv-src="{attr(image.src)}"/>')
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f"<figure>{img}{figcaption}</figure>"

    def related_item(self, item: RelatedItem) -> str:
        data = ""
        if item.url:
            data += f' data-artconv-url="{attr(item.url)}"'
        if item.image:
            data += f' data-artconv-image="{attr(item.image)}"'
        inner = super().related_item(item)
        return f'<div class="item"{data}>{inner}</div>' if data else inner

    def meta_link(self, url: str, label: str, css_class: str) -> str:
        valid = book_url(url) if url_scheme(url) in ("http", "https") and "//" in url else None
        if valid == url:
            return super().meta_link(url, label, css_class)
        return f'<span class="{css_class}" data-artconv-href="{attr(url)}">{text(label)}</span>'

    def related_href(self, url: str | None) -> str | None:
        if not url:
            return None
        return self._target(url)

    def related_image(self, src: str) -> str:
        found = self.assets.lookup(src, quiet=True)
        return f'<img src="{attr(found[0])}" alt=""/>' if found else ""

    def inline(self, node: Inline) -> str:
        if isinstance(node, Link):
            inner = self.inlines(node.children)
            target = self._target(node.href)
            original = f' data-artconv-href="{attr(node.href)}"'
            if target is None:
                return f"<span{original}>{inner}</span>"
            if target == node.href:
                return f'<a href="{attr(target)}">{inner}</a>'
            return f'<a href="{attr(target)}"{original}>{inner}</a>'
        return super().inline(node)

    def _target(self, url: str) -> str | None:
        """Where a link may point from inside the book: another chapter of it, an absolute
        http(s) or mailto URL; a relative link is resolved against the article's own URL,
        and dropped (its text kept) when there is none."""
        if not is_safe_link(url):
            return None
        for candidate in (url, join_url(self.base, url) if self.base else None):
            if candidate and url_key(candidate) in self.chapters:
                return self.chapters[url_key(candidate)]
        scheme = url_scheme(url)
        if scheme in ("http", "https") and "//" in url:
            return book_url(url)
        if scheme == "mailto":
            return book_url(url)
        if self.base and scheme is None and not url.strip().startswith("#"):
            return book_url(join_url(self.base, url))
        return None


_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
                   r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"


def book_url(url: str) -> str | None:
    """``url`` as EPUBCheck accepts it in an ``href``: the host checked (and IDNA-encoded),
    the path, query and fragment percent-encoded where they hold characters a URL may not;
    None when no valid URL says the same (the link's text then stays, without the link)."""
    from urllib.parse import quote, urlsplit, urlunsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None

    def encode(value: str, safe: str) -> str:
        return quote(_BAD_PERCENT.sub("%25", value), safe=safe)

    netloc = ""
    if parts.scheme in ("http", "https"):
        host = parts.hostname or ""
        if not parts.netloc.startswith("[") and "[" not in parts.netloc:
            try:
                host = host.encode("idna").decode("ascii")
            except UnicodeError:
                return None
            if not _HOST.fullmatch(host):
                return None
        elif not host:
            return None
        else:
            host = f"[{host}]"
        netloc = host + (f":{port}" if port is not None else "")
    elif parts.netloc:
        return None
    return urlunsplit((parts.scheme, netloc, encode(parts.path, _PATH_SAFE),
                       encode(parts.query, _PATH_SAFE + "?"),
                       encode(parts.fragment, _PATH_SAFE + "?")))


def chapter_xhtml(article: Article, body: str, title: str) -> bytes:
    lang = article.meta.lang if article.meta.lang and is_valid_tag(article.meta.lang) else None
    lang_attrs = f' lang="{attr(lang)}" xml:lang="{attr(lang)}"' if lang else ""
    document = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" '
        f'xmlns:epub="http://www.idpf.org/2007/ops"{lang_attrs}>\n'
        f"<head>\n<meta charset=\"utf-8\"/>\n<title>{text(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="style/article.css"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )
    return document.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The book


def write(articles: Sequence[Article], options: WriteOptions, log: Log) -> bytes:
    from ebooklib import epub

    if not articles:
        raise ArtconvError("no article to put in the book")

    class Chapter(epub.EpubHtml):  # type: ignore[misc]
        """A chapter whose bytes ebooklib must not rewrite (epub-notes 10-12)."""

        def __init__(self, content: bytes, **kwargs: object) -> None:
            super().__init__(**kwargs)
            self.raw = content

        def get_content(self, default: object = None) -> bytes:
            return self.raw

    book = epub.EpubBook()
    titles = [a.meta.title or _first_heading(a) or "Untitled article" for a in articles]
    title = options.title or (titles[0] if len(articles) == 1 else _book_title(articles))
    lang = _book_language(articles, log)
    book.set_identifier(options.identifier or _identifier(articles, title))
    book.set_title(clean_text(title))
    book.set_language(lang)
    authors = list(options.authors) or _unique(a for art in articles for a in art.meta.authors)
    for n, author in enumerate(authors, start=1):
        book.add_author(clean_text(author), uid=f"creator{n}")
    first = articles[0].meta
    date = _w3c_date(first.date) if len(articles) == 1 else None
    if date:
        book.add_metadata("DC", "date", date)
    for subject in _unique(a.meta.section for a in articles if a.meta.section):
        book.add_metadata("DC", "subject", clean_text(subject))
    for site in _unique(a.meta.site for a in articles if a.meta.site):
        book.add_metadata("DC", "publisher", clean_text(site))
    if len(articles) == 1 and first.url and url_scheme(first.url) in ("http", "https"):
        book.add_metadata("DC", "source", clean_text(first.url))

    css = CSS
    if options.css:
        css = _read_css(Path(options.css))
    style = epub.EpubItem(uid="style", file_name="style/article.css", media_type="text/css",
                          content=css.encode("utf-8"))
    book.add_item(style)

    assets = Assets(tuple(Path(d) for d in options.resource_dirs), log)
    names = [f"chapter-{n:03d}.xhtml" for n in range(1, len(articles) + 1)]
    chapters_by_url = {url_key(a.meta.url): name for a, name in zip(articles, names, strict=True)
                       if a.meta.url and url_scheme(a.meta.url) in ("http", "https")}
    chapters = []
    for article, name, chapter_title in zip(articles, names, titles, strict=True):
        renderer = EpubRenderer(log, assets, article, chapters_by_url, article.meta.url)
        content = chapter_xhtml(article, renderer.article(article), chapter_title)
        chapter = Chapter(content, uid=name.split(".")[0], file_name=name,
                          title=clean_text(chapter_title), lang=lang)
        book.add_item(chapter)
        chapters.append(chapter)

    cover = _cover(options, assets, articles, log)
    for _src, (name, media_type, data) in sorted(assets.found.items(), key=lambda kv: kv[1][0]):
        if any(item.file_name == name for item in book.get_items()):
            continue
        item = epub.EpubImage(uid=name.split("/")[-1].split(".")[0], file_name=name,
                              media_type=media_type, content=data)
        if cover and name == cover[0]:
            item.properties = ["cover-image"]
        book.add_item(item)
    if cover and not any(item.file_name == cover[0] for item in book.get_items()):
        item = epub.EpubImage(uid="cover-image", file_name=cover[0], media_type=cover[1],
                              content=cover[2])
        item.properties = ["cover-image"]
        book.add_item(item)
    if cover:
        cover_id = next(i.id for i in book.get_items() if i.file_name == cover[0])
        book.add_metadata(None, "meta", "", {"name": "cover", "content": cover_id})

    book.toc = tuple(chapters)
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav()
    book.add_item(nav)
    book.spine = [nav, *chapters]

    when = build_time(articles, log)
    buffer = io.BytesIO()
    try:
        ok = epub.write_epub(buffer, book, {"raise_exceptions": True, "mtime": when,
                                            "epub3_pages": False, "compresslevel": 9})
    except Exception as exc:  # ebooklib raises lxml, OS and value errors alike
        raise OutputError(f"cannot write the EPUB: {type(exc).__name__}: {exc}") from None
    if ok is not True:
        raise OutputError("ebooklib could not write the EPUB")
    return repack(buffer.getvalue(), when)


def _cover(options: WriteOptions, assets: Assets, articles: Sequence[Article],
           log: Log) -> tuple[str, str, bytes] | None:
    if options.no_cover:
        return None
    if options.cover:
        data = _read_file(Path(options.cover), "--cover")
        kind = image_type(data)
        if kind is None:
            log.warn("cover", f"--cover {options.cover}: not a JPEG, PNG, GIF or WebP picture")
            return None
        return f"images/cover{kind[1]}", kind[0], data
    for article in articles[:1]:
        for block in article.blocks:
            if isinstance(block, Image):
                return assets.lookup(block.src, quiet=True)
    return None


def _read_file(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ArtconvError(f"{what} {path}: {exc.strerror}") from None


def _read_css(path: Path) -> str:
    try:
        return _read_file(path, "--css").decode("utf-8")
    except UnicodeDecodeError:
        raise ArtconvError(f"--css {path}: not UTF-8 text") from None


def _first_heading(article: Article) -> str | None:
    from ..model import Heading, plain_text

    for block in article.blocks:
        if isinstance(block, Heading):
            return plain_text(block.children) or None
    return None


def _book_title(articles: Sequence[Article]) -> str:
    sites = {a.meta.site for a in articles}
    site = next(iter(sites)) if len(sites) == 1 else None
    return f"{site}: {len(articles)} articles" if site else f"{len(articles)} articles"


def _book_language(articles: Sequence[Article], log: Log) -> str:
    for article in articles:
        lang = article.meta.lang
        if lang and is_valid_tag(lang):
            return lang
    bad = next((a.meta.lang for a in articles if a.meta.lang), None)
    if bad:
        log.warn("bad-lang", f"not a language tag: {bad!r}; the book says en")
    else:
        log.warn("no-lang", "no article names its language; the book says en (use --lang)")
    return "en"


def _identifier(articles: Sequence[Article], title: str) -> str:
    """A stable id: the same articles give the same book id, different ones another."""
    canonical = json.dumps([article_to_dict(a) for a in articles], ensure_ascii=False,
                           sort_keys=True)
    digest = hashlib.sha256((title + "\n" + canonical).encode("utf-8")).hexdigest()
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "artconv:" + digest))


def _w3c_date(value: str | None) -> str | None:
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


def repack(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with fixed timestamps and attributes, ``mimetype`` first and stored, the
    other entries sorted (epub-notes 2)."""
    stamp = min(max(when, ZIP_EPOCH), ZIP_END)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(n for n in source.namelist() if n != "mimetype")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ["mimetype", *names]:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                target.writestr(info, b"application/epub+zip")
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()


def _unique(values: object) -> list[str]:
    seen: list[str] = []
    for value in values:  # type: ignore[attr-defined]
        if value and value not in seen:
            seen.append(value)
    return seen

