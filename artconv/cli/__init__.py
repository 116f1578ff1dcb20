"""The ``artconv`` command line: the console script and ``python -m artconv``.

``artconv convert`` with plain options is parsed by :mod:`.fast` and never imports click, so a
one-liner starts in a few tens of milliseconds; everything else (help, ``formats``,
``schema``, a usage error in click's words) goes to the click application in :mod:`.app`.
Both run :func:`run_convert`. A first word that is not a command is the first word of a
``convert`` (``artconv -f html -t md page.html``).

Standard output carries nothing but converted documents; every diagnostic is one line on
standard error: ``artconv: INPUT: what went wrong``. Exit status: 0 all converted, 1 an input
failed (the others are still written), 2 a usage error, 3 a loss under ``--strict``; a reader
that closes the pipe early (``| head -1``) ends the run quietly with 0.
"""

from __future__ import annotations

import os
import sys

from ..errors import EXIT_OK, EXIT_STRICT, ArtconvError, Terminated, exit_status

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

COMMANDS = ("convert", "formats", "schema")


class PipeClosed(Exception):
    """The reader of standard output went away (``artconv ... | head -1``)."""


def stdout_write(data: bytes) -> None:
    """Write a document to standard output; a closed pipe raises :class:`PipeClosed`."""
    stream = getattr(sys.stdout, "buffer", None)
    if stream is None:
        raise ArtconvError("standard output is closed")
    try:
        stream.write(data)
        stream.flush()
    except BrokenPipeError:
        raise PipeClosed() from None
    except OSError as exc:
        raise ArtconvError(f"cannot write to standard output: {exc.strerror}") from None


def silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so that the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def run_convert(values: dict[str, Any]) -> int:
    """``artconv convert`` with parsed option values: every failure becomes a line on
    standard error and an exit status."""
    from .report import err

    try:
        return _convert(values)
    except PipeClosed:
        silence_stdout()
        return EXIT_OK
    except (ArtconvError, KeyboardInterrupt, Terminated) as exc:
        if isinstance(exc, ArtconvError):
            err(f"artconv: {exc}")
        return exit_status(exc)
    except Exception as exc:
        if values.get("debug"):
            import traceback

            traceback.print_exc()
        else:
            err(f"artconv: internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for a traceback)")
        return exit_status(exc)


def _convert(values: dict[str, Any]) -> int:
    from ..batch import Batch, cpu_count, tune_gc
    from ..errors import EXIT_FAILED
    from .options import output_format, settings
    from .report import Reporter, isatty

    tune_gc()  # a conversion process's collector (batch.GC_THRESHOLD)

    target = output_format(values)
    jobs = values["jobs"]
    inputs = values["inputs"]
    if jobs > cpu_count() and not values["quiet"] and len(inputs) > 1:
        from .report import err

        err(f"artconv: --jobs {jobs} is more than the {cpu_count()} CPUs; using "
            f"{cpu_count()}")
    reporter = Reporter(quiet=values["quiet"], verbose=values["verbose"], total=len(inputs))
    batch = Batch(inputs, values["output"], settings(values, target), jobs=jobs,
                  report=reporter.outcome, sink=stdout_write,
                  stdout_is_terminal=isatty(sys.stdout))
    try:
        summary = batch.run()
    finally:
        reporter.finish()
    if len(inputs) > 1:
        reporter.summary(summary)
    if summary.failed:
        return EXIT_FAILED
    return EXIT_STRICT if summary.refused else EXIT_OK


def main() -> NoReturn:
    """The console script and ``python -m artconv``."""
    from .. import output

    output.CATCH_SIGNALS = True  # a write in progress removes its temporary file on SIGTERM
    argv = sys.argv[1:]
    if argv and argv[0] not in COMMANDS and argv[0] not in ("-h", "--help", "--version"):
        argv = ["convert", *argv]
    from .fast import parse

    values = parse(argv)
    if values is not None:
        status = run_convert(values)
    else:
        from .app import run_app

        status = run_app(argv)
    from ..output import remove_temporary_files

    remove_temporary_files()
    sys.exit(status)
