"""The grammar of the raw text dump (docs/text-dump-format.md), shared by its reader, which
applies it, and its writer, which writes lines that read back as what they were: what a line
is (a picture placeholder, a URL, a list item, a heading, a subtitle, a related heading) and the
limits the format sets."""

from __future__ import annotations

import functools
import re

from .phrases import phrases as all_phrases
from .textutil import LazyPattern

IMAGE_EXTENSIONS = ("jpg", "jpeg", "png", "gif", "webp", "svg", "avif", "bmp", "tif", "tiff")
# characters a file name in a dump never holds (besides white space)
_NOT_IN_FILE_NAME = frozenset("\"'<>«»()[]{},;|")
_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_URL_PATH = re.compile(r"[^:]+://[^/?#]*([^?#]*)")
_IMAGE_SUFFIXES = tuple("." + e for e in IMAGE_EXTENSIONS)
# (written so that no character class mixes ASCII with characters past Latin-1: such a class
# costs the regular expression compiler a large charset map, a third of a millisecond each,
# which a one-liner pays at start-up)
_LIST_MARKER = LazyPattern(r"(?:[-*]|•|[—–]|(\d{1,9})[.)])(?: |\u00a0)+(?=\S)")
_MARKER_FIRST = frozenset("-*•—–0123456789")
DASHES = "-—–"
# the author's words after direct speech: "— Да, — сказал он."
_DIALOGUE_REMARKS = tuple(f"{stop} {dash} " for stop in ",.!?…" for dash in DASHES)
_OPENING_QUOTES = "\"«“„'‘"
_CLOSING_QUOTES = "\"»”“'’"
SEPARATORS = ":—–-"

SUBTITLE_MAX = 250
HEADING_MAX = 80
_SENTENCE_END = (".", "!", "?", "…")
_HEADING_NOT_END = (".", ",", ";", ":", "!", "?", "…", "»", '"', "”", "’", "'", "“")


def is_image_line(line: str) -> bool:
    """A line that is nothing but an image file name or an http(s) URL of an image."""
    if _URL.fullmatch(line):
        path = _URL_PATH.match(line).group(1)  # type: ignore[union-attr]
        return path.lower().endswith(_IMAGE_SUFFIXES)
    lowered = line.lower()
    if not lowered.endswith(_IMAGE_SUFFIXES):
        return False
    stem = line[:len(line) - len(next(s for s in _IMAGE_SUFFIXES if lowered.endswith(s)))]
    return bool(stem) and not any(ch.isspace() or ch in _NOT_IN_FILE_NAME for ch in stem)


def list_marker(line: str) -> re.Match[str] | None:
    return _LIST_MARKER.match(line) if line[:1] in _MARKER_FIRST else None


def is_url_line(line: str) -> bool:
    return bool(_URL.fullmatch(line))


def phrases(extra: tuple[str, ...]) -> tuple[str, ...]:
    """The related-section phrases (:mod:`artconv.phrases`), case-folded, longest first."""
    folded = {p.casefold() for p in all_phrases(extra)}
    return tuple(sorted(folded, key=lambda p: (-len(p), p)))


def _first_word(text: str) -> str:
    end = 0
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[:end]


@functools.cache
def _by_first_word(phrases: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for phrase in phrases:
        index.setdefault(_first_word(phrase), []).append(phrase)
    return {word: tuple(found) for word, found in index.items()}


def related_phrase(line: str, phrases: tuple[str, ...]) -> str | None:
    """The phrase that makes ``line`` a related-section heading, or None.

    A phrase must stand as a heading: alone, with a quoted section name, or followed by a
    separator and an article title ("Читайте также: ..."). "Read more about it in our
    report." is prose, not a heading.
    """
    folded = line.casefold()
    candidates = _by_first_word(phrases).get(_first_word(folded))
    if not candidates:
        return None
    for phrase in candidates:
        if not folded.startswith(phrase):
            continue
        rest = line[len(phrase):]
        if rest and rest[0].isalnum():
            continue  # "Read moreover"
        rest = rest.strip()
        if not rest or quoted_name(rest.rstrip(":")) or separator_end(rest) is not None:
            return phrase
        if len(line) <= HEADING_MAX and not line.endswith(_SENTENCE_END):
            return phrase
    return None


def heading_shaped(line: str) -> bool:
    """A line the reader takes for a heading when a paragraph follows it."""
    return 0 < len(line) <= HEADING_MAX and not line.endswith(_HEADING_NOT_END)


def subtitle_shaped(line: str) -> bool:
    """A line right after the title that the reader takes for the subtitle."""
    return 0 < len(line) <= SUBTITLE_MAX and not line.endswith(_SENTENCE_END)


def is_dialogue(lines: list[str]) -> bool:
    """Lines of direct speech (each starting with a dash, with the author's words after a
    dash inside) are paragraphs, not a list."""
    if not all(line[0] in DASHES for line in lines):
        return False
    text = "\n".join(lines)  # a remark never holds a line break: one scan a remark
    return any(remark in text for remark in _DIALOGUE_REMARKS)


def quoted_name(text: str) -> str | None:
    """The name in quotes that ends ``text``, after at most three words: 'рубрики "Общество"',
    'from «Tech»', 'в рубрике «Наука»' give Общество, Tech, Наука."""
    start = next((i for i, ch in enumerate(text) if ch in _OPENING_QUOTES), -1)
    if start < 0 or len(text) - start < 3 or text[-1] not in _CLOSING_QUOTES:
        return None
    before = text[:start]
    words = before.split()
    if len(words) > 3 or not all(w.isalpha() for w in words) \
            or (before and (not before[-1].isspace() or before[0].isspace())):
        return None
    return text[start + 1:-1]


def separator_end(text: str) -> int | None:
    """Where the text after a separator (":", a dash) starts, when ``text`` starts with one."""
    stripped = text.lstrip()
    if not stripped or stripped[0] not in SEPARATORS:
        return None
    after = stripped[1:]
    return len(text) - len(after.lstrip())


