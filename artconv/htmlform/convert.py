"""An HTML element (a fragment, or the article found in a page) to model blocks.

Block elements become blocks; runs of inline content become paragraphs; an image inside a
paragraph splits it, so that no picture is lost; ``<br><br>`` separates paragraphs. Nothing is
kept that the model cannot say safely: scripts, styles, forms, embeds and unsafe URLs are
dropped here, whatever the page held.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from lxml.html import HtmlElement

from ..errors import Log
from ..model import (
    Block,
    CodeBlock,
    Emphasis,
    Heading,
    Image,
    Inline,
    InlineCode,
    LineBreak,
    Link,
    ListBlock,
    Note,
    Paragraph,
    Quote,
    Related,
    Rule,
    Strikethrough,
    Strong,
    Subscript,
    Superscript,
    Table,
    Text,
    children_of,
    normal_align,
    normalize_inlines,
)
from ..records import replace
from ..urls import is_safe_link
from . import vocab as v
from .notes import NOTE_MARK

SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "head", "title", "meta", "link", "base",
    "iframe", "frame", "frameset", "object", "embed", "applet", "param", "input", "button",
    "select", "option", "optgroup", "textarea", "datalist", "svg", "canvas", "video", "audio",
    "source", "track", "map", "area", "dialog", "nav", "menu", "keygen",
})
INLINE_TAGS = frozenset({
    "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn",
    "em", "font", "i", "ins", "kbd", "label", "mark", "math", "meter", "nobr", "output",
    "progress", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike", "strong",
    "sub", "sup", "time", "tt", "u", "var", "wbr", "br", "img", "picture", NOTE_MARK,
})
BLOCK_TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "li", "blockquote",
    "pre", "table", "figure", "figcaption", "hr", "div", "section", "article", "main",
    "header", "footer", "aside", "address", "center", "details", "summary", "fieldset",
    "legend", "caption", "hgroup", "listing", "xmp", "plaintext", "form", "body", "html",
    "tbody", "thead", "tfoot", "tr", "td", "th", "artconv-related",
})
_EMPHASIS = {"em", "i", "cite", "dfn", "var"}
_STRONG = {"strong", "b"}
_CODE = {"code", "kbd", "samp", "tt"}
_STRIKE = {"del", "s", "strike"}
_CAPTION_HINT = re.compile(
    r"caption|credit|legend|img.?desc|photo.?desc|image.?desc|pic.?desc|photo.?text|"
    r"image.?text|img.?text|photo.?info|photo.?sign|podpis|opisanie|bildunterschrift",
    re.IGNORECASE)
_LANGUAGE_CLASS = re.compile(r"(?:^|\s)(?:language|lang)-(\S+)", re.IGNORECASE)
CONVERT_DEPTH = 90


@dataclass(frozen=True)
class _Blocks:
    """Blocks met inside inline content (an image in a paragraph, a div in a link)."""

    blocks: tuple[Block, ...]


def _ends_with_picture(run: list[Item]) -> bool:
    """The inline run so far ends with a picture (white space after it aside)."""
    for item in reversed(run):
        if isinstance(item, Text) and not item.text.strip():
            continue
        return isinstance(item, _Blocks) and bool(item.blocks) \
            and isinstance(item.blocks[-1], Image)
    return False


@dataclass(frozen=True)
class _ParagraphBreak:
    """Two line breaks in a row: the paragraph ends here."""


if TYPE_CHECKING:
    Item = Inline | _Blocks | _ParagraphBreak
ImageSource = Callable[[HtmlElement], "str | None"]


def element_text(el: HtmlElement) -> str:
    return el.text_content() if isinstance(el.tag, str) else ""


def class_id(el: HtmlElement) -> str:
    """Class and id (and the class of a wrapper that the article search unwrapped)."""
    return f"{el.get('class') or ''} {el.get(v.DATA_CLASS) or ''} {el.get('id') or ''}"


class OwnMarkup(Protocol):
    """Blocks for the elements of artconv's own markup (:mod:`.readback`); None for others."""

    def block(self, converter: Converter, el: HtmlElement, depth: int) -> list[Block] | None:
        ...


