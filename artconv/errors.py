"""Errors and warnings, as data.

Readers and writers raise an :class:`ArtconvError` subclass when they cannot go on, and report
what they skipped or guessed to a :class:`Log`. Only the command line prints them.
"""

from __future__ import annotations

from .records import record


class ArtconvError(Exception):
    """An input could not be converted. The message is one line, fit for a user."""

    exit_code = 1


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

    exit_code = 2


@record
class Warning_:
    code: str
    message: str


class Log:
    """Collects warnings: what a reader or writer guessed, dropped or could not find."""

    def __init__(self) -> None:
        self.warnings: list[Warning_] = []
        self.notes: list[str] = []

    def warn(self, code: str, message: str) -> None:
        self.warnings.append(Warning_(code, message))

    def note(self, message: str) -> None:
        """Information for ``--verbose`` (a detected encoding, say); never a failure."""
        self.notes.append(message)
