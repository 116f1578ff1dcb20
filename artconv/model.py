"""The document model every reader produces and every writer consumes.

The model is small and closed: an :class:`Article` is its :class:`Meta` and a tuple of blocks;
text lives in inline nodes. Every node is a frozen dataclass, so a writer cannot change the
document it was given and one article can go to several formats safely.
"""

from __future__ import annotations

from .records import fields, record, replace

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, ClassVar, TypeVar

# Nesting deeper than this is flattened by the readers (or refused by the JSON reader), so that
# writers may recurse freely.
MAX_DEPTH = 48
# The largest number an ordered list may start at: what CommonMark can write (nine digits).
MAX_LIST_START = 999_999_999
# Header rows a table may have (a bound the JSON Schema states; real tables have one or two).
MAX_HEADER_ROWS = 1000


# ---------------------------------------------------------------------------------------------
# Inline nodes


@record
class Text:
    TYPE: ClassVar[str] = "text"
    text: str


@record
class InlineCode:
    TYPE: ClassVar[str] = "code"
    text: str


@record
class LineBreak:
    TYPE: ClassVar[str] = "linebreak"


@record
class Emphasis:
    TYPE: ClassVar[str] = "emphasis"
    children: tuple[Inline, ...]


@record
class Strong:
    TYPE: ClassVar[str] = "strong"
    children: tuple[Inline, ...]


@record
class Strikethrough:
    TYPE: ClassVar[str] = "strikethrough"
    children: tuple[Inline, ...]


@record
class Subscript:
    TYPE: ClassVar[str] = "subscript"
    children: tuple[Inline, ...]


@record
class Superscript:
    TYPE: ClassVar[str] = "superscript"
    children: tuple[Inline, ...]


@record
class Link:
    TYPE: ClassVar[str] = "link"
    JSON_ORDER: ClassVar[tuple[str, ...]] = ("href", "title", "children")
    SINCE_VERSION_2: ClassVar[tuple[str, ...]] = ("title",)
    href: str
    children: tuple[Inline, ...]
    title: str | None = None
    """The advisory title (a tooltip): ``[text](url "title")``, ``<a title>``."""


@record
class RawInline:
    """An HTML tag (or comment) of a Markdown input that the model has no node for, as
    written; see :mod:`artconv.rawhtml`."""

    TYPE: ClassVar[str] = "raw_html"
    html: str


@record
class Note:
    """A footnote: where it is referred to, with its content (pandoc's ``Note``)."""

    TYPE: ClassVar[str] = "note"
    blocks: tuple[Block, ...]


if TYPE_CHECKING:
    Inline = (Text | InlineCode | LineBreak | Emphasis | Strong | Strikethrough | Subscript
              | Superscript | Link | Note | RawInline)
    Inlines = tuple[Inline, ...]
else:  # at run time, a tuple of classes that isinstance() accepts
    Inline = (Text, InlineCode, LineBreak, Emphasis, Strong, Strikethrough, Subscript,
              Superscript, Link, Note, RawInline)

# Inline containers: same shape (children only), differing in meaning.
SPAN_TYPES: tuple[type, ...] = (Emphasis, Strong, Strikethrough, Subscript, Superscript)
INLINE_TYPES: tuple[type, ...] = (Text, InlineCode, LineBreak, *SPAN_TYPES, Link, Note,
                                  RawInline)


# ---------------------------------------------------------------------------------------------
# Blocks


@record
class Paragraph:
    TYPE: ClassVar[str] = "paragraph"
    children: Inlines


@record
class Heading:
    TYPE: ClassVar[str] = "heading"
    BOUNDS: ClassVar[dict[str, tuple[int, int]]] = {"level": (1, 6)}
    level: int
    children: Inlines