@dataclass
class Converter:
    """Converts elements to blocks. ``image_src`` picks the real picture of an ``<img>``;
    ``related`` holds the related blocks that ``<artconv-related>`` markers stand for; ``own``
    reads artconv's own markup (a document artconv wrote: no table is taken for layout)."""

    log: Log
    image_src: ImageSource
    related: dict[str, Related] = field(default_factory=dict)
    own: OwnMarkup | None = None
    figure_image: ImageSource | None = None
    dropped: set[str] = field(default_factory=set)
    notes: dict[str, HtmlElement] = field(default_factory=dict)
    """The footnotes :func:`~artconv.htmlform.notes.mark_notes` took out, by marker key."""
    skip_tags: frozenset[str] = SKIP_TAGS
    """Elements left out with what they hold (a book's chapter keeps its ``<nav>``)."""

    # -- containers -------------------------------------------------------------------------

    def blocks(self, el: HtmlElement, depth: int = 0,
               skip: frozenset[HtmlElement] = frozenset()) -> list[Block]:
        """The children of ``el`` (but those in ``skip``) as blocks."""
        out: list[Block] = []
        run: list[Item] = []

        def flush() -> None:
            out.extend(self._paragraphs(run))
            run.clear()

        if el.text:
            run.append(Text(el.text))
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or child in skip:
                pass
            elif _local(tag) in EMBEDDED:
                flush()
                out.extend(self.embedded(child, depth + 1))
            elif tag in self.skip_tags:
                self._note_dropped(tag)
            elif self._is_inline(child):
                caption = None
                if tag in ("span", "small") and _ends_with_picture(run):
                    flush()
                    caption = self._caption_for(out, child)
                if caption is not None:
                    out[-1] = replace(out[-1], caption=caption)  # type: ignore[type-var]
                else:
                    run.extend(self.inline(child, depth + 1))
            else:
                flush()  # a picture in the run (<picture>, a lazy <img>) is now out[-1]
                caption = self._caption_for(out, child)
                if caption is not None:
                    out[-1] = replace(out[-1], caption=caption)  # type: ignore[type-var]
                else:
                    out.extend(self.block(child, depth + 1))
            if child.tail:
                run.append(Text(child.tail))
        flush()
        return out

    def _is_inline(self, el: HtmlElement) -> bool:
        tag = el.tag
        if tag in INLINE_TAGS:
            return True
        if tag in BLOCK_TAGS:
            return False
        # an unknown (custom) element: a block when it holds blocks
        return not any(d.tag in BLOCK_TAGS for d in el.iterdescendants()
                       if isinstance(d.tag, str))

    def _caption_for(self, out: list[Block], el: HtmlElement) -> tuple[Inline, ...] | None:
        """A CMS caption element right after a picture (``p.wp-caption-text``, ...)."""
        if not out or not isinstance(out[-1], Image) or out[-1].caption:
            return None
        if el.tag not in ("p", "div", "span", "figcaption", "small") \
                or not _CAPTION_HINT.search(class_id(el)):
            return None
        if el.find(".//img") is not None:
            return None
        caption = normalize_inlines(self._only_inlines(self.inline_children(el, 1)))
        return caption or None

    def block(self, el: HtmlElement, depth: int) -> list[Block]:
        tag = el.tag
        if depth > CONVERT_DEPTH:
            return self._flat(el)
        if self.own is not None:
            found = self.own.block(self, el, depth)
            if found is not None:
                return found
        if tag == "p":
            return self._paragraphs(self.inline_children(el, depth))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            return self._heading(el, int(tag[1]), depth)
        if tag in ("ul", "ol"):
            return self._list(el, depth)
        if tag == "dl":
            return self._definitions(el, depth)
        if tag == "blockquote":
            return self._quote(el, None, depth)
        if tag in ("pre", "listing", "xmp", "plaintext"):
            return self._code(el)
        if tag == "table":
            return self._table(el, depth)
        if tag == "figure":
            return self._figure(el, depth)
        if tag == "hr":
            return [Rule()]
        if tag == "artconv-related":
            related = self.related.get(el.get("data-index", ""))
            return [related] if related else []
        if tag == "li":
            return [ListBlock(False, (tuple(self.blocks(el, depth)),))]
        return self.blocks(el, depth)

    def _flat(self, el: HtmlElement) -> list[Block]:
        """Past :data:`CONVERT_DEPTH`: the text and pictures, without structure."""
        out: list[Block] = []
        text = normalize_inlines((Text(element_text(el)),))
        if text:
            out.append(Paragraph(text))
        for img in el.iter("img"):
            src = self.image_src(img)
            if src:
                out.append(Image(src, _alt(img), title=_title(img)))
        return out

    def _paragraphs(self, items: list[Item]) -> list[Block]:
        """Inline items as paragraphs, split at blocks and at double line breaks."""
        out: list[Block] = []
        current: list[Inline] = []

        def flush() -> None:
            inlines = normalize_inlines(current)
            if inlines:
                out.append(Paragraph(inlines))
            current.clear()

        for item in _split_double_breaks(items):
            if isinstance(item, _Blocks):
                flush()
                out.extend(item.blocks)
            elif isinstance(item, _ParagraphBreak):
                flush()
            else:
                current.append(item)
        flush()
        return out

    def _heading(self, el: HtmlElement, level: int, depth: int) -> list[Block]:
        out: list[Block] = []
        items = self.inline_children(el, depth)
        inlines = normalize_inlines([LineBreak() if isinstance(i, _ParagraphBreak) else i
                                     for i in items if not isinstance(i, _Blocks)])
        if inlines:
            out.append(Heading(level, inlines))
        for item in items:
            if isinstance(item, _Blocks):
                out.extend(item.blocks)
        return out

    def _list(self, el: HtmlElement, depth: int) -> list[Block]:
        items: list[tuple[Block, ...]] = []
        for child in el:
            if not isinstance(child.tag, str) or child.tag in self.skip_tags:
                continue
            if child.tag == "li":
                items.append(tuple(self.blocks(child, depth + 1)))
            elif child.tag in ("ul", "ol") and items:
                items[-1] = items[-1] + tuple(self._list(child, depth + 1))
            else:
                blocks = self.block(child, depth + 1) if not self._is_inline(child) else \
                    self._paragraphs(self.inline(child, depth + 1))
                if blocks:
                    items.append(tuple(blocks))
        if not items:
            return []
        ordered = el.tag == "ol"
        start = 1
        if ordered:
            try:
                start = max(0, int((el.get("start") or "1").strip()))
            except ValueError:
                start = 1
        # a loose list sets its items' paragraphs apart: <li><p>...</p></li>
        loose = any(c.tag == "li" and any(g.tag == "p" for g in c) for c in el)
        return [ListBlock(ordered, tuple(items), start, tight=not loose)]

    def _definitions(self, el: HtmlElement, depth: int) -> list[Block]:
        out: list[Block] = []
        for child in el:
            if child.tag == "dt":
                inlines = normalize_inlines(self._only_inlines(self.inline_children(child,
                                                                                   depth)))
                if inlines:
                    out.append(Paragraph((Strong(inlines),)))
            elif isinstance(child.tag, str) and child.tag not in self.skip_tags:
                out.extend(self.blocks(child, depth + 1) if child.tag == "dd"
                           else self.block(child, depth + 1))
        return out

    def _quote(self, el: HtmlElement, attribution: tuple[Inline, ...] | None,
               depth: int) -> list[Block]:
        children = [c for c in el if isinstance(c.tag, str)]
        if attribution is None and children and children[-1].tag in ("footer", "cite") \
                and not (children[-1].tail or "").strip():
            last = children[-1]
            inlines = normalize_inlines(self._only_inlines(self.inline_children(last, depth)))
            if inlines:
                blocks = self.blocks(el, depth, skip=frozenset([last]))
                return [Quote(tuple(blocks), _strip_dash(inlines))]
        blocks = self.blocks(el, depth)
        if not blocks and not attribution:
            return []
        return [Quote(tuple(blocks), attribution)]

    def _code(self, el: HtmlElement) -> list[Block]:
        text = _pre_text(el)
        if not text.strip():
            return []
        language = None
        for node in (el, *el.iter("code")):
            match = _LANGUAGE_CLASS.search(node.get("class") or "")
            if match:
                language = match.group(1)
                break
        return [CodeBlock(text, language)]

    def _table(self, el: HtmlElement, depth: int) -> list[Block]:
        caption: list[Block] = []
        for cap in el.findall("caption"):
            caption.extend(self._paragraphs(self.inline_children(cap, depth)))
        rows_found, stray = _table_parts(el)
        if stray:  # what stands in a table outside its cells: before it, as browsers show it
            caption = self._stray_blocks(stray, depth) + caption
        grid = [entry for entry in rows_found if entry[2]]
        if not grid:
            return caption
        if self.own is None and (
                (len(grid) == 1 and len(grid[0][2]) == 1) or _is_layout_table(el)):
            # a layout table: its cells are just containers (decided before converting them,
            # so that nested layout tables are converted once, not once per level)
            out = list(caption)
            for _, _, cells in grid:
                for cell in cells:
                    out.extend(self.blocks(cell, depth + 1))
            return out
        width = max(len(cells) for _, _, cells in grid)
        align = normal_align([next((_cell_align(cells[i]) for _, _, cells in grid
                                    if i < len(cells)), "") for i in range(width)])
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        pictures: list[Block] = []  # a cell holds inlines only: its images follow the table
        header_rows = 0
        in_header = True
        for _, section, cells in grid:
            is_header = section == "thead" or all(c.tag == "th" for c in cells)
            if in_header and is_header:
                header_rows += 1
            else:
                in_header = False
            rows.append(tuple(self._cell(c, depth, pictures) for c in cells))
        if header_rows == len(rows) and self.own is None:
            # a page whose every row is of <th> cells: the first is the header
            header_rows = min(header_rows, 1) if len(rows) > 1 else header_rows
        return [*caption, Table(tuple(rows), header_rows, align), *pictures]

    def _stray_blocks(self, stray: list[HtmlElement | str], depth: int) -> list[Block]:
        out: list[Block] = []
        for part in stray:
            if isinstance(part, str):
                out.extend(self._paragraphs([Text(part)]))
            elif part.tag not in self.skip_tags:
                out.extend(self.block(part, depth + 1) if not self._is_inline(part)
                           else self._paragraphs(self.inline(part, depth + 1)))
        return out

    def _cell(self, cell: HtmlElement, depth: int,
              pictures: list[Block]) -> tuple[Inline, ...]:
        """A cell's content as inlines: blocks inside it are joined by line breaks, its
        pictures go to ``pictures``."""
        blocks = self.blocks(cell, depth + 1)
        inlines: list[Inline] = []
        for block in blocks:
            pictures.extend(_pictures(block))
            if isinstance(block, Image):
                continue
            if inlines:
                inlines.append(LineBreak())
            inlines.extend(_block_inlines(block))
        return normalize_inlines(inlines)

    def inline_children_skipping(self, el: HtmlElement, depth: int,
                                 skip: frozenset[HtmlElement]) -> list[Item]:
        items: list[Item] = [Text(el.text)] if el.text else []
        for child in el:
            if child not in skip and isinstance(child.tag, str) and child.tag not in self.skip_tags:
                items.extend(self.inline(child, depth + 1))
            if child.tail:
                items.append(Text(child.tail))
        return items

    def _figure(self, el: HtmlElement, depth: int) -> list[Block]:
        captions = [c for c in el if c.tag == "figcaption"]
        caption = None
        if captions:
            caption = normalize_inlines(self._only_inlines(
                [i for c in captions for i in self.inline_children(c, depth)])) or None
        quotes = [c for c in el if c.tag == "blockquote"]
        pictures_outside = any(c.tag in ("img", "picture") or c.find(".//img") is not None
                               for c in el if c.tag not in ("blockquote", "figcaption"))
        if len(quotes) == 1 and not pictures_outside:
            return self._quote(quotes[0], _strip_dash(caption) if caption else None, depth)
        blocks = self.blocks(el, depth, skip=frozenset(captions))
        if el.find(".//img") is None and self.figure_image is not None:
            src = self.figure_image(el)
            if src:
                blocks.insert(0, Image(src))
        images = [i for i, b in enumerate(blocks) if isinstance(b, Image)]
        if caption and images:
            last = images[-1]
            image = blocks[last]
            blocks[last] = replace(image, caption=caption)  # type: ignore[type-var]
        elif caption:
            blocks.append(Paragraph(caption))
        return blocks

    # -- inlines ----------------------------------------------------------------------------

    def inline_children(self, el: HtmlElement, depth: int) -> list[Item]:
        items: list[Item] = []
        if el.text:
            items.append(Text(el.text))
        for child in el:
            if isinstance(child.tag, str):
                if _local(child.tag) in EMBEDDED:
                    blocks = self.embedded(child, depth + 1)
                    if blocks:
                        items.append(_Blocks(tuple(blocks)))
                elif child.tag in self.skip_tags:
                    self._note_dropped(child.tag)
                elif self._is_inline(child):
                    items.extend(self.inline(child, depth + 1))
                else:
                    blocks = self.block(child, depth + 1)
                    if blocks:
                        items.append(_Blocks(tuple(blocks)))
            if child.tail:
                items.append(Text(child.tail))
        return items

    def inline(self, el: HtmlElement, depth: int) -> list[Item]:  # noqa: C901
        # one branch per kind of inline element, in one place: splitting it would scatter
        # the table of what each element becomes
        tag = el.tag
        if tag == "br":
            return [LineBreak()]
        if tag == NOTE_MARK:
            note = self.notes.get(el.get("data-note", ""))
            if note is None or depth > CONVERT_DEPTH:
                return []
            return [Note(tuple(self.blocks(note, depth + 1)))]
        if tag in ("img", "picture"):
            img = el if tag == "img" else el.find(".//img")
            src = self.image_src(el) if tag == "img" else (
                self.image_src(img) if img is not None else None)
            if not src:
                return []
            return [_Blocks((Image(src, _alt(img) if img is not None else "",
                                   title=_title(img) if img is not None else None),))]
        if depth > CONVERT_DEPTH:
            return [Text(element_text(el))]
        if tag in _CODE and len(el) == 0:
            return [InlineCode(el.text or "")] if el.text else []
        children = self.inline_children(el, depth)
        if tag == "a" or (tag == "span" and el.get(v.DATA_HREF) is not None):
            # an EPUB written by artconv keeps the link as the input wrote it (the attribute
            # is read only in a document artconv wrote: others are cleaned of it)
            href = (el.get(v.DATA_HREF) or el.get("href") or "").strip()
            if href and is_safe_link(href):
                picture = _only_picture(children)
                if picture is not None:  # a linked picture
                    return [_Blocks((replace(picture, link=href),))]
                title = _title(el)
                return _wrap(children, lambda kids: Link(href, kids, title=title))
            return children
        if tag in _EMPHASIS:
            return _wrap(children, Emphasis)
        if tag in _STRONG:
            return _wrap(children, Strong)
        if tag in _CODE:
            text = "".join(_item_text(i) for i in children)
            return [InlineCode(text)] if text else []
        if tag in _STRIKE:
            return _wrap(children, Strikethrough)
        if tag == "sub":
            return _wrap(children, Subscript)
        if tag == "sup":
            return _wrap(children, Superscript)
        return children

    @staticmethod
    def _only_inlines(items: list[Item]) -> list[Inline]:
        out: list[Inline] = []
        for item in items:
            if isinstance(item, _Blocks):
                for block in item.blocks:
                    if out:
                        out.append(Text(" "))
                    out.extend(_block_inlines(block))
            elif isinstance(item, _ParagraphBreak):
                out.append(LineBreak())
            else:
                out.append(item)
        return out

    def embedded(self, el: HtmlElement, depth: int) -> list[Block]:
        """What a reader without the embedded thing sees of it: an ``<svg>``'s pictures and
        text, a ``<video>``'s poster, the fallback content of a video, an audio or an
        object; the thing itself is left out (and said to be)."""
        tag = _local(el.tag)
        self.dropped.add(tag)
        if tag == "svg":
            return self._svg(el)
        out: list[Block] = []
        poster = el.get("poster")
        if tag == "video" and poster and poster.strip():
            out.append(Image(poster.strip(), _alt(el), title=_title(el)))
        fallback = el.makeelement("div", {})
        fallback.text = el.text
        for child in el:
            if not isinstance(child.tag, str):
                continue
            if child.tag in ("source", "track", "param"):
                # void elements an HTML 4 parser does not know: what it put inside is the
                # fallback content that followed them
                if fallback.text is None and len(fallback) == 0:
                    fallback.text = child.text
                for grandchild in child:
                    fallback.append(copy.copy(grandchild))
                if child.tail:
                    fallback.append(fallback.makeelement("span", {}))
                    fallback[-1].text = child.tail
            else:
                fallback.append(copy.copy(child))
        out.extend(self.blocks(fallback, depth))
        return out

    def _svg(self, svg: HtmlElement) -> list[Block]:
        out: list[Block] = []
        label = " ".join(" ".join(t.itertext()) for t in svg.iter()
                         if isinstance(t.tag, str) and _local(t.tag) == "title").strip()
        for node in svg.iter():
            if not isinstance(node.tag, str):
                continue
            name = _local(node.tag)
            if name == "image":
                src = next((value for key, value in node.attrib.items()
                            if _local(key) == "href" and value.strip()), None)
                if src:
                    out.append(Image(src.strip(), " ".join(label.split())))
            elif name == "text":
                text = normalize_inlines((Text(" ".join(node.itertext())),))
                if text:
                    out.append(Paragraph(text))
        return out

    def _note_dropped(self, tag: str) -> None:
        if tag in ("iframe", "video", "audio", "object", "embed", "svg", "canvas", "form"):
            self.dropped.add(tag)


