"""The Markdown reader: CommonMark and GFM tables and strikethrough, with YAML front matter,
parsed by markdown-it-py.

Link targets and image sources come through exactly as written (markdown-it's URL
normalisation is switched off; artconv's writers apply their own URL policy). Raw HTML is
never passed through: a few inline tags map to model nodes (``<em>``, ``<strong>``,
``<del>``, ``<sub>``, ``<sup>``, ``<cite>``, ``<br>``), HTML blocks (tables) are read by the
HTML reader's converter, and everything else is dropped, keeping its text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from html import unescape
from typing import Any

from ..encoding import decode_bytes
from ..errors import InputError, Log
from ..lang import detect_lang
from ..mdform import (
    FRONT_MATTER_NAMES,
    FRONT_MATTER_ORDER,
    HEADER_COMMENT,
    LIST_FIELDS,
    header_paragraphs,
    parser,
    yaml_loader,
)
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
    MetaField,
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
    normal_align,
    normalize_inlines,
    plain_text,
    transform,
)
from ..options import ReadOptions
from ..records import replace
from ..textutil import clean_text, normalize_newlines, squash

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_RELATED_MARKER = re.compile(r"\A<!--\s*related\s*-->\s*\Z", re.IGNORECASE)
_HTML_TAG = re.compile(r"\A<(/?)([A-Za-z][A-Za-z0-9]*)\b[^>]*?(/?)>\Z")
_DASHES = {"\u2014", "\u2013", "\u2015", "-", "--"}
_SPAN_TAGS = {"em": Emphasis, "i": Emphasis, "cite": Emphasis, "strong": Strong, "b": Strong,
              "del": Strikethrough, "s": Strikethrough, "strike": Strikethrough,
              "sub": Subscript, "sup": Superscript}
MAX_FRONT_MATTER = 64 * 1024
RELATED_LOOKAHEAD = 3  # a related block is a marker, a heading and a list


def read(data: bytes, options: ReadOptions, log: Log) -> list[Article]:
    text = decode_bytes(data, encoding=options.encoding, errors=options.encoding_errors,
                        log=log).text
    text = clean_text(normalize_newlines(text))
    if not text.strip():
        raise InputError("empty input: no Markdown to read")
    meta_fields, body = _front_matter(text, log)
    reader = _Reader(log, options)
    blocks = reader.resolve_notes(reader.blocks_of(_top_level_nodes(body, log)))
    groups = _articles(blocks)
    if groups is None:
        return [_article(blocks, meta_fields, body, log)]
    if meta_fields:
        log.warn("markdown-structure", "front matter before several articles describes none "
                 "of them; left out")
    # an article without a language of its own takes the document's, detected once
    lang = functools.cache(lambda: detect_lang(body[:20000]))
    return [_article(group, {}, body, log, lang) for group in groups]


_ARTICLE_MARKER = re.compile(r"\A<!--\s*artconv:article\s*-->\s*\Z")


def _articles(blocks: list[Block]) -> list[list[Block]] | None:
    """The articles of a document of several (writers/markdown.py): the blocks after each
    ``<!-- artconv:article -->`` marker; None when the document has no marker first."""
    def marker(block: Block) -> bool:
        return isinstance(block, RawBlock) and bool(_ARTICLE_MARKER.match(block.html))

    if not blocks or not marker(blocks[0]):
        return None
    groups: list[list[Block]] = []
    for block in blocks:
        if marker(block):
            groups.append([])
        else:
            groups[-1].append(block)
    return groups


def _article(blocks: list[Block], meta_fields: dict[str, Any], body: str, log: Log,
             detected: Callable[[], str | None] | None = None) -> Article:
    title = meta_fields.get("title")
    if title is None and not meta_fields and blocks and isinstance(blocks[0], Heading) \
            and blocks[0].level == 1 and all(isinstance(n, Text) for n in blocks[0].children):
        # without front matter, a first heading of plain text is the title (front matter
        # without a title says there is none); one with emphasis, a link or a break stays a
        # heading (the title is plain text: it would lose them)
        title = plain_text(blocks[0].children)
        blocks = blocks[1:]
    said, blocks = _header(blocks, log)
    meta_fields = {**said, **meta_fields}  # front matter, when there is some, comes first
    if detected is None:
        def detected() -> str | None:
            return detect_lang(body[:20000])
    values: dict[str, Any] = {f: meta_fields.get(f) for f in FRONT_MATTER_ORDER}
    values.update({f: tuple(meta_fields.get(f, ())) for f in LIST_FIELDS})
    meta = Meta(title=title or "", **{**values, "lang": values["lang"] or detected()},
                extra=tuple(meta_fields.get("extra", ())))
    return Article(meta, tuple(blocks))


_HEADER = re.compile(r"\A<!--\s*" + HEADER_COMMENT + r"\s+(\{.*\})\s*-->\s*\Z", re.DOTALL)
_HEADER_KEYS = (*FRONT_MATTER_ORDER, "extra")  # the header comment's keys: the model's names


def _header(blocks: list[Block], log: Log) -> tuple[dict[str, Any], list[Block]]:
    """The metadata of a document written without front matter (writers/markdown.py): the
    header comment's fields, and the paragraphs that show them, which are dropped only when
    they say what the fields say (edited ones stay)."""
    import json

    from ..jsonform import meta_from_dict

    match = _HEADER.match(blocks[0].html) if blocks and isinstance(blocks[0], RawBlock) \
        else None
    if match is None:
        return {}, blocks
    try:
        fields = json.loads(match.group(1))
        meta = meta_from_dict({k: v for k, v in fields.items() if k in _HEADER_KEYS})
    except (ValueError, InputError, TypeError, AttributeError):
        log.warn("markdown-structure", "an artconv:header comment that is not a header "
                 "was kept as raw HTML", loss=False)
        return {}, blocks
    rest = blocks[1:]
    shown = header_paragraphs(meta)
    if [plain_text(b.children) for b in rest[:len(shown)] if isinstance(b, Paragraph)] == \
            [plain_text(p.children) for p in shown]:
        rest = rest[len(shown):]
    return {key: getattr(meta, key) for key in _HEADER_KEYS if getattr(meta, key)}, rest




def _parse(text: str, log: Log, env: dict[str, Any] | None = None) -> Any:
    from markdown_it.tree import SyntaxTreeNode

    env = {} if env is None else env
    tree = SyntaxTreeNode(parser().parse(text, env))
    for length in env.pop("too_complex", []):
        log.warn("markdown-too-complex", f"a paragraph of {length:,} characters is too "
                 "tangled to read as Markdown in reasonable time (brackets that never "
                 "close?); read as plain text")
    return tree


# markdown-it holds a token object (and the tree one) for every piece of a document: a 1 MB
# table would take hundreds of megabytes. A long document is parsed a part at a time, split
# where no block goes on across the split (a blank line, then a line that starts a new
# top-level block: not indented, not a list item or quote, outside fenced code and raw HTML).
# A top-level table or list too long for one part is cut between two rows or two items, and
# the part after the cut starts again with the table's header: the reader joins the two
# halves back into one block. Link reference definitions are gathered from every part first,
# since a link may come before its definition.
CHUNK_CHARACTERS = 256 * 1024
_CONTINUES = re.compile(r"[ \t>]|(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)")
_LIST_ITEM = re.compile(r"(?:([-+*])|\d{1,9}([.)]))(?:[ \t]|$)")
_TABLE_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_RAW_HTML_START = re.compile(r" {0,3}<(?:(script|pre|style|textarea)(?:[\s>]|$)|(!--)|(\?)|"
                             r"(![A-Za-z])|(!\[CDATA\[))", re.IGNORECASE)
_RAW_HTML_END = ("</script>", "</pre>", "</style>", "</textarea>", "-->", "?>", ">", "]]>")
_REFERENCE_LINE = re.compile(r"^ {0,3}\[", re.MULTILINE)


class _Part(str):
    """A part of a long document; ``continues`` when it goes on with the table or list that
    ended the part before it."""

    continues = False


def _part(text: str, continues: bool) -> _Part:
    part = _Part(text)
    part.continues = continues
    return part


class _Splitter:
    """Walks a document's lines, knowing where a part may end (see above)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.fence: str | None = None
        self.html_end: str | None = None
        self.blank = False
        self.table: list[str] | None = None  # the header and delimiter of the open table
        self.bullet: str | None = None  # the marker of the open top-level list

    def free(self, line: str) -> bool:
        """A part may end before ``line`` (it starts a new top-level block)."""
        return self.fence is None and self.html_end is None and self.blank \
            and bool(line.strip()) and not _CONTINUES.match(line)

    def cut(self, line: str) -> list[str] | None:
        """A part may end before ``line`` inside a long table or list: what the next part
        starts with before it (the table's header), or None."""
        if self.fence is not None or self.html_end is not None:
            return None
        if self.table is not None and "|" in line and line.strip():
            return self.table
        item = _LIST_ITEM.match(line)
        if self.bullet is not None and item and (item.group(1) or item.group(2)) == self.bullet:
            return []
        return None

    def read(self, i: int) -> None:
        line = self.lines[i]
        stripped = line.strip()
        if self.html_end is not None:
            if self.html_end in line.lower():
                self.html_end = None
        elif self.fence is not None:
            found = _FENCE.match(line)
            if found and found.group(1)[0] == self.fence[0] \
                    and len(found.group(1)) >= len(self.fence) and not line[found.end():].strip():
                self.fence = None
        else:
            self._block_start(i, line)
        if not stripped:
            self.table = None
        self.blank = not stripped

    def _block_start(self, i: int, line: str) -> None:
        found = _FENCE.match(line)
        if found:
            self.fence = found.group(1)
            return
        raw = _RAW_HTML_START.match(line)
        if raw:
            kind = next(n for n, g in enumerate(raw.groups()) if g)
            end = _RAW_HTML_END[kind] if kind else f"</{raw.group(1).lower()}>"
            if end not in line.lower()[raw.end():]:
                self.html_end = end
            return
        if line[:1] not in (" ", "\t", "") and not line.startswith(">"):
            item = _LIST_ITEM.match(line)
            if item:
                self.bullet = item.group(1) or item.group(2)
            elif self.blank or self.bullet is None:
                self.bullet = None
        following = self.lines[i + 1] if i + 1 < len(self.lines) else ""
        if self.table is None and "|" in line and _TABLE_DELIMITER.match(following) \
                and not line.startswith((" ", "\t", ">")):
            self.table = [line, following]


