"""The pipeline: bytes, a reader, one pass that every article goes through, the pictures the
output needs, a writer. Readers and writers know only the model; what they share lives here.

The pass after every read (:func:`finish`): strings cleaned of characters no output may carry;
``--lang``; ``--base-url``; the URL allow list (a link, picture source, related URL or article
URL whose scheme is not http, https or mailto, or relative, is dropped here with a warning, so
that it reaches no output whatever the writer); code block languages checked against a
conservative grammar (a language is written into a Markdown fence and an HTML class).

Everything here is a function of bytes and options, but :func:`gather`, which reads the picture
files an EPUB embeds (see :mod:`artconv.media`).
"""

from __future__ import annotations

import os

from . import formats
from .errors import ArtconvError, BinaryInputError, InputError, LimitError, Log, UsageError
from .lang import normalize_tag
from .model import (
    BLOCK_TYPES,
    INLINE_TYPES,
    Article,
    CodeBlock,
    Heading,
    Image,
    Link,
    ListBlock,
    Meta,
    Note,
    Paragraph,
    RelatedItem,
    Table,
    Text,
    clean_strings,
    normal_align,
    normal_node,
    normal_tight,
    normalize_inlines,
    plain_text,
    transform,
    walk,
)
from .options import MediaOptions, ReadOptions, WriteOptions
from .records import fields, record, replace
from .textutil import LazyPattern
from .urls import is_safe_image, is_safe_link, join_url

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from .media import MediaBag, Picture

# A code block's language: letters, digits, "+", "-", "." and "#" ("python", "c++", "c#",
# "objective-c", "docker-compose.yml"), at most 40. Nothing else: it is written into a Markdown
# fence, whose info string dialects read as more than a name (pandoc reads "{=html}" as a raw
# block and "{onclick=...}" as attributes, Python-Markdown "{...}" too), and into an HTML class.
CODE_LANGUAGE = LazyPattern(r"(?:[^\W_]|[+#.\-]){1,40}")


@record
class Document:
    """What a reader gives: the articles, and the pictures the input itself carried (an EPUB's)
    by article."""

    articles: tuple[Article, ...]
    pictures: tuple[Mapping[str, Picture], ...] = ()


# ---------------------------------------------------------------------------------------------
# Reading


def reader_format(data: bytes, *, name: str | None, from_name: str | None,
                  log: Log) -> formats.Format:
    """The reader for an input: ``--from``, else its extension, else its first bytes (said in a
    warning, and refused when the bytes are binary)."""
    if from_name:
        return formats.get(from_name, reading=True)
    if name and (fmt := formats.by_extension(name)) is not None and fmt.reader:
        return fmt
    fmt, why = formats.sniff(data)
    if fmt.name != "epub":
        from .encoding import sniff_binary

        binary = sniff_binary(data)
        if binary:
            raise BinaryInputError(f"expected text, got {binary}")
    log.warn("guessed-format", f"read as {fmt.name}, guessed from its content ({why}); "
                               "say --from to be sure")
    return fmt


def read(data: bytes, fmt: formats.Format, options: ReadOptions, log: Log) -> Document:
    """Run a reader over an input's bytes, then :func:`finish` each article."""
    if len(data) > options.max_input_bytes:
        raise LimitError(f"input is {len(data):,} bytes, over the limit of "
                         f"{options.max_input_bytes:,} (--max-input-bytes)")
    result = fmt.load_reader()(data, options, log)
    if isinstance(result, Document):
        articles, pictures = result.articles, result.pictures
    else:
        articles, pictures = tuple(result), ()
    return Document(tuple(finish(a, options, log) for a in articles), pictures)