def _wrap(items: list[Item], make: Callable[[tuple[Inline, ...]], Inline]) -> list[Item]:
    """Wrap runs of inlines in a span; blocks met inside pass through, splitting the span."""
    out: list[Item] = []
    run: list[Inline] = []
    for item in items:
        if isinstance(item, (_Blocks, _ParagraphBreak)):
            if run:
                out.append(make(tuple(run)))
                run = []
            out.append(item)
        else:
            run.append(item)
    if run:
        out.append(make(tuple(run)))
    return out


def _pictures(block: Block) -> list[Image]:
    """The pictures in a block, but those of its notes (which stay in the notes)."""
    found: list[Image] = []
    stack: list[object] = [block]
    while stack:
        node = stack.pop()
        if isinstance(node, Image):
            found.append(node)
        elif not isinstance(node, Note):
            stack.extend(reversed(children_of(node)))
    return found


def _only_picture(items: list[Item]) -> Image | None:
    """The picture a link holds when it holds nothing else (white space aside)."""
    found = [i for i in items if not (isinstance(i, Text) and not i.text.strip())]
    if len(found) == 1 and isinstance(found[0], _Blocks) and len(found[0].blocks) == 1 \
            and isinstance(found[0].blocks[0], Image) and found[0].blocks[0].link is None:
        return found[0].blocks[0]
    return None


