"""Hypothesis strategies for articles, derived from the model's own description
(:mod:`artconv.modelspec`): every node type and every field the model has, without a list kept
by hand. Strings are drawn from all of Unicode (right-to-left scripts, combining marks, astral
characters, controls, every kind of white space), URLs from every shape a page may hold.

:func:`articles` gives arbitrary articles passed through the pipeline's own pass (strings
cleaned, unsafe URLs dropped) and brought to the normal form (:func:`canonical`): what a reader
could have produced, and so what every format must carry back unchanged.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import strategies as st

from artconv import model
from artconv.errors import Log
from artconv.mdform import FRONT_MATTER_NAMES, META_FIELDS
from artconv.model import (
    Article,
    CodeBlock,
    Heading,
    Image,
    LineBreak,
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
    Table,
    Text,
    normal_node,
    normal_tight,
    normalize_inlines,
    transform,
    walk,
)
from artconv.modelspec import Nodes, Optional, Record, Scalar, Sequence, by_type, shape_of
from artconv.options import ReadOptions
from artconv.pipeline import finish
from artconv.records import replace

# Characters: all of Unicode (no lone surrogates: Python's UTF-8 cannot carry them), weighted
# towards what markup gives meaning to, and towards scripts and marks that break naive code.
MARKUP = "*_~`#>+-=|\\/<&[]()!:.,;\"'{}%@^$\u00a0 \t"
SCRIPTS = ("abcxyzABC0129ЁЖЯжяё\u0627\u0644\u0639\u0631\u0628\u05e9\u05dc\u05d5\u05dd"
           "\u4e2d\u6587\u65e5\u672c\u0928\u092e\u0e44\u0e17\u00e9\u0301\u0308\u200d"
           "\U0001f600\U0001f44d\U00010348\u202e\u200b\u2028\u3000\ufeff")
CHARACTERS = st.one_of(
    st.sampled_from(MARKUP),
    st.sampled_from(SCRIPTS),
    st.characters(exclude_categories=("Cs",)),
)
TEXT = st.text(CHARACTERS, min_size=1, max_size=25)

# URLs of every shape: absolute, relative, protocol-relative, IDN hosts, IP literals, ports,
# spaces, brackets and parentheses, percent-escapes (good and bad), queries and fragments,
# unsafe schemes (which the pipeline drops).
_HOSTS = st.sampled_from(["example.com", "пример.рф", "straße.de", "例え.jp", "[::1]",
                          "127.0.0.1", "exa_mple.com", "xn--e1afmkfd.xn--p1ai"])
_PATH = st.lists(st.sampled_from(list("abc/._-~()[] %2Fé$&'+,;=:@?#") + ["%20", "%zz", "я"]),
                max_size=12).map("".join)
URLS = st.one_of(
    st.builds(lambda scheme, host, port, path: f"{scheme}://{host}{port}/{path}",
              st.sampled_from(["http", "https", "HTTPS"]), _HOSTS,
              st.sampled_from(["", ":8080"]), _PATH),
    st.builds(lambda path: f"/{path}", _PATH),
    _PATH.filter(bool),
    st.builds(lambda host, path: f"//{host}/{path}", _HOSTS, _PATH),
    st.builds(lambda user: f"mailto:{user}@example.com", st.text("abc.+", min_size=1)),
    st.sampled_from(["javascript:alert(1)", "data:text/html,x", "file:///etc/hostname",
                     "java\tscript:alert(1)", "#fragment", "?query=1"]),
)
# A picture's source: not a bare fragment ("#", "#top"), which names the page itself and which
# the HTML reader takes for a lazy-loading placeholder (htmlform/images.py)
PICTURES = st.one_of(
    st.sampled_from(["72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg", "/upload/x.jpg",
                     "images/лес и озеро.jpg", "pic (1).gif", "a&amp;b.png"]),
    URLS.filter(lambda url: not url.startswith("#")),
)
# A reader gives every article a language when it can tell one: the strategy always does
# (an article without one would get one from detection when read back).
LANGUAGES = st.sampled_from(["en", "ru", "de-AT", "zh-Hant-TW", "ar", "he", "sr-Latn", "en_US"])
DATES = st.one_of(st.sampled_from(["2021-02-01T10:15:00+10:00", "2024-05-02", "3650-05-02",
                                   "1 февраля 2021"]), TEXT)
CODE_LANGUAGES = st.one_of(st.sampled_from(["python", "c++", "objective-c", "sh"]), TEXT)
CODE = st.lists(st.one_of(CHARACTERS, st.just("\n"), st.sampled_from(["```", "~~~"])),
                min_size=1, max_size=40).map("".join)


# A front matter field the model has no name for: a plain key, and a value as YAML source text
# (what the Markdown reader keeps and its writer gives back as it was: README, "Known limits")
EXTRA_NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda name: name not in FRONT_MATTER_NAMES)
EXTRA_VALUES = st.one_of(
    st.sampled_from(["3", "yes", "[a, b]", "{x: 1, y: [2]}", "'single'", '"double"',
                     "\n  - a\n  - b", "\n  main:\n    parent: news", "|\n  line one\n  line two",
                     ">\n  folded\n  text", "2024-05-02", "~", "-1.5e3"]),
    st.from_regex(r"[A-Za-z][A-Za-z0-9 ]{0,20}[A-Za-z0-9]", fullmatch=True))


# Raw HTML as a Markdown reader keeps it and the one sanitiser leaves it: blocks that a
# Markdown parser reads back as one HTML block, balanced, of elements and attributes the allow
# list holds (an unknown element without a hyphen is inert: kept); tags (and comments) it reads
# as one inline tag that close nothing they did not open. Unbalanced and hostile raw HTML has
# properties of its own (tests/test_dialects.py).
RAW_BLOCKS = st.sampled_from([
    "<details>\n<summary>More</summary>\nHidden <kbd>text</kbd>.\n</details>",
    '<div class="note" id="n1">\n<p>In a box.</p>\n</div>', "<!-- a comment -->",
    "<warning>\nx\n</warning>", "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>\n</dl>",
])
RAW_INLINES = st.sampled_from(["<!-- note -->", "<wbr>"])
ALIGNMENTS = st.sampled_from(["", "left", "center", "right"])


def _string(owner: type, name: str) -> st.SearchStrategy:
    """The strings a field holds, by what the field is."""
    if owner is MetaField:
        return EXTRA_NAMES if name == "name" else EXTRA_VALUES
    if owner is RawBlock:
        return RAW_BLOCKS
    if owner is RawInline:
        return RAW_INLINES
    if owner is Table and name == "align":
        return ALIGNMENTS
    if name == "link":
        return URLS
    if name in ("href", "url"):
        return URLS
    if name in ("src", "image"):
        return PICTURES
    if name == "lang":
        return LANGUAGES.map(lambda tag: tag.replace("_", "-"))
    if name in ("date", "modified"):
        return DATES
    if owner is CodeBlock:
        return CODE if name == "text" else CODE_LANGUAGES
    return TEXT


def _value(owner: type, name: str, shape: Any, depth: int, raw: bool = True
           ) -> st.SearchStrategy:
    if isinstance(shape, Scalar):
        if shape.kind == "str":
            return _string(owner, name)
        if shape.kind == "bool":
            return st.booleans()
        low, high = shape.bounds or (0, 100)
        return st.one_of(st.integers(low, min(high, low + 5)), st.just(high))
    if isinstance(shape, Optional):
        inner = _value(owner, name, shape.inner, depth, raw)
        return inner if owner is Meta and name == "lang" else st.none() | inner
    if isinstance(shape, Sequence):
        size = 3 if depth > 0 else 2
        return st.lists(_value(owner, name, shape.inner, depth, raw), max_size=size).map(tuple)
    if isinstance(shape, Nodes):
        return _node(shape.family, depth - 1, raw)
    if isinstance(shape, Record):
        return _record(shape.cls, depth, raw)
    raise TypeError(shape)


@functools.cache
def _record(cls: type, depth: int, raw: bool = True) -> st.SearchStrategy:
    return st.deferred(lambda: st.builds(cls, **{name: _value(cls, name, shape, depth, raw)
                                                 for name, shape in shape_of(cls)}))


@functools.cache
def _node(family: str, depth: int, raw: bool = True) -> st.SearchStrategy:
    classes = [c for c in by_type(family).values()
               if raw or c not in (RawBlock, RawInline)]
    if depth <= 0:  # leaves only: nodes without children of their own family
        classes = [c for c in classes if not any(
            _holds(shape, family) for _, shape in shape_of(c))]
    return st.one_of([_record(cls, depth, raw) for cls in classes])


def _holds(shape: Any, family: str) -> bool:
    if isinstance(shape, Nodes):
        return shape.family == family
    if isinstance(shape, (Optional, Sequence)):
        return _holds(shape.inner, family)
    return False


def raw_articles(depth: int = 3, raw: bool = True) -> st.SearchStrategy:
    """Arbitrary articles, as the model allows them (not the normal form); without raw HTML
    when ``raw`` is false."""
    return _record(Article, depth, raw)


# ---------------------------------------------------------------------------------------------
# What a reader produces: the pipeline's pass and the normal form


def canonical(article: Article) -> Article:
    """``article`` as a reader would give it: through the pipeline's pass (cleaning, URL
    policy, code languages), in the model's normal form (:func:`artconv.model.normal_node`,
    the one definition the readers use), and what the formats state as their limits applied
    (README, "Known limits"): headings below level 2, table cells and attributions without line
    breaks, ordered lists only start at a number, code without trailing white space lines,
    related items with a title, metadata on one line, empty tables and related blocks gone."""
    article = finish(article, ReadOptions(), Log())
    return transform(article, lambda node: normal_node(_limits(node)))


def _no_breaks(inlines: tuple) -> list:
    return [Text(" ") if isinstance(c, LineBreak) else c for c in inlines]


def _squash(value: object) -> object:
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return tuple(v for v in (" ".join(v.split()) for v in value) if v)
    return value


# the metadata fields a reader reads as one line (the others are URLs, a tag, or extras)
_ONE_LINE = tuple(f for f in META_FIELDS if f not in ("url", "image", "lang", "title"))


def _limits(node: object) -> object:  # noqa: C901 - a case a node type
    if isinstance(node, Heading):
        return replace(node, level=max(2, node.level))
    if isinstance(node, Image):
        return replace(node, alt=" ".join(node.alt.split()))
    if isinstance(node, Quote):
        return replace(node, blocks=_kept(node.blocks),
                       attribution=tuple(_no_breaks(node.attribution or ())) or None)
    if isinstance(node, ListBlock):
        items = tuple(i for i in (_kept(item) for item in node.items) if i) or ((),)
        return replace(node, items=items, start=node.start if node.ordered else 1,
                       tight=normal_tight(items, node.tight))
    if isinstance(node, Table):
        # a row holds at least one cell (HTML has no empty row)
        rows = tuple(tuple(tuple(_no_breaks(cell)) for cell in row) for row in node.rows if row)
        header = sum(1 for row in node.rows[:node.header_rows] if row)
        return replace(node, rows=rows, header_rows=header)
    if isinstance(node, Related):
        return replace(node, heading=" ".join((node.heading or "").split()) or None)
    if isinstance(node, RelatedItem):
        return replace(node, title=" ".join(node.title.split()) or "untitled",
                       summary=" ".join((node.summary or "").split()) or None)
    if isinstance(node, CodeBlock):  # readers read every line ending as LF
        text = node.text.replace("\r\n", "\n").replace("\r", "\n")
        return replace(node, text=text.strip("\n"))
    if isinstance(node, Meta):
        return replace(node, title=" ".join(node.title.split()),
                       **{f: _squash(getattr(node, f)) for f in _ONE_LINE})
    if isinstance(node, (Note, Article)):  # a note with nothing in it is no note (see below)
        return replace(node, blocks=_kept(node.blocks))
    return node


def _kept(blocks: tuple) -> tuple:
    return tuple(b for b in blocks if not _empty(b))


def _empty(block: object) -> bool:
    if isinstance(block, (Paragraph, Heading)):
        return not block.children
    if isinstance(block, Quote):
        return not block.blocks and not block.attribution
    if isinstance(block, CodeBlock):
        return not block.text.strip()
    if isinstance(block, Table):
        return not block.rows or not any(block.rows)
    if isinstance(block, Related):
        return not block.items  # a reader never finds a related block without links
    return False


def articles(depth: int = 3, *, raw: bool = True, markdown: str | None = None
             ) -> st.SearchStrategy:
    """Articles in the normal form a format must carry: raw HTML only where ``raw`` (only
    Markdown and JSON keep it); for ``markdown`` ("md" or "gfm"), what its limits make of
    them (README, "Known limits"): a paragraph that is one raw tag is an HTML block, and in
    CommonMark a table is HTML, where Markdown is not read (its notes are their text)."""
    strategy = raw_articles(depth, raw).map(canonical)
    if markdown:
        strategy = strategy.map(_raw_paragraphs).map(
            lambda a: _table_notes_as_text(a, gfm=markdown == "gfm"))
    return strategy


def _pipe_table(table: Table) -> bool:
    """A table GFM writes as a pipe table (at the top level: nested ones are HTML)."""
    width = len(table.rows[0]) if table.rows else 0
    return table.header_rows == 1 and width > 0 and len(table.rows) > 1 \
        and all(len(r) == width for r in table.rows)


def _raw_paragraphs(article: Article) -> Article:
    def fix(node: object) -> object:
        if isinstance(node, Paragraph) and len(node.children) == 1 \
                and isinstance(node.children[0], RawInline):
            return RawBlock(node.children[0].html)
        if isinstance(node, ListBlock):
            return replace(node, tight=normal_tight(node.items, node.tight))
        return node

    return transform(article, fix)


def _table_notes_as_text(article: Article, *, gfm: bool) -> Article:
    """A table written as HTML (every table in CommonMark, one that is not a pipe table in
    GFM): its notes are their text, its raw tags are left out."""
    from artconv.writers.markdown import _notes_as_text

    def no_raw(node: object) -> object:
        children = getattr(node, "children", None)
        if isinstance(children, tuple) and any(isinstance(c, RawInline) for c in children):
            return replace(node, children=tuple(c for c in children
                                                 if not isinstance(c, RawInline)))
        return node

    def cell(inlines: tuple) -> tuple:
        return normalize_inlines(transform(Paragraph(_notes_as_text(inlines)),
                                           no_raw).children)

    top = {id(b) for b in article.blocks}

    def fix(node: object) -> object:
        if isinstance(node, Table) and not (gfm and id(node) in top and _pipe_table(node)) \
                and any(isinstance(n, (Note, RawInline)) for n in walk(node)):
            return replace(node, rows=tuple(tuple(cell(c) for c in row)
                                            for row in node.rows))
        return node

    return replace(article, blocks=tuple(b if isinstance(b, Table) and id(b) in top and gfm
                                         and _pipe_table(b) else transform(b, fix)
                                         for b in article.blocks))


def every_node_type() -> set[str]:
    return {cls.__name__ for cls in (*model.BLOCK_TYPES, *model.INLINE_TYPES)}
