"""The conversion pipeline, shared by the Python API and the command line.

Everything here is a function of bytes and options: no file is opened, nothing is printed.
"""

from __future__ import annotations

import os

from . import formats
from .errors import ArtconvError, InputError, LimitError, Log, UsageError
from .model import Article, Image, Link, RelatedItem, transform
from .options import ReadOptions, WriteOptions
from .records import fields, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    Source = bytes | str | os.PathLike[str]


class ArtconvWarning(UserWarning):
    """What a reader or writer guessed or dropped, for API users (the CLI prints them)."""


def read_articles(
    data: bytes, fmt: formats.Format, options: ReadOptions, log: Log
) -> list[Article]:
    """Run a reader over an input's bytes and apply the options every reader shares."""
    if len(data) > options.max_input_bytes:
        raise LimitError(f"input is {len(data):,} bytes, over the limit of "
                         f"{options.max_input_bytes:,} (--max-input-bytes)")
    reader = fmt.load_reader()
    articles: list[Article] = reader(data, options, log)
    if options.lang:
        articles = [replace(a, meta=replace(a.meta, lang=options.lang)) for a in articles]
    if options.base_url:
        articles = [absolute_urls(a, options.base_url) for a in articles]
    return articles


def write_articles(
    articles: Sequence[Article], fmt: formats.Format, options: WriteOptions, log: Log
) -> bytes:
    writer = fmt.load_writer()
    if fmt.many:
        return writer(articles, options, log)  # type: ignore[no-any-return]
    if len(articles) != 1:
        raise InputError(f"the input holds {len(articles)} articles and {fmt.name} holds one; "
                         "convert to jsonl or epub")
    return writer(articles[0], options, log)  # type: ignore[no-any-return]


def absolute_urls(article: Article, base: str) -> Article:
    """Every link, image source and related URL resolved against ``base``."""
    from urllib.parse import urlsplit

    from .urls import join_url

    try:
        urlsplit(base)
    except ValueError as exc:
        raise UsageError(f"--base-url {base[:80]!r} is not a URL ({exc})") from None

    def fix(node: object) -> object:
        if isinstance(node, Link):
            return replace(node, href=join_url(base, node.href))
        if isinstance(node, Image):
            return replace(node, src=join_url(base, node.src))
        if isinstance(node, RelatedItem):
            return replace(node,
                           url=join_url(base, node.url) if node.url else None,
                           image=join_url(base, node.image) if node.image else None)
        return node

    fixed = transform(article, fix)
    if fixed.meta.url:
        fixed = replace(fixed, meta=replace(fixed.meta, url=join_url(base, fixed.meta.url)))
    return fixed


# ---------------------------------------------------------------------------------------------
# Public API


def _split_options(kwargs: dict[str, Any]) -> tuple[ReadOptions, WriteOptions]:
    read_names = set(fields(ReadOptions))
    write_names = set(fields(WriteOptions))
    unknown = set(kwargs) - read_names - write_names
    if unknown:
        raise TypeError(f"unknown option(s): {', '.join(sorted(unknown))}")
    read_kw = {k: v for k, v in kwargs.items() if k in read_names}
    write_kw = {k: v for k, v in kwargs.items() if k in write_names}
    if "related_headings" in read_kw:
        read_kw["related_headings"] = tuple(read_kw["related_headings"])
    for key in ("resource_dirs", "authors"):
        if key in write_kw:
            write_kw[key] = tuple(str(v) for v in write_kw[key])
    if write_kw.get("cover") is not None:
        write_kw["cover"] = str(write_kw["cover"])
    return ReadOptions(**read_kw), WriteOptions(**write_kw)


def _source_bytes(source: Source) -> tuple[bytes, str | None]:
    if isinstance(source, bytes):
        return source, None
    if isinstance(source, str):
        # a lone surrogate goes through as the bytes it would be, and the reader reports it
        # (with its offset) like any other text that is not UTF-8
        return source.encode("utf-8", "surrogatepass"), None
    path = os.fspath(source)
    with open(path, "rb") as handle:
        return handle.read(), os.path.basename(path)


def _reader_format(data: bytes, from_: str | None, name: str | None, log: Log) -> formats.Format:
    if from_:
        return formats.get(from_, reading=True)
    if name and (by_ext := formats.by_extension(name)):
        return by_ext
    fmt, why = formats.sniff(data)
    log.warn("guessed-format", f"read as {fmt.name}, guessed from {why}")
    return fmt


def _emit(log: Log) -> None:
    import warnings

    for w in log.warnings:
        warnings.warn(ArtconvWarning(w.message), stacklevel=3)


def read_all(source: Source, *, from_: str | None = None, log: Log | None = None,
             **options: Any) -> list[Article]:
    """Every article in ``source`` (bytes, a str of text, or a path)."""
    own_log = log is None
    log = log if log is not None else Log()
    read_opts, _ = _split_options(options)
    data, name = _source_bytes(source)
    articles = read_articles(data, _reader_format(data, from_, name, log), read_opts, log)
    if own_log:
        _emit(log)
    return articles


def read(source: Source, *, from_: str | None = None, log: Log | None = None,
         **options: Any) -> Article:
    """The article in ``source``; an error if it holds several (use :func:`read_all`)."""
    articles = read_all(source, from_=from_, log=log, **options)
    if len(articles) != 1:
        raise InputError(f"the input holds {len(articles)} articles; use read_all()")
    return articles[0]


def write(articles: Article | Sequence[Article], to: str, *, log: Log | None = None,
          **options: Any) -> bytes:
    """``articles`` in format ``to``, as bytes."""
    own_log = log is None
    log = log if log is not None else Log()
    _, write_opts = _split_options(options)
    batch = [articles] if isinstance(articles, Article) else list(articles)
    out = write_articles(batch, formats.get(to, writing=True), write_opts, log)
    if own_log:
        _emit(log)
    return out


def convert(data: Source, to: str, *, from_: str | None = None, log: Log | None = None,
            **options: Any) -> bytes:
    """Convert one input to format ``to``: a pure function of bytes and options."""
    own_log = log is None
    log = log if log is not None else Log()
    read_opts, write_opts = _split_options(options)
    raw, name = _source_bytes(data)
    articles = read_articles(raw, _reader_format(raw, from_, name, log), read_opts, log)
    out = write_articles(articles, formats.get(to, writing=True), write_opts, log)
    if own_log:
        _emit(log)
    return out


__all__ = ["ArtconvError", "ArtconvWarning", "convert", "read", "read_all", "write"]
