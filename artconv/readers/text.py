"""The raw text dump reader: every rule of docs/text-dump-format.md.

A dump is blocks of lines separated by blank lines. The first line is the title; then come an
optional subtitle, the body (paragraphs, image placeholders with captions, lists, headings) and
related-article sections introduced by a known phrase. Where a dump breaks a rule the reader
still builds an article and reports what it guessed.
"""

from __future__ import annotations

from ..dumpformat import (
    SUBTITLE_MAX,
    is_dialogue,
    is_image_line,
    is_url_line,
    list_marker,
    phrases,
    quoted_name,
    related_phrase,
    separator_end,
    subtitle_shaped,
)
from ..dumpformat import heading_shaped as line_heading_shaped
from ..encoding import decode_bytes
from ..errors import InputError, Log
from ..lang import detect_lang
from ..model import (
    Article,
    Block,
    Heading,
    Image,
    ListBlock,
    Meta,
    Paragraph,
    Related,
    RelatedItem,
    text_only,
)
from ..options import ReadOptions
from ..textutil import clean_text, collapse_spaces, normalize_newlines


def read(data: bytes, options: ReadOptions, log: Log) -> list[Article]:
    decoded = decode_bytes(
        data, encoding=options.encoding, errors=options.encoding_errors, log=log
    )
    return [parse_dump(decoded.text, options, log)]


# ---------------------------------------------------------------------------------------------
# Lines and blocks


class _Block:
    __slots__ = ("lines", "indented")

    def __init__(self, lines: list[str], indented: list[bool] | None = None) -> None:
        self.lines = lines
        self.indented = indented if indented is not None else []

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def split_blocks(text: str) -> list[_Block]:
    """Runs of non-blank lines; white space collapsed, edges trimmed (a no-break space stays)."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for raw in normalize_newlines(clean_text(text)).split("\n"):
        if not raw.strip():
            current = None
            continue
        line = collapse_spaces(raw)
        stripped = line.strip(" ")
        if current is None:
            current = _Block([])
            blocks.append(current)
        current.lines.append(stripped)
        current.indented.append(line.startswith(" "))
    return blocks


# ---------------------------------------------------------------------------------------------
# The dump


def parse_dump(text: str, options: ReadOptions, log: Log) -> Article:
    blocks = split_blocks(text)
    if not blocks:
        raise InputError("empty input: no text to read")
    title, blocks = _take_title(blocks, log)
    known = phrases(options.related_headings)
    body, sections = _split_related(blocks, known)
    subtitle, body = _take_subtitle(body)
    out: list[Block] = _body_blocks(_split_list_intros(body, log))
    section: str | None = None
    for heading_line, rest in sections:
        related, name = _related_block(heading_line, rest, known)
        out.append(related)
        section = section or name
    lang = options.lang or detect_lang(_prose(title, subtitle, out))
    meta = Meta(title=title, subtitle=subtitle, lang=lang, section=section)
    return Article(meta=meta, blocks=tuple(out))


def _prose(title: str, subtitle: str | None, blocks: list[Block]) -> str:
    """The words of the article, not its file names and URLs: what the language is told by
    (as much as the detector reads)."""
    from ..lang import SAMPLE
    from ..model import plain_text, walk

    parts = [title, subtitle or ""]
    length = len(title) + len(subtitle or "")
    for node in walk(Article(Meta(), tuple(blocks))):
        if length > SAMPLE:
            break
        if isinstance(node, (Paragraph, Heading)):
            parts.append(plain_text(node.children))
        elif isinstance(node, RelatedItem):
            parts.extend((node.title, node.summary or ""))
        else:
            continue
        length += len(parts[-1])
    return " ".join(parts)


def _take_title(blocks: list[_Block], log: Log) -> tuple[str, list[_Block]]:
    """The first non-blank line is the title; the rest of its block starts the next one.
    A dump that starts with pictures keeps them (in the body) and takes the first text line."""
    for index, block in enumerate(blocks):
        for row, line in enumerate(block.lines):
            if is_image_line(line):
                continue
            if index or row:
                log.warn("no-title", "the dump starts with an image; the first text line is "
                                     "the title")
            if len(line) > SUBTITLE_MAX:
                log.warn("long-title",
                         f"the first line ({len(line)} characters) is long for a title")
            before = _Block(block.lines[:row], block.indented[:row])
            after = _Block(block.lines[row + 1:], block.indented[row + 1:])
            rest = blocks[:index] + [b for b in (before, after) if b.lines] + blocks[index + 1:]
            return line, rest
    log.warn("no-title", "the dump has no text line for a title; the title is empty")
    return "", blocks


def _split_related(
    blocks: list[_Block], phrases: tuple[str, ...]
) -> tuple[list[_Block], list[tuple[str, list[_Block]]]]:
    """The body blocks, and each related section as (heading line, the blocks after it)."""
    body: list[_Block] = []
    sections: list[tuple[str, list[_Block]]] = []
    for block in blocks:
        start = 0
        for i, line in enumerate(block.lines):
            if related_phrase(line, phrases) is None:
                continue
            head = _Block(block.lines[start:i], block.indented[start:i])
            if head.lines:
                (sections[-1][1] if sections else body).append(head)
            sections.append((line, []))
            start = i + 1
        tail = _Block(block.lines[start:], block.indented[start:])
        if tail.lines:
            (sections[-1][1] if sections else body).append(tail)
    return body, sections


def _take_subtitle(body: list[_Block]) -> tuple[str | None, list[_Block]]:
    if not body or _starts_with_image(body[0]) or _list_items(body[0]) is not None:
        return None, body
    first = body[0]
    if len(body) > 1 and _starts_with_image(body[1]) and not _has_image(first):
        return first.text, body[1:]
    if len(first.lines) == 1 and subtitle_shaped(first.text) and not _has_image(first):
        return first.text, body[1:]
    return None, body


def _starts_with_image(block: _Block) -> bool:
    return is_image_line(block.lines[0])


def _has_image(block: _Block) -> bool:
    return any(is_image_line(line) for line in block.lines)


# ---------------------------------------------------------------------------------------------
# Body


def _split_list_intros(body: list[_Block], log: Log) -> list[_Block]:
    """A list written straight under its introducing line ("Среди экспонатов:" and the
    items, no blank line between) is read as that line's paragraph and the list."""
    out: list[_Block] = []
    for block in body:
        lines = block.lines
        intro = next((i for i, line in enumerate(lines) if line.endswith(":")), None)
        if (intro is None or intro + 3 > len(lines)
                or any(is_image_line(line) for line in lines)
                or any(list_marker(line) for line in lines[:intro + 1])):
            out.append(block)
            continue
        items = _Block(lines[intro + 1:], block.indented[intro + 1:])
        if _list_items(items) is None or is_dialogue(items.lines):
            out.append(block)
            continue
        log.warn("list-intro", f"a list follows {lines[intro]!r} with no blank line "
                 "between; read as a paragraph and a list")
        out.extend((_Block(lines[:intro + 1], block.indented[:intro + 1]), items))
    return out


