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
    text = json.dumps(article_to_dict(articles[0]), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


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
