"""Small text helpers shared by readers and writers."""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class LazyPattern:
    """A regular expression compiled on first use: import time matters for one-liners, and
    most patterns serve a path that a given conversion never takes. A method asked for once
    is kept on the instance, so that later calls cost what the compiled pattern's do."""

    def __init__(self, *args: object) -> None:
        self._args = args
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)  # type: ignore[call-overload]
        found = getattr(self._compiled, name)
        self.__dict__[name] = found
        return found


# Characters no output may carry: C0 controls other than tab, line feed and carriage return,
# DEL and the C1 controls, lone surrogates and Unicode noncharacters (XML 1.0 excludes some,
# HTML5 parsers report all of them as errors). The noncharacters outside the BMP are checked
# only when the text has such characters at all.
_ILLEGAL = LazyPattern(  # ASCII text (most of it) never needs this costly class compiled
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_ASTRAL = LazyPattern("[\U00010000-\U0010ffff]")
_ILLEGAL_ASTRAL = LazyPattern(
    "[" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                  for plane in range(1, 17)) + "]")
_ILLEGAL_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\f\v]+")


def clean_text(text: str) -> str:
    """Drop characters that no output format may carry (XML-illegal controls and noncharacters);
    lone surrogates become U+FFFD so that no text silently disappears."""
    if text.isascii():  # known without a scan; the ASCII class is searched much faster
        return _ILLEGAL_ASCII.sub("", text) if _ILLEGAL_ASCII.search(text) else text
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "",
                            text)
    if not text.isascii() and _ASTRAL.search(text) and _ILLEGAL_ASTRAL.search(text):
        text = _ILLEGAL_ASTRAL.sub("", text)
    return text


def is_clean(text: str) -> bool:
    """Whether :func:`clean_text` would leave ``text`` as it is."""
    if text.isascii():
        return not _ILLEGAL_ASCII.search(text)
    if _ILLEGAL.search(text):
        return False
    return not (_ASTRAL.search(text) and _ILLEGAL_ASTRAL.search(text))


def collapse_spaces(text: str) -> str:
    """Runs of spaces and tabs become one space; a no-break space is text and stays."""
    return _SPACES.sub(" ", text)


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def squash(text: str | None) -> str:
    """HTML white space collapsed to single spaces and trimmed; a no-break space is text."""
    if not text:
        return ""
    return _HTML_SPACE.sub(" ", text).strip(" ")


# an ISO 8601 day or instant: headers show its day to readers
ISO_DATE = LazyPattern(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
