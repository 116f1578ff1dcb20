"""Page furniture that is not the article and that the article search must not see: comment
threads (a short post under a long thread would lose to the thread), comment forms and the
notices around them.

Found by the names pages give them (``comments``, ``commentlist``, ``comments-area``,
``disqus_thread``, ``respond``, ...), never by the words of the text, and never an element
that holds the headline or the article's prose before its first comment.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ...htmlform.tree import remove_keeping_tail
from ...textutil import squash

# A class or id token that names a comment thread or its form (matched whole, lower case).
_COMMENT_CONTAINER = re.compile(
    r"(?:[a-z0-9]+[-_])?comments?(?:[-_]?(?:list|listing|area|section|thread|threads|container|"
    r"wrapper|wrap|block|box|holder|widget|stream|content|body|main|outer|inner|panel|tab|"
    r"module|zone|region|group|frame|respond|form))?|commentlist|commentlisting|commentform|"
    r"comment-?respond|respond|disqus_thread|dsq-content|dsq-comments|talkback|talkbacks|"
    r"discussion|discussions|livefyre|fb-comments|reader-?responses|responses")
# Tokens with "comment" that name something else: a count, a link to the thread, a state.
_NOT_CONTAINER = re.compile(r".*(?:count|counter|num|number|link|links|icon|button|btn|"
                            r"open|closed|status|meta|rss|feed|author|date|time|bubble)$")
_ROOTS = frozenset(("html", "body", "main", "article"))


def _names_comments(el: HtmlElement) -> bool:
    for token in f"{el.get('class') or ''} {el.get('id') or ''}".lower().split():
        if _COMMENT_CONTAINER.fullmatch(token) and not _NOT_CONTAINER.fullmatch(token):
            return True
    return False


def remove_comments(body: HtmlElement, headline: HtmlElement | None) -> list[HtmlElement]:
    """Take the comment threads out of the page (the outermost element of each), and return
    them in page order."""
    found: list[HtmlElement] = []
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in _ROOTS or el.getparent() is None:
            continue
        if not _names_comments(el) or any(el is f or _is_inside(el, f) for f in found):
            continue
        if headline is not None and (el is headline or _is_inside(headline, el)):
            continue  # a wrapper of the whole article, named after its comment count
        found.append(el)
    for el in found:
        remove_keeping_tail(el)
    return found


def _is_inside(el: HtmlElement, ancestor: HtmlElement) -> bool:
    return any(node is ancestor for node in el.iterancestors())


def comment_text(threads: list[HtmlElement]) -> str:
    return squash(" ".join(t.text_content() for t in threads))