def finish(article: Article, options: ReadOptions, log: Log) -> Article:
    """The pass every article goes through after its reader (see the module docstring)."""
    found = _scan(article)
    if found.dirty:
        article = clean_strings(article, checked=True)
        found.shapes = True  # a title cleaned of its controls may be empty now
    lang = options.lang or article.meta.lang
    if lang != article.meta.lang or (lang and normalize_tag(lang) != lang):
        tag = normalize_tag(lang)
        if lang and tag is None:
            log.warn("bad-lang", f"not a language tag: {lang[:40]!r}; left out")
        article = replace(article, meta=replace(article.meta, lang=tag))
    if found.spaced_urls:
        article = strip_urls(article)
        found.urls_to_check = True  # a URL of white space only is empty now
    if options.base_url:
        article = absolute_urls(article, options.base_url)
    if found.urls_to_check or options.base_url:
        article = enforce_url_policy(article, log)
    if found.code_languages:
        article = check_code_languages(article, log)
    if found.shapes:
        article = transform(article, _normal_shape)
    if found.nested_notes:
        article = _nested_notes(article, log)
    return article


def _normal_shape(node: object) -> object:
    """A list that cannot be tight is loose; a table's alignments in normal form, for the
    columns it has; an empty title is no title."""
    if isinstance(node, ListBlock) and node.tight != normal_tight(node.items, node.tight):
        return replace(node, tight=not node.tight)
    if isinstance(node, Table):
        align = _table_align(node)
        return replace(node, align=align) if align != node.align else node
    if isinstance(node, (Link, Image)) and node.title is not None and (
            not node.title or "\r" in node.title):
        title = node.title.replace("\r\n", "\n").replace("\r", "\n")
        return replace(node, title=title or None)  # line endings as every parser reads them
    return node


def _table_align(table: Table) -> tuple[str, ...]:
    columns = max((len(row) for row in table.rows), default=0)
    return normal_align(table.align[:columns])


def _nested_notes(article: Article, log: Log) -> Article:
    """A note inside a note (no format has them) becomes its text, in parentheses."""
    def flatten(node: object) -> object:
        if not isinstance(node, Note):
            return node
        blocks = tuple(transform(transform(b, _note_as_text), normal_node)
                       for b in node.blocks)
        return replace(node, blocks=blocks) if blocks != node.blocks else node

    log.warn("nested-note", "a note refers to another note; that one is written as its text, "
             "in parentheses, inside the first", loss=False)
    return transform(article, flatten)


def _note_as_text(node: object) -> object:
    if isinstance(node, Note):
        text = " ".join(plain_text(b.children) for b in walk(node)
                        if isinstance(b, Paragraph | Heading))
        return Text(f" ({text})")
    return node


class _Found:
    """What one look at an article found that the pass must fix."""

    __slots__ = ("dirty", "spaced_urls", "urls_to_check", "code_languages", "shapes",
                 "nested_notes")

    def __init__(self) -> None:
        self.dirty = self.spaced_urls = self.urls_to_check = self.code_languages = False
        self.shapes = self.nested_notes = False


_URL_FIELDS = {Link: ("href",), Image: ("src", "link"), RelatedItem: ("url", "image"),
               Meta: ("url", "image")}
# the kinds the pass looks at beyond their strings
_LOOKED_AT = frozenset({Link, Image, RelatedItem, Meta, CodeBlock, ListBlock, Table, Note})


