"""Raw HTML that a Markdown input holds and the model has no node for (``<div>``, ``<details>``,
``<kbd>``, a custom element, a comment): kept as it was written so that Markdown -> Markdown
gives it back, and made safe before any writer puts it out.

The Markdown writer writes it back, made safe: no element that runs or loads anything
(:data:`FORBIDDEN`, with the content of ``<script>`` and ``<style>``), no event handler or
``style`` attribute, no URL but http(s), mailto and relative ones. Every other element and
attribute stays, custom ones included (they are inert without script), and the structure is
untouched (an HTML block may open an element that a later block closes). Each tag is read with
CommonMark's grammar of raw HTML, strict enough to read its attributes exactly; whatever else
holds a ``<`` is text, written with ``&lt;``, so that a browser finds no tag there.

The other writers do not pass raw HTML through: the HTML, EPUB and text writers read a raw block
as the HTML reader reads a fragment (its text and what the model can say of its structure) and
leave a lone tag out, with a warning.
"""

from __future__ import annotations

import html
import re

from .textutil import LazyPattern

FORBIDDEN = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "link", "meta", "form", "input", "button", "select", "option", "optgroup", "textarea",
    "datalist", "keygen", "output", "template", "noscript", "svg", "math", "video", "audio",
    "source", "track", "canvas", "dialog", "portal", "param", "isindex", "xmp", "plaintext",
    "listing", "noembed", "noframes", "title", "head", "html", "body",
})
"""Elements raw HTML may not hold (their text stays, but for script and style)."""

URL_ATTRIBUTES = frozenset({"href", "src", "cite", "action", "formaction", "poster",
                            "background", "longdesc", "usemap", "codebase",
                            "manifest", "profile", "dynsrc", "lowsrc", "ping", "srcset",
                            "xlink:href", "xmlns", "itemtype", "itemid"})
_KEEP_URLS = frozenset({"href", "src", "cite"})
_DENIED_ATTRIBUTES = frozenset({"style", "srcdoc", "is", "nonce", "formaction", "autofocus"})
_SCHEMES = frozenset({"http", "https", "mailto"})

# CommonMark's raw HTML grammar (spec 0.31.2, "Raw HTML")
_ATTRIBUTE = (r"[ \t\n]+([A-Za-z_:][A-Za-z0-9_.:\-]*)"
              r"(?:[ \t\n]*=[ \t\n]*([^ \t\n\"'=<>`]+|'[^']*'|\"[^\"]*\"))?")
_OPEN_SOURCE = rf"<([A-Za-z][A-Za-z0-9\-]*)((?:{_ATTRIBUTE})*)[ \t\n]*(?P<slash>/?)>"
_OPEN_TAG = LazyPattern(rf"{_OPEN_SOURCE}\Z")
_ATTRIBUTES = LazyPattern(_ATTRIBUTE)
_CLOSING_SOURCE = r"</[A-Za-z][A-Za-z0-9\-]*[ \t\n]*>"
_CLOSING_TAG = LazyPattern(r"</([A-Za-z][A-Za-z0-9\-]*)[ \t\n]*>\Z")
# a comment, a processing instruction, a declaration or a CDATA section, inert in a browser;
# only those that a browser ends where CommonMark does: a comment without "--!>" inside (a
# browser ends one there too), the others without ">" inside (a browser ends them at the
# first ">")
_OTHER_SOURCE = (r"<!--(?!-?>)(?:(?!--!?>)[^\x00])*-->|<!--->|<!-->|<\?[^>]*\?>"
                 r"|<![A-Za-z][^>]*>"
                 r"|<!\[CDATA\[[^>]*\]\]>")
_OTHER = LazyPattern(rf"(?:{_OTHER_SOURCE})\Z")
# any one tag of the grammar, in running text
_ANY_TAG = LazyPattern(rf"{_OPEN_SOURCE.replace('(?P<slash>/?)', '/?')}|{_CLOSING_SOURCE}"
                       rf"|{_OTHER_SOURCE}")
_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x20\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000"
                      r"\ufeff]")


