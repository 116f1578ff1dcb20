"""The language of a text, or None when there is not enough to tell.

Two steps. What the letters alone settle is settled without a model: a script that one language
writes (Greek, Hebrew, Thai, Korean, Japanese kana, Armenian, Georgian), and Cyrillic or Arabic
text that holds letters only one language uses (Ukrainian і ї є ґ, Belarusian ў, Serbian ђ ћ џ,
Russian ы э with no letter of another alphabet, Persian پ چ ژ گ, Urdu ٹ ڈ ڑ ں ے). Everything
else goes to fastText's language identification model (lid.176, 176 languages, shipped in
``artconv/data`` under CC BY-SA 3.0, read by the maintained ``fasttext-predict`` package) and
its answer is taken only when it is sure (probability at least :data:`MIN_PROBABILITY`).
Bulgarian is not Russian, Turkish and Vietnamese are not English: when the model is unsure the
article gets no language, never a guess.
"""

from __future__ import annotations

import functools

from .textutil import LazyPattern

SAMPLE = 2000  # characters the detector reads: enough for a confident answer
MIN_LETTERS = 12  # fewer letters than this say nothing about a language
MIN_PROBABILITY = 0.5
# Share of letters from a script, among all letters, that makes it the text's script.
DOMINANT_SCRIPT = 0.6

_SINGLE_LANGUAGE_SCRIPTS = {"el": "el", "he": "he", "th": "th", "ko": "ko", "kana": "ja",
                            "hy": "hy", "ka": "ka"}
# Letters that only one Cyrillic or Arabic-script language uses (among those a news site is
# likely to publish in); the first that occurs decides.
_CYRILLIC_LETTERS = (("uk", "іїєґ"), ("be", "ў"), ("sr", "ђћџ"), ("mk", "ѓќѕ"),
                     ("kk", "әғқңөұүһ"), ("tt", "җ"))
_RUSSIAN_ONLY = "ыэё"
_RUSSIAN_ALPHABET = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
_ARABIC_LETTERS = (("ur", "ٹڈڑںے"), ("fa", "پچژگ"))


def _script(ch: str) -> str | None:  # noqa: C901 - a table of code point ranges
    code = ord(ch)
    if code < 0x0250:
        return "latn"
    if 0x0370 <= code <= 0x03FF or 0x1F00 <= code <= 0x1FFF:
        return "el"
    if 0x0400 <= code <= 0x04FF:
        return "cyrl"
    if 0x0530 <= code <= 0x058F:
        return "hy"
    if 0x0590 <= code <= 0x05FF:
        return "he"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F:
        return "arab"
    if 0x0E00 <= code <= 0x0E7F:
        return "th"
    if 0x10A0 <= code <= 0x10FF:
        return "ka"
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
        return "ko"
    if 0x4E00 <= code <= 0x9FFF:
        return "han"
    return "other"


def detect_lang(text: str) -> str | None:
    """A BCP 47 tag for ``text``, or None when it cannot be told with confidence."""
    from collections import Counter  # loaded already (by re); counting is done in C

    sample = text[:SAMPLE]
    letters = Counter(ch for ch in sample.lower() if ch.isalpha())
    total = sum(letters.values())
    if total < MIN_LETTERS:
        return None
    scripts: Counter[str] = Counter()
    for ch, count in letters.items():
        scripts[_script(ch) or "other"] += count
    script, count = max(scripts.items(), key=_second)  # most_common(1) imports heapq
    if count < DOMINANT_SCRIPT * total:
        return _model(sample)
    if script in _SINGLE_LANGUAGE_SCRIPTS:
        return _SINGLE_LANGUAGE_SCRIPTS[script]
    if script == "han" and not scripts.get("kana"):
        return _model(sample) or "zh"
    if script == "cyrl":
        return _by_letters(letters, _CYRILLIC_LETTERS) or _russian(letters) or _model(sample)
    if script == "arab":
        return _by_letters(letters, _ARABIC_LETTERS) or _model(sample)
    return _model(sample)


def _second(item: tuple[str, int]) -> int:
    return item[1]


def _by_letters(letters: dict[str, int], table: tuple[tuple[str, str], ...]) -> str | None:
    for lang, own in table:
        if any(letters.get(ch) for ch in own):
            return lang
    return None


def _russian(letters: dict[str, int]) -> str | None:
    """Russian, when the text uses only the Russian alphabet and letters no other Cyrillic
    alphabet has together (ы, э, ё)."""
    cyrillic = {ch for ch in letters if "\u0400" <= ch <= "\u04ff"}
    if cyrillic <= _RUSSIAN_ALPHABET and any(letters.get(ch) for ch in _RUSSIAN_ONLY):
        return "ru"
    return None


@functools.cache
def _identifier() -> object | None:
    import os

    try:
        import fasttext
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    path = os.path.join(os.path.dirname(__file__), "data", "lid.176.ftz")
    return fasttext.load_model(path)


def _model(sample: str) -> str | None:
    model = _identifier()
    if model is None:
        return None
    labels, probabilities = model.predict(" ".join(sample.split()), k=1)  # type: ignore[attr-defined]
    if not labels or probabilities[0] < MIN_PROBABILITY:
        return None
    tag = str(labels[0]).removeprefix("__label__")
    return tag if is_valid_tag(tag) else None


_BCP47 = LazyPattern(
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"   # language, extlang
    r"(?:-[A-Za-z]{4})?"                                       # script
    r"(?:-(?:[A-Za-z]{2}|\d{3}))?"                             # region
    r"(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"             # variants
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"           # extensions
    r"(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?"                        # private use
)


def is_valid_tag(tag: str) -> bool:
    """Whether ``tag`` is a well-formed BCP 47 language tag ("C" and "POSIX" are not)."""
    head, _, region = tag.partition("-")
    if head.isascii() and head.isalpha() and 2 <= len(head) <= 3 and (
            not region or (region.isascii() and region.isalpha() and len(region) == 2)):
        return True  # "ru", "en-GB": the common tags, known without compiling the grammar
    return bool(_BCP47.fullmatch(tag))


def normalize_tag(tag: str | None) -> str | None:
    """A declared language as a BCP 47 tag: ``en_US`` -> ``en-US``; None when not a tag."""
    if not tag:
        return None
    candidate = tag.strip().replace("_", "-")
    return candidate if is_valid_tag(candidate) else None
