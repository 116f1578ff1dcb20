"""The function engines map over files: Dask, Spark, GNU parallel, a thread pool of your own.

:func:`convert_file` turns one input into artconv JSON Lines (an article a line, the format
``artconv convert -f jsonl`` reads back) and, when the input fails, an error record instead.
It is a pure function of the path's name and bytes, importable on every worker that has
artconv installed (from the repository or a built wheel: ``pip install
git+https://...`` or ``pip install dist/artconv-*.whl``), so an engine needs no file of ours
beside it:

    >>> import dask.bag as db
    >>> from artconv.jobs import convert_file, read_file
    >>> bag = db.from_sequence(paths).map(read_file).map(lambda r: convert_file(*r))

:func:`write_results` writes what came back: the articles to ``OUT.jsonl`` (input order), the
errors to ``OUT.errors.jsonl`` as ``{"path": ..., "error": ...}`` lines (only when there are
some). The command line's batch engine (:mod:`artconv.batch`) is the better choice on one
machine; these are for more than one.
"""

from __future__ import annotations

import json
import os

from .records import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


@record
class Result:
    """One input's outcome: its JSON Lines (an article a line, each ending in a newline), or
    the one-line error that stopped it; and its warnings."""

    path: str
    lines: str = ""
    error: str | None = None
    warnings: tuple[str, ...] = ()


def read_file(path: str) -> tuple[str, bytes]:
    """(path, bytes) of an input, for engines that map over paths."""
    with open(path, "rb") as handle:
        return path, handle.read()


def convert_file(path: str, data: bytes, **options: object) -> Result:
    """One input (named ``path``, its format from the extension or its bytes) to a
    :class:`Result`. Never raises for a bad input: an engine's job goes on."""
    from . import formats
    from .api import convert
    from .errors import ArtconvError, Log

    log = Log()
    fmt = formats.by_extension(path)
    try:
        out = convert(data, "jsonl", from_=fmt.name if fmt and fmt.reader else None, log=log,
                      **options)
    except ArtconvError as exc:
        return Result(path, error=str(exc), warnings=_said(log))
    return Result(path, out.decode("utf-8"), warnings=_said(log))


def _said(log: object) -> tuple[str, ...]:
    return tuple(w.message for w in getattr(log, "warnings", ()))


def write_results(results: Iterable[Result], out: str) -> tuple[int, int]:
    """Write the articles to ``out`` and the errors beside it (``.errors.jsonl``); (converted,
    failed)."""
    from .output import write_file

    articles: list[str] = []
    errors: list[str] = []
    for result in results:
        if result.error is None:
            articles.append(result.lines)
        else:
            errors.append(json.dumps({"path": result.path, "error": result.error},
                                     ensure_ascii=False) + "\n")
    write_file(out, "".join(articles).encode("utf-8"))
    stem = out[:-len(".jsonl")] if out.endswith(".jsonl") else out
    side = stem + ".errors.jsonl"
    if errors:
        write_file(side, "".join(errors).encode("utf-8"))
    elif os.path.exists(side):
        os.remove(side)  # from an earlier run
    return len(articles), len(errors)
