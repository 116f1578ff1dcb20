"""The Python API: :func:`read`, :func:`read_all`, :func:`write` and :func:`convert`, over the
same pipeline as the command line. Options are the command line's, as keywords."""

from __future__ import annotations

import os

from . import formats, pipeline
from .errors import ArtconvError, InputError, Log
from .model import Article
from .options import MediaOptions, ReadOptions, WriteOptions
from .records import fields

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from .media import MediaBag

    Source = bytes | str | os.PathLike[str]


class ArtconvWarning(UserWarning):
    """What a reader or writer guessed or dropped, for API users (the CLI prints them)."""


_TUPLES = ("related_headings", "authors", "assets")


def _split_options(kwargs: dict[str, Any]) -> tuple[ReadOptions, MediaOptions, WriteOptions]:
    groups = (ReadOptions, MediaOptions, WriteOptions)
    names = [set(fields(group)) for group in groups]
    unknown = set(kwargs) - set().union(*names)
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    values = {k: tuple(str(x) for x in v) if k in _TUPLES else
              (str(v) if k in ("cover", "stylesheet") and v is not None else v)
              for k, v in kwargs.items()}
    read, media, write = (group(**{k: v for k, v in values.items() if k in group_names})
                          for group, group_names in zip(groups, names, strict=True))
    return read, media, write  # type: ignore[return-value]


def _source_bytes(source: Source) -> tuple[bytes, str | None]:
    if isinstance(source, bytes):
        return source, None
    if isinstance(source, str):
        # a lone surrogate goes through as the bytes it would be, and the reader reports it
        # (with its offset) like any other text that is not UTF-8
        return source.encode("utf-8", "surrogatepass"), None
    path = os.fspath(source)
    with open(path, "rb") as handle:
        return handle.read(), path


def _emit(log: Log) -> None:
    import warnings

    for w in log.warnings:
        warnings.warn(ArtconvWarning(w.message), stacklevel=3)


def _read(source: Source, from_: str | None, log: Log, options: dict[str, Any]
          ) -> tuple[pipeline.Document, str | None]:
    read_opts, _, _ = _split_options(options)
    data, path = _source_bytes(source)
    fmt = pipeline.reader_format(data, name=path, from_name=from_, log=log)
    return pipeline.read(data, fmt, read_opts, log), path


def read_all(source: Source, *, from_: str | None = None, log: Log | None = None,
             **options: Any) -> list[Article]:
    """Every article in ``source`` (bytes, a str of text, or a path)."""
    own = log is None
    log = log if log is not None else Log()
    document, _ = _read(source, from_, log, options)
    if own:
        _emit(log)
    return list(document.articles)


def read(source: Source, *, from_: str | None = None, log: Log | None = None,
         **options: Any) -> Article:
    """The article in ``source``; an error if it holds several (use :func:`read_all`)."""
    articles = read_all(source, from_=from_, log=log, **options)
    if len(articles) != 1:
        raise InputError(f"the input holds {len(articles)} articles; use read_all()")
    return articles[0]


def write(articles: Article | Sequence[Article], to: str, *, log: Log | None = None,
          media: MediaBag | None = None, **options: Any) -> bytes:
    """``articles`` in format ``to``, as bytes. An EPUB embeds the pictures of ``media``
    (nothing is read from disk here: :func:`convert` with a path gathers them)."""
    own = log is None
    log = log if log is not None else Log()
    _, _, write_opts = _split_options(options)
    batch = [articles] if isinstance(articles, Article) else list(articles)
    out = pipeline.write(batch, formats.get(to, writing=True), write_opts, log, media)
    if own:
        _emit(log)
    return out


def convert(data: Source, to: str, *, from_: str | None = None, log: Log | None = None,
            **options: Any) -> bytes:
    """Convert one input to format ``to``. Given a path, an EPUB embeds the pictures found next
    to it (and under ``assets``); given bytes, only those under ``assets``."""
    own = log is None
    log = log if log is not None else Log()
    _, media_opts, write_opts = _split_options(options)
    document, path = _read(data, from_, log, options)
    target = formats.get(to, writing=True)
    media = None
    if target.embeds_media:
        folder = (os.path.dirname(path) or ".") if path else None
        pictures = pipeline.gather(document, folder=folder, options=media_opts, log=log)
        media = pipeline.media_bag(pictures, media_opts, log)
    out = pipeline.write(document.articles, target, write_opts, log, media)
    if own:
        _emit(log)
    return out


__all__ = ["ArtconvError", "ArtconvWarning", "convert", "read", "read_all", "write"]