def _chunks(text: str) -> Iterator[_Part]:
    """Parts of a long document that parse alone to the same blocks (see above)."""
    if len(text) <= CHUNK_CHARACTERS:
        yield _part(text, False)
        return
    lines = text.splitlines(keepends=True)
    splitter = _Splitter(lines)
    start = size = 0
    head: list[str] = []
    continues = False
    for i, line in enumerate(lines):
        if size >= CHUNK_CHARACTERS and i > start:
            cut = None if splitter.free(line) else splitter.cut(line)
            if splitter.free(line) or cut is not None:
                yield _part("".join(head + lines[start:i]), continues)
                head, continues = (cut or []), cut is not None
                start, size = i, sum(len(h) for h in head)
        size += len(line)
        splitter.read(i)
    yield _part("".join(head + lines[start:]), continues)


def _top_level_nodes(body: str, log: Log) -> Iterator[Any]:
    """The document's top-level block nodes, parsed a part at a time (see above); before the
    first node of a part that goes on with a table or list, :data:`CONTINUED`."""
    chunks = _chunks(body)
    first = next(chunks)
    rest = list(chunks) if len(first) < len(body) else []
    env: dict[str, Any] = {}
    if rest and _REFERENCE_LINE.search(body):
        md = parser()
        for chunk in (first, *rest):
            md.block.parse(chunk, md, env, [])
    for chunk in (first, *rest):
        if chunk.continues:
            yield CONTINUED
        yield from _parse(chunk, log, env).children
    unreferenced = [label.lstrip(":") for label, number in
                    env.get("footnotes", {}).get("refs", {}).items() if number == -1]
    if unreferenced:  # markdown-it drops them (renderers do not show them either)
        log.warn("footnote", f"left out {len(unreferenced)} footnote(s) nothing refers to: "
                 + ", ".join(f"[^{label[:40]}]" for label in unreferenced[:5]))