@record
class Image:
    """A picture; ``src`` is spelled exactly as the input wrote it."""

    TYPE: ClassVar[str] = "image"
    JSON_ORDER: ClassVar[tuple[str, ...]] = ("src", "alt", "title", "link", "caption")
    SINCE_VERSION_2: ClassVar[tuple[str, ...]] = ("title", "link")
    src: str
    alt: str = ""
    caption: Inlines | None = None
    title: str | None = None
    """The advisory title: ``![alt](src "title")``, ``<img title>``."""
    link: str | None = None
    """Where the picture links to: ``[![alt](src)](link)``."""


@record
class Quote:
    TYPE: ClassVar[str] = "quote"
    blocks: tuple[Block, ...]
    attribution: Inlines | None = None


@record
class ListBlock:
    TYPE: ClassVar[str] = "list"
    BOUNDS: ClassVar[dict[str, tuple[int, int]]] = {"start": (0, MAX_LIST_START)}
    JSON_ORDER: ClassVar[tuple[str, ...]] = ("ordered", "start", "tight", "items")
    SINCE_VERSION_2: ClassVar[tuple[str, ...]] = ("tight",)
    ordered: bool
    items: tuple[tuple[Block, ...], ...]
    start: int = 1
    tight: bool = True
    """Items without space between them (Markdown ``- a\n- b``, HTML ``<li>a</li>``); a loose
    list sets its items' paragraphs apart."""


@record
class CodeBlock:
    TYPE: ClassVar[str] = "code"
    text: str
    language: str | None = None


@record
class Rule:
    TYPE: ClassVar[str] = "rule"


@record
class Table:
    """Rows of cells, each cell a tuple of inlines; the first ``header_rows`` rows are headers."""

    TYPE: ClassVar[str] = "table"
    BOUNDS: ClassVar[dict[str, tuple[int, int]]] = {"header_rows": (0, MAX_HEADER_ROWS)}
    JSON_ORDER: ClassVar[tuple[str, ...]] = ("header_rows", "align", "rows")
    SINCE_VERSION_2: ClassVar[tuple[str, ...]] = ("align",)
    rows: tuple[tuple[Inlines, ...], ...]
    header_rows: int = 0
    align: tuple[str, ...] = ()
    """Each column's alignment, ``left``, ``center``, ``right`` or ``""`` (the default)."""


@record
class RelatedItem:
    title: str
    url: str | None = None
    image: str | None = None
    summary: str | None = None


@record
class Related:
    """Links to other articles ("Read also", "More from the section"), where the input has them."""

    TYPE: ClassVar[str] = "related"
    heading: str | None
    items: tuple[RelatedItem, ...]


@record
class RawBlock:
    """An HTML block of a Markdown input that the model cannot say without loss (a
    ``<div>``, ``<details>``, a custom element), as written; see :mod:`artconv.rawhtml`."""

    TYPE: ClassVar[str] = "raw_html"
    html: str


BLOCK_TYPES: tuple[type, ...] = (
    Paragraph, Heading, Image, Quote, ListBlock, CodeBlock, Rule, Table, Related, RawBlock
)
if TYPE_CHECKING:
    Block = (Paragraph | Heading | Image | Quote | ListBlock | CodeBlock | Rule | Table
             | Related | RawBlock)
    Blocks = tuple[Block, ...]
else:
    Block = BLOCK_TYPES


@record
class MetaField:
    """A metadata field the model has no name for (an unknown front matter key): its value is
    kept as the input wrote it (YAML source text for front matter)."""

    name: str
    value: str


@record
class Meta:
    SINCE_VERSION_2: ClassVar[tuple[str, ...]] = (
        "modified", "categories", "tags", "description", "image", "hostname", "license", "extra")
    """The fields JSON version 1 did not have (docs/json.md): a version 1 document takes their
    defaults. Every record says this of its own fields, so that the codec derives it."""
    title: str = ""
    subtitle: str | None = None
    """The standfirst: the lead shown under the headline."""
    authors: tuple[str, ...] = ()
    date: str | None = None
    """When the article was published, ISO 8601 as found."""
    modified: str | None = None
    """When it was last changed, ISO 8601 as found."""
    lang: str | None = None
    section: str | None = None
    """The rubric the article stands in."""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    description: str | None = None
    """The summary a page gives for search engines and link previews."""
    image: str | None = None
    """The picture a page gives for link previews, as written."""
    site: str | None = None
    hostname: str | None = None
    url: str | None = None
    license: str | None = None
    extra: tuple[MetaField, ...] = ()


