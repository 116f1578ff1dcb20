"""Errors and warnings, as data, and the one mapping from a failure to an exit status.

Readers, writers and the pipeline raise an :class:`ArtconvError` subclass when they cannot go
on, and report what they skipped or guessed to a :class:`Log`. Only the command line prints.
"""

from __future__ import annotations

from .records import record

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_STRICT = 3
EXIT_INTERRUPTED = 130


class ArtconvError(Exception):
    """An input could not be converted. The message is one line, fit for a user."""

    exit_code = EXIT_FAILED


class InputError(ArtconvError):
    """The input's bytes are not what the reader can read (bad data, wrong format)."""


class DecodeError(InputError):
    """The bytes cannot be decoded as text in the encoding given or detected."""


class BinaryInputError(InputError):
    """Expected text, got binary data."""


class LimitError(InputError):
    """The input is larger or deeper than artconv is willing to process."""


class OutputError(ArtconvError):
    """The output could not be written."""


class UsageError(ArtconvError):
    """The command line asks for something impossible (exit 2)."""

    exit_code = EXIT_USAGE


class Terminated(BaseException):
    """A signal (SIGTERM, SIGHUP) asked the process to stop; raised so that temporary files
    are removed on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def exit_status(exc: BaseException) -> int:
    """The exit status a failure ends the command with (contracts.md): 1 for an input or
    output that failed, 2 for a usage error, 128 + N for signal N; 1 for anything else."""
    if isinstance(exc, ArtconvError):
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(exc, Terminated):
        return 128 + exc.signum
    return EXIT_FAILED


@record
class Warning_:
    code: str
    message: str
    loss: bool = True
    """Content was dropped, not found or guessed: ``--strict`` fails on it. A picture that
    stays a linked figure by design (a remote one) is not a loss."""


class Log:
    """Collects warnings: what a reader, the pipeline or a writer guessed, dropped or could not
    find; and notes for ``--verbose``."""

    def __init__(self) -> None:
        self.warnings: list[Warning_] = []
        self.notes: list[str] = []

    def warn(self, code: str, message: str, *, loss: bool = True) -> None:
        self.warnings.append(Warning_(code, message, loss))

    def note(self, message: str) -> None:
        """Information for ``--verbose`` (a detected encoding, say); never a failure."""
        self.notes.append(message)

    @property
    def losses(self) -> list[Warning_]:
        return [w for w in self.warnings if w.loss]
