"""The EPUB reader: each chapter of the spine becomes an article.

An EPUB is untrusted input: nothing is extracted to disk; entry names are checked (no absolute
paths, no ``..``, no symlinks); every read is capped, whatever sizes the zip claims (zip bombs,
overlapping entries); XML with a DTD or entities is refused (no XXE, no billion laughs). artconv's
own books read back to the JSON they were written from.
"""

from __future__ import annotations

import io
import lzma
import posixpath
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import InputError, LimitError, Log
from ..media import Picture
from ..options import ReadOptions
from ..records import replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..pipeline import Document

MAX_ENTRIES = 10_000
MAX_ENTRY_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200
# what a damaged archive raises: zipfile's own errors, and the decompressors' (zlib.error for a
# corrupt deflate stream, lzma.LZMAError; bz2 raises OSError and EOFError)
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, OSError,
               EOFError, ValueError, NotImplementedError, OverflowError)
_ENTITY = re.compile(rb"<!(?:ENTITY|DOCTYPE[^>]*\[)", re.IGNORECASE)
_NS = {
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}


class _Package:
    """Reads entries of the zip with the safety limits of the module docstring."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(b"PK"):
            raise InputError("not an EPUB: not a zip archive")
        declared = declared_entries(data)
        if declared is not None and declared > MAX_ENTRIES:
            raise LimitError(f"the EPUB declares {declared:,} entries (limit {MAX_ENTRIES:,})")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except _ZIP_ERRORS as exc:
            raise InputError(f"not an EPUB: broken zip archive ({exc})") from None
        if len(infos) > MAX_ENTRIES:
            raise LimitError(f"the EPUB has {len(infos):,} entries (limit {MAX_ENTRIES:,})")
        self.entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            if not _safe_name(name):
                raise InputError(f"refused: entry {name[:80]!r} would leave the book")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise InputError(f"refused: entry {name[:80]!r} is a symbolic link")
            self.entries[name] = info
        self.budget = MAX_TOTAL_BYTES

    def read(self, name: str) -> bytes:
        info = self.entries.get(name)
        if info is None:
            raise InputError(f"the EPUB has no {name!r}")
        if info.flag_bits & 0x1:
            raise InputError(f"{name}: encrypted entries are not supported")
        limit = min(MAX_ENTRY_BYTES, self.budget)
        if info.file_size > limit:
            raise LimitError(f"{name}: {info.file_size:,} bytes once unpacked, over the limit "
                             "(zip bomb?)")
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO \
                and info.file_size > 1024 * 1024:
            raise LimitError(f"{name}: compressed {info.file_size // info.compress_size}:1, "
                             "a zip bomb")
        try:
            with self.zip.open(info) as handle:
                data = handle.read(limit + 1)
        except _ZIP_ERRORS as exc:
            raise InputError(f"{name}: cannot unpack ({exc})") from None
        if len(data) > limit:
            raise LimitError(f"{name}: unpacks to more than {limit:,} bytes (zip bomb?)")
        self.budget -= len(data)
        return data


_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"
_EOCD64 = b"PK\x06\x06"
EOCD_SIZE = 22
MAX_COMMENT = 65535


def declared_entries(data: bytes) -> int | None:
    """How many entries the zip's end-of-central-directory record declares (the ZIP64 record
    when there is one), read before anything parses the directory itself: a 66 MB archive
    that declares 1.3 million entries is refused without building them."""
    import struct

    start = data.rfind(_EOCD, max(0, len(data) - EOCD_SIZE - MAX_COMMENT))
    if start < 0 or len(data) < start + EOCD_SIZE:
        return None
    entries = struct.unpack_from("<H", data, start + 10)[0]
    locator = start - 20
    if entries == 0xFFFF and locator >= 0 and data[locator:locator + 4] == _EOCD64_LOCATOR:
        offset = struct.unpack_from("<Q", data, locator + 8)[0]
        if offset + 56 <= len(data) and data[offset:offset + 4] == _EOCD64:
            entries = struct.unpack_from("<Q", data, offset + 32)[0]
    return int(entries)


def _safe_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return False
    if re.match(r"[A-Za-z]:", name):
        return False
    normal = posixpath.normpath(name)
    return not (normal == ".." or normal.startswith("../") or "/../" in f"/{normal}/")


def _xml(data: bytes, what: str):  # type: ignore[no-untyped-def]
    import lxml.etree as etree

    if _ENTITY.search(data[:65536]):
        raise InputError(f"{what}: XML with a DTD or entities is refused (XXE, billion laughs)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, recover=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"{what}: not well-formed XML ({exc})") from None


def _resolve(base: str, href: str) -> str:
    from urllib.parse import unquote, urlsplit

    try:
        path = unquote(urlsplit(href).path)
    except ValueError:
        raise InputError(f"refused: {href[:80]!r} is not a URL") from None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
    if joined.startswith("../") or joined == ".." or joined.startswith("/"):
        raise InputError(f"refused: {href[:80]!r} points outside the book")
    return joined


def read(data: bytes, options: ReadOptions, log: Log) -> Document:
    package = _Package(data)
    if "mimetype" in package.entries:
        mimetype = package.read("mimetype").strip()
        if mimetype != b"application/epub+zip":
            raise InputError("not an EPUB: the mimetype entry says "
                             f"{mimetype[:40].decode('ascii', 'replace')!r}")
    if "META-INF/container.xml" not in package.entries:
        raise InputError("not an EPUB: no META-INF/container.xml")
    container = _xml(package.read("META-INF/container.xml"), "container.xml")
    rootfile = container.find(".//c:rootfile", _NS)
    if rootfile is None or not rootfile.get("full-path"):
        raise InputError("not an EPUB: container.xml names no package document")
    opf_path = _resolve("", rootfile.get("full-path"))
    opf = _xml(package.read(opf_path), opf_path)
    language = opf.findtext(".//dc:language", namespaces=_NS)
    from ..htmlform.readback import read_fragment
    from ..lang import normalize_tag

    documents, own, in_book = _chapters(package, opf, opf_path, log)
    from ..htmlform.notes import mark_notes

    def resolve(base: str, href: str) -> str | None:
        try:
            return _resolve(base, href)
        except InputError:
            return None

    # footnotes may stand in another chapter (a notes chapter at the end of the book)
    had_content = {path: not _empty(root) for path, root in documents}
    notes = mark_notes(documents, log, resolve)
    articles = []
    for path, root in documents:
        if notes and had_content[path] and _empty(root):
            log.warn("epub-notes", f"{path}: held only notes, read into the places that "
                     "refer to them", loss=False)
            continue
        article = read_fragment(root, log, notes)
        if not article.blocks and not article.meta.title and path not in own:
            log.warn("epub-empty", f"{path}: a chapter with no text and no picture; left out")
            continue
        if not article.meta.lang and language:
            article = replace(article, meta=replace(article.meta, lang=normalize_tag(language)))
        articles.append(article)
    if not articles:
        raise InputError("the EPUB has no chapters to read")
    from ..pipeline import Document

    pictures = _BookPictures(package, in_book, log)
    return Document(tuple(articles), tuple(pictures for _ in articles))


def _chapters(package: _Package, opf: Any, opf_path: str, log: Log
              ) -> tuple[list[tuple[str, Any]], set[str], dict[str, str]]:
    """The spine's XHTML documents, parsed, in reading order (each once); the paths of those
    artconv wrote; the book entries their pictures stand in."""
    from ..htmlform.tree import parse_html, strip_own_attributes, written_by_artconv

    manifest = {item.get("id"): item for item in opf.iterfind(".//opf:manifest/opf:item", _NS)}
    documents: list[tuple[str, Any]] = []
    in_book: dict[str, str] = {}  # a picture's source as the model will say it → its entry
    own: set[str] = set()  # chapters artconv wrote: read as they are, empty ones too
    seen: set[str] = set()
    for itemref in opf.iterfind(".//opf:spine/opf:itemref", _NS):
        idref = itemref.get("idref") or ""
        if idref in seen:  # a chapter is read once, however often the spine names it
            log.warn("epub-spine", f"the spine names {idref[:40]!r} again; read once")
            continue
        seen.add(idref)
        item = manifest.get(idref)
        if item is None:
            log.warn("epub-spine", f"the spine names a missing item {itemref.get('idref')!r}")
            continue
        properties = (item.get("properties") or "").split()
        kind = item.get("media-type") or ""
        if "nav" in properties:
            continue
        path = _resolve(opf_path, item.get("href") or "")
        if kind in ("application/xhtml+xml", "text/html", "image/svg+xml"):
            raw = package.read(path)
            if _ENTITY.search(raw[:65536]):
                raise InputError(f"{path}: XML with a DTD or entities is refused")
            text = raw.decode("utf-8", errors="replace")
            text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)
            if kind == "image/svg+xml":  # a page drawn in SVG: its pictures and its text
                text = "<html><body>" + re.sub(r"^\s*<!DOCTYPE[^>\[]*>", "", text) + \
                    "</body></html>"
        elif kind.startswith("image/"):  # a page that is a picture
            text = f'<html><body><img src="{posixpath.basename(path)}" alt=""></body></html>'
        else:
            log.warn("epub-spine", f"{path}: a chapter of type {kind[:40]!r} is not read")
            continue
        root = parse_html(text, log)
        if written_by_artconv(text):
            own.add(path)
        else:
            strip_own_attributes(root)
        documents.append((path, root))
        _picture_paths(root, path, package, in_book)
    return documents, own, in_book


def _picture_paths(root: Any, path: str, package: _Package, found: dict[str, str]) -> None:
    """The book entries a chapter's pictures stand in, by the source the reader keeps for
    them (``src``, or the placeholder name an artconv book keeps beside it)."""
    from ..htmlform import vocab as v

    for img in root.iter("img", "image", "{http://www.w3.org/2000/svg}image"):
        src = (img.get("src") or img.get("href") or img.get("xlink:href")
               or img.get("{http://www.w3.org/1999/xlink}href") or "").strip()
        if not src or ":" in src.split("/", 1)[0]:
            continue  # no source, or a remote one
        try:
            entry = _resolve(path, src.split("#", 1)[0].split("?", 1)[0])
        except InputError:
            continue
        if entry in package.entries:
            found.setdefault(src, entry)
            own_name = img.get(v.DATA_SRC)
            if own_name:
                found.setdefault(own_name, entry)


class _BookPictures(Mapping[str, Picture]):
    """The pictures a book holds, by source, unpacked when a writer asks for them (a text or
    JSON output never does)."""

    def __init__(self, package: _Package, entries: dict[str, str], log: Log) -> None:
        self.package, self.entries, self.log = package, entries, log
        self.read: dict[str, Picture | None] = {}

    def __getitem__(self, src: str) -> Picture:
        picture = self._picture(src)
        if picture is None:
            raise KeyError(src)
        return picture

    def __contains__(self, src: object) -> bool:
        return isinstance(src, str) and self._picture(src) is not None

    def __iter__(self) -> Iterator[str]:
        return (src for src in self.entries if self._picture(src) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def _picture(self, src: str) -> Picture | None:
        entry = self.entries.get(src)
        if entry is None:
            return None
        if entry not in self.read:
            from ..media import as_picture

            try:
                data = self.package.read(entry)
            except (InputError, LimitError) as exc:
                self.log.warn("missing-image", f"the book's picture {entry[:80]!r}: {exc}")
                data = b""
            picture = as_picture(data) if data else None
            if data and picture is None:
                self.log.warn("missing-image", f"the book's picture {entry[:80]!r} is not a "
                              "JPEG, PNG or GIF; kept as a placeholder")
            self.read[entry] = picture
        return self.read[entry]


def _empty(root: Any) -> bool:
    """A chapter with no text and no picture (a "Notes" heading at most)."""
    from ..htmlform.notes import notes_heading

    body = root.find("body")
    body = body if body is not None else root
    text = " ".join(body.text_content().split())
    return body.find(".//img") is None and body.find(".//svg") is None \
        and (not text or notes_heading(text))
