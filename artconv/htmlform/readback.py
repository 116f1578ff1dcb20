"""artconv's own markup (:mod:`.render`, and the EPUB writer's additions) read back one to one:
a fragment, an HTML page or an EPUB chapter artconv wrote gives back the JSON it was written
from. Clean fragments from elsewhere are read with the same structure rules."""

from __future__ import annotations

import json

from lxml.html import HtmlElement

from ..errors import Log
from ..lang import detect_lang, normalize_tag
from ..model import (
    Article,
    Block,
    Heading,
    Image,
    Inline,
    Meta,
    MetaField,
    Paragraph,
    Related,
    RelatedItem,
    normalize_inlines,
    plain_text,
    walk,
)
from ..records import replace
from ..textutil import squash
from . import vocab as v
from .convert import SKIP_TAGS, Converter, element_text
from .images import figure_image, image_source


def _text(el: HtmlElement | None) -> str | None:
    if el is None:
        return None
    return squash(element_text(el)) or None


def _has_class(el: HtmlElement, name: str) -> bool:
    return name in (el.get("class") or "").split()


class OwnMarkup:
    """The elements of artconv's markup that plain HTML rules would misread: related blocks
    (``aside.related``; the EPUB's closing ``section.related``, whose asides say where they
    stood), and the EPUB's figures for pictures it could not embed."""

    def __init__(self) -> None:
        self.placed: list[tuple[int, Related]] = []

    def block(self, converter: Converter, el: HtmlElement, depth: int) -> list[Block] | None:
        tag = el.tag
        if tag == "aside" and _has_class(el, v.RELATED):
            return [related_from_aside(el, converter)]
        if tag == "section" and el.get("class") == v.RELATED:
            out: list[Block] = []
            for aside in el.iterfind("aside"):
                related = related_from_aside(aside, converter)
                position = aside.get(v.DATA_POSITION) or ""
                if position.isascii() and position.isdigit() and len(position) < 10:
                    self.placed.append((int(position), related))
                else:
                    out.append(related)
            return out
        if tag == "figure" and _has_class(el, v.MISSING_IMAGE) and el.get(v.DATA_SRC) \
                and el.find(".//img") is None:  # a book's; a page's holds its <img>
            return [_missing_image(converter, el, depth)]
        return None

    def restore(self, blocks: list[Block]) -> list[Block]:
        """``blocks`` with the related blocks of the closing section back where they stood."""
        out = list(blocks)
        for position, related in sorted(self.placed, key=lambda pair: pair[0]):
            out.insert(min(position, len(out)), related)
        return out


def _missing_image(converter: Converter, el: HtmlElement, depth: int) -> Image:
    """A picture the EPUB writer could not embed: its placeholder and caption."""
    caption: list[Inline] = []
    for figcaption in el.iterfind("figcaption"):
        placeholder = figcaption.find(f"span[@class='{v.PLACEHOLDER}']")
        skip = frozenset([placeholder]) if placeholder is not None else frozenset()
        items = converter.inline_children_skipping(figcaption, depth, skip)
        caption.extend(converter._only_inlines(items))
    inlines = normalize_inlines(caption)
    return Image(el.get(v.DATA_SRC, ""), el.get(v.DATA_ALT, ""), inlines or None,
                 title=el.get("title") or None, link=el.get(v.DATA_LINK) or None)


def has_artconv_header(article: HtmlElement) -> bool:
    header = article.find("header")
    return header is not None and (header.find("h1") is not None
                                   or header.find(f"p[@class='{v.BYLINE}']") is not None
                                   or header.find(f"p[@class='{v.SUBTITLE}']") is not None
                                   or header.find("meta[@itemprop]") is not None)


def meta_from_header(article: HtmlElement, converter: Converter) -> Meta:
    header = article.find("header")
    title = subtitle = date = section = site = url = None
    authors: list[str] = []
    if header is not None:
        h1 = header.find("h1")
        if h1 is not None:
            title = plain_text(normalize_inlines(converter._only_inlines(
                converter.inline_children(h1, 1))))
        subtitle = _text(header.find(f"p[@class='{v.SUBTITLE}']"))
        byline = header.find(f"p[@class='{v.BYLINE}']")
        if byline is not None:
            authors = [a for a in (_text(s) for s in byline.findall(
                f"span[@class='{v.AUTHOR}']")) if a]
            time = byline.find("time")
            if time is not None:
                date = time.get("datetime") or _text(time)
            section = _text(byline.find(f"span[@class='{v.SECTION}']"))
            site_el = byline.find(f"*[@class='{v.SITE}']")
            source_el = byline.find(f"*[@class='{v.SOURCE}']")
            site = _text(site_el)
            link = site_el if site_el is not None else source_el
            if link is not None:
                url = link.get(v.DATA_HREF) or link.get("href")
    meta = Meta(title=title or "", subtitle=subtitle, authors=tuple(authors), date=date,
                lang=article.get("lang"), section=section, site=site, url=url)
    return meta_from_properties(meta, header) if header is not None else meta


def meta_from_properties(meta: Meta, header: HtmlElement) -> Meta:
    """The metadata a reader does not see, from the header's ``<meta itemprop content>``."""
    values: dict[str, list[str]] = {}
    for el in header.iterfind("meta[@itemprop]"):
        content = el.get("content")
        if content is not None:
            values.setdefault(el.get("itemprop", ""), []).append(content)

    def first(prop: str) -> str | None:
        return next(iter(values.get(prop, ())), None) or None

    extra = []
    for raw in values.get(v.PROP_EXTRA, ()):
        try:
            name, value = json.loads(raw)
        except (ValueError, TypeError):
            continue
        if isinstance(name, str) and isinstance(value, str):
            extra.append(MetaField(name, value))
    return replace(meta, description=first(v.PROP_DESCRIPTION),
                   categories=tuple(values.get(v.PROP_CATEGORY, ())),
                   tags=tuple(values.get(v.PROP_TAG, ())), image=first(v.PROP_IMAGE),
                   modified=first(v.PROP_MODIFIED), license=first(v.PROP_LICENSE),
                   hostname=first(v.PROP_HOSTNAME), extra=tuple(extra))