def _split_double_breaks(items: list[Item]) -> list[Item]:
    """``<br><br>`` (white space between allowed) becomes a paragraph break."""
    out: list[Item] = []
    for item in items:
        if isinstance(item, LineBreak):
            j = len(out) - 1
            while j >= 0 and isinstance(out[j], Text) and not out[j].text.strip():  # type: ignore
                j -= 1
            if j >= 0 and isinstance(out[j], (LineBreak, _ParagraphBreak)):
                del out[j:]
                out.append(_ParagraphBreak())
                continue
        out.append(item)
    return out


def _item_text(item: Item) -> str:
    if isinstance(item, (Text, InlineCode)):
        return item.text
    if isinstance(item, LineBreak):
        return "\n"
    if isinstance(item, (_Blocks, _ParagraphBreak)):
        return ""
    return "".join(_item_text(k) for k in item.children)  # type: ignore[union-attr]


def _block_inlines(block: Block) -> list[Inline]:
    if isinstance(block, (Paragraph, Heading)):
        return list(block.children)
    if isinstance(block, Image):
        return list(block.caption or ())
    if isinstance(block, CodeBlock):
        return [InlineCode(block.text)]
    if isinstance(block, ListBlock):
        out: list[Inline] = []
        for item in block.items:
            for b in item:
                if out:
                    out.append(LineBreak())
                out.extend(_block_inlines(b))
        return out
    if isinstance(block, Quote):
        out = []
        for b in block.blocks:
            if out:
                out.append(LineBreak())
            out.extend(_block_inlines(b))
        return out
    if isinstance(block, Table):
        return [Text(" ".join(" ".join(_item_text(i) for i in cell) for row in block.rows
                              for cell in row))]
    if isinstance(block, Related):
        return [Text(" ".join(i.title for i in block.items))]
    return []


