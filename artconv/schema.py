"""The JSON Schema (draft 2020-12) of artconv's JSON document, derived from the model's own
description (:mod:`artconv.modelspec`), as the JSON codec is: every key required, no other key
allowed, every number bounded."""

from __future__ import annotations

from .jsonform import VERSION
from .model import Article
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

SCHEMA_ID = f"https://artconv.invalid/schema/article-v{VERSION}.json"
_DEFS = {"inline": "#/$defs/inline", "block": "#/$defs/block"}


def _shape(shape: Shape) -> dict[str, Any]:
    if isinstance(shape, Scalar):
        if shape.kind == "str":
            return {"type": "string"}
        if shape.kind == "bool":
            return {"type": "boolean"}
        low, high = shape.bounds or (0, 2**31 - 1)
        return {"type": "integer", "minimum": low, "maximum": high}
    if isinstance(shape, Optional):
        inner = _shape(shape.inner)
        if set(inner) == {"type"} and isinstance(inner["type"], str):
            return {"type": [inner["type"], "null"]}
        return {"oneOf": [{"type": "null"}, inner]}
    if isinstance(shape, Sequence):
        return {"type": "array", "items": _shape(shape.inner)}
    if isinstance(shape, Nodes):
        return {"$ref": _DEFS[shape.family]}
    if isinstance(shape, Record):
        return _record(shape.cls)
    raise TypeError(f"unknown shape {shape!r}")


def _record(cls: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    shapes = dict(shape_of(cls))
    props: dict[str, Any] = dict(extra or {})
    for key in json_keys(cls):
        props[key] = {"const": cls.TYPE} if key == "type" else _shape(shapes[key])
    return {"type": "object", "properties": props, "required": list(props),
            "additionalProperties": False}


def json_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"artconv article, version {VERSION}",
        "description": "One article: metadata and blocks. Text lives in inline nodes: a leaf "
                       "has 'text', other inline nodes have 'children'. Image 'src' is spelled "
                       "exactly as in the input.",
        **_record(Article, {"version": {"const": VERSION}}),
        "$defs": {
            family: {"oneOf": [_record(cls) for cls in by_type(family).values()]}
            for family in ("inline", "block")
        },
    }
