"""Frozen, slotted record classes without the import cost of :mod:`dataclasses`.

``dataclasses`` imports ``inspect`` and spends most of a millisecond per class; a one-liner
that converts a text dump should not pay twenty of them before it reads a byte (measured:
importing the model with ``@dataclass(frozen=True, slots=True)`` costs about 15 ms more; the
model's 25 records cost 1.3 ms as they are, 2.1 ms when every ``__init__`` was compiled at
import, measured 2026-12-05: docs/benchmarks.md).
``@record`` builds the same thing from the class annotations: ``__init__`` with defaults,
``__eq__``, ``__hash__``, ``__repr__``, ``__match_args__`` for ``match``, immutability,
pickling. The field annotations stay strings; :mod:`artconv.modelspec` reads them.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")

_MISSING = object()


class FrozenInstanceError(AttributeError):
    pass


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _compile_init(names: list[str], defaults: dict[str, object]) -> Any:
    params = ", ".join(f"{n}=_d_{n}" if n in defaults else n for n in names)
    body = "".join(f"    _set(self, {n!r}, {n})\n" for n in names) or "    pass\n"
    scope: dict[str, object] = {"_set": object.__setattr__}
    scope.update({f"_d_{n}": v for n, v in defaults.items()})
    exec(f"def __init__(self, {params}):\n{body}", scope)  # noqa: S102 - from field names
    return scope["__init__"]


def _lazy_init(names: list[str], defaults: dict[str, object]) -> Any:
    """An ``__init__`` that compiles the real one the first time a record of its class is
    made, and puts it in its place: compiling costs about 35 us a class, and a one-liner makes
    records of a third of the model's classes."""
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        real = _compile_init(names, defaults)
        type.__setattr__(type(self), "__init__", real)
        real(self, *args, **kwargs)
    return __init__


def _record(cls: type[T]) -> type[T]:
    """Turn a class with annotated fields into a frozen record (see the module docstring)."""
    annotations = cls.__dict__.get("__annotations__", {})
    names = [n for n, a in annotations.items()
             if not str(a).startswith(("ClassVar", "typing.ClassVar"))]
    defaults = {n: cls.__dict__[n] for n in names if n in cls.__dict__}
    namespace = {k: v for k, v in cls.__dict__.items()
                 if k not in names and k not in ("__dict__", "__weakref__")}
    values = _values_getter(names)

    def __eq__(self: Any, other: Any) -> Any:  # noqa: N807
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)

    def __hash__(self: Any) -> int:  # noqa: N807
        return hash((self.__class__.__name__, values(self)))

    def __reduce__(self: Any) -> tuple[Any, ...]:  # noqa: N807
        return (self.__class__, values(self))
    namespace.update({
        "__slots__": tuple(names),
        "__match_args__": tuple(names),
        "__fields__": tuple(names),
        "__record_defaults__": defaults,
        "__dataclass_fields__": _DataclassFields(),
        "__init__": _lazy_init(names, defaults),
        "__eq__": __eq__,
        "__hash__": __hash__,
        "__reduce__": __reduce__,
        "__repr__": _repr,
        "__setattr__": _frozen_setattr,
        "__delattr__": _frozen_delattr,
    })
    for name in names:
        namespace.pop(name, None)
    new = type(cls.__name__, cls.__bases__, namespace)
    new.__qualname__ = cls.__qualname__
    new.__module__ = cls.__module__
    return new  # type: ignore[return-value]


if TYPE_CHECKING:
    from typing_extensions import dataclass_transform

    @dataclass_transform(frozen_default=True)
    def record(cls: type[T]) -> type[T]: ...
else:
    record = _record


class _DataclassFields:
    """``__dataclass_fields__``, built on first use: :func:`dataclasses.fields`, ``asdict``,
    ``astuple``, ``replace`` and ``is_dataclass`` work on records, and only a caller who uses
    them pays for importing :mod:`dataclasses`."""

    def __get__(self, obj: object, owner: type) -> dict[str, Any]:
        import dataclasses

        defaults = owner.__record_defaults__  # type: ignore[attr-defined]
        spec = [(n, object, dataclasses.field(default=defaults[n])) if n in defaults
                else (n, object) for n in owner.__fields__]  # type: ignore[attr-defined]
        shadow = dataclasses.make_dataclass(owner.__name__, spec, frozen=True)
        found: dict[str, Any] = shadow.__dataclass_fields__  # type: ignore[attr-defined]
        type.__setattr__(owner, "__dataclass_fields__", found)
        return found


def _values_getter(names: list[str]) -> Any:
    """A function of a record to the tuple of its field values (attrgetter runs in C)."""
    from operator import attrgetter

    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda record: (one(record),)
    return lambda record: ()


def _repr(self: Any) -> str:
    inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__fields__)
    return f"{self.__class__.__name__}({inner})"


def fields(obj: Any) -> tuple[str, ...]:
    """The field names of a record (or record class), in order."""
    return obj.__fields__  # type: ignore[no-any-return]


def replace(obj: T, **changes: Any) -> T:
    """A copy of a record with some fields changed."""
    values = {n: changes.pop(n, _MISSING) for n in obj.__fields__}  # type: ignore[attr-defined]
    if changes:
        raise TypeError(f"{obj.__class__.__name__} has no field(s) {', '.join(changes)}")
    return obj.__class__(**{n: getattr(obj, n) if v is _MISSING else v  # type: ignore[call-arg]
                            for n, v in values.items()})