def _scan(article: Article) -> _Found:  # noqa: C901 - one walk, a test per field kind
    """One walk over the article: strings to clean, URLs with white space around them, URLs
    that are not plainly safe, code languages that are not names. The strings are gathered
    and looked at in one pass of the pattern (a call a string cost more than the look)."""
    from itertools import chain

    from .modelspec import string_fields
    from .textutil import is_clean

    found = _Found()
    strings: list[str] = []
    add, extend = strings.append, strings.extend
    fields_of: dict[type, tuple[str, ...]] = {}
    node: Any
    for node in chain((article.meta,), walk(article)):
        kind: Any = type(node)
        names = fields_of.get(kind)
        if names is None:
            names = fields_of[kind] = string_fields(kind)
        for name in names:
            value = getattr(node, name)
            if value is None:
                continue
            if type(value) is str:
                add(value)
            else:
                extend(value)
        if kind not in _LOOKED_AT:
            continue
        for name in _URL_FIELDS.get(kind, ()):
            url = getattr(node, name)
            if url is None:
                continue
            if _needs_strip(url):
                found.spaced_urls = True
            safe = is_safe_image(url) if name in ("src", "image") else is_safe_link(url)
            if not url or not safe:
                found.urls_to_check = True
        if kind is CodeBlock and node.language is not None \
                and not CODE_LANGUAGE.fullmatch(node.language):
            found.code_languages = True
        elif kind is ListBlock and not found.shapes:
            found.shapes = node.tight != normal_tight(node.items, node.tight)
        elif kind is Table and node.align and not found.shapes:
            found.shapes = node.align != _table_align(node)
        elif kind in (Link, Image) and node.title is not None and (
                not node.title or "\r" in node.title):
            found.shapes = True
        elif kind is Note and not found.nested_notes:
            found.nested_notes = any(isinstance(n, Note) for b in node.blocks for n in walk(b))
    found.dirty = not is_clean("\n".join(strings))
    return found


_URL_SPACE = " \t\n\r\f"


def _needs_strip(url: str | None) -> bool:
    return bool(url) and (url[0] in _URL_SPACE or url[-1] in _URL_SPACE)  # type: ignore[index]


def strip_urls(article: Article) -> Article:
    """URLs without the white space around them, as a browser reads an attribute's URL."""

    def fix(node: object) -> object:
        changes: dict[str, str | None] = {}
        for name in ("href", "src", "url", "image", "link"):
            value = getattr(node, name, None)
            if _needs_strip(value):
                stripped = value.strip(_URL_SPACE)  # type: ignore[union-attr]
                changes[name] = stripped or (None if name in ("url", "image", "link") else "")
        return replace(node, **changes) if changes else node

    return transform(article, fix)


def absolute_urls(article: Article, base: str) -> Article:
    """Every link, image source and related URL resolved against ``base``."""
    from urllib.parse import urlsplit

    try:
        urlsplit(base)
    except ValueError as exc:
        raise UsageError(f"--base-url {base[:80]!r} is not a URL ({exc})") from None

    def fix(node: object) -> object:
        if isinstance(node, Link):
            return replace(node, href=join_url(base, node.href))
        if isinstance(node, Image):
            return replace(node, src=join_url(base, node.src),
                           link=join_url(base, node.link) if node.link else None)
        if isinstance(node, RelatedItem):
            return replace(node,
                           url=join_url(base, node.url) if node.url else None,
                           image=join_url(base, node.image) if node.image else None)
        return node

    fixed = transform(article, fix)
    meta = fixed.meta
    if meta.url or meta.image:
        fixed = replace(fixed, meta=replace(
            meta, url=join_url(base, meta.url) if meta.url else meta.url,
            image=join_url(base, meta.image) if meta.image else meta.image))
    return fixed


def _unsafe(node: object) -> bool:
    if isinstance(node, Link):
        return not node.href or not is_safe_link(node.href)
    if isinstance(node, Image):
        return not is_safe_image(node.src) or node.link == "" or bool(
            node.link and not is_safe_link(node.link))
    if isinstance(node, RelatedItem):
        return node.url == "" or node.image == "" or bool(
            (node.url and not is_safe_link(node.url))
            or (node.image and not is_safe_image(node.image)))
    return False


