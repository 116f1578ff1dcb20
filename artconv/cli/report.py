"""What the command line says on standard error: one line per failure or warning, a progress
bar on a terminal, a summary after a batch. Input names and messages are printed with their
control characters escaped, so that a file name cannot forge a line or move the cursor."""

from __future__ import annotations

import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..batch import Outcome, Summary

PROGRESS_MIN_INPUTS = 20
PROGRESS_INTERVAL = 0.1  # seconds between two redraws of the bar
PROGRESS_WIDTH = 30


def printable(text: str) -> str:
    """``text`` with every character that is not printable (controls, line and paragraph
    separators, bidirectional overrides) written as an escape: ``\\n``, ``\\x1b``, ``\\u202e``."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append(repr(ch)[1:-1] if ord(ch) < 0x10000 else f"\\U{ord(ch):08x}")
    return "".join(out)


def err(line: str) -> None:
    """One line on standard error, as UTF-8 whatever the locale says."""
    data = (printable(line) + "\n").encode("utf-8", "replace")
    stream = sys.stderr
    if stream is None:
        return
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is not None:
            stream.flush()
            buffer.write(data)
            buffer.flush()
        else:
            stream.write(data.decode("utf-8"))
            stream.flush()
    except (OSError, ValueError):
        pass


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class Reporter:
    """Prints outcomes as they come. A warning repeated within one input (forty missing
    pictures) is said once, with a count; ``--verbose`` says each."""

    def __init__(self, *, quiet: bool, verbose: bool, total: int) -> None:
        self.quiet, self.verbose, self.total = quiet, verbose, total
        self.done = 0
        self.progress = not quiet and total >= PROGRESS_MIN_INPUTS and isatty(sys.stderr)
        self._last_draw = 0.0

    def line(self, text: str) -> None:
        self._clear()
        err(f"artconv: {text}")

    def error(self, label: str, message: str) -> None:
        self.line(f"{label}: {message}")

    def warning(self, label: str, message: str) -> None:
        if not self.quiet:
            self.line(f"{label}: warning: {message}")

    def outcome(self, outcome: Outcome) -> None:
        self._warnings(outcome)
        if self.verbose:
            for note in outcome.notes:
                self.line(f"{outcome.label}: {note}")
        if outcome.error is not None:
            self.error(outcome.label, outcome.error)
        elif outcome.strict_failure:
            self.error(outcome.label, "a loss under --strict (see the warnings); nothing "
                                      "written")
        if outcome.index < self.total:
            self.done += 1
            self._draw()

    def _warnings(self, outcome: Outcome) -> None:
        if self.verbose:
            for warning in outcome.warnings:
                self.warning(outcome.label, warning.message)
            return
        by_code: dict[str, list[str]] = {}
        for warning in outcome.warnings:
            by_code.setdefault(warning.code, []).append(warning.message)
        for messages in by_code.values():
            more = len(messages) - 1
            suffix = f" (and {more} more like it; -v lists them)" if more else ""
            self.warning(outcome.label, messages[0] + suffix)

    def summary(self, summary: Summary) -> None:
        text = f"converted {summary.converted}, failed {summary.failed}"
        if summary.refused:
            text += f", refused under --strict {summary.refused}"
        if not self.quiet:
            self.line(text)

    def _draw(self) -> None:
        if not self.progress:
            return
        now = time.monotonic()
        if now - self._last_draw < PROGRESS_INTERVAL and self.done < self.total:
            return
        self._last_draw = now
        filled = PROGRESS_WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (PROGRESS_WIDTH - filled)
        sys.stderr.write(f"\rartconv: [{bar}] {self.done}/{self.total}")
        sys.stderr.flush()

    def _clear(self) -> None:
        if self.progress and self._last_draw:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self._last_draw = 0.0

    def finish(self) -> None:
        self._clear()
