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

    from ..media import MediaBag


def write(articles: Sequence[Article], options: WriteOptions, log: Log,
          media: MediaBag | None) -> bytes:
    if len(articles) != 1:
        raise InputError(f"the input holds {len(articles)} articles and a JSON document one; "
                         "write jsonl (a line an article)")
    return (pretty(article_to_dict(articles[0])) + "\n").encode("utf-8")


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
