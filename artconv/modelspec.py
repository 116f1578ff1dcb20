"""One description of the model, read from the record definitions in :mod:`artconv.model`:
the shape of every field (parsed from its annotation), the JSON name of every node type, the
order of its JSON keys and the bounds on its numbers. The JSON codec (:mod:`artconv.jsonform`),
the JSON Schema (:mod:`artconv.schema`) and the tests' hypothesis strategies are all built from
it, so that the four cannot disagree.
"""

from __future__ import annotations

import functools
import re

from . import model
from .records import fields

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Shape:
    """What a field holds."""


class Scalar(Shape):
    def __init__(self, kind: str, bounds: tuple[int, int] | None = None) -> None:
        self.kind = kind  # "str", "int", "bool"
        self.bounds = bounds

    def __repr__(self) -> str:
        return f"Scalar({self.kind!r}, {self.bounds!r})"


class Optional(Shape):
    def __init__(self, inner: Shape) -> None:
        self.inner = inner

    def __repr__(self) -> str:
        return f"Optional({self.inner!r})"


class Sequence(Shape):
    """A tuple in the model, a list in JSON."""

    def __init__(self, inner: Shape) -> None:
        self.inner = inner

    def __repr__(self) -> str:
        return f"Sequence({self.inner!r})"


class Nodes(Shape):
    """One node of a union of typed records (``inline`` or ``block``), told apart by ``type``."""

    def __init__(self, family: str) -> None:
        self.family = family

    @property
    def types(self) -> tuple[type, ...]:
        return model.INLINE_TYPES if self.family == "inline" else model.BLOCK_TYPES

    def __repr__(self) -> str:
        return f"Nodes({self.family!r})"


class Record(Shape):
    """A record without a ``type`` key (the article, its metadata, a related item)."""

    def __init__(self, cls: type) -> None:
        self.cls = cls

    def __repr__(self) -> str:
        return f"Record({self.cls.__name__})"


_NAMES: dict[str, Shape] = {
    "str": Scalar("str"),
    "bool": Scalar("bool"),
    "Inline": Nodes("inline"),
    "Block": Nodes("block"),
    "Inlines": Sequence(Nodes("inline")),
    "Blocks": Sequence(Nodes("block")),
    "RelatedItem": Record(model.RelatedItem),
    "Meta": Record(model.Meta),
    "MetaField": Record(model.MetaField),
}
_TUPLE = re.compile(r"tuple\[(.*), \.\.\.\]\Z")


def parse_annotation(annotation: str, bounds: tuple[int, int] | None = None) -> Shape:
    """The shape an annotation string of the model names (``tuple[Inline, ...] | None``)."""
    text = annotation.strip()
    if text.endswith(" | None"):
        return Optional(parse_annotation(text[: -len(" | None")], bounds))
    match = _TUPLE.match(text)
    if match:
        return Sequence(parse_annotation(match.group(1), bounds))
    if text == "int":
        return Scalar("int", bounds)
    if text in _NAMES:
        return _NAMES[text]
    raise TypeError(f"the model has a field of a type modelspec does not know: {annotation!r}")


@functools.cache
def shape_of(cls: Any) -> tuple[tuple[str, Shape], ...]:
    """Every field of a record class with its shape, in definition order."""
    annotations: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        annotations.update(getattr(klass, "__annotations__", {}))
    bounds = getattr(cls, "BOUNDS", {})
    return tuple((name, parse_annotation(annotations[name], bounds.get(name)))
                 for name in fields(cls))


@functools.cache
def json_keys(cls: Any) -> tuple[str, ...]:
    """The record's keys in JSON, in the order they are written: ``type`` first for a typed
    node, then the fields (in ``JSON_ORDER`` when the class gives one)."""
    names = tuple(getattr(cls, "JSON_ORDER", fields(cls)))
    assert sorted(names) == sorted(fields(cls)), cls
    return (("type",) if hasattr(cls, "TYPE") else ()) + names


@functools.cache
def by_type(family: str) -> dict[str, type]:
    """The node classes of a family by their JSON ``type``."""
    types = model.INLINE_TYPES if family == "inline" else model.BLOCK_TYPES
    return {cls.TYPE: cls for cls in types}  # type: ignore[attr-defined]


@functools.cache
def string_fields(cls: Any) -> tuple[str, ...]:
    """The fields of a record that hold strings (a string, maybe None, or a tuple of them)."""
    def holds_string(shape: Shape) -> bool:
        if isinstance(shape, Scalar):
            return shape.kind == "str"
        if isinstance(shape, Optional):
            return holds_string(shape.inner)
        if isinstance(shape, Sequence):
            return isinstance(shape.inner, Scalar) and shape.inner.kind == "str"
        return False

    return tuple(name for name, shape in shape_of(cls) if holds_string(shape))
