"""Hypothesis strategies for articles that every format can carry (in normal form)."""

from __future__ import annotations

from hypothesis import strategies as st

from artconv.model import (
    Article,
    CodeBlock,
    Emphasis,
    Heading,
    Image,
    InlineCode,
    LineBreak,
    Link,
    ListBlock,
    Meta,
    Paragraph,
    Quote,
    Related,
    RelatedItem,
    Rule,
    Strikethrough,
    Strong,
    Subscript,
    Superscript,
    Table,
    Text,
    normalize_inlines,
)

# Prose with the characters that Markdown and HTML give meaning to, Cyrillic, and a no-break
# space; never a line break (text nodes are one line in the normal form).
ALPHABET = st.sampled_from(list(
    "abcxyzABC  ЁЖЯжяё0129.,;:!?-—«»\"'()[]{}*_~`#>+|\\/<&=%@^$\u00a0é"))
WORDS = st.text(ALPHABET, min_size=1, max_size=25)
SAFE_URLS = st.sampled_from([
    "https://example.com/", "http://example.com/a?b=1&c=2#frag", "/relative/path.html",
    "page.html", "mailto:someone@example.com", "https://пример.рф/путь", "a b (c).html",
    "/x_(y)_z", "https://example.com/&amp;",
])
IMAGE_SOURCES = st.sampled_from([
    "72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg", "/upload/x.jpg",
    "https://cdn.example.com/a.png", "images/лес и озеро.jpg", "pic (1).gif", "a&amp;b.png",
])
PLAIN = st.text(st.sampled_from(list("abcАБВ xyz.,-«»:0")), min_size=1, max_size=30).map(
    lambda s: " ".join(s.split())).filter(bool)


def inline_strategy(max_leaves: int = 6) -> st.SearchStrategy:
    leaves = st.one_of(WORDS.map(Text), WORDS.map(lambda s: InlineCode(s.strip() or "x")))
    spans = (Emphasis, Strong, Strikethrough, Subscript, Superscript)

    def extend(children: st.SearchStrategy) -> st.SearchStrategy:
        kids = st.lists(children, min_size=1, max_size=3).map(tuple)
        return st.one_of(
            st.builds(lambda kind, k: kind(k), st.sampled_from(spans), kids),
            st.builds(lambda href, k: Link(href, k), SAFE_URLS, kids),
        )

    return st.recursive(leaves, extend, max_leaves=max_leaves)


def inlines(allow_breaks: bool = True) -> st.SearchStrategy:
    items = st.one_of(inline_strategy(), st.just(LineBreak())) if allow_breaks \
        else inline_strategy()
    return st.lists(items, min_size=1, max_size=5).map(normalize_inlines).filter(
        lambda n: bool(n) and _has_text(n))


def _has_text(nodes: tuple) -> bool:
    from artconv.model import plain_text

    return bool(plain_text(nodes).strip())


def block_strategy(depth: int = 2) -> st.SearchStrategy:
    simple = st.one_of(
        inlines().map(Paragraph),
        st.builds(Heading, st.integers(2, 6), inlines(allow_breaks=False)),
        st.builds(Image, IMAGE_SOURCES, PLAIN | st.just(""),
                  st.none() | inlines()),
        st.builds(CodeBlock, st.text(st.sampled_from(list("ab `~\n{}<>&")), min_size=1,
                                     max_size=40).filter(str.strip),
                  st.none() | st.sampled_from(["python", "sh", "c++"])),
        st.just(Rule()),
        st.integers(1, 3).flatmap(lambda width: st.builds(
            Table,
            st.lists(st.lists(inlines(allow_breaks=False) | st.just(()), min_size=width,
                              max_size=width).map(tuple), min_size=1, max_size=3).map(tuple),
            st.integers(0, 1))),
    )
    if depth <= 0:
        return simple
    inner = st.lists(block_strategy(depth - 1), min_size=1, max_size=2).map(tuple)
    return st.one_of(
        simple,
        st.builds(Quote, inner, st.none() | inlines(allow_breaks=False)),
        st.builds(lambda ordered, items, start: ListBlock(ordered, items, start if ordered else 1),
                  st.booleans(), st.lists(inner, min_size=1, max_size=3).map(tuple),
                  st.integers(0, 5)),
    )


def related_strategy() -> st.SearchStrategy:
    item = st.builds(RelatedItem, PLAIN, st.none() | SAFE_URLS, st.none() | IMAGE_SOURCES,
                     st.none() | PLAIN)
    return st.builds(Related, st.none() | PLAIN, st.lists(item, min_size=1, max_size=3).map(
        tuple))


def meta_strategy() -> st.SearchStrategy:
    return st.builds(
        Meta,
        title=PLAIN,
        subtitle=st.none() | PLAIN,
        authors=st.lists(PLAIN, max_size=2, unique=True).map(tuple),
        date=st.none() | st.sampled_from(["2021-02-01T10:15:00+10:00", "2024-05-02"]),
        lang=st.sampled_from(["en", "ru", "de-AT"]),
        section=st.none() | PLAIN,
        site=st.none() | PLAIN,
        url=st.none() | st.just("https://news.example.com/2021/02/story.html"),
    )


def articles() -> st.SearchStrategy:
    body = st.lists(block_strategy(), min_size=1, max_size=5)
    return st.builds(lambda meta, blocks, related: Article(meta, tuple(blocks + related)),
                     meta_strategy(), body, st.lists(related_strategy(), max_size=1))
