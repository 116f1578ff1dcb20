"""The text dump writer: the article as the dump format of docs/text-dump-format.md.

What the format can carry (title, subtitle, paragraphs, headings, image placeholders with their
captions, lists, related sections) reads back to the same article. Formatting, links inside
paragraphs, quotes, code and tables come out as plain text.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator, Sequence

from ..dumpformat import heading_shaped, subtitle_shaped
from ..errors import Log
from ..model import (
    Article,
    Block,
    CodeBlock,
    Heading,
    Image,
    Inline,
    ListBlock,
    Note,
    Paragraph,
    Quote,
    RawBlock,
    Related,
    Rule,
    Table,
    Text,
    plain_text,
    transform,
    walk,
)
from ..options import WriteOptions
from ..records import replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..media import MediaBag

DEFAULT_RELATED_HEADING = {"ru": "Читайте также", "uk": "Читайте також"}


ARTICLE_BREAK = "* * *"  # between the articles of one dump


def write(articles: Sequence[Article], options: WriteOptions, log: Log,
          media: MediaBag | None) -> bytes:
    """A text dump; several articles one after another, a ``* * *`` line between them (a
    dump says one article: read back, they are one)."""
    dumps = (_dump(a, options).rstrip("\n") for a in articles)
    return (f"\n\n{ARTICLE_BREAK}\n\n".join(dumps) + "\n").encode("utf-8")


def _dump(article: Article, options: WriteOptions) -> str:
    notes: list[Note] = []
    article = _numbered_notes(article, notes)
    chunks = [article.meta.title]
    if article.meta.subtitle:
        chunks.append(article.meta.subtitle)
    blocks = article.blocks
    # the notes go after the text, before the related sections that end the dump (which run
    # to its end)
    trailing = len(blocks)
    while trailing and isinstance(blocks[trailing - 1], Related):
        trailing -= 1
    skip = -1
    for i, block in enumerate(blocks):
        if i == trailing:
            chunks.extend(_notes(notes, article.meta.lang, options.wrap))
        rendered = list(_block(block, article.meta.lang, options.wrap))
        if isinstance(block, Paragraph) and len(rendered) == 1 and "\n" not in rendered[0]:
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            first_after_title = i == 0 and not article.meta.subtitle
            if (first_after_title and subtitle_shaped(rendered[0])) or (
                    isinstance(following, Paragraph) and heading_shaped(rendered[0])):
                # two lines, so that the reader does not take it for a subtitle or heading
                rendered = [_two_lines(rendered[0])]
            if first_after_title and isinstance(following, Image):
                # text right before the lead picture would be read as the subtitle: keep the
                # two in one block, where it reads as a paragraph
                chunks.append(rendered[0] + "\n" + next(_block(following, article.meta.lang,
                                                                 None)))
                skip = i + 1
                continue
        if i == skip:
            continue
        chunks.extend(rendered)
    if trailing == len(blocks):
        chunks.extend(_notes(notes, article.meta.lang, options.wrap))
    return "\n\n".join(c for c in chunks if c) + "\n"


def _notes(notes: list[Note], lang: str | None, wrap: int | None) -> list[str]:
    out = []
    for number, note in enumerate(notes, start=1):
        text = "\n\n".join(c for b in note.blocks for c in _block(b, lang, wrap))
        out.append(f"[{number}] {text}")
    return out


def _numbered_notes(article: Article, notes: list[Note]) -> Article:
    """The article with each note reference written ``[1]``, ``[2]``...; the notes, in that
    order, go to ``notes`` (a note's own notes after the others)."""
    def number(node: object) -> object:
        if isinstance(node, Paragraph | Heading) and any(isinstance(n, Note)
                                                          for n in node.children):
            children: list[Inline] = []
            for child in node.children:
                if isinstance(child, Note):
                    notes.append(child)
                    children.append(Text(f"[{len(notes)}]"))
                else:
                    children.append(child)
            return replace(node, children=tuple(children))
        return node

    if not any(isinstance(n, Note) for n in walk(article)):
        return article
    numbered = transform(article, number)
    i = 0
    while i < len(notes):  # notes inside notes
        note = notes[i]
        if any(isinstance(n, Note) for b in note.blocks for n in walk(b)):
            notes[i] = transform(note, number)  # type: ignore[assignment]
        i += 1
    return numbered


def _two_lines(line: str) -> str:
    head, space, tail = line.rpartition(" ")
    return f"{head}\n{tail}" if space and head else line


def _block(block: Block, lang: str | None, wrap: int | None) -> Iterator[str]:  # noqa: C901
    # one case per block type, as every writer has
    match block:
        case Paragraph(children=children):
            yield _wrap(plain_text(children), wrap)
        case Heading(children=children):
            yield plain_text(children)
        case Image(src=src, caption=caption):
            yield src + ("\n" + plain_text(caption) if caption else "")
        case ListBlock():
            yield "\n".join(_list_lines(block, lang, ""))
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
        case RawBlock(html=raw):
            from ..htmlform.readback import raw_html_blocks

            for child in raw_html_blocks(raw, Log()):
                yield from _block(child, lang, wrap)
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


def _list_lines(block: ListBlock, lang: str | None, indent: str) -> Iterator[str]:
    """One line an item; a nested list's items follow their parent, indented."""
    for n, item in enumerate(block.items):
        marker = f"{block.start + n}." if block.ordered else "•"  # "-" lines read as speech
        own = [b for b in item if not isinstance(b, ListBlock)]
        text = " ".join(" ".join(_block(b, lang, None)) for b in own)
        yield f"{indent}{marker} {' '.join(text.split())}".rstrip()
        for nested in item:
            if isinstance(nested, ListBlock):
                yield from _list_lines(nested, lang, indent + "   ")


def _wrap(text: str, width: int | None) -> str:
    if not width:
        return text
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))