# elements whose content is not text to read, but whose pictures, text and fallback are
EMBEDDED = frozenset({"svg", "video", "audio", "object"})


def _local(name: str) -> str:
    """A tag or attribute name without its namespace (``{...svg}text``, ``xlink:href``)."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _alt(img: HtmlElement) -> str:
    return " ".join((img.get("alt") or "").split())


def _title(el: HtmlElement) -> str | None:
    """An element's advisory title, as written (a title keeps its line breaks)."""
    return el.get("title") or None


# the dash that introduces an attribution, and the one space after it ("— Author", as artconv
# writes it; "—\u00a0Author" on pages): a second space is the attribution's own
_INTRODUCING_DASH = re.compile("^[ \u00a0]*[\u2014\u2013\u2015-][ \u00a0]?")


def _strip_dash(inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """An attribution without the one dash that introduces it ("— Author", as artconv writes
    it too); an attribution that is nothing but a dash stays as it is."""
    if inlines and isinstance(inlines[0], Text):
        stripped = _INTRODUCING_DASH.sub("", inlines[0].text, count=1)
        rest = normalize_inlines(((Text(stripped),) if stripped else ()) + inlines[1:])
        return rest or inlines
    return inlines


def _pre_text(el: HtmlElement) -> str:
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str):
                if child.tag == "br":
                    parts.append("\n")
                elif child.tag not in ("script", "style"):
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return "".join(parts)


