"""HTML bytes to an lxml tree, without silent loss.

Decoding follows the precedence of :mod:`artconv.encoding` with the page's own declaration
(``<meta charset>``, ``http-equiv`` content type) between valid UTF-8 and detection.

libxml2 silently drops everything after 256 levels of nesting or a 10 MB text node or
attribute, reporting it only in the parser's error log. When that happens the page is parsed
again through a tree builder of our own that flattens nesting below :data:`MAX_NESTING` (the
text is kept, in order; only the structure that deep is lost) and lifts the size limits, which
is safe because the input's size is capped before it gets here.
"""

from __future__ import annotations

import functools
import re

import lxml.etree as etree
import lxml.html

from ..encoding import decode_bytes
from ..errors import InputError, Log
from ..options import ReadOptions
from ..textutil import clean_text
from . import vocab as v

MAX_NESTING = 160
# character references to C0 controls (other than tab, line feed and carriage return), with or
# without the ";": libxml2 turns "&#8" into U+0008, which lxml then refuses to set on a node
# (found by fuzz/fuzz_readers.py). No output may carry them, so they go before parsing.
_CONTROL_REFERENCE = re.compile(
    r"&#(?:0*(?:[0-8]|1[124-9]|2[0-9]|3[01])(?![0-9])"
    r"|[xX]0*(?:[0-8bcefBCEF]|1[0-9a-fA-F])(?![0-9a-fA-F]));?")

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(
    rb"""\A\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KB (``<meta charset>``, ``http-equiv``, or
    an XML declaration before the page)."""
    match = _META_CHARSET.search(data[:4096]) or _XML_ENCODING.match(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def decode_html(data: bytes, options: ReadOptions, log: Log) -> str:
    """The page as text, cleaned of the characters libxml2 refuses (C0 controls, U+FFFE and
    U+FFFF) when the bytes may hold any: in an ASCII-compatible encoding a glance at the bytes
    tells, which is a tenth of the cost of scanning the text. The article's own strings are
    cleaned of the rest (C1 controls, noncharacters) by the reader."""
    decoded = decode_bytes(data, encoding=options.encoding, errors=options.encoding_errors,
                           declared=declared_charset(data), log=log)
    if _may_hold_illegal(data, decoded.encoding):
        return clean_text(decoded.text)
    return decoded.text


_C0_BYTES = tuple(bytes([c]) for c in range(32) if c not in (9, 10, 13))
_ASCII = bytes(range(128))


def _may_hold_illegal(data: bytes, encoding: str) -> bool:
    if not _ascii_compatible(encoding) or any(b in data for b in _C0_BYTES):
        return True
    return b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data  # U+FFFE, U+FFFF in UTF-8


@functools.cache
def _ascii_compatible(encoding: str) -> bool:
    """Whether the encoding writes ASCII as ASCII bytes (UTF-8, windows-1251, KOI8-R; not
    UTF-16 or EBCDIC), so that a control character shows as its byte."""
    try:
        return _ASCII.decode(encoding) == _ASCII.decode("ascii")
    except (UnicodeDecodeError, LookupError):
        return False


def _html_parser(**options: bool) -> etree.HTMLParser:
    """An HTML parser that makes ``lxml.html`` elements (``text_content``, ``drop_tree``, ...)
    through a class lookup done in C: ``lxml.html.HTMLParser`` asks a Python method for the
    class of every element proxy, which was a sixth of the time spent on a page."""
    parser = etree.HTMLParser(**options)
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
    return parser


_ELEMENT_FACTORY_PARSER = _html_parser()


class _FlatteningBuilder:
    """An lxml parser target that builds the tree but never deeper than ``limit``: start tags
    below that depth are dropped (a space keeps their words apart), their text is kept."""

    def __init__(self, limit: int) -> None:
        self.builder = etree.TreeBuilder(parser=_ELEMENT_FACTORY_PARSER)
        self.limit = limit
        self.depth = 0
        self.skipped = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if self.depth >= self.limit:
            self.skipped += 1
            self.builder.data(" ")
            return
        self.depth += 1
        self.builder.start(tag, dict(attrib))

    def end(self, tag: str) -> None:
        if self.skipped:
            self.skipped -= 1
            self.builder.data(" ")
            return
        self.depth -= 1
        self.builder.end(tag)

    def data(self, text: str) -> None:
        self.builder.data(text)

    def comment(self, text: str) -> None:
        pass

    def pi(self, target: str, data: str | None = None) -> None:
        pass

    def doctype(self, *args: object) -> None:
        pass

    def close(self) -> lxml.html.HtmlElement:
        return self.builder.close()


# libxml2 checks each attribute of an element against all the others before it: 50,000
# attributes take minutes. Past this many, the rest of a tag's attributes are dropped before
# parsing (an element needs a few dozen; no content lives in attributes beyond the first).
MAX_ATTRIBUTES = 1000
LONG_TAG = 8192  # a tag shorter than this cannot hold MAX_ATTRIBUTES attributes
_LONG_TAG = re.compile(rf"<[A-Za-z][^<>]{{{LONG_TAG},}}>")
_ATTRIBUTE = re.compile(r"""\s*[^\s=>/"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']*))?""")


def cap_attributes(text: str, log: Log) -> str:
    """``text`` with no tag holding more than :data:`MAX_ATTRIBUTES` attributes (a warning
    says how many were dropped). Linear: only tags of :data:`LONG_TAG` characters or more are
    looked at, each once."""
    dropped = 0

    def cap(match: re.Match[str]) -> str:
        nonlocal dropped
        tag = match.group()
        name_end = 1
        while name_end < len(tag) and not tag[name_end].isspace() and tag[name_end] not in "/>":
            name_end += 1
        kept, count, position = [], 0, name_end
        for attribute in _ATTRIBUTE.finditer(tag, name_end, len(tag) - 1):
            count += 1
            if count <= MAX_ATTRIBUTES:
                kept.append(attribute.group())
            position = attribute.end()
        if count <= MAX_ATTRIBUTES:
            return tag
        dropped += count - MAX_ATTRIBUTES
        return tag[:name_end] + "".join(kept) + tag[position:]

    capped = _LONG_TAG.sub(cap, text) if len(text) > LONG_TAG else text
    if dropped:
        log.warn("attributes", f"dropped {dropped:,} attributes past the first "
                 f"{MAX_ATTRIBUTES:,} of an element (no text is lost)")
    return capped


_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*>", re.IGNORECASE)
_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)
_TITLE_END = re.compile(r"[\n<]")
HEAD_WINDOW = 65536  # where a page's <title> stands


# <html/>, <head/>, <body/>: browsers ignore the slash (HTML has no self-closing non-void
# elements); libxml2 honours it, and after <html/> drops the whole page
_SELF_CLOSED_ROOT = re.compile(r"<((?:html|head|body)\b[^<>]*?)/\s*>", re.IGNORECASE)


def _repair_head(text: str, log: Log) -> str:
    """What old pages get wrong and libxml2 will not forgive: an XML declaration (lxml refuses
    a str that names its encoding), a ``<title>`` never closed (the rest of the page would
    become the title: it is closed at the end of its line, as old browsers did), a
    self-closed ``<html/>``, ``<head/>`` or ``<body/>`` (read as browsers read it)."""
    declaration = _XML_DECLARATION.match(text)
    if declaration:
        text = text[declaration.end():]
    if "/>" in text:
        text, count = _SELF_CLOSED_ROOT.subn(r"<\1>", text)
        if count:
            log.warn("repaired", "the page closes <html>, <head> or <body> in its start tag; "
                                 "read as a browser reads it")
    opening = _TITLE_OPEN.search(text, 0, HEAD_WINDOW)
    if opening and not _TITLE_CLOSE.search(text, opening.end()):
        end = _TITLE_END.search(text, opening.end())
        at = end.start() if end else len(text)
        log.warn("repaired", "the page never closes its <title>; closed at the end of its line")
        text = text[:at] + "</title>" + text[at:]
    return text


def parse_html(text: str, log: Log) -> lxml.html.HtmlElement:
    """The document's ``<html>`` element; a one-line error when there is nothing to parse."""
    if not text.strip():
        raise InputError("empty input: no HTML to read")
    if "&#" in text:
        text = _CONTROL_REFERENCE.sub("", text)
    text = cap_attributes(_repair_head(text, log), log)
    parser = _html_parser(remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse the HTML: {exc}") from None
    if any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log):
        log.warn("flattened", f"nesting deeper than {MAX_NESTING} levels (or a text over "
                              "10 MB) was read without its structure; the text is kept")
        root = _parse_flat(clean_text(text))  # TreeBuilder refuses XML-illegal characters
    if "<source" in text or "<track" in text:
        void_children_out(root)
    return root


# Void elements libxml2's HTML parser (HTML 4) does not know: it lets them hold what follows
# (``<picture><source srcset=…><img …></picture>`` puts the <img> inside the <source>), where a
# browser closes them at once.
_UNKNOWN_VOIDS = ("source", "track")


def void_children_out(root: lxml.html.HtmlElement) -> None:
    """What a void element holds moved after it, as a browser's parse has it."""
    for tag in _UNKNOWN_VOIDS:
        for el in list(root.iter(tag)):
            parent = el.getparent()
            if parent is None or not (len(el) or el.text):
                continue
            text, tail, kids = el.text or "", el.tail or "", list(el)
            el.text = None
            if kids:
                el.tail = text or None
                kids[-1].tail = (kids[-1].tail or "") + tail or None
            else:
                el.tail = text + tail or None
            at = parent.index(el) + 1
            for offset, kid in enumerate(kids):
                parent.insert(at + offset, kid)


def parse_fragment(html: str, log: Log) -> lxml.html.HtmlElement | None:
    """An HTML fragment (a Markdown HTML block) inside a ``<div>``, with the same guards as a
    page; None when nothing in it parses."""
    if "&#" in html:
        html = _CONTROL_REFERENCE.sub("", html)
    html = cap_attributes(html, log)
    try:
        return lxml.html.fragment_fromstring(html, create_parent="div",
                                             parser=_html_parser(remove_comments=True))
    except (etree.ParserError, ValueError, TypeError):
        return None


def _parse_flat(text: str) -> lxml.html.HtmlElement:
    builder = _FlatteningBuilder(MAX_NESTING)
    parser = etree.HTMLParser(target=builder, huge_tree=True, remove_comments=True,
                              remove_pis=True)
    parser.feed(text)
    root = parser.close()
    if root is None:
        raise InputError("cannot parse the HTML")
    if root.tag != "html":
        wrapper = lxml.html.Element("html")
        body = lxml.html.Element("body")
        wrapper.append(body)
        body.append(root)
        root = wrapper
    return root


def remove_keeping_tail(el: lxml.html.HtmlElement) -> None:
    """Remove an element and what it holds, keeping the text that follows it in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def replace_with_marker(el: lxml.html.HtmlElement, tag: str,
                        attributes: dict[str, str]) -> None:
    """Put a marker element where ``el`` stands (the text that follows stays): readers take
    things out of the page (a related block, a footnote) and leave a marker in their place.
    The marker holds an invisible separator, so that it is not taken for an empty element."""
    marker = el.makeelement(tag, attributes)
    marker.text = "\u2063"
    marker.tail = el.tail
    parent = el.getparent()
    if parent is not None:
        parent.replace(el, marker)


_GENERATOR = re.compile(r"<meta[^>]+name=[\"']?generator[\"']?[^>]+content=[\"']?"
                        + re.escape(v.GENERATOR), re.IGNORECASE)
GENERATOR_WINDOW = 4096  # the generator meta stands in the head, near the top


def written_by_artconv(text: str) -> bool:
    """The document says artconv wrote it (``<meta name="generator" content="artconv">``)."""
    return bool(_GENERATOR.search(text[:GENERATOR_WINDOW]))


def strip_own_attributes(root: lxml.html.HtmlElement) -> None:
    """Remove every ``data-artconv-*`` attribute: a document artconv did not write is never
    trusted for them (and the readers' own markers cannot be forged)."""
    for el in root.iter():
        attrib = getattr(el, "attrib", None)
        if attrib:
            for name in [n for n in attrib if isinstance(n, str) and n.startswith(v.DATA_PREFIX)]:
                del attrib[name]

