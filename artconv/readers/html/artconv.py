"""artconv's own markup (see :mod:`artconv.writers.markup`) read back one to one."""

from __future__ import annotations

from lxml.html import HtmlElement

from ...model import Meta, Related, RelatedItem, normalize_inlines, plain_text
from ...textutil import squash
from .convert import Converter, element_text


def _text(el: HtmlElement | None) -> str | None:
    if el is None:
        return None
    return squash(element_text(el)) or None


def has_artconv_header(article: HtmlElement) -> bool:
    header = article.find("header")
    return header is not None and (header.find("h1") is not None
                                   or header.find("p[@class='byline']") is not None
                                   or header.find("p[@class='subtitle']") is not None)


def meta_from_header(article: HtmlElement, converter: Converter) -> Meta:
    header = article.find("header")
    title = subtitle = date = section = site = url = None
    authors: list[str] = []
    if header is not None:
        h1 = header.find("h1")
        if h1 is not None:
            title = plain_text(normalize_inlines(converter._only_inlines(
                converter.inline_children(h1, 1))))
        subtitle = _text(header.find("p[@class='subtitle']"))
        byline = header.find("p[@class='byline']")
        if byline is not None:
            authors = [a for a in (_text(s) for s in byline.findall("span[@class='author']"))
                       if a]
            time = byline.find("time")
            if time is not None:
                date = time.get("datetime") or _text(time)
            section = _text(byline.find("span[@class='section']"))
            site_el = byline.find("*[@class='site']")
            source_el = byline.find("*[@class='source']")
            site = _text(site_el)
            link = site_el if site_el is not None else source_el
            if link is not None:
                url = link.get("data-artconv-href") or link.get("href")
    return Meta(title=title or "", subtitle=subtitle, authors=tuple(authors), date=date,
                lang=article.get("lang"), section=section, site=site, url=url)


def related_from_aside(aside: HtmlElement, converter: Converter) -> Related:
    heading = aside.find("h2")
    items = []
    for li in aside.iterfind("ul/li"):
        title_el = li.find(".//*[@class='title']")
        img = li.find(".//img")
        data = li.find("*[@class='item']")  # the EPUB writer keeps the values here
        url = title_el.get("href") if title_el is not None and title_el.tag == "a" else None
        image = converter.image_src(img) if img is not None else None
        if data is not None:
            url = data.get("data-artconv-url")
            image = data.get("data-artconv-image")
        items.append(RelatedItem(
            title=squash(element_text(title_el)) if title_el is not None else "",
            url=url,
            image=image,
            summary=_text(li.find(".//p[@class='summary']")),
        ))
    return Related(heading=_text(heading), items=tuple(items))
