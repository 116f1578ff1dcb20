"""Footnotes in HTML and EPUB: each reference becomes a marker where it stands, each note is
taken out of its list (or its aside, or its notes chapter) and kept aside, so that the
conversion makes a :class:`~artconv.model.Note` of the two, as pandoc's readers do.

A reference is a link to an element of the document (or of another document of a book) that
says it refers to a note: ``role="doc-noteref"``, ``epub:type="noteref"``, a footnote class
(``footnote-ref``, pandoc's and Wikipedia's names), or a short marker in ``<sup>`` ("1", "*")
whose target stands among notes (an element named or marked as footnotes or endnotes). The note
is the target's block (an ``<li>``, an ``<aside>``, a ``<p>``...), without its link back.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from lxml.html import HtmlElement

from ..errors import Log
from .tree import remove_keeping_tail, replace_with_marker

NOTE_MARK = "artconv-note"
"""The element that stands for a reference once notes are marked (``data-note`` its key)."""

_REF_CLASS = re.compile(r"(?:^|[\s_-])(?:footnote-?ref|fnref|noteref|footnote-?link|"
                        r"footnote-?call|reference)(?:$|[\s_-])", re.IGNORECASE)
_NOTES_AREA = re.compile(r"(?:^|[\s_-])(?:footnotes?|endnotes?|notes|fn|references|"
                         r"rearnotes?)(?:$|[\s_-])", re.IGNORECASE)
_NOTE_ID = re.compile(r"^(?:fn|footnote|note|endnote|ftn|en)[-_:.]?\d+", re.IGNORECASE)
_BACK_CLASS = re.compile(r"(?:^|[\s_-])(?:footnote-?back(?:ref|link)?|backref|backlink|"
                         r"fnback)(?:$|[\s_-])", re.IGNORECASE)
_MARKER_TEXT = re.compile(r"^\[?(?:\d{1,4}|[*†‡§¶#]{1,3}|[a-z]{1,2}|[ivxlc]{1,6})\]?$",
                          re.IGNORECASE)
_NOTE_BLOCKS = frozenset(("li", "aside", "div", "section", "p", "dd", "td", "blockquote",
                          "footer"))
MAX_NOTE_CHARACTERS = 20_000


def mark_notes(documents: list[tuple[str, HtmlElement]], log: Log,
               resolve: Callable[[str, str], str | None] | None = None,
               ) -> dict[str, HtmlElement]:
    """Mark the footnote references of ``documents`` (``(path, root)``; one page is
    ``[("", root)]``) and take their notes out; the notes by marker key. ``resolve(path,
    href_path)`` names the document a reference to another one points to."""
    by_id: dict[tuple[str, str], HtmlElement] = {}
    for path, root in documents:
        for el in root.iterfind(".//*[@id]"):
            by_id.setdefault((path, el.get("id", "")), el)
        for el in root.iterfind(".//a[@name]"):
            by_id.setdefault((path, el.get("name", "")), el)
    notes: dict[str, HtmlElement] = {}
    taken: dict[int, tuple[str, HtmlElement]] = {}  # id(note element) -> key, copy
    emptied: list[HtmlElement] = []
    for path, root in documents:
        for a in list(root.iter("a")):
            href = (a.get("href") or "").strip()
            if "#" not in href:
                continue
            where, _, fragment = href.partition("#")
            target_path = path if not where else (resolve(path, where) if resolve else None)
            if target_path is None or not fragment:
                continue
            target = by_id.get((target_path, fragment))
            if target is None or not _refers_to_note(a, target):
                continue
            note = _note_block(target)
            if note is None or note is a or _is_inside(a, note):
                continue
            if id(note) not in taken:
                key = str(len(notes))
                content = copy.deepcopy(note)
                _drop_backlinks(content, a)
                notes[key] = content
                taken[id(note)] = (key, note)
            key = taken[id(note)][0]
            _replace_reference(a, key)
    for _key, note in taken.values():
        parent = note.getparent()
        if parent is not None:
            remove_keeping_tail(note)
            emptied.append(parent)
    for container in emptied:
        _remove_if_empty(container)
    if notes:
        log.note(f"read {len(notes)} footnote(s) into the places that refer to them")
    return notes


def _refers_to_note(a: HtmlElement, target: HtmlElement) -> bool:
    role = (a.get("role") or "").lower()
    kind = (a.get("epub:type") or a.get("{http://www.idpf.org/2007/ops}type") or "").lower()
    if "doc-noteref" in role or "noteref" in kind.split():
        return True
    text = " ".join(a.text_content().split())
    short = bool(_MARKER_TEXT.match(text))
    if _REF_CLASS.search(a.get("class") or "") and short:
        return True
    in_sup = a.getparent() is not None and a.getparent().tag == "sup" or any(
        c.tag == "sup" for c in a)
    return short and in_sup and (_in_notes_area(target) or bool(
        _NOTE_ID.match(target.get("id") or target.get("name") or "")))


def _in_notes_area(el: HtmlElement) -> bool:
    for node in (el, *el.iterancestors()):
        role = (node.get("role") or "").lower()
        kind = (node.get("epub:type") or "").lower()
        if any(r in role for r in ("doc-endnote", "doc-footnote")) \
                or any(k in kind.split() for k in ("footnote", "footnotes", "endnote",
                                                   "endnotes", "rearnote", "rearnotes", "note")):
            return True
        if _NOTES_AREA.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return True
    return False


def _note_block(target: HtmlElement) -> HtmlElement | None:
    """The block that holds a note: the target, or the nearest block around it."""
    for node in (target, *target.iterancestors()):
        if node.tag in ("body", "html"):
            return None
        if node.tag in _NOTE_BLOCKS:
            text = node.text_content()
            return node if len(text) <= MAX_NOTE_CHARACTERS else None
    return None


def _drop_backlinks(note: HtmlElement, reference: HtmlElement) -> None:
    """A note without the links back to where it is referred to (``↩``, a leading "1.")."""
    own = {f"#{reference.get('id')}"} if reference.get("id") else set()
    parent = reference.getparent()
    if parent is not None and parent.get("id"):
        own.add(f"#{parent.get('id')}")
    first = _first_element(note)
    for a in list(note.iter("a")):
        if _is_backlink(a, own, a is first):
            remove_keeping_tail(a)


def _is_backlink(a: HtmlElement, own: set[str], first: bool) -> bool:
    role = (a.get("role") or "").lower()
    kind = (a.get("epub:type") or "").lower()
    if "doc-backlink" in role or "backlink" in kind.split() \
            or _BACK_CLASS.search(a.get("class") or ""):
        return True
    href = (a.get("href") or "").strip()
    if not href.startswith("#") and "#" not in href:
        return False
    if href in own:
        return True
    # a note that starts with its number, linked back: "<a href="#r1">1.</a> Text"
    text = " ".join(a.text_content().split()).rstrip(".)")
    return first and bool(_MARKER_TEXT.match(text))


def _first_element(el: HtmlElement) -> HtmlElement | None:
    for node in el.iter():
        if node is el or not isinstance(node.tag, str):
            continue
        return node  # type: ignore[no-any-return]
    return None


def _replace_reference(a: HtmlElement, key: str) -> None:
    """The reference (with the ``<sup>`` around it, when it is all the ``<sup>`` holds) made
    a marker."""
    node = a
    parent = a.getparent()
    if parent is not None and parent.tag == "sup" and len(parent) == 1 \
            and not (parent.text or "").strip() and not (a.tail or "").strip():
        node = parent
    replace_with_marker(node, NOTE_MARK, {"data-note": key})


def _remove_if_empty(container: HtmlElement) -> None:
    """A notes list or section left with no text (a rule, a "Notes" heading at most) goes."""
    node: HtmlElement | None = container
    while node is not None and node.tag not in ("body", "html", "article", "main"):
        text = " ".join(node.text_content().split())
        if any(el.tag == "img" for el in node.iter()) or (text and not notes_heading(text)):
            return
        parent = node.getparent()
        remove_keeping_tail(node)
        node = parent


def notes_heading(text: str) -> bool:
    return bool(re.fullmatch(r"(?:foot|end)?notes?|примечания|сноски|anmerkungen|"
                             r"fußnoten|notas|références|references", text, re.IGNORECASE))


def _is_inside(el: HtmlElement, ancestor: HtmlElement) -> bool:
    return any(node is ancestor for node in el.iterancestors())
