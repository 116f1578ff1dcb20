"""JSON and JSON Lines readers (version 1 documents)."""

from __future__ import annotations

import json

from ..encoding import decode_bytes
from ..errors import InputError, LimitError, Log
from ..jsonform import article_from_dict
from ..model import Article
from ..options import ReadOptions

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def read(data: bytes, options: ReadOptions, log: Log) -> list[Article]:
    text = _text(data, options, log)
    if not text.strip():
        raise InputError("empty input: no JSON document")
    return [_normal(article_from_dict(_loads(text, "JSON")))]


def read_lines(data: bytes, options: ReadOptions, log: Log) -> list[Article]:
    """One document per non-blank line."""
    text = _text(data, options, log)
    articles = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            try:
                articles.append(_normal(article_from_dict(_loads(line, f"line {number}"))))
            except InputError as exc:
                raise InputError(f"line {number}: {exc}") from None
    if not articles:
        raise InputError("empty input: no JSON document")
    return articles


def _normal(article: Article) -> Article:
    """Inline runs in normal form, as every other reader gives them (adjacent text joined,
    empty nodes and edge line breaks dropped): the writers see one shape for one content,
    and artconv's own JSON, which is in normal form, reads back unchanged."""
    from ..model import normal_node, transform

    return transform(article, normal_node)


def _text(data: bytes, options: ReadOptions, log: Log) -> str:
    return decode_bytes(data, encoding=options.encoding or "utf-8",
                        errors=options.encoding_errors, log=log).text


def _loads(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed {what}: {exc.msg} at line {exc.lineno} column {exc.colno}"
                         ) from None
    except RecursionError:
        raise LimitError(f"{what} nested too deeply") from None
    except ValueError as exc:  # an integer of thousands of digits, say
        raise InputError(f"malformed {what}: {str(exc).splitlines()[0][:120]}") from None