TableRow = tuple[HtmlElement | None, str, list[HtmlElement]]
_TABLE_FURNITURE = frozenset(("caption", "colgroup", "col"))


_TEXT_ALIGN = re.compile(r"text-align\s*:\s*(left|center|right)", re.IGNORECASE)


def _cell_align(cell: HtmlElement) -> str:
    """A cell's alignment: artconv's class, a ``text-align`` style, an ``align`` attribute."""
    for name in (cell.get("class") or "").split():
        if name.startswith(v.ALIGN_PREFIX):
            return name[len(v.ALIGN_PREFIX):]
    found = _TEXT_ALIGN.search(cell.get("style") or "")
    if found:
        return found.group(1).lower()
    return (cell.get("align") or "").strip().lower()


def _table_parts(table: HtmlElement) -> tuple[list[TableRow], list[HtmlElement | str]]:
    """A table's rows as (row element, section, cells), and what stands in it outside any
    cell (elements, and text as strings). Cells outside a row (broken markup) make a row of
    their own, as browsers make one."""
    rows: list[TableRow] = []
    stray: list[HtmlElement | str] = []

    def visit(container: HtmlElement, section: str) -> None:
        loose: list[HtmlElement] | None = None
        if container.text and container.text.strip():
            stray.append(container.text)
        for child in container:
            tag = child.tag
            if tag == "tr":
                rows.append((child, section, [c for c in child if c.tag in ("td", "th")]))
                loose = None
                for c in child:
                    if isinstance(c.tag, str) and c.tag not in ("td", "th"):
                        stray.append(c)
                    if c.tail and c.tail.strip():
                        stray.append(c.tail)
                if child.text and child.text.strip():
                    stray.append(child.text)
            elif tag in ("thead", "tbody", "tfoot") and container is table:
                visit(child, tag)
                loose = None
            elif tag in ("td", "th"):
                if loose is None:
                    loose = []
                    rows.append((None, section, loose))
                loose.append(child)
            elif isinstance(tag, str) and tag not in _TABLE_FURNITURE:
                stray.append(child)
            if child.tail and child.tail.strip():
                stray.append(child.tail)

    visit(table, "tbody")
    return rows, stray


def _table_rows(table: HtmlElement) -> list[TableRow]:
    return _table_parts(table)[0]


def _is_layout_table(table: HtmlElement) -> bool:
    if table.get("role") == "presentation" or table.get("datatable") == "0":
        return True
    if table.find(".//table") is not None:
        return True
    rows = _table_rows(table)
    columns = max((len(cells) for _, _, cells in rows), default=0)
    has_data_marks = table.find(".//th") is not None or table.find("thead") is not None \
        or table.find("caption") is not None or bool(table.get("summary"))
    return not has_data_marks and (columns == 1 or len(rows) == 1)