@record
class Article:
    meta: Meta
    blocks: Blocks


if TYPE_CHECKING:
    Node = Article | Block | Inline | RelatedItem
    N = TypeVar("N")


# ---------------------------------------------------------------------------------------------
# Walking


def _list_children(node: ListBlock) -> tuple[object, ...]:
    return tuple(block for item in node.items for block in item)


def _table_children(node: Table) -> tuple[object, ...]:
    return tuple(inline for row in node.rows for cell in row for inline in cell)


_CHILDREN: dict[type, Callable[[Any], tuple[object, ...]]] = {
    Article: lambda node: node.blocks,
    Paragraph: lambda node: node.children,
    Heading: lambda node: node.children,
    Link: lambda node: node.children,
    Note: lambda node: node.blocks,
    **{span: (lambda node: node.children) for span in SPAN_TYPES},
    Image: lambda node: node.caption or (),
    Quote: lambda node: node.blocks + (node.attribution or ()),
    ListBlock: _list_children,
    Table: _table_children,
    Related: lambda node: node.items,
}


def _no_children(node: object) -> tuple[object, ...]:
    return ()


def children_of(node: object) -> tuple[object, ...]:
    """The direct child nodes of any model node, in document order."""
    return _CHILDREN.get(type(node), _no_children)(node)


def walk(node: object) -> Iterator[object]:
    """Every node under ``node`` (itself included), depth first, in document order.

    Iterative, so that pathological nesting cannot exhaust the stack.
    """
    stack = [node]
    pop, extend, get = stack.pop, stack.extend, _CHILDREN.get
    while stack:
        current = pop()
        yield current
        kids = get(type(current), _no_children)(current)
        if kids:
            extend(reversed(kids))


def plain_text(inlines: Inlines | None) -> str:
    """The text of inline nodes, a line break read as a space."""
    if not inlines:
        return ""
    parts: list[str] = []
    stack: list[Inline] = list(reversed(inlines))
    while stack:  # a note's text is not the text it is attached to
        node = stack.pop()
        if isinstance(node, (Text, InlineCode)):
            parts.append(node.text)
        elif isinstance(node, LineBreak):
            parts.append(" ")
        elif not isinstance(node, (Note, RawInline)):
            stack.extend(reversed(node.children))  # type: ignore[union-attr]
    return "".join(parts)


def transform(node: N, fn: Callable[[object], object]) -> N:
    """Rebuild ``node`` bottom-up, passing every node (children first) through ``fn``.

    ``fn`` returns the node to put in place (itself when unchanged). Used for passes such as
    making every URL absolute.
    """
    changes: dict[str, object] = {}
    for name in fields(node):
        value = getattr(node, name)
        new = _transform_value(value, fn)
        if new is not value:
            changes[name] = new
    rebuilt = replace(node, **changes) if changes else node  # type: ignore[type-var]
    return fn(rebuilt)  # type: ignore[return-value]


