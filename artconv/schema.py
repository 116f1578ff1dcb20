"""The JSON Schema (draft 2020-12) of artconv's JSON document, version 1."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

SCHEMA_ID = "https://artconv.invalid/schema/article-v1.json"


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": props,
        "required": required if required is not None else list(props),
        "additionalProperties": False,
    }


_STR = {"type": "string"}
_OPT_STR = {"type": ["string", "null"]}
_INLINES = {"type": "array", "items": {"$ref": "#/$defs/inline"}}
_OPT_INLINES = {"oneOf": [{"type": "null"}, _INLINES]}
_BLOCKS = {"type": "array", "items": {"$ref": "#/$defs/block"}}


def _typed(name: str, **props: Any) -> dict[str, Any]:
    return _obj({"type": {"const": name}, **props})


def json_schema() -> dict[str, Any]:
    spans = ["emphasis", "strong", "strikethrough", "subscript", "superscript"]
    inline_variants = [
        _typed("text", text=_STR),
        _typed("code", text=_STR),
        _typed("linebreak"),
        _typed("link", href=_STR, children=_INLINES),
        *(_typed(name, children=_INLINES) for name in spans),
    ]
    block_variants = [
        _typed("paragraph", children=_INLINES),
        _typed("heading", level={"type": "integer", "minimum": 1, "maximum": 6},
               children=_INLINES),
        _typed("image", src=_STR, alt=_STR, caption=_OPT_INLINES),
        _typed("quote", blocks=_BLOCKS, attribution=_OPT_INLINES),
        _typed("list", ordered={"type": "boolean"}, start={"type": "integer", "minimum": 0},
               items={"type": "array", "items": _BLOCKS}),
        _typed("code", text=_STR, language=_OPT_STR),
        _typed("rule"),
        _typed("table", header_rows={"type": "integer", "minimum": 0},
               rows={"type": "array", "items": {"type": "array", "items": _INLINES}}),
        _typed("related", heading=_OPT_STR, items={"type": "array", "items": _obj({
            "title": _STR, "url": _OPT_STR, "image": _OPT_STR, "summary": _OPT_STR})}),
    ]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "artconv article, version 1",
        "description": "One article: metadata and blocks. Text lives in inline nodes: a leaf "
                       "has 'text', other inline nodes have 'children'. Image 'src' is spelled "
                       "exactly as in the input.",
        **_obj({
            "version": {"const": 1},
            "meta": _obj({
                "title": _STR,
                "subtitle": _OPT_STR,
                "authors": {"type": "array", "items": _STR},
                "date": _OPT_STR,
                "lang": _OPT_STR,
                "section": _OPT_STR,
                "site": _OPT_STR,
                "url": _OPT_STR,
            }),
            "blocks": _BLOCKS,
        }),
        "$defs": {
            "inline": {"oneOf": inline_variants},
            "block": {"oneOf": block_variants},
        },
    }
