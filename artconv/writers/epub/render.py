"""Chapters of an EPUB: one article as XHTML, with its pictures from the media bag, placeholders
for the rest, links that stay valid inside the package, and the related blocks gathered at the
end of the chapter (each remembers where it stood)."""

from __future__ import annotations

from ...errors import Log
from ...htmlform import vocab as v
from ...htmlform.render import HtmlRenderer, attr, heading_offset, text
from ...lang import is_valid_tag
from ...media import Picture
from ...model import Article, Image, Inline, Link, RawBlock, Related, RelatedItem
from ...urls import is_safe_link, join_url, url_key, url_scheme, valid_url

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping


class PictureNames:
    """Names inside the package for the pictures of a book, given in the order they are first
    used: ``images/img-001.jpg``, ...; the same bytes get one file."""

    def __init__(self) -> None:
        self.by_digest: dict[str, tuple[str, Picture]] = {}

    def name(self, picture: Picture) -> str:
        digest = picture.digest
        if digest not in self.by_digest:
            name = f"images/img-{len(self.by_digest) + 1:03d}{picture.extension}"
            self.by_digest[digest] = (name, picture)
        return self.by_digest[digest][0]

    def items(self) -> list[tuple[str, Picture]]:
        return sorted(self.by_digest.values(), key=lambda item: item[0])


class EpubRenderer(HtmlRenderer):
    """XHTML for one chapter (see the module docstring)."""

    def __init__(self, log: Log, article: Article, pictures: Mapping[str, Picture],
                 names: PictureNames, chapters: dict[str, str]) -> None:
        super().__init__(log, xhtml=True, offset=heading_offset(article))
        self.pictures = pictures
        self.names = names
        self.chapters = chapters
        own_url = article.meta.url
        self.base = own_url if own_url and url_scheme(own_url) in ("http", "https") else None

    def article(self, article: Article) -> str:
        lang = article.meta.lang
        lang_attrs = f' lang="{attr(lang)}" xml:lang="{attr(lang)}"' \
            if lang and is_valid_tag(lang) else ""
        from ...htmlform.readback import raw_html_blocks

        # a raw HTML block is written as the blocks it says, which the related blocks'
        # positions count
        blocks = [said for block in article.blocks for said in (
            raw_html_blocks(block.html, self.log) if isinstance(block, RawBlock) else [block])]
        body = [self.block(b) for b in blocks if not isinstance(b, Related)]
        related = [(i, b) for i, b in enumerate(blocks) if isinstance(b, Related)]
        parts = [f"<article{lang_attrs}>", self.header(article), *body, self.footnotes()]
        if related:
            parts.append(f'<section class="{v.RELATED}">')
            parts.extend(self.related(block, position) for position, block in related)
            parts.append("</section>")
        parts.append("</article>")
        return "\n".join(p for p in parts if p)

    def image(self, image: Image) -> str:
        picture = self.pictures.get(image.src)
        if picture is None:
            return self.placeholder(image)
        caption = self.inlines(image.caption) if image.caption else ""
        title = f' title="{attr(image.title)}"' if image.title else ""
        img = (f'<img src="{attr(self.names.name(picture))}" alt="{attr(image.alt)}"{title} '
               f'{v.DATA_SRC}="{attr(image.src)}"/>')
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f"<figure>{self.picture_link(img, image.link)}{figcaption}</figure>"

    def picture_link(self, img: str, link: str | None) -> str:
        if not link:
            return img
        target = self._target(link)
        original = f' {v.DATA_HREF}="{attr(link)}"'
        if target is None:
            return f"<span{original}>{img}</span>"
        return f'<a href="{attr(target)}"{original if target != link else ""}>{img}</a>'

    def related_item(self, item: RelatedItem) -> str:
        data = ""
        if item.url:
            data += f' {v.DATA_URL}="{attr(item.url)}"'
        if item.image:
            data += f' {v.DATA_IMAGE}="{attr(item.image)}"'
        inner = super().related_item(item)
        return f'<div class="{v.RELATED_ITEM}"{data}>{inner}</div>' if data else inner

    def meta_link(self, url: str, label: str, css_class: str) -> str:
        valid = valid_url(url) if url_scheme(url) in ("http", "https") and "//" in url else None
        if valid == url:
            return super().meta_link(url, label, css_class)
        return f'<span class="{css_class}" {v.DATA_HREF}="{attr(url)}">{text(label)}</span>'

    def related_href(self, url: str | None) -> str | None:
        if not url:
            return None
        return self._target(url)

    def related_image(self, src: str) -> str:
        picture = self.pictures.get(src)
        if picture is None:  # named, as a missing picture of the body is
            return self.thumbnail_placeholder(src)
        return f'<img src="{attr(self.names.name(picture))}" alt=""/>'

    def inline(self, node: Inline) -> str:
        if isinstance(node, Link):
            inner = self.inlines(node.children)
            target = self._target(node.href)
            original = f' {v.DATA_HREF}="{attr(node.href)}"'
            title = f' title="{attr(node.title)}"' if node.title else ""
            if target is None:
                return f"<span{original}{title}>{inner}</span>"
            if target == node.href:
                return f'<a href="{attr(target)}"{title}>{inner}</a>'
            return f'<a href="{attr(target)}"{original}{title}>{inner}</a>'
        return super().inline(node)

    def _target(self, url: str) -> str | None:
        """Where a link may point from inside the book: another chapter of it, an absolute
        http(s) or mailto URL; a relative link is resolved against the article's own URL,
        and dropped (its text kept) when there is none."""
        if not is_safe_link(url):
            return None
        for candidate in (url, join_url(self.base, url) if self.base else None):
            if candidate and url_key(candidate) in self.chapters:
                return self.chapters[url_key(candidate)]
        scheme = url_scheme(url)
        if scheme in ("http", "https") and "//" in url:
            return valid_url(url)
        if scheme == "mailto":
            return valid_url(url)
        if self.base and scheme is None and not url.strip().startswith("#"):
            return valid_url(join_url(self.base, url))
        return None


def chapter_xhtml(article: Article, body: str, title: str) -> bytes:
    lang = article.meta.lang if article.meta.lang and is_valid_tag(article.meta.lang) else None
    lang_attrs = f' lang="{attr(lang)}" xml:lang="{attr(lang)}"' if lang else ""
    document = (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" '
        f'xmlns:epub="http://www.idpf.org/2007/ops"{lang_attrs}>\n'
        f'<head>\n<meta charset="utf-8"/>\n<meta name="generator" content="{v.GENERATOR}"/>\n'
        f"<title>{text(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="style/article.css"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )
    return document.encode("utf-8")