def _transform_value(value: object, fn: Callable[[object], object]) -> object:
    if isinstance(value, tuple):
        items = [_transform_value(v, fn) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return tuple(items)
    if isinstance(value, (Meta, RelatedItem, *INLINE_TYPES, *BLOCK_TYPES)):
        return transform(value, fn)
    return value


# ---------------------------------------------------------------------------------------------
# Normal form

ALIGNMENTS = ("left", "center", "right")


def tight_fits(items: tuple[tuple[Block, ...], ...]) -> bool:
    """Whether a list's items can be tight (written without blank lines): within an item, a
    block that is not closed on its own line (a paragraph, a picture, a quote, a list) may be
    followed only by one that interrupts it (a list, a quote, a heading, code, a rule; not a
    quote after a quote, nor a list after a list, which would merge), and nothing may follow an
    HTML block (a table, raw HTML), which runs to the next blank line; an item that holds a
    related block (its marker and list stand apart) or a list that cannot interrupt a
    paragraph right after one is loose."""
    for item in items:
        if any(isinstance(block, Related) for block in item):
            return False  # written as a marker, a blank line and its list
        for first, second in zip(item, item[1:], strict=False):
            if isinstance(first, (CodeBlock, Heading, Rule)):
                continue  # closed on its own line: anything may follow
            if isinstance(first, (Table, RawBlock)) or not isinstance(
                    second, (ListBlock, Quote, Heading, CodeBlock, Rule)) \
                    or type(first) is type(second) and isinstance(first, (Quote, ListBlock)) \
                    or isinstance(first, (Paragraph, Image)) and isinstance(second, ListBlock) \
                    and not _interrupts_paragraph(second):
                return False
    return True


def _interrupts_paragraph(block: ListBlock) -> bool:
    """Whether a list can start right under a paragraph's line (CommonMark 5.3): its first
    item is not empty, and an ordered one starts at 1."""
    return bool(block.items) and bool(block.items[0]) and (
        not block.ordered or block.start == 1)


def normal_tight(items: tuple[tuple[Block, ...], ...], tight: bool) -> bool:
    """A list's tightness in normal form: a list whose items hold no paragraph, or that is
    one item of one block, is tight (no format tells the two apart), one that cannot be
    written tight is loose."""
    if not any(isinstance(b, Paragraph) for item in items for b in item):
        return True
    if len(items) == 1 and len(items[0]) <= 1:
        return True  # nothing to set apart: Markdown has no loose list of one lone paragraph
    return tight and tight_fits(items)


def normal_align(align: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """A table's column alignments in normal form: known values only (others are the
    default, ``""``), without trailing defaults."""
    out = [a if a in ALIGNMENTS else "" for a in align]
    while out and not out[-1]:
        out.pop()
    return tuple(out)


def normalize_inlines(inlines: Inlines | list[Inline]) -> Inlines:
    """Merge adjacent text, drop empty nodes and collapse whitespace at the edges.

    Two inline sequences that render the same have the same normal form; readers call this so
    that every format yields the same model for the same content.
    """
    if len(inlines) == 1 and type(inlines[0]) is Text and _plain(inlines[0].text):
        return inlines if isinstance(inlines, tuple) else (inlines[0],)  # most paragraphs
    merged = _merge(inlines)
    # trim leading and trailing white space (and line breaks) of the whole run; a node that
    # was only white space goes, and the next one is trimmed in its turn
    trimmed_any = False
    for edge, left in ((0, True), (-1, False)):
        while merged:
            if isinstance(merged[edge], LineBreak):
                merged.pop(edge)
                trimmed_any = True
                continue
            trimmed = _strip_edge(merged[edge], left=left)
            if trimmed is None:
                merged.pop(edge)
                trimmed_any = True
                continue
            if trimmed is not merged[edge]:
                merged[edge] = trimmed
                trimmed_any = True
            break
    # merging is idempotent: only a run that trimming changed needs merging again
    result = tuple(_merge(merged)) if trimmed_any else tuple(merged)
    if result and not any(_visible(node) for node in result):
        return ()  # only white space (no-break spaces, say): a spacer, not content
    return result


def _plain(text: str) -> bool:
    """Text already in normal form on its own: no white space to collapse or trim, and some
    to see."""
    return bool(text) and text[0] not in _ASCII_SPACE and text[-1] not in _ASCII_SPACE \
        and "  " not in text and "\n" not in text and "\t" not in text and "\r" not in text \
        and not text.isspace()


def _visible(node: Inline) -> bool:
    if isinstance(node, Text):
        return not node.text.isspace()
    if isinstance(node, (InlineCode, Note, RawInline)):
        return True
    if isinstance(node, LineBreak):
        return False
    return any(_visible(k) for k in node.children)  # type: ignore[union-attr]


def _merge(inlines: Inlines | list[Inline]) -> list[Inline]:  # noqa: C901 - one pass, cases
    """Adjacent text merged (white space collapsed), adjacent code spans and adjacent spans of
    one kind merged, empty nodes dropped. Runs are gathered and joined once, so the cost is
    linear in the number of nodes whatever their order."""
    out: list[Inline] = []
    texts: list[str] = []  # the text run being gathered
    codes: list[str] = []  # the code span run being gathered
    span: list[Inline | _Open] = []  # the children of the span run being gathered
    span_node: Inline | None = None

    def flush() -> None:
        nonlocal span_node
        if texts:
            text = _collapse("".join(texts))
            texts.clear()
            if text:
                out.append(Text(text))
        if codes:
            out.append(InlineCode("".join(codes)))
            codes.clear()
        if span_node is not None:
            out.append(replace(span_node, children=tuple(_close(span))))
            span.clear()
            span_node = None

    def push_text(text: str) -> None:
        if text:
            if codes or span_node is not None:
                flush()
            texts.append(text)

    for node in inlines:
        if isinstance(node, Text):
            push_text(node.text)
        elif isinstance(node, InlineCode):
            text = node.text
            if "\n" in text or "\r" in text:  # a code span is one line
                text = " ".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
            if text:
                if texts or span_node is not None:
                    flush()
                codes.append(text)  # `a``b` renders as one span
        elif isinstance(node, LineBreak):
            if texts:
                joined = _collapse("".join(texts)).rstrip(" ")
                texts.clear()
                if joined:
                    texts.append(joined)
            flush()
            if out and isinstance(out[-1], LineBreak):
                continue  # a run of line breaks is one (two in HTML end the paragraph)
            out.append(node)
        elif isinstance(node, Note):
            if node.blocks:  # a note without content refers to nothing
                flush()
                out.append(node)
        elif isinstance(node, RawInline):
            if node.html:
                flush()
                out.append(node)
        else:  # a span or a link
            notes: list[Inline] = []
            kids = _merge(_strip_links(node.children, notes) if isinstance(node, Link)
                          else node.children)
            lead = bool(kids) and isinstance(kids[0], Text) and kids[0].text.startswith(" ")
            trail = bool(kids) and isinstance(kids[-1], Text) and kids[-1].text.endswith(" ")
            if lead:
                kids[0] = Text(kids[0].text.lstrip(" "))  # type: ignore[union-attr]
            if trail:
                kids[-1] = Text(kids[-1].text.rstrip(" "))  # type: ignore[union-attr]
            kids = [k for k in kids if not (isinstance(k, Text) and not k.text)]
            if lead or (not kids and any(isinstance(k, Text) for k in node.children)):
                push_text(" ")
            if kids:
                if span_node is not None and type(span_node) is type(node) \
                        and not isinstance(node, Link) and not texts and not codes:
                    _join_into(span, kids)
                else:
                    flush()
                    if isinstance(node, Link):
                        out.append(replace(node, children=tuple(kids)))
                    else:
                        span_node = node
                        span.extend(kids)
            if notes:  # a link's notes follow it (a link holds no link, a note's is one)
                flush()
                out.extend(notes)
            if trail:
                push_text(" ")
    flush()
    # a space right after a line break is not visible
    for i in range(1, len(out)):
        if isinstance(out[i], Text) and isinstance(out[i - 1], LineBreak):
            out[i] = Text(out[i].text.lstrip(" "))  # type: ignore[union-attr]
    return [n for n in out if not (isinstance(n, Text) and not n.text)]


class _Open:
    """A span at the end of a run that may still take children (see ``_join_into``)."""

    __slots__ = ("node", "kids")

    def __init__(self, node: Inline, kids: list[Inline | _Open]) -> None:
        self.node = node
        self.kids = kids


def _join_into(run: list[Inline | _Open], more: list[Inline]) -> None:
    """Append the merged run ``more`` to the merged run ``run``, merging across the seam only:
    text meets text, a code span meets a code span, a span meets a span of its kind (whose
    children meet in their turn). A span that takes more children stays open (mutable) until
    the run is closed, so joining many siblings, at any depth, costs their size once."""
    start = 0
    if more and run:
        last, first = run[-1], more[0]
        start = 1
        if isinstance(last, Text) and isinstance(first, Text):
            run[-1] = Text(last.text + first.text)
        elif isinstance(last, InlineCode) and isinstance(first, InlineCode):
            run[-1] = InlineCode(last.text + first.text)
        elif isinstance(last, LineBreak) and isinstance(first, LineBreak):
            pass  # a run of line breaks is one
        elif _same_span(last.node if isinstance(last, _Open) else last, first):
            if not isinstance(last, _Open):
                last = run[-1] = _Open(last, list(last.children))  # type: ignore[union-attr]
            _join_into(last.kids, list(first.children))  # type: ignore[union-attr]
        else:
            start = 0
    if start < len(more):
        _close(run)
        run.extend(more[start:])


def _same_span(a: Inline, b: Inline) -> bool:
    return type(a) is type(b) and hasattr(b, "children") and not isinstance(b, Link)


def _shut(open_span: _Open) -> Inline:
    return replace(open_span.node, children=tuple(_close(open_span.kids)))  # type: ignore[type-var]


def _close(run: list[Inline | _Open]) -> list[Inline]:
    """The run with its open span (only ever the last node) made a span again."""
    if run and isinstance(run[-1], _Open):
        run[-1] = _shut(run[-1])
    return run  # type: ignore[return-value]


def _strip_links(nodes: tuple[Inline, ...], notes: list[Inline]) -> list[Inline]:
    """A link's content without links in it at any depth (links do not nest in HTML), and
    without its notes (their references are links), which go to ``notes``."""
    return _strip_kind(_pull(nodes, Note, notes) if _holds(nodes, Note) else list(nodes),
                       Link)


def _holds(nodes: tuple[Inline, ...] | list[Inline], kind: type) -> bool:
    return any(isinstance(n, kind) or (isinstance(n, (Link, *SPAN_TYPES))
                                       and _holds(n.children, kind))  # type: ignore[union-attr]
               for n in nodes)


def _pull(nodes: tuple[Inline, ...] | list[Inline], kind: type,
          pulled: list[Inline]) -> list[Inline]:
    """``nodes`` without those of ``kind`` at any depth, which go to ``pulled``."""
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, kind):
            pulled.append(node)
        elif isinstance(node, (Link, *SPAN_TYPES)):
            out.append(replace(node, children=tuple(_pull(node.children, kind,  # type: ignore
                                                          pulled))))
        else:
            out.append(node)
    return out


def _strip_kind(nodes: tuple[Inline, ...] | list[Inline], kind: type) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, kind):
            out.extend(_strip_kind(node.children, kind))  # type: ignore[union-attr]
        elif isinstance(node, (Link, *SPAN_TYPES)):
            kids = _strip_kind(node.children, kind)  # type: ignore[union-attr]
            out.append(replace(node, children=tuple(kids)))
        else:
            out.append(node)
    return out


