"""The phrases that begin a related-articles section ("Читайте также", "Read more", ...): one
list for every reader, so that a heading that starts a related block in a page starts one in a
dump and in Markdown too. ``--related-heading`` adds more."""

from __future__ import annotations

import re

RELATED_PHRASES = (
    # the text dump format's list (docs/text-dump-format.md)
    "Другие материалы рубрики", "Читайте также", "Материалы по теме", "Похожие материалы",
    "Ещё по теме", "Еще по теме", "Related articles", "Related stories", "Read more",
    "Read also", "See also", "More from", "More stories", "You may also like",
    # what pages and other dumps say besides
    "Читать также", "Смотрите также", "Смотри также", "Также читайте", "Другие материалы",
    "Другие новости", "Другие статьи", "Похожие новости", "Похожие статьи", "По теме",
    "Новости по теме", "Статьи по теме", "Читайте по теме", "Читайте також", "Related",
    "Related posts", "Read next", "More on this", "You might also like", "Also read",
    "Further reading", "More like this", "Lire aussi", "À lire aussi", "A lire aussi",
    "Sur le même sujet", "Mehr zum Thema", "Lesen Sie auch", "Leer más", "Lea también",
    "Leia também", "Leggi anche", "More:", "See more", "Don't miss", "Don’t miss",
    "More on this story",
)


def phrases(extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Every phrase (the built-in ones and ``extra``), longest first, so that "More stories"
    wins over a shorter phrase it starts with."""
    found = {p.strip() for p in (*RELATED_PHRASES, *extra) if p.strip()}
    return tuple(sorted(found, key=lambda p: (-len(p), p)))


def phrase_pattern(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """Matches a text that starts with a phrase (as a whole word), case-insensitively."""
    return re.compile(r"^\s*(?:" + "|".join(re.escape(p) for p in phrases(extra))
                      + r")(?![\w])", re.IGNORECASE)
