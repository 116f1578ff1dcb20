"""The text dump writer: the article as the dump format of docs/text-dump-format.md.

What the format can carry (title, subtitle, paragraphs, headings, image placeholders with their
captions, lists, related sections) reads back to the same article. Formatting, links inside
paragraphs, quotes, code and tables come out as plain text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

from ..errors import Log
from ..model import (
    Article,
    Block,
    CodeBlock,
    Heading,
    Image,
    ListBlock,
    Paragraph,
    Quote,
    Related,
    Rule,
    Table,
    plain_text,
)
from ..options import WriteOptions

DEFAULT_RELATED_HEADING = {"ru": "Читайте также", "uk": "Читайте також"}


def write(article: Article, options: WriteOptions, log: Log) -> bytes:
    chunks = [article.meta.title]
    if article.meta.subtitle:
        chunks.append(article.meta.subtitle)
    for block in article.blocks:
        chunks.extend(_block(block, article.meta.lang, options.wrap))
    return ("\n\n".join(c for c in chunks if c) + "\n").encode("utf-8")


def _block(block: Block, lang: str | None, wrap: int | None) -> Iterator[str]:
    match block:
        case Paragraph(children=children):
            yield _wrap(plain_text(children), wrap)
        case Heading(children=children):
            yield plain_text(children)
        case Image(src=src, caption=caption):
            yield src + ("\n" + plain_text(caption) if caption else "")
        case ListBlock(ordered=ordered, items=items, start=start):
            lines = []
            for n, item in enumerate(items):
                marker = f"{start + n}." if ordered else "-"
                text = " ".join(" ".join(_block(b, lang, None)) for b in item)
                lines.append(f"{marker} {' '.join(text.split())}")
            yield "\n".join(lines)
        case Quote(blocks=blocks, attribution=attribution):
            for child in blocks:
                yield from _block(child, lang, wrap)
            if attribution:
                yield "— " + plain_text(attribution)
        case CodeBlock(text=text):
            yield "\n".join(line for line in text.split("\n") if line.strip())
        case Rule():
            yield "* * *"
        case Table(rows=rows):
            yield "\n".join(" | ".join(plain_text(cell) for cell in row) for row in rows)
        case Related(heading=heading, items=items):
            yield heading or DEFAULT_RELATED_HEADING.get(lang or "", "Related articles")
            with_images = any(item.image for item in items)
            for item in items:
                if with_images:
                    if item.image:
                        yield item.image
                    yield item.title
                    if item.url:
                        yield item.url
                    if item.summary:
                        yield item.summary
                else:
                    yield "\n".join(p for p in (item.title, item.url, item.summary) if p)


def _wrap(text: str, width: int | None) -> str:
    if not width:
        return text
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))