def _collapse(text: str) -> str:
    if "  " in text or "\n" in text or "\t" in text or "\r" in text:
        return " ".join(_split_ws(text)) if text.strip(" \t\n\r") else " "
    return text


def _split_ws(text: str) -> list[str]:
    # split on ASCII white space only: a no-break space is text
    parts = text.replace("\t", " ").replace("\n", " ").replace("\r", " ").split(" ")
    words = [p for p in parts if p]
    lead = " " if text[:1] in " \t\n\r" else ""
    trail = " " if text[-1:] in " \t\n\r" else ""
    if words:
        words[0] = lead + words[0]
        words[-1] = words[-1] + trail
    return words


_ASCII_SPACE = " \t\n\r\f\v"


def _strip_edge(node: Inline, *, left: bool) -> Inline | None:
    """White space and line breaks at the edge of a block are not content. White space here
    is ASCII's: a no-break space or an ideographic space that a page puts at the start of a
    paragraph indents it, and stays (the Markdown writer writes it as a reference)."""
    if isinstance(node, Text):
        text = node.text.lstrip(_ASCII_SPACE) if left else node.text.rstrip(_ASCII_SPACE)
        if not text:
            return None
        return node if text == node.text else Text(text)  # unchanged: the same node
    if isinstance(node, LineBreak):
        return None
    if isinstance(node, (Link, *SPAN_TYPES)):
        kids = list(node.children)  # type: ignore[union-attr]
        idx = 0 if left else -1
        changed = False
        while kids:
            edge = _strip_edge(kids[idx], left=left)
            if edge is kids[idx]:
                break
            changed = True
            if edge is None:
                kids.pop(idx)
                continue
            kids[idx] = edge
            break
        if not changed:
            return node
        if not kids:
            return None
        return replace(node, children=tuple(kids))
    return node