CONTINUED = object()
"""Marks where a table or list goes on from the part before (see :func:`_chunks`)."""


_MARKDOWN_SPECIAL = frozenset("\\&*_`[]<>!~#")


def markdown_text(value: str) -> str:
    """A metadata value read as Markdown text (pandoc's reading, and how the writer escapes
    it): references and backslash escapes resolved, emphasis marks gone, raw HTML kept as
    the characters it is written with."""
    if not any(ch in _MARKDOWN_SPECIAL for ch in value) and not value[:1].isdigit():
        return value
    lines = []
    for line in value.split("\n"):
        parts = []
        for token in parser().parseInline(line)[0].children or []:
            if token.type in ("text", "code_inline", "html_inline"):
                parts.append(token.content)
            elif token.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        lines.append("".join(parts))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Front matter




def _front_matter(text: str, log: Log) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    raw = match.group(1) or ""
    if len(raw) > MAX_FRONT_MATTER:
        log.warn("front-matter", "front matter over 64 KB; read as text")
        return {}, text
    import yaml

    _NoAliases = yaml_loader()
    try:
        data = yaml.load(raw, Loader=_NoAliases)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        reason = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        log.warn("front-matter", f"front matter is not valid YAML ({reason}); read as text")
        return {}, text
    if not isinstance(data, dict) or not any(
            str(key).lower() in FRONT_MATTER_NAMES for key in data):
        # not metadata but Markdown that starts with a rule ("---\n---" is two rules; a
        # "---" line, a line of text and another "---" are a rule and a heading): read as
        # such, as a CommonMark reader does
        return {}, text
    fields: dict[str, Any] = {}
    for key, value in data.items():
        name = FRONT_MATTER_NAMES.get(str(key).lower())
        if name is None:
            continue  # kept as written, below
        if name in LIST_FIELDS:
            values = value if isinstance(value, list) else [value]
            items = [_scalar(v) for v in values]
            fields.setdefault(name, []).extend(v for v in items if v)
        elif name not in fields or fields[name] is None:
            if isinstance(value, list):
                value = value[0] if value else None
            fields[name] = _scalar(value)
    fields["extra"] = [MetaField(name, value) for key, name, value in
                       _value_sources(raw, _NoAliases)
                       if FRONT_MATTER_NAMES.get(key.lower()) is None]
    return fields, text[match.end():]




