"""The HTML reader: whole saved pages and clean fragments into the model.

A fragment (no ``<html>``/``<body>`` in the source, or a page artconv wrote) maps one to one.
A whole page goes through: metadata (:mod:`.meta`), lazy images (:mod:`.images`), the visible
lead, related blocks (:mod:`.related`, replaced by markers), the article search
(:mod:`.extract`) and the conversion of what was found (:mod:`.convert`).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ...errors import Log
from ...htmlform.convert import Converter
from ...htmlform.images import figure_image, image_source, unwrap_noscript_images
from ...htmlform.readback import (
    detect_article_lang,
    read_fragment,
    read_own_page,
    warn_dropped,
)
from ...htmlform.tree import (
    decode_html,
    parse_html,
    remove_keeping_tail,
    strip_own_attributes,
    written_by_artconv,
)
from ...model import Article, Block, Meta
from ...options import ReadOptions
from ...textutil import squash
from .extract import (
    Extractor,
    inner_text,
    link_density,
    prepare_document,
)
from .furniture import remove_furniture
from .lead import Leads
from .meta import PageMeta, page_meta, split_authors, text_similarity
from .related import HINT as RELATED_HINT
from .related import MARKER, RelatedFinder, section_from_heading

# A dateline ("Published 3 March 2021, 10:15") is a short line: its element holds at most
# this much text before white space is squashed (a cheap first look), and this much after.
DATELINE_RAW_MAX = 400
DATELINE_MAX = 100
# How much of the headline's words a heading must have to be the headline.
TITLE_SIMILARITY = 0.75
_PAGE_TAGS = re.compile(r"<(?:html|head|body)[\s>/]", re.IGNORECASE)
_LEAD = re.compile(
    r"(?:^|[\s_-])(?:lead|lede|standfirst|sub-?title|sub-?headline|subhead(?:ing)?|dek|deck|"
    r"summary|excerpt|intro|anons|announce|article-?description|description)(?:[\s_-]|$)",
    re.IGNORECASE)


def read(data: bytes, options: ReadOptions, log: Log) -> list[Article]:
    text = decode_html(data, options, log)
    root = parse_html(text, log)
    own = written_by_artconv(text)
    if not own and "data-artconv-" in text:
        strip_own_attributes(root)
    if own:
        return read_own_page(root, log)
    if not _PAGE_TAGS.search(text[:20000]):
        return [read_fragment(root, log)]
    return read_page(root, options, log)


# ---------------------------------------------------------------------------------------------
# Whole pages


def read_page(root: HtmlElement, options: ReadOptions, log: Log) -> list[Article]:
    """The page's article; with ``--comments``, its comment thread after it, as an article of
    its own."""
    from ...htmlform.notes import mark_notes

    meta = page_meta(root)
    body = root.find("body")
    body = body if body is not None else root
    notes = mark_notes([("", body)], log)
    unwrap_noscript_images(body)
    prepare_document(body)
    subtitle = _take_subtitle(body, meta)
    byline = _take_byline(body, meta.title, meta.authors)
    _drop_meta_lines(body)
    headline = _headline(body, meta.title)
    threads = remove_furniture(body, headline)
    related = RelatedFinder(image_source, options.related_headings).replace_in(body)
    leads = Leads(body, headline)
    extraction = Extractor(body, meta.title, has_byline=bool(meta.authors or byline)).run()
    converter = Converter(log, image_source, related=related, figure_image=figure_image,
                          notes=notes)
    content = extraction.content
    blocks: list[Block] = []
    if content is None:
        log.warn("no-article", "found no article in the page; kept all of its text")
        content = body
    else:  # the article's pictures outside its body: a lead figure, a hero picture
        pulled = leads.pull(content, meta.image)
        if pulled:
            holder = content.makeelement("div", {})
            holder.extend(pulled)
            blocks.extend(converter.blocks(holder))
    blocks.extend(converter.blocks(content))
    placed = {m.get("data-index") for m in content.iter(MARKER)}
    blocks.extend(r for index, r in related.items() if index not in placed)
    warn_dropped(converter, log)
    authors = meta.authors or byline or (
        split_authors(extraction.byline) if extraction.byline else [])
    section = meta.section or next(
        (s for s in (section_from_heading(r.heading) for r in related.values()) if s), None)
    title = meta.title or ""
    lang = meta.lang or detect_article_lang(title, blocks)
    article = Article(
        Meta(title=title, subtitle=subtitle, authors=tuple(authors), date=meta.date,
             modified=meta.modified, lang=lang, section=section,
             categories=tuple(meta.categories), tags=tuple(meta.tags),
             description=meta.description, image=meta.image, site=meta.site,
             hostname=hostname(meta.url or options.base_url), url=meta.url,
             license=meta.license),
        tuple(blocks),
    )
    if not options.comments:
        return [article]
    comments = [b for thread in threads for b in Converter(
        log, image_source, figure_image=figure_image, notes=notes).blocks(thread)]
    if not comments:
        log.note("--comments: the page has no comment thread artconv recognises")
        return [article]
    return [article, Article(
        Meta(title=f"Comments: {title}" if title else "Comments", lang=lang,
             site=meta.site, hostname=article.meta.hostname,
             url=f"{meta.url.split('#', 1)[0]}#comments" if meta.url else None),
        tuple(comments))]


def hostname(url: str | None) -> str | None:
    """The host an absolute http(s) URL names, lower case."""
    from urllib.parse import urlsplit

    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    return host if parts.scheme in ("http", "https") and host else None


def _take_subtitle(body: HtmlElement, meta: PageMeta) -> str | None:
    """The visible lead (standfirst) under the headline: removed from the body, returned."""
    elements = [el for el in body.iter() if isinstance(el.tag, str)]
    title_index = _title_heading(elements, meta.title)
    if title_index is None:
        return None
    window = elements[title_index + 1: title_index + 40]
    description = squash(meta.description)
    for el in window:
        text = squash(el.text_content())
        if el.tag in ("p", "div", "h2", "h3", "span", "strong") and 15 <= len(text) <= 600:
            hint = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"
            is_lead = bool(_LEAD.search(hint)) or (
                el.tag == "p" and description and text == description)
            if is_lead and _plain_block(el) and link_density(el) < 0.3 \
                    and not _in_teaser(el):
                remove_keeping_tail(el)
                return text
        if el.tag == "p" and len(squash(el.text_content())) > 200:
            break
    return None


def _headline(body: HtmlElement, title: str | None) -> HtmlElement | None:
    if not title:
        return None
    return next((h for h in body.iter("h1", "h2")
                 if text_similarity(title, squash(h.text_content())) > TITLE_SIMILARITY), None)


def _in_teaser(el: HtmlElement) -> bool:
    """Inside a related-articles block, a teaser card or a comment: an excerpt there is
    another article's lead."""
    return any(RELATED_HINT.search(f"{a.get('class') or ''} {a.get('id') or ''}".lower())
               or _NOT_BYLINE_AREA.search(f"{a.get('class') or ''} {a.get('id') or ''}")
               for a in el.iterancestors() if a.tag not in ("body", "html"))