def clean_strings(article: Article, *, checked: bool = False) -> Article:
    """The article with every string passed through :func:`artconv.textutil.clean_text`
    (``checked``: the caller knows some string needs it)."""
    from .textutil import clean_text, is_clean

    def clean(node: object) -> object:
        changes: dict[str, object] = {}
        for name in fields(node):
            value = getattr(node, name)
            if isinstance(value, str):
                cleaned = clean_text(value)
                if cleaned is not value and cleaned != value:
                    changes[name] = cleaned
            elif isinstance(value, tuple) and value and isinstance(value[0], str):
                cleaned_tuple = tuple(clean_text(v) for v in value)
                if cleaned_tuple != value:
                    changes[name] = cleaned_tuple
        return replace(node, **changes) if changes else node

    if not checked and all(is_clean(v) for node in (article.meta, *walk(article))
                           for name in fields(node) for v in _strings(getattr(node, name))):
        return article  # a look costs a fifth of a rebuild, and most articles are clean
    cleaned = transform(article, clean)
    return article if cleaned is article else _drop_empty(cleaned)


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple) and value and isinstance(value[0], str):
        return value
    return ()


def _drop_empty(article: Article) -> Article:
    """The article in normal form again after cleaning took characters away."""
    return transform(article, normal_node)


