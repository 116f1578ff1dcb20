"""What artconv's Markdown reader and writer share, as :mod:`artconv.htmlform` is for HTML:
the parser (markdown-it with a budget), the YAML loader, the front matter's names and order and
the header shown without front matter, all derived from the model's metadata fields
(:mod:`artconv.modelspec`), so that no reader imports a writer and no writer a reader.
"""

from __future__ import annotations

import functools

from .model import Inline, Link, Meta, Paragraph, Text, normalize_inlines
from .records import fields
from .textutil import ISO_DATE
from .urls import is_safe_link

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

HEADER_COMMENT = "artconv:header"

# ---------------------------------------------------------------------------------------------
# Front matter names, from the model's metadata fields

# the name a front matter key has in pandoc and the static site generators, where it is not the
# model's own
_KEY_OF = {"authors": "author"}
# other tools' names for a field the model has
ALIASES = {
    "lastmod": "modified", "updated": "modified", "last_modified_at": "modified",
    "language": "lang", "category": "categories", "keywords": "tags", "summary": "description",
    "canonical": "url", "licence": "license",
}
META_FIELDS: tuple[str, ...] = tuple(f for f in fields(Meta) if f != "extra")
"""The metadata fields with a name of their own (``extra`` holds the others), in model order."""
FRONT_MATTER_ORDER: tuple[str, ...] = tuple(f for f in META_FIELDS if f != "title")
"""The fields written after the title, in the order they are written."""
LIST_FIELDS: frozenset[str] = frozenset(
    f for f in META_FIELDS if isinstance(getattr(Meta(), f), tuple))


def front_matter_key(field: str) -> str:
    """The key a model field is written under."""
    return _KEY_OF.get(field, field)


FRONT_MATTER_NAMES: dict[str, str] = {
    **{f: f for f in META_FIELDS}, **{front_matter_key(f): f for f in META_FIELDS}, **ALIASES}
"""Front matter keys (lower case) the model has a field for → the field."""


# markdown-it scans from each "[" to the end of its paragraph for the closing "]": a paragraph
# of unclosed brackets ("![" 400,000 times) costs quadratic time. Each paragraph's inline parse
# gets a budget of token skips in proportion to its length; past it, the paragraph is read as
# plain text (all of it, with a warning), so that the cost stays linear in the input.
INLINE_BUDGET_PER_CHARACTER = 2  # the CommonMark spec examples need at most 1
INLINE_BUDGET_MIN = 10_000


class TooComplex(Exception):
    pass


@functools.cache
def parser() -> Any:
    """artconv's markdown-it: CommonMark with GFM tables, strikethrough and footnotes, raw HTML
    on, URLs as written, and a budget on each paragraph's inline parse."""
    from markdown_it import MarkdownIt
    from markdown_it.parser_inline import ParserInline

    class BudgetedInline(ParserInline):  # type: ignore[misc]
        budget: int | None = None

        def parse(self, src: str, md: Any, env: Any, tokens: list[Any]) -> list[Any]:
            if self.budget is not None:  # an image's alt text: within the paragraph's budget
                return super().parse(src, md, env, tokens)  # type: ignore[no-any-return]
            self.budget = INLINE_BUDGET_MIN + INLINE_BUDGET_PER_CHARACTER * len(src)
            start = len(tokens)
            try:
                return super().parse(src, md, env, tokens)  # type: ignore[no-any-return]
            except TooComplex:
                from markdown_it.token import Token

                del tokens[start:]
                token = Token("text", "", 0)
                token.content = src
                tokens.append(token)
                env.setdefault("too_complex", []).append(len(src))
                return tokens
            finally:
                self.budget = None

        def skipToken(self, state: Any) -> None:
            if self.budget is not None:
                self.budget -= 1
                if self.budget < 0:
                    raise TooComplex()
            super().skipToken(state)

    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    inline = BudgetedInline()
    inline.ruler, inline.ruler2 = md.inline.ruler, md.inline.ruler2
    md.inline = inline
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    return md


# ---------------------------------------------------------------------------------------------
# YAML


@functools.cache
def yaml_loader() -> Any:
    """Safe YAML without aliases (no "billion laughs")."""
    import yaml

    class NoAliases(yaml.SafeLoader):  # type: ignore[misc]
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise yaml.YAMLError("YAML aliases are not allowed in front matter")
            return super().compose_node(parent, index)

    return NoAliases


# ---------------------------------------------------------------------------------------------
# The header shown without front matter


def header_paragraphs(meta: Meta) -> list[Paragraph]:
    """The paragraphs the header shows: the subtitle, then the byline."""
    out = []
    if meta.subtitle:
        out.append(Paragraph((Text(meta.subtitle),)))
    byline: list[str] = list(filter(None, [
        ", ".join(meta.authors), _shown_date(meta.date), meta.section]))
    url = meta.url if meta.url and is_safe_link(meta.url) else None
    nodes: list[Inline] = [Text(" \u00b7 ".join(byline))] if byline else []
    if meta.site or url:
        if nodes:
            nodes.append(Text(" \u00b7 "))
        site = Text(meta.site or url or "")
        nodes.append(Link(url, (site,)) if url else site)
    if nodes:
        out.append(Paragraph(normalize_inlines(nodes)))
    return out


def _shown_date(date: str | None) -> str | None:
    """A date as the HTML header shows it: the day of an ISO instant."""
    if date and ISO_DATE.fullmatch(date):
        return date[:10]
    return date