def _title_heading(elements: list[HtmlElement], title: str | None) -> int | None:
    """Where the headline stands among ``elements`` (the body in document order)."""
    if title:
        for i, el in enumerate(elements):
            if el.tag in ("h1", "h2") and text_similarity(title, squash(el.text_content())) \
                    > 0.75:
                return i
    return None


_META_LINE = re.compile(  # matched against lower-cased class and id strings
    r"(?:^|[\s_-])(?:meta|date|dates|time|views?|counter|stats|dateline|published|posted|"
    r"timestamp|pubdate|article-?info|post-?info|entry-?meta|read-?time|reading-?time)"
    r"(?:[\s_-]|$)")


_AUTHOR_TOKEN = re.compile(
    r"(?:[a-z]+(?:-|_|__))?(?:author|byline|writer|avtor)(?:(?:-|_|__)(?:name|link))?",
    re.IGNORECASE)
# a cheap first look for what may name an author (_names_author looks closer)
_AUTHOR_HINT = re.compile(r"uthor|UTHOR|yline|YLINE|riter|RITER|vtor|VTOR")
_BYLINE_AREA = re.compile(r"author|byline|avtor", re.IGNORECASE)
_NOT_BYLINE_AREA = re.compile(
    r"comment|related|sidebar|widget|(?<!v)card|teaser|popular|footer|subscribe|newsletter|promo|"
    r"video|player|gallery|slide|"
    r"\bbio\b|author[-_]?(?:bio|box|info|about|card)|quote|review", re.IGNORECASE)
_NOT_BYLINE_TAGS = frozenset(("nav", "footer", "aside", "blockquote", "form"))
_NOT_IN_BYLINE = frozenset(("p", "h1", "h2", "h3", "figure", "table"))
BYLINE_MAX = 100


def _take_byline(body: HtmlElement, title: str | None, known: list[str]) -> list[str]:
    """The visible byline's authors (``span.author``, ``a[rel=author]``, ``[itemprop=author]``,
    ``h4.author-name`` ...), and the byline removed from the body with its avatars: its names
    go to the metadata, not the text (unless the metadata already names other people: then
    the byline stays, so that no name is lost). A byline after the headline wins over one
    before it (in a menu or a teaser)."""
    found = [el for el in body.iter() if _may_name_author(el) and _names_author(el)]
    leaves = [el for el in found
              if not any(d is not el and _names_author(d) for d in el.iter())
              and _in_article(el) and _author_text(el)]
    if len(leaves) > 1 and title:
        headline = next((h for h in body.iter("h1", "h2")
                         if text_similarity(title, squash(h.text_content())) > 0.75), None)
        if headline is not None:
            after = {id(el) for el in headline.xpath("following::*")}
            leaves = [el for el in leaves if id(el) in after] or leaves
    return _byline_authors(leaves, known)


