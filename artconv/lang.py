"""Language of a text, from its script and, for Latin script, its commonest words.

A deliberately small detector: it answers the question a dump's reader needs (which BCP 47 tag
to give an article that declares none) and never guesses a rare language from a few words.
"""

from __future__ import annotations

import re

from .textutil import LazyPattern

_WORD = re.compile(r"[^\W\d_]+")

# Function words that are frequent in one language and rare in the others.
_STOPWORDS = {
    "en": "the and of to in is that for it with was on as are be this by have from not but "
          "they his her which you at were been has",
    "de": "der die und das ist nicht ein eine mit auf für sich dem den des von zu im auch "
          "wird sind wie bei aus nach oder",
    "fr": "le la les et des est une pour que dans qui pas sur du au avec ce sont par plus "
          "mais ont cette été aux",
    "es": "el la los las y que del en por con una para es se al lo como más pero sus fue "
          "esta está son ha",
    "it": "il di che la per una sono non con gli del della le nel alla anche è più ha come "
          "dei delle questo",
    "pt": "de que não uma para com os as do da em por mais se dos das foi ao está são também "
          "pelo pela",
    "nl": "de het een en van is dat op te in niet zijn voor met die aan er ook als bij door "
          "wordt naar",
    "pl": "i w na nie się z do jest że to o jak po za od przez co ale tak jego być są już",
    "cs": "a se na je že v to s z do jako ale by jsou pro od po jeho který které však",
}
_STOPWORD_SETS = {lang: frozenset(words.split()) for lang, words in _STOPWORDS.items()}

_UKRAINIAN = frozenset("іїєґ")
_BELARUSIAN = frozenset("ў")
_RUSSIAN_ONLY = frozenset("ыэъё")


def detect_lang(text: str) -> str | None:
    """A BCP 47 tag for ``text``, or None when it has no letters to go by."""
    from collections import Counter  # loaded already (by re); counting is done in C

    sample = text[:20000]
    scripts: dict[str, int] = {}
    cyrillic: dict[str, int] = {}
    for ch, count in Counter(sample).items():
        if not ch.isalpha():
            continue
        code = ord(ch)
        if 0x0400 <= code <= 0x04FF:
            script = "cyrl"
            lower = ch.lower()
            cyrillic[lower] = cyrillic.get(lower, 0) + count
        elif code < 0x0250:
            script = "latn"
        elif 0x0370 <= code <= 0x03FF:
            script = "el"
        elif 0x0590 <= code <= 0x05FF:
            script = "he"
        elif 0x0600 <= code <= 0x06FF:
            script = "ar"
        elif 0x3040 <= code <= 0x30FF:
            script = "ja"
        elif 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF:
            script = "ko"
        elif 0x4E00 <= code <= 0x9FFF:
            script = "han"
        elif 0x0E00 <= code <= 0x0E7F:
            script = "th"
        elif 0x0900 <= code <= 0x097F:
            script = "hi"
        else:
            continue
        scripts[script] = scripts.get(script, 0) + count
    if not scripts:
        return None
    script = max(scripts, key=scripts.__getitem__)
    if script == "cyrl":
        return _cyrillic_lang(cyrillic)
    if script == "latn":
        return _latin_lang(sample)
    if script == "han":
        return "ja" if scripts.get("ja") else "zh"
    return script


def _cyrillic_lang(letters: dict[str, int]) -> str:
    ukrainian = sum(letters.get(ch, 0) for ch in _UKRAINIAN)
    russian = sum(letters.get(ch, 0) for ch in _RUSSIAN_ONLY)
    if letters.get("ў") and not ukrainian:
        return "be"
    if ukrainian > 2 * russian and ukrainian >= 2:
        return "uk"
    return "ru"


def _latin_lang(text: str) -> str:
    """English unless another language's function words clearly dominate."""
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    hits = {lang: sum(1 for w in words if w in stops) for lang, stops in _STOPWORD_SETS.items()}
    best = max(hits, key=lambda lang: hits[lang])
    if best != "en" and hits[best] >= 5 and hits[best] >= 2 * hits["en"]:
        return best
    return "en"


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
