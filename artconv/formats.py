"""The registry: format names, aliases and extensions to readers and writers.

Readers and writers are named by module path and imported only when a conversion needs them,
so that a text-to-Markdown one-liner never imports an HTML parser or ebooklib.
"""

from __future__ import annotations

import os
import re

from .errors import UsageError
from .records import record
from .textutil import LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


@record
class Format:
    name: str
    description: str
    extensions: tuple[str, ...]
    reader: str | None
    writer: str | None
    aliases: tuple[str, ...] = ()
    output_extension: str = ""
    binary: bool = False
    many: bool = False
    """The writer puts several articles into one output (JSON Lines, EPUB)."""
    embeds_media: bool = False
    """The writer embeds pictures: the pipeline gathers their bytes for it."""

    def load_reader(self) -> Callable[..., Any]:
        return _load(self.reader, f"artconv cannot read {self.name}")

    def load_writer(self) -> Callable[..., Any]:
        return _load(self.writer, f"artconv cannot write {self.name}")


FORMATS: tuple[Format, ...] = (
    Format("text", "raw text article dump", (".txt", ".text"),
           "artconv.readers.text:read", "artconv.writers.text:write",
           aliases=("txt", "plain"), output_extension=".txt", many=True),
    Format("html", "saved web pages and HTML fragments; writes clean HTML5", (".html", ".htm",
           ".xhtml", ".shtml"), "artconv.readers.html:read", "artconv.writers.html:write",
           aliases=("htm", "html5", "xhtml"), output_extension=".html", many=True),
    Format("markdown", "CommonMark with YAML front matter", (".md", ".markdown", ".mdown"),
           "artconv.readers.markdown:read", "artconv.writers.markdown:write",
           aliases=("md", "commonmark", "commonmark_x", "markdown_strict"),
           output_extension=".md", many=True),
    Format("gfm", "GitHub-flavoured Markdown (pipe tables, strikethrough)", (),
           "artconv.readers.markdown:read", "artconv.writers.markdown:write_gfm",
           aliases=("markdown_github",), output_extension=".md", many=True),
    Format("json", "artconv's JSON document, version 2 (artconv schema; reads 1 and 2)", (".json",),
           "artconv.readers.json:read", "artconv.writers.json:write",
           output_extension=".json"),
    Format("jsonl", "one JSON document per line", (".jsonl", ".ndjson"),
           "artconv.readers.json:read_lines", "artconv.writers.json:write_lines",
           aliases=("ndjson",), output_extension=".jsonl", many=True),
    Format("epub", "EPUB 3 book, one chapter per article", (".epub",),
           "artconv.readers.epub:read", "artconv.writers.epub:write",
           aliases=("epub3",), output_extension=".epub", binary=True, many=True,
           embeds_media=True),
)

_BY_NAME = {name: f for f in FORMATS for name in (f.name, *f.aliases)}
_BY_EXTENSION = {ext: f for f in FORMATS for ext in f.extensions}


def _load(target: str | None, missing: str) -> Callable[..., Any]:
    if target is None:
        raise UsageError(missing)
    module, _, attr = target.partition(":")
    # __import__ rather than importlib.import_module: importing importlib (and the warnings
    # module it loads) is a third of a millisecond that a one-liner need not pay
    return getattr(__import__(module, fromlist=[attr]), attr)  # type: ignore[no-any-return]


def get(name: str, *, reading: bool = False, writing: bool = False) -> Format:
    """The format called ``name`` (or one of its aliases); a usage error lists the choices."""
    fmt = _BY_NAME.get(name.lower())
    if fmt is None or (reading and not fmt.reader) or (writing and not fmt.writer):
        import difflib

        choices = [f.name for f in FORMATS if (f.reader if reading else f.writer)]
        names = [n for n, f in _BY_NAME.items() if (f.reader if reading else f.writer)]
        close = difflib.get_close_matches(name.lower(), names, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]}? " if close else ""
        raise UsageError(f"unknown format {name[:40]!r}; {hint}choose from {', '.join(choices)}")
    return fmt


def by_extension(path: str) -> Format | None:
    return _BY_EXTENSION.get(os.path.splitext(os.fspath(path))[1].lower())


_HTML_START = LazyPattern(
    rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|"
    rb"section|main|header|h[1-6]|table|ul|ol|figure|img|script|style|link|span|a\s|!--)",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = LazyPattern(rb"<(?:html|body|/p|/div|br\s*/?)>", re.IGNORECASE)
_MARKDOWN = LazyPattern(
    rb"\A---\r?\n|^#{1,6} \S|^```|!\[[^\]\n]*\]\([^)\n]+\)|\[[^\]\n]+\]\([^)\n]+\)",
    re.MULTILINE,
)


def sniff(data: bytes) -> tuple[Format, str]:
    """Guess a reader from the first bytes; returns the format and what gave it away."""
    head = data[:4096]
    for bom in (b"\xef\xbb\xbf",):
        if head.startswith(bom):
            head = head[len(bom):]
    if head.startswith(b"PK\x03\x04"):
        return _BY_NAME["epub"], "a zip header"
    stripped = head.lstrip()
    if stripped.startswith(b"{"):
        lines = [line for line in data[:65536].splitlines() if line.strip()]
        if len(lines) > 1 and all(line.lstrip().startswith(b"{") for line in lines[:3]):
            return _BY_NAME["jsonl"], "lines that start with a JSON object"
        return _BY_NAME["json"], "a JSON object"
    if _HTML_START.match(head) or _HTML_ANYWHERE.search(head):
        return _BY_NAME["html"], "HTML tags"
    if _MARKDOWN.search(head):
        return _BY_NAME["markdown"], "Markdown syntax"
    return _BY_NAME["text"], "no markup"