def is_tag(text: str) -> bool:
    """Whether ``text`` is one CommonMark tag (or comment, processing instruction,
    declaration, CDATA section)."""
    stripped = text.strip()
    return bool(_OPEN_TAG.match(stripped) or _CLOSING_TAG.match(stripped)
                or _OTHER.match(stripped))


def safe_tag(text: str) -> str | None:
    """One tag made safe: the tag without its unsafe attributes; None for a tag of a
    forbidden element, or what is not one tag."""
    stripped = text.strip()
    if _OTHER.match(stripped):
        return stripped
    closing = _CLOSING_TAG.match(stripped)
    if closing:
        return None if closing.group(1).lower() in FORBIDDEN else f"</{closing.group(1)}>"
    opening = _OPEN_TAG.match(stripped)
    if not opening:
        return None
    name = opening.group(1)
    if name.lower() in FORBIDDEN:
        return None
    kept = []
    dropped = False
    for attribute in _ATTRIBUTES.finditer(opening.group(2)):
        key, value = attribute.group(1), attribute.group(2)
        if value is not None and value[:1] in ("'", '"'):
            value = value[1:-1]
        if allowed_attribute(key, value):
            kept.append(key if value is None else f'{key}="{_quote(value)}"')
        else:
            dropped = True
    if not dropped:
        return stripped  # as written: its line breaks decide how Markdown reads it
    close = " /" if opening.group("slash") else ""
    return f"<{name}{''.join(' ' + k for k in kept)}{close}>"


def allowed_attribute(name: str, value: str | None) -> bool:
    key = name.lower()
    if key.startswith("on") or key in _DENIED_ATTRIBUTES:
        return False
    if key in URL_ATTRIBUTES:
        return key in _KEEP_URLS and value is not None and safe_url(html.unescape(value))
    return True


def safe_url(url: str) -> bool:
    scheme = _SCHEME.match(_CONTROL.sub("", url))
    return scheme is None or scheme.group(1).lower() in _SCHEMES


def _quote(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;") \
        .replace(">", "&gt;") if ("<" in value or ">" in value or '"' in value) else value


def safe_block(text: str) -> str:
    """A raw HTML block made safe, its structure untouched: each tag of it is checked on its
    own (:func:`safe_tag`); a forbidden element goes (``<script>`` and ``<style>`` with their
    content); in the text between the tags, every ``<`` becomes ``&lt;``, so that nothing a
    browser would read as a tag is left unchecked."""
    out: list[str] = []
    position = 0
    skip_until: str | None = None
    for match in _ANY_TAG.finditer(text):
        tag = match.group()
        if skip_until is not None:
            closing = _CLOSING_TAG.match(tag)
            if closing and closing.group(1).lower() == skip_until:
                skip_until = None
                position = match.end()
            continue
        out.append(text[position:match.start()].replace("<", "&lt;"))
        position = match.end()
        safe = safe_tag(tag)
        if safe is not None:
            out.append(safe)
            continue
        opening = _OPEN_TAG.match(tag)
        if opening and opening.group(1).lower() in _DROPPED_CONTENT \
                and not opening.group("slash"):
            skip_until = opening.group(1).lower()
    if skip_until is None:
        out.append(text[position:].replace("<", "&lt;"))
    return "".join(out)


_DROPPED_CONTENT = frozenset({"script", "style"})


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr"})


def balanced(text: str) -> bool:
    """Whether every element an HTML block opens is closed in it (a block that leaves one open
    wraps what follows it in a browser)."""
    stack: list[str] = []
    for match in _ANY_TAG.finditer(text):
        tag = match.group()
        closing = _CLOSING_TAG.match(tag)
        if closing:
            name = closing.group(1).lower()
            if name not in stack:
                return False
            while stack and stack.pop() != name:
                pass
            continue
        opening = _OPEN_TAG.match(tag)
        if opening and not opening.group("slash") and opening.group(1).lower() not in _VOID:
            stack.append(opening.group(1).lower())
    return not stack


def forbidden_element(tag: str) -> bool:
    """Whether ``tag`` opens or closes an element raw HTML may not hold."""
    found = re.match(r"\s*</?([A-Za-z][A-Za-z0-9\-]*)", tag)
    return found is not None and found.group(1).lower() in FORBIDDEN
