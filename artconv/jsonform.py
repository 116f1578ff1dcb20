"""The JSON form of the model (version 2): the lossless format scripts rely on.

Both directions are derived from the model's own description (:mod:`artconv.modelspec`):
:func:`article_to_dict` writes every key of every node, in a fixed order (``type`` first), so
that ``json -> json`` gives the same bytes; :func:`article_from_dict` is strict: a document with
an unknown key, a missing key, a value of the wrong type or a number out of bounds is refused,
and the message names the path of the first problem (``blocks[3].children[0].text``).

Version 2 added metadata fields (``modified``, ``categories``, ``tags``, ``description``,
``image``, ``hostname``, ``license``, ``extra``), link and picture titles, linked pictures,
tight lists, table alignment, notes and raw HTML (see :data:`V2_KEYS`, :data:`V2_TYPES`).
Version 1 documents are still read: they are version 2 documents without those keys.
"""

from __future__ import annotations

from .errors import InputError, LimitError
from .model import BLOCK_TYPES, INLINE_TYPES, MAX_DEPTH, Article, Meta, RelatedItem
from .modelspec import (
    Nodes,
    Optional,
    Record,
    Scalar,
    Sequence,
    Shape,
    by_type,
    json_keys,
    shape_of,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

VERSION = 2
# What version 2 added: these keys take their defaults when a version 1 document is read (and
# are unknown keys in one), and version 1 knows no ``note`` node.
V2_KEYS: dict[type, tuple[str, ...]] = {
    cls: getattr(cls, "SINCE_VERSION_2", ())
    for cls in (*INLINE_TYPES, *BLOCK_TYPES, Meta, RelatedItem)
    if getattr(cls, "SINCE_VERSION_2", ())}
V2_TYPES = frozenset(("note", "raw_html"))


# ---------------------------------------------------------------------------------------------
# Model -> dict


def article_to_dict(article: Article) -> dict[str, Any]:
    return {"version": VERSION, **_record_to_dict(article)}


def meta_to_dict(meta: Meta) -> dict[str, Any]:
    return _record_to_dict(meta)


def meta_from_dict(fields: dict[str, Any]) -> Meta:
    """Metadata from some of its JSON keys (the others empty), checked as in a document."""
    full = {**meta_to_dict(Meta(title="")), **fields}
    return article_from_dict({"version": VERSION, "meta": full, "blocks": []}).meta


def _record_to_dict(node: Any) -> dict[str, Any]:
    cls: Any = type(node)
    shapes = dict(shape_of(cls))
    out: dict[str, Any] = {}
    for key in json_keys(cls):
        out[key] = cls.TYPE if key == "type" else _value_to_json(getattr(node, key), shapes[key])
    return out


def _value_to_json(value: Any, shape: Shape) -> Any:
    if isinstance(shape, Scalar):
        return value
    if isinstance(shape, Optional):
        return None if value is None else _value_to_json(value, shape.inner)
    if isinstance(shape, Sequence):
        inner = shape.inner
        if isinstance(inner, Scalar):
            return list(value)
        return [_value_to_json(v, inner) for v in value]
    if isinstance(shape, (Nodes, Record)):
        return _record_to_dict(value)
    raise TypeError(f"unknown shape {shape!r}")


# ---------------------------------------------------------------------------------------------
# dict -> model, checking every field


class _Decoder:
    """Builds the model from parsed JSON, naming the path of whatever is wrong."""

    version = VERSION

    def article(self, doc: Any) -> Article:
        if not isinstance(doc, dict):
            raise InputError("the document: expected a JSON object")
        version = doc.get("version")
        if version not in (1, VERSION) or isinstance(version, bool):
            raise InputError(f"unsupported JSON version {repr(version)[:40]} (this artconv "
                             f"reads versions 1 and {VERSION})")
        self.version = version
        rest = {k: v for k, v in doc.items() if k != "version"}
        return self.record(rest, Article, "", 0)  # type: ignore[no-any-return]

    def record(self, raw: Any, cls: type, path: str, depth: int) -> Any:
        if not isinstance(raw, dict):
            raise InputError(f"{path or 'the document'}: expected an object")
        keys = json_keys(cls)
        later = V2_KEYS.get(cls, ()) if self.version == 1 else ()
        for key in raw:
            if key not in keys or key in later:
                raise InputError(f"{_join(path, str(key)[:40])}: unknown key"
                                 + (" (in a version 1 document)" if key in later else ""))
        shapes = dict(shape_of(cls))
        values = {}
        for key in keys:
            if key in later:
                continue  # the default
            if key not in raw:
                raise InputError(f"{path or 'the document'}: missing key {key!r}")
            if key != "type":
                values[key] = self.value(raw[key], shapes[key], _join(path, key), depth)
        return cls(**values)

    def value(self, raw: Any, shape: Shape, path: str, depth: int) -> Any:
        if isinstance(shape, Scalar):
            return _scalar(raw, shape, path)
        if isinstance(shape, Optional):
            return None if raw is None else self.value(raw, shape.inner, path, depth)
        if isinstance(shape, Sequence):
            if not isinstance(raw, list):
                raise InputError(f"{path}: expected a list")
            return tuple(self.value(item, shape.inner, f"{path}[{i}]", depth)
                         for i, item in enumerate(raw))
        if isinstance(shape, Nodes):
            if depth >= MAX_DEPTH:
                raise LimitError(f"{path}: nested deeper than {MAX_DEPTH} levels")
            kind = raw.get("type") if isinstance(raw, dict) else None
            cls = by_type(shape.family).get(kind) if isinstance(kind, str) else None
            if not isinstance(raw, dict):
                raise InputError(f"{path}: expected an object")
            if cls is None or self.version == 1 and kind in V2_TYPES:
                raise InputError(f"{path}.type: unknown {shape.family} type "
                                 f"{str(kind)[:40]!r}")
            return self.record(raw, cls, path, depth + 1)
        if isinstance(shape, Record):
            return self.record(raw, shape.cls, path, depth)
        raise TypeError(f"unknown shape {shape!r}")


def _scalar(raw: Any, shape: Scalar, path: str) -> Any:
    if shape.kind == "str":
        if not isinstance(raw, str):
            raise InputError(f"{path}: expected a string")
        return raw
    if shape.kind == "bool":
        if not isinstance(raw, bool):
            raise InputError(f"{path}: expected true or false")
        return raw
    low, high = shape.bounds or (0, 2**31 - 1)
    if not isinstance(raw, int) or isinstance(raw, bool) or not low <= raw <= high:
        raise InputError(f"{path}: expected an integer from {low} to {high}")
    return raw


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def article_from_dict(doc: Any) -> Article:
    return _Decoder().article(doc)