def _body_blocks(body: list[_Block]) -> list[Block]:
    """Paragraphs, images with captions and lists; then, walking back from the end, each
    heading-shaped line that a paragraph follows becomes a heading."""
    kinds: list[tuple[str, Block]] = []
    for block in body:
        kinds.extend(_classify(block))
    out: list[Block] = []
    following: str | None = None
    for kind, node in reversed(kinds):
        if kind == "line":
            if following == "paragraph" and _heading_shaped(node):
                kind, node = "heading", Heading(2, node.children)  # type: ignore[union-attr]
            else:
                kind = "paragraph"
        out.append(node)
        following = kind
    out.reverse()
    return out


def _heading_shaped(node: Block) -> bool:
    text = node.children[0].text if node.children else ""  # type: ignore[union-attr]
    return line_heading_shaped(text)


def _classify(block: _Block) -> list[tuple[str, Block]]:
    """One raw block as typed model blocks: ("paragraph" | "line" | "image" | "list", node).

    "line" marks a single-line paragraph, which the second pass may turn into a heading.
    """
    if any(is_image_line(line) for line in block.lines):
        return _with_images(block)
    items = _list_items(block)
    if items is not None:
        if is_dialogue(block.lines):
            return [("paragraph", Paragraph(text_only(line))) for line in block.lines]
        ordered, start, entries = items
        return [("list", ListBlock(ordered, tuple(item.blocks() for item in entries), start))]
    kind = "line" if len(block.lines) == 1 else "paragraph"
    return [(kind, Paragraph(text_only(block.text)))]


def _with_images(block: _Block) -> list[tuple[str, Block]]:
    """A block holding image lines: text before the first image is a paragraph; the lines
    after an image, up to the next image, are its caption."""
    out: list[tuple[str, Block]] = []
    pending: list[str] = []
    src: str | None = None

    def flush() -> None:
        if src is not None:
            caption = text_only(" ".join(pending)) if pending else None
            out.append(("image", Image(src=src, alt="", caption=caption)))
        elif pending:
            out.append(("paragraph", Paragraph(text_only(" ".join(pending)))))
        pending.clear()

    for line in block.lines:
        if is_image_line(line):
            flush()
            src = line
        else:
            pending.append(line)
    flush()
    return out