def _byline_authors(leaves: list[HtmlElement], known: list[str]) -> list[str]:
    if not leaves:
        return []
    first = leaves[0]
    area = _byline_area(first)
    names = [el for el in leaves if el is first or (area is not None and _is_inside(el, area))]
    authors: list[str] = []
    for el in names:
        for name in split_authors(_author_text(el)):
            if name not in authors:
                authors.append(name)
    folded = [k.casefold() for k in known]
    if all(any(a.casefold() in k or k in a.casefold() for k in folded) for a in authors) \
            or not known:
        for el in [area] if area is not None else names:
            remove_keeping_tail(el)
    return authors


def _may_name_author(el: HtmlElement) -> bool:
    hint = el.get("class")
    if hint and _AUTHOR_HINT.search(hint):
        return True
    hint = el.get("id")
    return bool(hint and _AUTHOR_HINT.search(hint)) or el.get("rel") == "author" \
        or el.get("itemprop") is not None


def _names_author(el: HtmlElement) -> bool:
    if el.get("rel") == "author" or "author" in (el.get("itemprop") or ""):
        return True
    tokens = f"{el.get('class') or ''} {el.get('id') or ''}".split()
    return any(_AUTHOR_TOKEN.fullmatch(token) for token in tokens)


def _author_text(el: HtmlElement) -> str:
    """The name an author element holds, or "" when it holds more than a name."""
    named = next((d for d in el.iter() if d.get("itemprop") == "name"), el)
    text = squash(named.text_content())
    if not 2 <= len(text) <= BYLINE_MAX or len(text.split()) > 10 \
            or any(c.isdigit() for c in text) or not any(c.isalpha() for c in text):
        return ""
    if any(d.tag in ("p", "h1", "h2", "h3", "ul", "ol", "table") for d in el.iterdescendants()):
        return ""
    return text


def _in_article(el: HtmlElement) -> bool:
    """Not in a comment, a sidebar, a teaser card or a quote."""
    for node in (el, *el.iterancestors()):
        if node.tag in ("body", "html"):  # their classes describe the page, not a part
            break
        if node.tag in _NOT_BYLINE_TAGS and node is not el:
            return False
        if _NOT_BYLINE_AREA.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            return False
    return True


def _byline_area(el: HtmlElement) -> HtmlElement | None:
    """The byline around an author's name (avatar, name, date), when the page marks one out:
    the highest of the next four ancestors classed as a byline that holds only a few words."""
    area = None
    for depth, node in enumerate(el.iterancestors()):
        if depth == 4 or node.tag in ("article", "main", "body", "section"):
            break
        if not _BYLINE_AREA.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            continue
        if len(squash(node.text_content())) > 2 * BYLINE_MAX or any(
                d.tag in _NOT_IN_BYLINE for d in node.iterdescendants()):
            break
        area = node
    return area


def _is_inside(el: HtmlElement, ancestor: HtmlElement) -> bool:
    return any(node is ancestor for node in el.iterancestors())


def _drop_meta_lines(body: HtmlElement) -> None:
    """Date, view-count and reading-time lines ("1 февраля 2021, 10:15 · 1 204"): the date is
    in the metadata; the rest is page furniture."""
    candidates = [el for el in body.xpath(".//*[@class or @id]")
                  if el.tag in ("div", "p", "span", "ul")
                  and _META_LINE.search(f"{el.get('class') or ''} {el.get('id') or ''}".lower())]
    for time_el in body.iter("time"):
        candidates.append(time_el)
        candidates.extend(a for a in time_el.iterancestors() if a.tag in ("div", "p", "span"))
    for el in candidates:
        if el.getparent() is None:
            continue
        raw = el.text_content()
        if len(raw) > DATELINE_RAW_MAX:
            continue
        text = squash(raw)
        if len(text) > DATELINE_MAX or el.find(".//img") is not None:
            continue
        hint = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        times = list(el.iter("time"))
        only_time = bool(times) and len(squash(" ".join(t.text_content() for t in times))) \
            >= len(text) * 0.5
        if (_META_LINE.search(hint) and (times or len(text) <= 60)) or only_time:
            if not any(d.tag in ("p", "h1", "h2", "h3") for d in el.iterdescendants()):
                remove_keeping_tail(el)


def _plain_block(el: HtmlElement) -> bool:
    return not any(d.tag in ("img", "ul", "ol", "table", "figure", "h1", "h2", "h3", "p")
                   for d in el.iterdescendants() if isinstance(d.tag, str)) \
        and bool(inner_text(el))