def normal_node(node: object) -> object:
    """One node in the model's normal form, its children being in it already (so that
    :func:`transform` with it gives the normal form of a whole tree): inline runs normalised
    (:func:`normalize_inlines`), and paragraphs, headings, quotes and code blocks left empty
    removed from their parent. Every reader's output is in it; the JSON reader, the pipeline's
    passes and the tests' ``canonical`` use this one definition."""
    if isinstance(node, (Paragraph, Heading)):
        children = normalize_inlines(node.children)
        return node if children == node.children else replace(node, children=children)
    if isinstance(node, Image) and node.caption is not None:
        return replace(node, caption=normalize_inlines(node.caption) or None)
    if isinstance(node, Quote):
        blocks = tuple(b for b in node.blocks if not _empty(b))
        attribution = normalize_inlines(node.attribution) if node.attribution else None
        return replace(node, blocks=blocks, attribution=attribution or None)
    if isinstance(node, ListBlock):
        return replace(node, items=tuple(tuple(b for b in item if not _empty(b))
                                         for item in node.items))
    if isinstance(node, Table):
        return replace(node, rows=tuple(tuple(normalize_inlines(c) for c in row)
                                        for row in node.rows))
    if isinstance(node, Article):
        return replace(node, blocks=tuple(b for b in node.blocks if not _empty(b)))
    return node


def _empty(block: object) -> bool:
    if isinstance(block, Quote):
        return not block.blocks and not block.attribution
    if isinstance(block, CodeBlock):
        return not block.text.strip()
    return isinstance(block, (Paragraph, Heading)) and not block.children


def text_only(text: str) -> Inlines:
    """Inlines for a plain string (empty tuple for an empty string)."""
    return normalize_inlines((Text(text),))
