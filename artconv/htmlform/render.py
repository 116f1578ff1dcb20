"""The model as semantic HTML: shared by the HTML writer (HTML5) and the EPUB writer (XHTML).

Text is escaped and stripped of characters no document may carry; link targets and image
sources outside the URL allow-list (http, https, mailto, relative) are never written. The
markup is the one the HTML reader maps back one to one:

- ``<header>`` with ``<h1>``, ``p.subtitle`` and ``p.byline`` (``span.author``, ``<time>``,
  ``span.section``, ``a.site``/``span.site``, ``a.source``);
- ``<figure><img><figcaption>`` for images; ``<figure><blockquote><figcaption>`` for a quote
  with its attribution;
- ``<aside class="related">`` with an ``<h2>`` and a list of items (thumbnail, title link,
  ``p.summary``).
"""

from __future__ import annotations

import json
from html import escape

from ..errors import Log
from ..model import (
    Article,
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
    Meta,
    Note,
    Paragraph,
    Quote,
    RawBlock,
    RawInline,
    Related,
    RelatedItem,
    Rule,
    Strikethrough,
    Strong,
    Subscript,
    Superscript,
    Table,
    Text,
    walk,
)
from ..textutil import ISO_DATE, clean_text
from ..urls import is_safe_image, is_safe_link
from . import vocab as v

_INLINE_TAGS = {Emphasis: "em", Strong: "strong", Strikethrough: "del", Subscript: "sub",
                Superscript: "sup"}


def text(value: str) -> str:
    return escape(clean_text(value), quote=False)


def attr(value: str) -> str:
    return escape(clean_text(value), quote=True)


def heading_offset(article: Article) -> int:
    """1 when a body heading is level 1, so that the title stays the only ``<h1>``."""
    return 1 if any(isinstance(n, Heading) and n.level == 1 for n in walk(article)) else 0


