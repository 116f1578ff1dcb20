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
from artconv.model import (
    Article,
    CodeBlock,
    Heading,
    Image,
    LineBreak,
    ListBlock,
    Meta,
    MetaField,
    Paragraph,
    Quote,
    Related,
    RelatedItem,
    Table,
    Text,
    normalize_inlines,
    transform,
)
from artconv.modelspec import Nodes, Optional, Record, Scalar, Sequence, by_type, shape_of
from artconv.options import ReadOptions
from artconv.pipeline import finish
from artconv.readers.markdown import FRONT_MATTER_NAMES
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
PICTURES = st.one_of(
    st.sampled_from(["72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg", "/upload/x.jpg",
                     "images/лес и озеро.jpg", "pic (1).gif", "a&amp;b.png"]),
    URLS,
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


def _string(owner: type, name: str) -> st.SearchStrategy:
    """The strings a field holds, by what the field is."""
    if owner is MetaField:
        return EXTRA_NAMES if name == "name" else EXTRA_VALUES
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


def _value(owner: type, name: str, shape: Any, depth: int) -> st.SearchStrategy:
    if isinstance(shape, Scalar):
        if shape.kind == "str":
            return _string(owner, name)
        if shape.kind == "bool":
            return st.booleans()
        low, high = shape.bounds or (0, 100)
        return st.one_of(st.integers(low, min(high, low + 5)), st.just(high))
    if isinstance(shape, Optional):
        inner = _value(owner, name, shape.inner, depth)
        return inner if owner is Meta and name == "lang" else st.none() | inner
    if isinstance(shape, Sequence):
        size = 3 if depth > 0 else 2
        return st.lists(_value(owner, name, shape.inner, depth), max_size=size).map(tuple)
    if isinstance(shape, Nodes):
        return _node(shape.family, depth - 1)
    if isinstance(shape, Record):
        return _record(shape.cls, depth)
    raise TypeError(shape)


@functools.cache
def _record(cls: type, depth: int) -> st.SearchStrategy:
    return st.deferred(lambda: st.builds(cls, **{name: _value(cls, name, shape, depth)
                                                 for name, shape in shape_of(cls)}))


@functools.cache
def _node(family: str, depth: int) -> st.SearchStrategy:
    classes = list(by_type(family).values())
    if depth <= 0:  # leaves only: nodes without children of their own family
        classes = [c for c in classes if not any(
            _holds(shape, family) for _, shape in shape_of(c))]
    return st.one_of([_record(cls, depth) for cls in classes])


def _holds(shape: Any, family: str) -> bool:
    if isinstance(shape, Nodes):
        return shape.family == family
    if isinstance(shape, (Optional, Sequence)):
        return _holds(shape.inner, family)
    return False


def raw_articles(depth: int = 3) -> st.SearchStrategy:
    """Arbitrary articles, as the model allows them (not the normal form)."""
    return _record(Article, depth)


# ---------------------------------------------------------------------------------------------
# What a reader produces: the pipeline's pass and the normal form


def canonical(article: Article) -> Article:
    """``article`` as a reader would give it: through the pipeline's pass (cleaning, URL
    policy, code languages), inline runs normalised, empty blocks gone, and what the formats
    state as their limits applied (README, "Known limits"): headings below level 2 and their
    line breaks, table cells and attributions without line breaks, ordered lists only start
    at a number, code without trailing white space lines, related items with a title."""
    article = finish(article, ReadOptions(), Log())

    def fix(node: object) -> object:
        if isinstance(node, Heading):
            return replace(node, level=max(2, node.level),
                           children=normalize_inlines(node.children))
        if isinstance(node, (Paragraph,)):
            return replace(node, children=normalize_inlines(node.children))
        if isinstance(node, Image):
            caption = normalize_inlines(node.caption) if node.caption else None
            return replace(node, alt=" ".join(node.alt.split()), caption=caption or None)
        if isinstance(node, Quote):
            attribution = normalize_inlines(
                [Text(" ") if isinstance(c, LineBreak) else c for c in node.attribution or ()])
            return replace(node, blocks=_kept(node.blocks), attribution=attribution or None)
        if isinstance(node, ListBlock):
            items = tuple(_kept(item) for item in node.items)
            return replace(node, items=tuple(i for i in items if i) or ((),),
                           start=node.start if node.ordered else 1)
        if isinstance(node, Table):
            # a row holds at least one cell (HTML has no empty row)
            rows = tuple(tuple(normalize_inlines([Text(" ") if isinstance(c, LineBreak) else c
                                                  for c in cell]) for cell in row)
                         for row in node.rows if row)
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
            def squash(value: str | None) -> str | None:
                return " ".join(value.split()) or None if value is not None else None
            def squash_all(values: tuple[str, ...]) -> tuple[str, ...]:
                return tuple(v for v in (squash(v) for v in values) if v)
            return replace(node, title=" ".join(node.title.split()),
                           subtitle=squash(node.subtitle), date=squash(node.date),
                           modified=squash(node.modified), section=squash(node.section),
                           categories=squash_all(node.categories), tags=squash_all(node.tags),
                           description=squash(node.description), site=squash(node.site),
                           hostname=squash(node.hostname), license=squash(node.license),
                           authors=squash_all(node.authors))
        if isinstance(node, Article):
            return replace(node, blocks=_kept(node.blocks))
        return node

    return transform(article, fix)


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


def articles(depth: int = 3) -> st.SearchStrategy:
    """Articles in the normal form every format must carry."""
    return raw_articles(depth).map(canonical)


def every_node_type() -> set[str]:
    return {cls.__name__ for cls in (*model.BLOCK_TYPES, *model.INLINE_TYPES)}