def _list_items(block: _Block) -> tuple[bool, int, list[_Item]] | None:
    """(ordered, start, items) when the block is a list: two or more lines starting with a
    marker. An indented marker line is an item of a list nested in the item above it; an
    indented line without a marker continues the item above it."""
    if len(block.lines) < 2:
        return None
    items: list[_Item] = []
    count = 0
    for line, indented in zip(block.lines, block.indented or [False] * len(block.lines),
                              strict=True):
        marker = list_marker(line)
        if marker:
            count += 1
            entry = _Item(line[marker.end():], int(marker.group(1)) if marker.group(1) else None)
            if indented and items:
                items[-1].children.append(entry)
            else:
                items.append(entry)
        elif indented and items:
            (items[-1].children or [items[-1]])[-1].text += " " + line
        else:
            return None
    if count < 2:
        return None
    ordered, start = _numbering(items)
    return ordered, start, items


class _Item:
    __slots__ = ("text", "number", "children")

    def __init__(self, text: str, number: int | None) -> None:
        self.text = text
        self.number = number
        self.children: list[_Item] = []

    def blocks(self) -> tuple[Block, ...]:
        own = Paragraph(text_only(self.text))
        if not self.children:
            return (own,)
        ordered, start = _numbering(self.children)
        nested = tuple((Paragraph(text_only(child.text)),) for child in self.children)
        return own, ListBlock(ordered, nested, start)


def _numbering(items: list[_Item]) -> tuple[bool, int]:
    first = items[0].number
    if first is not None and all(item.number is not None for item in items):
        return True, first
    return False, 1


# ---------------------------------------------------------------------------------------------
# Related sections


def _related_block(
    heading_line: str, blocks: list[_Block], phrases: tuple[str, ...]
) -> tuple[Related, str | None]:
    phrase = related_phrase(heading_line, phrases) or ""
    rest = heading_line[len(phrase):].strip()
    heading, section = heading_line, None
    quoted = quoted_name(rest.rstrip(":").strip())
    separator = separator_end(rest)
    if quoted:
        section = quoted.strip()
    elif separator is not None and rest[separator:]:
        heading = heading_line[: len(heading_line) - len(rest)].rstrip()
        blocks = [_Block([rest[separator:]], [False]), *blocks]
    lines_in_blocks = [b.lines for b in blocks]
    if any(is_image_line(line) for lines in lines_in_blocks for line in lines):
        items = _items_with_images(lines_in_blocks)
    else:
        items = [_item_from_block(lines) for lines in lines_in_blocks]
    return Related(heading=heading, items=tuple(items)), section


def _items_with_images(blocks: list[list[str]]) -> list[RelatedItem]:
    """Each image line starts an item; the next block (or the rest of the image's block) is
    its title; the blocks up to the next image are its summary, URL lines its link."""
    items: list[dict[str, object]] = []
    current: dict[str, object] | None = None
    orphan: list[str] = []
    for lines in blocks:
        text_lines: list[str] = []
        for line in lines:
            if is_image_line(line):
                if current is not None:
                    _add_text(current, text_lines)
                elif text_lines:
                    orphan.extend(text_lines)
                text_lines = []
                current = {"image": line, "title": None, "summary": [], "url": None}
                items.append(current)
            else:
                text_lines.append(line)
        if current is None:
            orphan.extend(text_lines)
        else:
            _add_text(current, text_lines)
    result = [
        RelatedItem(
            title=str(item["title"] or ""),
            url=item["url"],  # type: ignore[arg-type]
            image=item["image"],  # type: ignore[arg-type]
            summary=" ".join(item["summary"]) or None,  # type: ignore[arg-type]
        )
        for item in items
    ]
    if orphan:
        result.insert(0, _item_from_block(orphan))
    return result


def _add_text(item: dict[str, object], lines: list[str]) -> None:
    if not lines:
        return
    texts = [line for line in lines if not is_url_line(line)]
    for line in lines:
        if is_url_line(line) and item["url"] is None:
            item["url"] = line
    if not texts:
        return
    if item["title"] is None:
        item["title"] = " ".join(texts)
    else:
        item["summary"].append(" ".join(texts))  # type: ignore[attr-defined]


def _item_from_block(lines: list[str]) -> RelatedItem:
    """An item of a section without images: first line the title, a URL line its link, the
    other lines its summary."""
    url = next((line for line in lines if is_url_line(line)), None)
    texts = [line for line in lines if line is not url]
    title = texts[0] if texts else (url or "")
    summary = " ".join(texts[1:]) or None
    return RelatedItem(title=title, url=url, image=None, summary=summary)