def related_from_aside(aside: HtmlElement, converter: Converter) -> Related:
    heading = aside.find("h2")
    items = []
    for li in aside.iterfind("ul/li"):
        title_el = li.find(f".//*[@class='{v.RELATED_TITLE}']")
        img = li.find(".//img")
        data = li.find(f"*[@class='{v.RELATED_ITEM}']")  # the EPUB writer keeps values here
        url = title_el.get("href") if title_el is not None and title_el.tag == "a" else None
        image = converter.image_src(img) if img is not None else None
        named = li.find(f".//span[@{v.DATA_SRC}]")  # a thumbnail not found, named
        if image is None and named is not None:
            image = named.get(v.DATA_SRC)
        if data is not None:
            url = data.get(v.DATA_URL)
            image = data.get(v.DATA_IMAGE)
        items.append(RelatedItem(
            title=squash(element_text(title_el)) if title_el is not None else "",
            url=url,
            image=image,
            summary=_text(li.find(f".//p[@class='{v.RELATED_SUMMARY}']")),
        ))
    return Related(heading=_text(heading), items=tuple(items))


def read_own_page(root: HtmlElement, log: Log) -> list[Article]:
    """A page or fragment artconv wrote: an article each for its ``<article>`` elements (a
    page of several articles), else the one article it holds."""
    body = root.find("body")
    body = body if body is not None else root
    children = [c for c in body if isinstance(c.tag, str)]
    if len(children) < 2 or any(c.tag != "article" or not has_artconv_header(c)
                                for c in children):
        return [read_fragment(root, log)]
    from .notes import mark_notes

    notes = mark_notes([("", root)], log)
    out = []
    for child in children:
        body.remove(child)
    for child in children:  # each read as the only article of the page
        body.append(child)
        out.append(read_fragment(root, log, notes))
        body.remove(child)
    return out


def read_fragment(root: HtmlElement, log: Log,
                  notes: dict[str, HtmlElement] | None = None) -> Article:
    """Clean HTML, mapped one to one (artconv's own output reads back to the same JSON).
    ``notes``: the footnotes a book's reader marked across its documents (else this
    document's own are marked here)."""
    if notes is None:
        from .notes import mark_notes

        notes = mark_notes([("", root)], log)
    body = root.find("body")
    body = body if body is not None else root
    own = OwnMarkup()
    # a fragment (a book's chapter, a page artconv wrote) is all content: a table of contents
    # in it is kept as the list it is, not dropped as a page's navigation would be
    converter = Converter(log, image_source, own=own, figure_image=figure_image, notes=notes,
                          skip_tags=SKIP_TAGS - {"nav", "menu"})
    children = [c for c in body if isinstance(c.tag, str)]
    article = children[0] if len(children) == 1 and children[0].tag == "article" else None
    if article is not None and has_artconv_header(article):
        meta = meta_from_header(article, converter)
        blocks = own.restore(converter.blocks(article, skip=frozenset([article.find("header")])))
        if not meta.lang:
            meta = replace(meta, lang=normalize_tag(root.get("lang")))
        return Article(meta, tuple(blocks))
    scope = article if article is not None else body
    title = ""
    first = next((c for c in scope if isinstance(c.tag, str)), None)
    skip: frozenset[HtmlElement] = frozenset()
    if first is not None and first.tag == "h1" and squash(first.text_content()):
        title = squash(first.text_content())  # (a heading that is only a picture stays one)
        skip = frozenset([first])
    blocks = own.restore(converter.blocks(scope, skip=skip))
    warn_dropped(converter, log)
    lang = normalize_tag((article.get("lang") if article is not None else None)
                         or root.get("lang")) or detect_article_lang(title, blocks)
    return Article(Meta(title=title, lang=lang), tuple(blocks))


LANGUAGE_SAMPLE = 5000  # characters of an article that language detection reads


def detect_article_lang(title: str, blocks: list[Block]) -> str | None:
    """The language of the title and the text of the first blocks (up to
    :data:`LANGUAGE_SAMPLE` characters; a span's text is in its paragraph's)."""
    parts = [title]
    size = len(title)
    for node in walk(Article(Meta(), tuple(blocks))):
        if isinstance(node, Paragraph | Heading):
            text = plain_text(node.children)
            parts.append(text)
            size += len(text)
            if size > LANGUAGE_SAMPLE:
                break
    return detect_lang(" ".join(parts))


def warn_dropped(converter: Converter, log: Log) -> None:
    if converter.dropped:
        log.warn("dropped", "left out what the model cannot carry: "
                 + ", ".join(f"<{t}>" for t in sorted(converter.dropped)))


def raw_html_blocks(html: str, log: Log) -> list[Block]:
    """A raw HTML block (kept from Markdown) as the model's blocks: what writers that do not
    pass raw HTML through write in its place (its text and the structure the model has)."""
    from ..sanitize import clean_raw
    from .tree import parse_fragment

    fragment = parse_fragment(clean_raw(html), log)
    if fragment is None:
        return []
    converter = Converter(log, image_source)
    blocks = converter.blocks(fragment)
    log.warn("raw-html", "a raw HTML block of the input is written as the text and structure "
             "it holds; its other markup is not (only Markdown keeps raw HTML)", loss=False)
    return blocks