class HtmlRenderer:
    """Renders blocks and inlines; the EPUB writer overrides images and related links."""

    def __init__(self, log: Log, *, xhtml: bool = False, offset: int = 0,
                 note_base: int = 0, missing: frozenset[str] = frozenset()) -> None:
        self.log = log
        self.missing = missing  # picture sources looked up and not found: named placeholders
        self.xhtml = xhtml
        self.offset = offset
        self.note_base = note_base  # notes before this article's in the page (ids stay unique)
        self.void_end = "/>" if xhtml else ">"
        self.notes: list[Note] = []  # the article's notes, numbered in the order referred to

    # -- the article ------------------------------------------------------------------------

    def article(self, article: Article) -> str:
        lang = f' lang="{attr(article.meta.lang)}"' if article.meta.lang else ""
        if lang and self.xhtml:
            lang += f' xml:lang="{attr(article.meta.lang)}"'  # type: ignore[arg-type]
        parts = [f"<article{lang}>", self.header(article)]
        parts.extend(self.block(b) for b in article.blocks)
        parts.append(self.footnotes())
        parts.append("</article>")
        return "\n".join(p for p in parts if p)

    def footnotes(self) -> str:
        """The notes referred to so far (and those their own text refers to), as pandoc and
        EPUB 3 write them: a section of notes, each with a link back to where it was referred
        to."""
        if not self.notes:
            return ""
        epub = ' epub:type="footnotes"' if self.xhtml else ""
        parts = [f'<section class="{v.FOOTNOTES}" role="doc-endnotes"{epub}>',
                 f"<hr{self.void_end}"]
        if not self.xhtml:
            parts.append("<ol>")
        i = 0
        while i < len(self.notes):  # a note's text may refer to more notes
            number = self.note_base + i + 1
            body = self.blocks(self.notes[i].blocks)
            back = (f'<a href="#{v.NOTE_REF_ID}{number}" class="{v.NOTE_BACK}" '
                    f'role="doc-backlink">\u21a9</a>')
            if self.xhtml:  # EPUB 3 reading systems show an <aside> footnote as a pop-up
                parts.append(f'<aside id="{v.NOTE_ID}{number}" epub:type="footnote" '
                             f'role="doc-footnote">\n{body}\n<p>{back}</p>\n</aside>')
            else:
                parts.append(f'<li id="{v.NOTE_ID}{number}">\n{body}\n{back}</li>')
            i += 1
        if not self.xhtml:
            parts.append("</ol>")
        parts.append("</section>")
        return "\n".join(parts)

    def header(self, article: Article) -> str:
        meta = article.meta
        lines = []
        if meta.title:
            lines.append(f"<h1>{text(meta.title)}</h1>")
        if meta.subtitle:
            lines.append(f'<p class="{v.SUBTITLE}">{text(meta.subtitle)}</p>')
        byline = []
        if meta.authors:
            byline.append(", ".join(f'<span class="{v.AUTHOR}">{text(a)}</span>'
                                    for a in meta.authors))
        if meta.date:
            if ISO_DATE.fullmatch(meta.date):  # the day for readers, the instant for machines
                byline.append(f'<time datetime="{attr(meta.date)}">{text(meta.date[:10])}</time>')
            else:
                byline.append(f"<time>{text(meta.date)}</time>")
        if meta.section:
            byline.append(f'<span class="{v.SECTION}">{text(meta.section)}</span>')
        url = meta.url if meta.url and is_safe_link(meta.url) else None
        if meta.url and not url:
            self.log.warn("unsafe-url", f"dropped the article URL {meta.url[:80]!r}")
        if meta.site and url:
            byline.append(self.meta_link(url, meta.site, v.SITE))
        elif meta.site:
            byline.append(f'<span class="{v.SITE}">{text(meta.site)}</span>')
        elif url:
            byline.append(self.meta_link(url, url, v.SOURCE))
        if byline:
            lines.append(f'<p class="{v.BYLINE}">' + " · ".join(byline) + "</p>")
        lines.extend(f'<meta itemprop="{prop}" content="{attr(value)}"{self.void_end}'
                     for prop, value in self.properties(meta))
        if not lines:
            return ""
        return "<header>\n" + "\n".join(lines) + "\n</header>"

    def properties(self, meta: Meta) -> list[tuple[str, str]]:
        """The metadata a reader does not see, as ``(itemprop, content)``."""
        found = [(v.PROP_DESCRIPTION, meta.description)]
        found += [(v.PROP_CATEGORY, c) for c in meta.categories]
        found += [(v.PROP_TAG, t) for t in meta.tags]
        if meta.image and not is_safe_image(meta.image):
            self.log.warn("unsafe-url", f"dropped the preview image URL {meta.image[:80]!r}")
        else:
            found.append((v.PROP_IMAGE, meta.image))
        found += [(v.PROP_MODIFIED, meta.modified), (v.PROP_LICENSE, meta.license),
                  (v.PROP_HOSTNAME, meta.hostname)]
        found += [(v.PROP_EXTRA, json.dumps([f.name, f.value], ensure_ascii=False))
                  for f in meta.extra]
        return [(prop, value) for prop, value in found if value]

    def meta_link(self, url: str, label: str, css_class: str) -> str:
        return f'<a class="{css_class}" href="{attr(url)}">{text(label)}</a>'

    # -- blocks -----------------------------------------------------------------------------

    def blocks(self, blocks: tuple[Block, ...]) -> str:
        return "\n".join(self.block(b) for b in blocks)

    def block(self, block: Block) -> str:
        match block:
            case Paragraph(children=children):
                return f"<p>{self.inlines(children)}</p>"
            case Heading(level=level, children=children):
                tag = f"h{min(6, max(2, level + self.offset))}"
                return f"<{tag}>{self.inlines(children)}</{tag}>"
            case Image():
                return self.image(block)
            case Quote(blocks=blocks, attribution=attribution):
                quote = f"<blockquote>\n{self.blocks(blocks)}\n</blockquote>"
                if attribution:
                    return (f'<figure class="{v.QUOTE}">\n{quote}\n'
                            f"<figcaption>\u2014 {self.inlines(attribution)}</figcaption>\n"
                            "</figure>")
                return quote
            case ListBlock(ordered=ordered, items=items, start=start, tight=tight):
                tag = "ol" if ordered else "ul"
                first = f' start="{start}"' if ordered and start != 1 else ""
                rendered = "\n".join(
                    f"<li>{self.list_item(item) if tight else self.loose_item(item)}</li>"
                    for item in items)
                return f"<{tag}{first}>\n{rendered}\n</{tag}>"
            case CodeBlock(text=code, language=language):
                cls = f' class="{v.LANGUAGE_PREFIX}{attr(language)}"' if language else ""
                return f"<pre><code{cls}>{text(code)}</code></pre>"
            case Rule():
                return f"<hr{self.void_end}"
            case Table(rows=rows, header_rows=header_rows, align=align):
                return self.table(rows, header_rows, align)
            case Related():
                return self.related(block)
            case RawBlock(html=raw):
                from .readback import raw_html_blocks

                return self.blocks(tuple(raw_html_blocks(raw, self.log)))
        raise TypeError(f"not a block: {block!r}")

    def list_item(self, item: tuple[Block, ...]) -> str:
        """An item of a tight list: its paragraphs without ``<p>`` (``<li>text</li>``,
        ``<li>text<ul>...</ul></li>``), as CommonMark renders a tight list."""
        if not item:
            return ""
        if len(item) == 1 and isinstance(item[0], Paragraph):
            return self.inlines(item[0].children)
        parts = [self.inlines(b.children) if isinstance(b, Paragraph) else self.block(b)
                 for b in item]
        if isinstance(item[0], Paragraph):
            return parts[0] + "\n" + "\n".join(parts[1:]) + "\n"
        return "\n" + "\n".join(parts) + "\n"

    def loose_item(self, item: tuple[Block, ...]) -> str:
        """An item of a loose list: its paragraphs set apart (``<li><p>text</p></li>``)."""
        return "\n" + self.blocks(item) + "\n" if item else ""

    def table(self, rows: tuple[tuple[tuple[Inline, ...], ...], ...], header_rows: int,
              align: tuple[str, ...] = ()) -> str:
        classes = [f' class="{v.ALIGN_PREFIX}{a}"' if a in v.ALIGNMENTS else "" for a in align]

        def row_html(row: tuple[tuple[Inline, ...], ...], cell: str) -> str:
            return "<tr>" + "".join(
                f"<{cell}{classes[i] if i < len(classes) else ''}>{self.inlines(c)}</{cell}>"
                for i, c in enumerate(row)) + "</tr>"

        head, body = rows[:header_rows], rows[header_rows:]
        parts = ["<table>"]
        if head:
            parts.append("<thead>\n" + "\n".join(row_html(r, "th") for r in head) + "\n</thead>")
        if body:
            parts.append("<tbody>\n" + "\n".join(row_html(r, "td") for r in body) + "\n</tbody>")
        parts.append("</table>")
        return "\n".join(parts)

    def image(self, image: Image) -> str:
        caption = (f"\n<figcaption>{self.inlines(image.caption)}</figcaption>"
                   if image.caption else "")
        if not is_safe_image(image.src):
            self.log.warn("unsafe-url", f"dropped an image with an unsafe source "
                                        f"{image.src[:80]!r}")
            return f"<figure>{caption}\n</figure>" if caption else ""
        title = f' title="{attr(image.title)}"' if image.title else ""
        img = f'<img src="{attr(image.src)}" alt="{attr(image.alt)}"{title}{self.void_end}'
        # a picture not found beside the input: the page's stylesheet names it over its box
        # (the text stays the article's: a reader of the page finds the picture, not a label)
        missing = f' class="{v.MISSING_IMAGE}" {v.DATA_SRC}="{attr(image.src)}"' \
            if image.src in self.missing else ""
        return f"<figure{missing}>{self.picture_link(img, image.link)}{caption}</figure>"

    def placeholder(self, image: Image) -> str:
        """A picture a book does not hold, named where it would be: its source, its caption,
        and in ``data-artconv-*`` what artconv reads back."""
        caption = self.inlines(image.caption) if image.caption else ""
        data = f' {v.DATA_ALT}="{attr(image.alt)}"' if image.alt else ""
        if image.title:
            data += f' title="{attr(image.title)}"'
        if image.link:
            data += f' {v.DATA_LINK}="{attr(image.link)}"'
        return (f'<figure class="{v.MISSING_IMAGE}" {v.DATA_SRC}="{attr(image.src)}"{data}>'
                f'<figcaption><span class="{v.PLACEHOLDER}">[{text(image.src)}]</span>'
                f"{' ' + caption if caption else ''}</figcaption></figure>")

    def thumbnail_placeholder(self, src: str) -> str:
        """A related item's thumbnail a book does not hold: its name, in the thumbnail's
        box."""
        return (f'<span class="{v.MISSING_IMAGE} {v.THUMBNAIL}" {v.DATA_SRC}="{attr(src)}">'
                f'<span class="{v.PLACEHOLDER}">[{text(src)}]</span></span>')

    def picture_link(self, img: str, link: str | None) -> str:
        """The picture inside the link it leads to, when it leads somewhere allowed."""
        if not link:
            return img
        if not is_safe_link(link):
            self.log.warn("unsafe-url", f"dropped a picture's link to {link[:80]!r}")
            return img
        return f'<a href="{attr(link)}">{img}</a>'

    def related(self, related: Related, position: int | None = None) -> str:
        where = f' {v.DATA_POSITION}="{position}"' if position is not None else ""
        parts = [f'<aside class="{v.RELATED}"{where}>']
        if related.heading:
            parts.append(f"<h2>{text(related.heading)}</h2>")
        if related.items:
            parts.append("<ul>")
            parts.extend(f"<li>{self.related_item(item)}</li>" for item in related.items)
            parts.append("</ul>")
        parts.append("</aside>")
        return "\n".join(parts)

    def related_item(self, item: RelatedItem) -> str:
        href = self.related_href(item.url)
        pieces = []
        if item.image:
            thumb = self.related_image(item.image)
            if thumb:
                pieces.append(f'<a href="{attr(href)}">{thumb}</a>' if href else thumb)
        if href:
            pieces.append(f'<a class="{v.RELATED_TITLE}" href="{attr(href)}">'
                          f"{text(item.title)}</a>")
        else:
            pieces.append(f'<span class="{v.RELATED_TITLE}">{text(item.title)}</span>')
        if item.summary:
            pieces.append(f'<p class="{v.RELATED_SUMMARY}">{text(item.summary)}</p>')
        return "".join(pieces)

    def related_href(self, url: str | None) -> str | None:
        if url and not is_safe_link(url):
            self.log.warn("unsafe-url", f"dropped a related link {url[:80]!r}")
            return None
        return url

    def related_image(self, src: str) -> str:
        if not is_safe_image(src):
            self.log.warn("unsafe-url", f"dropped a related thumbnail {src[:80]!r}")
            return ""
        img = f'<img src="{attr(src)}" alt=""{self.void_end}'
        if src in self.missing:  # named by the stylesheet, as a missing picture is
            return (f'<span class="{v.MISSING_IMAGE} {v.THUMBNAIL}" {v.DATA_SRC}="{attr(src)}">'
                    f"{img}</span>")
        return img

    # -- inlines ----------------------------------------------------------------------------

    def inlines(self, nodes: tuple[Inline, ...] | None) -> str:
        return "".join(self.inline(n) for n in nodes or ())

    def inline(self, node: Inline) -> str:
        match node:
            case Text(text=value):
                return text(value)
            case InlineCode(text=value):
                return f"<code>{text(value)}</code>"
            case LineBreak():
                return f"<br{self.void_end}"
            case Link(href=href, children=children, title=title):
                inner = self.inlines(children)
                if not is_safe_link(href):
                    self.log.warn("unsafe-url", f"dropped a link to {href[:80]!r}")
                    return inner
                title_attr = f' title="{attr(title)}"' if title else ""
                return f'<a href="{attr(href)}"{title_attr}>{inner}</a>'
            case Note():
                return self.note_ref(node)
            case RawInline():
                self.log.warn("raw-html", f"left out the raw HTML tag {node.html[:40]!r} "
                              "(only Markdown keeps raw HTML)", loss=False)
                return ""
            case Emphasis() | Strong() | Strikethrough() | Subscript() | Superscript():
                tag = _INLINE_TAGS[type(node)]
                return f"<{tag}>{self.inlines(node.children)}</{tag}>"
        raise TypeError(f"not an inline node: {node!r}")

    def note_ref(self, note: Note) -> str:
        self.notes.append(note)
        number = self.note_base + len(self.notes)
        epub = ' epub:type="noteref"' if self.xhtml else ""
        return (f'<sup><a href="#{v.NOTE_ID}{number}" id="{v.NOTE_REF_ID}{number}" '
                f'class="{v.NOTE_REF}" role="doc-noteref"{epub}>{number}</a></sup>')