def _value_sources(raw: str, loader: Any) -> list[tuple[str, str, str]]:
    """Each top-level key of the front matter (its value) with its key and value as the file
    writes them: ``weight: 3`` gives ``("weight", "weight", "3")``; a block value keeps its line
    break and indentation (``"\\n  - a\\n  - b"``), so that writing ``key:`` and the value back
    gives the same YAML."""
    import yaml

    try:
        node = yaml.compose(raw, Loader=loader)
    except yaml.YAMLError:
        return []
    found: list[tuple[str, str, str]] = []
    if not isinstance(node, yaml.MappingNode):
        return found
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        name = raw[key_node.start_mark.index:key_node.end_mark.index]
        after = raw[key_node.end_mark.index:value_node.end_mark.index]
        colon = after.find(":")
        if colon < 0:
            continue
        value = after[colon + 1:].rstrip()
        if value.startswith(" "):
            value = value[1:]
        found.append((str(key_node.value), name, value))
    return found


def _scalar(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return None
    if isinstance(value, str):
        return clean_text(markdown_text(value))
    return clean_text(str(value))


# ---------------------------------------------------------------------------------------------
# Blocks


class _Reader:
    def __init__(self, log: Log, options: ReadOptions) -> None:
        self.log = log
        self.options = options
        # footnotes: their definitions come at the end of the document (after the places that
        # refer to them); a reference is read as a placeholder note, resolved at the end
        self.definitions: dict[int, tuple[Block, ...]] = {}
        self.labels: dict[int, str] = {}
        self.join_next: int | None = None  # a table or list goes on in the next block
        from ..phrases import phrase_pattern

        self.related_phrases = phrase_pattern(options.related_headings)

    def blocks(self, node: Any) -> list[Block]:
        return self.blocks_of(iter(node.children))

    def blocks_of(self, nodes: Iterator[Any]) -> list[Block]:
        """Blocks for a sequence of sibling nodes, read with a lookahead of three (a related
        block is a marker, a heading and a list), so that a long document's nodes need not be
        held all at once."""
        out: list[Block] = []
        children: list[Any] = []
        i = 0
        for node in nodes:
            if node is CONTINUED:
                while i < len(children):
                    i = self._consume(children, i, out)
                del children[:]
                i = 0
                self.join_next = len(out)
                continue
            children.append(node)
            if len(children) - i > RELATED_LOOKAHEAD:
                i = self._consume(children, i, out)
                if i > RELATED_LOOKAHEAD:
                    del children[:i]
                    i = 0
        while i < len(children):
            i = self._consume(children, i, out)
        return out

    def _consume(self, children: list[Any], i: int, out: list[Block]) -> int:
        """Read the node at ``i`` (and those after it that belong to it) into ``out``; the
        index of the next node to read."""
        child = children[i]
        if child.type == "html_block" and _RELATED_MARKER.match(child.content.strip()):
            related, used = self._related(children[i + 1:i + RELATED_LOOKAHEAD])
            out.append(related)
            return i + 1 + used
        if child.type == "heading" and i + 1 < len(children) and \
                children[i + 1].type == "bullet_list" and \
                self.related_phrases.match(self._plain(child)) and \
                self._all_items_link(children[i + 1]):
            related, used = self._related(children[i:i + RELATED_LOOKAHEAD])
            out.append(related)
            return i + used
        join, self.join_next = self.join_next, None  # (nested lists read their own items)
        blocks = self.block(child)
        if join is not None and join == len(out) and out and blocks:
            joined = _join_halves(out[-1], blocks[0])
            if joined is not None:
                out[-1] = joined
                blocks = blocks[1:]
        out.extend(blocks)
        return i + 1

    def block(self, node: Any) -> list[Block]:
        kind = node.type
        if kind == "paragraph":
            return self.paragraph(node)
        if kind == "heading":
            level = int(node.tag[1])
            return [Heading(level, normalize_inlines(self._only_inlines(node)))]
        if kind == "blockquote":
            return [self.quote(node)]
        if kind in ("bullet_list", "ordered_list"):
            start = int(node.attrs.get("start", 1)) if kind == "ordered_list" else 1
            items = tuple(tuple(self.blocks(item)) for item in node.children)
            # markdown-it hides the paragraphs of a tight list
            loose = any(p.type == "paragraph" and not p.nester_tokens.opening.hidden
                        for item in node.children for p in item.children)
            return [ListBlock(kind == "ordered_list", items, start, tight=not loose)]
        if kind in ("fence", "code_block"):
            text = node.content[:-1] if node.content.endswith("\n") else node.content
            # the info string's escapes and references are resolved, as a renderer does
            from markdown_it.common.utils import unescapeAll

            info = unescapeAll(node.info or "").strip().split() if kind == "fence" else []
            return [CodeBlock(text, info[0] if info else None)]
        if kind == "hr":
            return [Rule()]
        if kind == "table":
            return [self.table(node)]
        if kind == "html_block":
            return self.html_block(node.content)
        if kind == "footnote_block":
            for footnote in node.children:
                number = (footnote.meta or {}).get("id")
                if isinstance(number, int):
                    self.definitions[number] = tuple(self.blocks(footnote))
            return []
        return []

    def resolve_notes(self, blocks: list[Block]) -> list[Block]:
        """The placeholder notes given their definitions' blocks; a reference to a footnote
        that is never defined stays text (``[^label]``), with a warning."""
        if not self.labels:
            return blocks
        undefined = False

        def fix(node: object) -> object:
            nonlocal undefined
            number = _placeholder(node) if isinstance(node, Note) else None
            if number is None:
                return node
            found = self.definitions.get(number)
            if found:
                return Note(found)
            undefined = True
            label = self.labels.get(number, "?")
            self.log.warn("footnote", f"the footnote [^{label[:40]}] is referred to but never "
                          "defined; kept as text")
            return Text(f"[^{label}]")

        def normal(node: object) -> object:
            if isinstance(node, Paragraph | Heading):
                return replace(node, children=normalize_inlines(node.children))
            return node

        # a note's own references: its text in parentheses later (the pipeline), one to itself
        # its label; a note's note's references their labels
        def label(node: object) -> object:
            inner_number = _placeholder(node) if isinstance(node, Note) else None
            return node if inner_number is None else \
                Text(f"[^{self.labels.get(inner_number, '?')}]")

        inner: dict[int, tuple[Block, ...]] = {}
        for number, found in self.definitions.items():
            def once(node: object, number: int = number) -> object:
                inner_number = _placeholder(node) if isinstance(node, Note) else None
                if inner_number is None or inner_number not in self.definitions:
                    return fix(node)
                if inner_number == number:
                    return label(node)
                return Note(tuple(transform(b, label) for b in self.definitions[inner_number]))

            inner[number] = tuple(transform(transform(b, once), normal) for b in found)
        self.definitions = inner
        used: set[int] = set()

        def counted(node: object) -> object:  # fix, counting the notes the text refers to
            number = _placeholder(node) if isinstance(node, Note) else None
            if number is not None:
                used.add(number)
            return fix(node)

        resolved = [transform(block, counted) for block in blocks]
        unused = [self.labels.get(n, "?") for n in self.definitions if n not in used]
        if unused:  # only other notes refer to them: their text is inside those, or nowhere
            self.log.warn("footnote", f"left out {len(unused)} footnote(s) the text never "
                          "refers to: " + ", ".join(f"[^{u[:40]}]" for u in unused[:5]))
        return [transform(b, normal) for b in resolved] if undefined else resolved

    def paragraph(self, node: Any) -> list[Block]:
        inline = node.children[0] if node.children else None
        items = self.inlines(inline.children if inline is not None else [])
        # a paragraph that starts with a picture: the picture, its caption after a line break
        if items and isinstance(items[0], Image):
            image = items[0]
            rest = items[1:]
            if not rest:
                return [image]
            if isinstance(rest[0], _Break) and not any(isinstance(r, Image) for r in rest):
                caption = normalize_inlines(_inlines_only(rest[1:]))
                return [replace(image, caption=caption or None)]
        out: list[Block] = []
        run: list[Inline] = []
        if any(isinstance(i, Image) for i in items):
            self.log.warn("markdown-structure", "a picture inside a paragraph is written as a "
                          "block of its own (the model's pictures are blocks)", loss=False)
        for item in items:
            if isinstance(item, Image):
                if run:
                    inlines = normalize_inlines(run)
                    if inlines:
                        out.append(Paragraph(inlines))
                run = []
                out.append(item)
            elif isinstance(item, _Break):
                run.append(LineBreak() if item.hard else Text(" "))
            else:
                run.append(item)
        inlines = normalize_inlines(run)
        if inlines:
            out.append(Paragraph(inlines))
        return out

    def quote(self, node: Any) -> Quote:
        children = list(node.children)
        attribution = None
        if children and children[-1].type == "paragraph":
            cite = self._cite_only(children[-1])
            if cite is not None:
                attribution = cite
                children = children[:-1]
        return Quote(tuple(self.blocks_of(iter(children))), attribution)

    def _cite_only(self, paragraph: Any) -> tuple[Inline, ...] | None:
        inline = paragraph.children[0] if paragraph.children else None
        kids = list(inline.children) if inline is not None else []
        if len(kids) >= 3 and kids[0].type == "text" and kids[0].content.strip() in _DASHES:
            kids = kids[1:]  # "— <cite>Author</cite>", as artconv writes it
        if len(kids) >= 2 and kids[0].type == "html_inline" and kids[-1].type == "html_inline" \
                and kids[0].content.strip().lower() == "<cite>" \
                and kids[-1].content.strip().lower() == "</cite>":
            items = self.inlines(kids[1:-1])
            return normalize_inlines([LineBreak() if isinstance(i, _Break) and i.hard else
                                      Text(" ") if isinstance(i, _Break) else i
                                      for i in items if not isinstance(i, Image)])
        return None

    def table(self, node: Any) -> Table:
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        header_rows = 0
        align: tuple[str, ...] = ()
        for section in node.children:
            for tr in section.children:
                rows.append(tuple(normalize_inlines(self._only_inlines(cell))
                                  for cell in tr.children))
                if section.type == "thead":
                    header_rows += 1
                    align = tuple(_ALIGN.get(str(cell.attrs.get("style", "")), "")
                                  for cell in tr.children)
        return Table(tuple(rows), header_rows, normal_align(align))

    def html_block(self, html: str) -> list[Block]:
        """An HTML block: the model's blocks when they say all of it (a table as artconv
        writes one), else the block as written (raw HTML)."""
        from ..htmlform.convert import Converter
        from ..htmlform.images import image_source
        from ..htmlform.readback import OwnMarkup
        from ..htmlform.tree import parse_fragment, strip_own_attributes

        raw = html.rstrip("\n")
        if not raw.strip() or _EMPTY_COMMENT.match(raw):
            return []  # an empty comment ends a list or fills an empty item: nothing
        from ..rawhtml import balanced, is_tag

        fragment = None if _RAW_ONLY.search(raw) or is_tag(raw) or not balanced(raw) else \
            parse_fragment(html, self.log)
        if fragment is None or not _said_in_full(fragment):
            if _OPEN_PRE.search(raw) and not _CLOSE_PRE.search(raw):
                self.log.warn("raw-html", "a <pre> opened in raw HTML is closed in a later "
                              "Markdown paragraph: the model reads that paragraph's line "
                              "breaks as spaces, which the <pre> would show", loss=False)
            return [RawBlock(raw)]
        strip_own_attributes(fragment)
        own = OwnMarkup()
        blocks = own.restore(Converter(self.log, image_source, own=own).blocks(fragment))
        # code in HTML ends its last line as a fence does (the writer's code inside a list, a
        # quote or a note): the line end is not the code's
        return [replace(b, text=b.text[:-1]) if isinstance(b, CodeBlock)
                and b.text.endswith("\n") else b for b in blocks]

    # -- related ----------------------------------------------------------------------------

    def _related(self, nodes: list[Any]) -> tuple[Related, int]:
        used = 0
        heading = None
        if used < len(nodes) and nodes[used].type == "heading":
            heading = self._plain(nodes[used]) or None
            used += 1
        items: list[RelatedItem] = []
        if used < len(nodes) and nodes[used].type == "bullet_list":
            items = [self._related_item(li) for li in nodes[used].children]
            used += 1
        return Related(heading, tuple(items)), used

    def _all_items_link(self, lst: Any) -> bool:
        items = list(lst.children)
        return bool(items) and all(
            any(n.type == "link" for n in item.walk()) for item in items)

    def _related_item(self, li: Any) -> RelatedItem:
        lines: list[list[Any]] = [[]]
        paragraphs = [c for c in li.children if c.type == "paragraph"]
        extra: list[str] = []
        if paragraphs:
            inline = paragraphs[0].children[0]
            for kid in inline.children:
                if kid.type in ("softbreak", "hardbreak"):
                    lines.append([])
                else:
                    lines[-1].append(kid)
            extra = [squash(plain_text(normalize_inlines(self._only_inlines(p))))
                     for p in paragraphs[1:]]
        image = None
        if len(lines[0]) == 1 and lines[0][0].type == "image":
            image = lines[0][0].attrs.get("src")
            lines = lines[1:]
        title, url = "", None
        if lines:
            first = [k for k in lines[0] if not (k.type == "text" and not k.content.strip())]
            if len(first) == 1 and first[0].type == "link":
                url = first[0].attrs.get("href")
                title = squash(plain_text(normalize_inlines(self._only_inlines(first[0]))))
            else:
                title = squash(plain_text(normalize_inlines(
                    [i for i in self._flat(lines[0]) if isinstance(i, Inline)])))
        summary_parts = [squash(plain_text(normalize_inlines(
            [i for i in self._flat(line) if isinstance(i, Inline)]))) for line in lines[1:]]
        summary = " ".join(p for p in [*summary_parts, *extra] if p) or None
        return RelatedItem(title=title, url=url, image=image, summary=summary)

    # -- inlines ----------------------------------------------------------------------------

    def _plain(self, node: Any) -> str:
        return squash(plain_text(normalize_inlines(self._only_inlines(node))))

    def _only_inlines(self, node: Any) -> list[Inline]:
        inline = node if node.type == "inline" or not node.children else node.children[0]
        kids = inline.children if inline.type == "inline" else node.children
        return [LineBreak() if isinstance(i, _Break) and i.hard else
                Text(" ") if isinstance(i, _Break) else
                Text(i.alt) if isinstance(i, Image) else i
                for i in self.inlines(kids)]

    def _flat(self, kids: list[Any]) -> list[Any]:
        return self.inlines(kids)

    def inlines(self, kids: list[Any]) -> list[Any]:
        """Inline nodes, plus images and breaks as markers for the caller."""
        stack: list[tuple[str, list[Any]]] = [("", [])]
        for kid in kids:
            kind = kid.type
            out = stack[-1][1]
            if kind == "text":
                out.append(Text(kid.content))
            elif kind == "softbreak":
                out.append(_Break(hard=False))
            elif kind == "hardbreak":
                out.append(_Break(hard=True))
            elif kind == "code_inline":
                out.append(InlineCode(kid.content))
            elif kind in ("em", "strong", "s"):
                inner = _inlines_only(self.inlines(list(kid.children)))
                make = {"em": Emphasis, "strong": Strong, "s": Strikethrough}[kind]
                out.append(make(tuple(inner)))
            elif kind == "link":
                items = self.inlines(list(kid.children))
                href, title = kid.attrs.get("href", ""), kid.attrs.get("title") or None
                pictures = [i for i in items if not (isinstance(i, Text) and not i.text.strip())]
                if len(pictures) == 1 and isinstance(pictures[0], Image) \
                        and pictures[0].link is None:
                    out.append(replace(pictures[0], link=href))  # a linked picture
                    if title:
                        self.log.warn("markdown-structure", f"dropped the title {title[:40]!r} "
                                      "of a picture's link (a picture keeps its own title)")
                else:
                    inner = _inlines_only(items)
                    if not href.strip() or not normalize_inlines(inner):
                        self.log.warn("markdown-structure", f"read the link to {href[:40]!r}"
                                      + (" (this document)" if not href.strip() else "")
                                      + (" as its text" if normalize_inlines(inner) else
                                         ", which has no text, as nothing"), loss=False)
                    out.append(Link(href, tuple(inner), title=title))
            elif kind == "image":
                alt = squash(plain_text(normalize_inlines(
                    _inlines_only(self.inlines(list(kid.children))))))
                out.append(Image(kid.attrs.get("src", ""), alt,
                                 title=kid.attrs.get("title") or None))
            elif kind == "footnote_ref":
                number = (kid.meta or {}).get("id")
                if isinstance(number, int):
                    self.labels[number] = str((kid.meta or {}).get("label", number))
                    out.append(Note((Paragraph((Text(f"{_NOTE_PLACEHOLDER}{number}"),)),)))
            elif kind == "html_inline":
                self._html_inline(kid.content, stack)
        _unwind(stack, 1)  # tags left open: kept as written, and their content
        return stack[0][1]

    def _html_inline(self, html: str, stack: list[tuple[str, list[Any]]]) -> None:
        """An inline tag: a line break, a picture, the start or end of a span the model has
        (``<em>``, ``<a href>``, ...); any other tag, a comment or a tag left open is kept as
        written (raw HTML)."""
        if _EMPTY_COMMENT.match(html):
            return  # nothing (see html_block)
        match = _HTML_TAG.match(html.strip())
        if not match or (match.group(2).lower() not in _SPAN_TAGS
                         and match.group(2).lower() not in ("a", "br", "img", "code")) \
                or _HTML_ATTRIBUTES_KEPT.search(html) and match.group(2).lower() != "img":
            stack[-1][1].append(RawInline(html))
            return
        closing, tag = match.group(1) == "/", match.group(2).lower()
        if tag == "br" and not closing:
            stack[-1][1].append(_Break(hard=True))
        elif tag == "img" and not closing:
            src = _attribute(html, "src")
            if src:
                stack[-1][1].append(Image(src, squash(_attribute(html, "alt") or ""),
                                          title=_attribute(html, "title") or None))
            else:
                stack[-1][1].append(RawInline(html))
        elif tag in _SPAN_TAGS or tag in ("a", "code"):
            if not closing:
                if tag == "a":  # the tag carries its href: "a\x00HREF"
                    if _attribute(html, "href") is None:
                        stack[-1][1].append(RawInline(html))  # an anchor, not a link
                        return
                    tag = "a\x00" + (_attribute(html, "href") or "")
                if len(stack) > _MAX_OPEN_TAGS:  # kept as written: its closing tag closes nothing
                    stack[-1][1].append(RawInline(html))
                    return
                stack.append((tag + "\x01" + html, []))
            elif (depth := _opened_at(stack, tag)) is not None:
                _unwind(stack, depth + 1)  # the tags opened inside it and left open
                open_tag, content = stack.pop()
                inner = tuple(_inlines_only(content))
                _, _, href = open_tag.partition("\x01")[0].partition("\x00")
                if tag == "code":  # the writer's code span for what backticks cannot carry
                    if all(isinstance(i, Text) for i in content):
                        stack[-1][1].append(InlineCode("".join(i.text for i in content)))
                    else:  # markup inside: kept as written
                        stack[-1][1].extend([RawInline(open_tag.partition("\x01")[2]),
                                             *content, RawInline(html)])
                else:
                    stack[-1][1].append(Link(href, inner) if tag == "a"
                                        else _SPAN_TAGS[tag](inner))
            else:
                stack[-1][1].append(RawInline(html))  # closes nothing


_MAX_OPEN_TAGS = 64  # inline tags open at once; a deeper one is kept as written (raw HTML)


def _opened_at(stack: list[tuple[str, list[Any]]], tag: str) -> int | None:
    """Where on the stack the innermost open ``tag`` is (the stack holds at most
    ``_MAX_OPEN_TAGS`` tags, so the search is bounded)."""
    for depth in range(len(stack) - 1, 0, -1):
        if stack[depth][0].split("\x01", 1)[0].split("\x00", 1)[0] == tag:
            return depth
    return None


def _unwind(stack: list[tuple[str, list[Any]]], depth: int) -> None:
    """Close the tags from ``depth`` up as left open: each is kept as written, followed by its
    content, in the order read (one pass, whatever the depth)."""
    if depth >= len(stack):
        return
    out = stack[depth - 1][1]
    for open_tag, content in stack[depth:]:
        out.append(RawInline(open_tag.partition("\x01")[2]))
        out.extend(content)
    del stack[depth:]


_NOTE_PLACEHOLDER = "\ufffcnote:"
_EMPTY_COMMENT = re.compile(r"\A\s*<!--\s*-->\s*\Z")
# white space kept as written: opened in one HTML block and closed in a later one, it holds
# Markdown paragraphs whose soft breaks the model reads as spaces
_OPEN_PRE = re.compile(r"<(?:pre|textarea|listing|xmp)[\s>]", re.IGNORECASE)
_CLOSE_PRE = re.compile(r"</(?:pre|textarea|listing|xmp)\s*>", re.IGNORECASE)
# what an HTML block holds that no model node says (a comment, a processing instruction, a
# declaration, CDATA), and the attributes of an inline tag that the model's span would lose
_RAW_ONLY = re.compile(r"<!--|<\?|<![A-Za-z]|<!\[CDATA\[")
_HTML_ATTRIBUTES_KEPT = re.compile(r"\s(?!href\b)[A-Za-z_:][\w.:-]*\s*=", re.IGNORECASE)
# The HTML the model says in full: these elements, with these attributes (and artconv's own
# classes); a block with anything else is kept as raw HTML.
_SAID_IN_FULL = frozenset({
    "div", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "p", "br", "hr", "ul", "ol",
    "li", "blockquote", "pre", "code", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong",
    "del", "sub", "sup", "a", "img", "figure", "figcaption", "cite", "aside", "span",
})
_SAID_ATTRIBUTES = frozenset({"href", "src", "alt", "title", "start", "class"})


_BLOCK_LEVEL = frozenset({"table", "p", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3", "h4",
                          "h5", "h6", "hr", "figure", "aside"})


def _said_in_full(fragment: Any) -> bool:
    """Whether the model's blocks say everything an HTML block holds (``fragment`` is its
    parse, in a ``<div>``): elements the model has, with attributes it keeps, and only
    block-level ones at the top (text or a span there renders without a paragraph around it,
    which the model's paragraph would add)."""
    from ..htmlform import vocab as v

    if (fragment.text or "").strip() or any(
            c.tag not in _BLOCK_LEVEL or (c.tail or "").strip() for c in fragment):
        return False
    for el in fragment.iter():
        if not isinstance(el.tag, str):
            return False
        if el.tag not in _SAID_IN_FULL or (el.tag == "div" and el is not fragment):
            return False
        for name, value in el.attrib.items():
            if name not in _SAID_ATTRIBUTES:
                return False
            if name == "class" and not all(c.startswith(v.ALIGN_PREFIX) or c in (
                    v.RELATED, v.RELATED_TITLE, v.RELATED_SUMMARY, v.QUOTE) or (
                    el.tag == "code" and c.startswith(v.LANGUAGE_PREFIX))
                    for c in value.split()):
                return False
    return True


def _attribute(tag: str, name: str) -> str | None:
    """An attribute's value in one HTML tag (references resolved), None when it has none."""
    found = re.search(rf"""\s{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", tag,
                      re.IGNORECASE)
    if found is None:
        return None
    return unescape(next(g for g in found.groups() if g is not None))
_ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}


def _placeholder(node: Inline) -> int | None:
    """The footnote number a placeholder note stands for (see :meth:`_Reader.inlines`)."""
    if isinstance(node, Note) and len(node.blocks) == 1 and isinstance(node.blocks[0], Paragraph):
        kids = node.blocks[0].children
        if len(kids) == 1 and isinstance(kids[0], Text) \
                and kids[0].text.startswith(_NOTE_PLACEHOLDER):
            digits = kids[0].text[len(_NOTE_PLACEHOLDER):]
            return int(digits) if digits.isdigit() else None
    return None


def _join_halves(before: Block, after: Block) -> Block | None:
    """A table or list cut between two parts of a long document, whole again."""
    if isinstance(before, Table) and isinstance(after, Table):
        return replace(before, rows=before.rows + after.rows[after.header_rows:])
    if isinstance(before, ListBlock) and isinstance(after, ListBlock) \
            and before.ordered == after.ordered:
        return replace(before, items=before.items + after.items,
                       tight=before.tight and after.tight)
    return None


class _Break:
    __slots__ = ("hard",)

    def __init__(self, *, hard: bool) -> None:
        self.hard = hard


def _inlines_only(items: list[Any]) -> list[Inline]:
    out: list[Inline] = []
    for item in items:
        if isinstance(item, _Break):
            out.append(LineBreak() if item.hard else Text(" "))
        elif isinstance(item, Image):
            if item.alt:
                out.append(Text(item.alt))
        else:
            out.append(item)
    return out
