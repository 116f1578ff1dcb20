"""JSON (one pretty document) and JSON Lines (one compact document per line) writers."""

from __future__ import annotations

import json

from ..errors import InputError, Log
from ..jsonform import article_to_dict
from ..model import Article
from ..options import WriteOptions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from ..media import MediaBag


def write(articles: Sequence[Article], options: WriteOptions, log: Log,
          media: MediaBag | None) -> bytes:
    if len(articles) != 1:
        raise InputError(f"the input holds {len(articles)} articles and a JSON document one; "
                         "write jsonl (a line an article)")
    return (pretty_article(articles[0]) + "\n").encode("utf-8")


def pretty_article(article: Article) -> str:
    """``pretty(article_to_dict(article))``, byte for byte, written from the model as it is
    walked: no dictionary of the whole document is built, and what is written is joined into
    a chunk every few thousand pieces (a piece costs 50 bytes more than its characters), so
    that the peak is the model and the text (docs/benchmarks.md)."""
    from ..jsonform import VERSION

    sink = _Sink()
    sink.out.append('{\n  "version": ' + json.dumps(VERSION))
    _record_body(article, sink, "\n  ", first=False)
    sink.out.append("\n}")
    return sink.text()


class _Sink:
    __slots__ = ("out", "chunks")
    FLUSH = 4096

    def __init__(self) -> None:
        self.out: list[str] = []
        self.chunks: list[str] = []

    def flush(self) -> None:
        if len(self.out) >= self.FLUSH:
            self.chunks.append("".join(self.out))
            self.out.clear()

    def text(self) -> str:
        self.chunks.append("".join(self.out))
        return "".join(self.chunks)


def _record_body(node: object, sink: _Sink, inner: str, *, first: bool = True) -> None:
    """A record's keys and values (without its braces), each on a line ``inner`` starts."""
    from ..modelspec import json_keys, shape_of

    cls: Any = type(node)
    shapes = _SHAPES.get(cls)
    if shapes is None:
        shapes = _SHAPES[cls] = dict(shape_of(cls))
    out = sink.out
    for n, key in enumerate(json_keys(cls)):
        out.append(inner if first and n == 0 else "," + inner)
        out.append(_string(key))
        out.append(": ")
        if key == "type":
            out.append(_string(cls.TYPE))
        else:
            _value(getattr(node, key), shapes[key], sink, inner)


def _value(value: Any, shape: Any, sink: _Sink, newline: str) -> None:
    from ..modelspec import Optional, Scalar, Sequence

    out = sink.out
    if isinstance(shape, Optional):
        if value is None:
            out.append("null")
            return
        shape = shape.inner
    if isinstance(shape, Scalar):
        out.append(_string(value) if isinstance(value, str) else json.dumps(value))
    elif isinstance(shape, Sequence):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        item_shape = shape.inner
        out.append("[")
        for n, item in enumerate(value):
            out.append("," + inner if n else inner)
            _value(item, item_shape, sink, inner)
            sink.flush()
            out = sink.out
        out.append(newline + "]")
    else:  # a record (typed node or not)
        out.append("{")
        _record_body(value, sink, newline + "  ")
        sink.out.append(newline + "}")


_SHAPES: dict[type, dict[str, Any]] = {}


def pretty(value: object) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, byte for byte, built with the C
    string encoder: the standard library falls back to its pure-Python encoder whenever
    ``indent`` is given, which took a third of a page's conversion to JSON."""
    out: list[str] = []
    _pretty(value, out, "\n")
    return "".join(out)


def _pretty(value: object, out: list[str], newline: str) -> None:
    if isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, dict | list | tuple):
        if not value:
            out.append("{}" if isinstance(value, dict) else "[]")
            return
        inner = newline + "  "
        out.append("{" if isinstance(value, dict) else "[")
        items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
        for n, (key, item) in enumerate(items):
            out.append("," + inner if n else inner)
            if key is not None:
                out.append(_string(key))
                out.append(": ")
            _pretty(item, out, inner)
        out.append(newline + ("}" if isinstance(value, dict) else "]"))
    else:  # numbers, true, false, null: as json writes them
        out.append(json.dumps(value))


_string = json.encoder.encode_basestring  # type: ignore[attr-defined]


def write_line(article: Article) -> bytes:
    """One article as one line of JSON Lines."""
    text = json.dumps(article_to_dict(article), ensure_ascii=False, separators=(",", ":"))
    # valid JSON either way, but line splitters that follow Unicode (str.splitlines, some JS
    # tools) would cut a line at these two
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return (text + "\n").encode("utf-8")


def write_lines(articles: Sequence[Article], options: WriteOptions, log: Log,
                media: MediaBag | None) -> bytes:
    return b"".join(write_line(a) for a in articles)