def enforce_url_policy(article: Article, log: Log) -> Article:
    """The article without URLs outside the allow list: an unsafe link keeps its text, an
    unsafe picture keeps its caption (as a paragraph), a related item keeps its title."""
    for name, safe, what in (("url", is_safe_link, "article URL"),
                             ("image", is_safe_image, "preview image URL")):
        value = getattr(article.meta, name)
        if value is not None and (not value or not safe(value)):
            if value:
                log.warn("unsafe-url", f"dropped the {what} {value[:80]!r}")
            article = replace(article, meta=replace(article.meta, **{name: None}))
    if not any(_unsafe(node) for node in walk(article)):
        return article

    def fix(node: object) -> object:
        if isinstance(node, RelatedItem):
            url, image = node.url or None, node.image or None
            if url and not is_safe_link(url):
                log.warn("unsafe-url", f"dropped a related link {url[:80]!r}")
                url = None
            if image and not is_safe_image(image):
                log.warn("unsafe-url", f"dropped a related thumbnail {image[:80]!r}")
                image = None
            return replace(node, url=url, image=image)
        if isinstance(node, Image) and (node.link == "" or node.link and not is_safe_link(
                node.link)):
            if node.link:
                log.warn("unsafe-url", f"dropped a picture's link to {node.link[:80]!r}")
            node = replace(node, link=None)
        changes = {}
        for name in fields(node):
            value = getattr(node, name)
            if isinstance(value, tuple) and value:
                new = _safe_sequence(value, log)
                if new is not value:
                    changes[name] = new
        return replace(node, **changes) if changes else node

    return transform(article, fix)


def _safe_sequence(items: tuple[object, ...], log: Log) -> tuple[object, ...]:
    """A tuple of inlines, blocks (or tuples of them) with unsafe links spliced into their text
    and unsafe pictures replaced by their captions."""
    if isinstance(items[0], tuple):
        nested = tuple(_safe_sequence(i, log) if i else i for i in items)  # type: ignore[arg-type]
        return items if all(a is b for a, b in zip(nested, items, strict=True)) else nested
    if not isinstance(items[0], (*INLINE_TYPES, *BLOCK_TYPES)) \
            or not any(_unsafe(i) for i in items):
        return items
    out: list[object] = []
    for item in items:
        if isinstance(item, Link) and not item.href:
            out.extend(item.children)  # a link to nowhere is its text
        elif isinstance(item, Link) and not is_safe_link(item.href):
            log.warn("unsafe-url", f"dropped a link to {item.href[:80]!r}; its text is kept")
            out.extend(item.children)
        elif isinstance(item, Image) and not is_safe_image(item.src):
            log.warn("unsafe-url", f"dropped a picture with the source {item.src[:80]!r}"
                     + ("; its caption is kept" if item.caption else ""))
            if item.caption:
                out.append(Paragraph(item.caption))
        else:
            out.append(item)
    if isinstance(items[0], INLINE_TYPES):
        return normalize_inlines(out)  # type: ignore[arg-type]
    return tuple(out)


def check_code_languages(article: Article, log: Log) -> Article:
    """Code blocks whose language is not a plain name (a backtick, a newline, a space...) lose
    it, with a warning: it would be written into a Markdown fence and an HTML class."""
    if all(node.language is None or CODE_LANGUAGE.fullmatch(node.language)
           for node in walk(article) if isinstance(node, CodeBlock)):
        return article

    def fix(node: object) -> object:
        if isinstance(node, CodeBlock) and node.language is not None \
                and not CODE_LANGUAGE.fullmatch(node.language):
            log.warn("code-language", f"dropped the code language {node.language[:40]!r}: "
                     "not a plain language name")
            return replace(node, language=None)
        return node

    return transform(article, fix)


# ---------------------------------------------------------------------------------------------
# Pictures


def gather(document: Document, *, folder: str | None, options: MediaOptions,
           log: Log, base_url: str | None = None,
           check_only: bool = False) -> tuple[Mapping[str, Picture], ...]:
    """The pictures of each article of one input, from that input only (and ``--assets``),
    looked up in the order :mod:`artconv.media` gives; ``check_only``: an output that does not
    embed them, for which their existence (and type) is checked, not their bytes read."""
    from .media import Gatherer, MediaLimits

    limits = MediaLimits(options.max_picture_bytes, options.max_media_bytes)
    carried: dict[str, Picture] = {}
    for pictures in document.pictures:
        carried.update(pictures)
    fetch = None
    if options.fetch_images and not check_only:
        from .fetch import fetcher

        fetch = fetcher(options, log)
    gatherer = Gatherer(log, folder=folder, assets=options.assets, limits=limits,
                        carried=carried, fetch=fetch, base_url=base_url,
                        check_only=check_only)
    if fetch is not None:  # the remote pictures no book or mirror holds, a few at a time
        from .media import FileRefused, picture_sources
        from .urls import is_remote

        def wanted(src: str) -> bool:
            try:
                return is_remote(src) and src not in carried and gatherer.mirrored(src) is None
            except FileRefused:
                return False  # the look-up says why

        fetch.prefetch(src for article in document.articles
                       for src, _ in picture_sources(article) if wanted(src))
    return gatherer.gather(document.articles)


