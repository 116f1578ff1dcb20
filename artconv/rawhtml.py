"""CommonMark's grammar of raw HTML (spec 0.31.2, "Raw HTML"): what one tag is, and whether a
block closes what it opens. The Markdown reader uses it to tell a tag it can read as the model's
nodes from one it keeps as raw HTML; :mod:`artconv.sanitize` to read one inline tag. What raw
HTML may hold is not decided here: the allow list of :mod:`artconv.sanitize` decides it.
"""

from __future__ import annotations

from .textutil import LazyPattern

_ATTRIBUTE = (r"[ \t\n]+([A-Za-z_:][A-Za-z0-9_.:\-]*)"
              r"(?:[ \t\n]*=[ \t\n]*([^ \t\n\"'=<>`]+|'[^']*'|\"[^\"]*\"))?")
_OPEN_SOURCE = rf"<([A-Za-z][A-Za-z0-9\-]*)((?:{_ATTRIBUTE})*)[ \t\n]*(?P<slash>/?)>"
OPEN_TAG = LazyPattern(rf"{_OPEN_SOURCE}\Z")
_CLOSING_SOURCE = r"</[A-Za-z][A-Za-z0-9\-]*[ \t\n]*>"
CLOSING_TAG = LazyPattern(r"</([A-Za-z][A-Za-z0-9\-]*)[ \t\n]*>\Z")
# a comment, a processing instruction, a declaration or a CDATA section, inert in a browser;
# only those that a browser ends where CommonMark does: a comment without "--!>" inside (a
# browser ends one there too), the others without ">" inside (a browser ends them at the
# first ">")
_OTHER_SOURCE = (r"<!--(?!-?>)(?:(?!--!?>)[^\x00])*-->|<!--->|<!-->|<\?[^>]*\?>"
                 r"|<![A-Za-z][^>]*>"
                 r"|<!\[CDATA\[[^>]*\]\]>")
OTHER = LazyPattern(rf"(?:{_OTHER_SOURCE})\Z")
# any one tag of the grammar, in running text
_ANY_TAG = LazyPattern(rf"{_OPEN_SOURCE.replace('(?P<slash>/?)', '/?')}|{_CLOSING_SOURCE}"
                       rf"|{_OTHER_SOURCE}")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})


def is_tag(text: str) -> bool:
    """Whether ``text`` is one CommonMark tag (or comment, processing instruction,
    declaration, CDATA section)."""
    stripped = text.strip()
    return bool(OPEN_TAG.match(stripped) or CLOSING_TAG.match(stripped)
                or OTHER.match(stripped))


def balanced(text: str) -> bool:
    """Whether every element an HTML block opens is closed in it (a block that leaves one open
    wraps what follows it in a browser)."""
    stack: list[str] = []
    for match in _ANY_TAG.finditer(text):
        tag = match.group()
        closing = CLOSING_TAG.match(tag)
        if closing:
            name = closing.group(1).lower()
            if name not in stack:
                return False
            while stack and stack.pop() != name:
                pass
            continue
        opening = OPEN_TAG.match(tag)
        if opening and not opening.group("slash") and opening.group(1).lower() not in _VOID:
            stack.append(opening.group(1).lower())
    return not stack