def media_bag(pictures: Sequence[Mapping[str, Picture]], options: MediaOptions,
              log: Log) -> MediaBag:
    """The media bag of one output: the pictures gathered for its articles (within the total
    cap across the whole output), the cover and the stylesheet files."""
    from .media import MediaBag, MediaLimits, read_cover, read_stylesheet

    limits = MediaLimits(options.max_picture_bytes, options.max_media_bytes)
    cover = read_cover(options.cover, limits) if options.cover else None
    stylesheet = read_stylesheet(options.stylesheet) if options.stylesheet else None
    total = 0
    kept: list[Mapping[str, Picture]] = []
    counted: set[str] = set()
    for found in pictures:
        mine: dict[str, Picture] = {}
        for src, picture in found.items():
            digest = picture.digest
            if digest not in counted and total + len(picture.data) > limits.total:
                log.warn("missing-image", f"picture {src[:120]!r}: the pictures would pass "
                         f"{limits.total:,} bytes in all (--max-media-bytes); kept as a "
                         "placeholder")
                continue
            if digest not in counted:
                counted.add(digest)
                total += len(picture.data)
            mine[src] = picture
        kept.append(mine)
    return MediaBag(tuple(kept), cover, stylesheet)


def extract_media(articles: Sequence[Article], pictures: Sequence[Mapping[str, Picture]],
                  folder: str, link: str | None = None) -> tuple[list[Article], dict[str, bytes]]:
    """Each article's pictures as files of ``folder``, named by their content (the same
    picture once, whatever its sources), and the articles referring to them as ``link/NAME``
    (``link``: the folder as the output sees it, ``folder`` by default; pandoc's
    ``--extract-media``): (articles, {path: bytes}). A picture not found keeps its reference.
    The caller writes the files."""
    import posixpath

    out: list[Article] = []
    files: dict[str, bytes] = {}
    refs: dict[str, str] = {}  # digest → the reference to its file
    for i, article in enumerate(articles):
        found = pictures[i] if i < len(pictures) else {}
        moved: dict[str, str] = {}
        for src, picture in found.items():
            digest = picture.digest
            if digest not in refs:
                name = digest[:40] + picture.extension
                files[os.path.join(folder, name)] = picture.data
                refs[digest] = posixpath.join((link or folder).replace(os.sep, "/"), name)
            moved[src] = refs[digest]
        if not moved:
            out.append(article)
            continue

        def refer(node: object, moved: dict[str, str] = moved) -> object:
            if isinstance(node, Image) and node.src in moved:
                return replace(node, src=moved[node.src])
            if isinstance(node, RelatedItem) and node.image in moved:
                return replace(node, image=moved[node.image or ""])
            return node

        out.append(transform(article, refer))
    return out, files


# ---------------------------------------------------------------------------------------------
# Writing


def write(articles: Sequence[Article], fmt: formats.Format, options: WriteOptions, log: Log,
          media: MediaBag | None = None) -> bytes:
    """The articles in format ``fmt``, as bytes."""
    if not articles:
        raise InputError("no article to write")
    writer = fmt.load_writer()
    try:
        return writer(list(articles), options, log, media)  # type: ignore[no-any-return]
    except RecursionError:
        raise ArtconvError("the document is nested too deeply to write") from None
