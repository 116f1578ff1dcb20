"""The JSON form of the model (version 1): the lossless format scripts rely on.

``to_dict`` and ``from_dict`` are exact inverses. Keys come in a fixed order (the order of the
dataclass fields, ``type`` first), so that ``json -> json`` gives the same bytes.
"""

from __future__ import annotations

from .errors import InputError, LimitError
from .model import (
    MAX_DEPTH,
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
)
from .textutil import clean_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

VERSION = 1

_SPANS = {cls.TYPE: cls for cls in (Emphasis, Strong, Strikethrough, Subscript, Superscript)}


# ---------------------------------------------------------------------------------------------
# Model -> dict


def article_to_dict(article: Article) -> dict[str, Any]:
    m = article.meta
    return {
        "version": VERSION,
        "meta": {
            "title": m.title,
            "subtitle": m.subtitle,
            "authors": list(m.authors),
            "date": m.date,
            "lang": m.lang,
            "section": m.section,
            "site": m.site,
            "url": m.url,
        },
        "blocks": [block_to_dict(b) for b in article.blocks],
    }


def block_to_dict(block: Block) -> dict[str, Any]:
    match block:
        case Paragraph(children=children):
            return {"type": "paragraph", "children": inlines_to_list(children)}
        case Heading(level=level, children=children):
            return {"type": "heading", "level": level, "children": inlines_to_list(children)}
        case Image(src=src, alt=alt, caption=caption):
            return {"type": "image", "src": src, "alt": alt,
                    "caption": None if caption is None else inlines_to_list(caption)}
        case Quote(blocks=blocks, attribution=attribution):
            return {"type": "quote", "blocks": [block_to_dict(b) for b in blocks],
                    "attribution": None if attribution is None else inlines_to_list(attribution)}
        case ListBlock(ordered=ordered, items=items, start=start):
            return {"type": "list", "ordered": ordered, "start": start,
                    "items": [[block_to_dict(b) for b in item] for item in items]}
        case CodeBlock(text=text, language=language):
            return {"type": "code", "text": text, "language": language}
        case Rule():
            return {"type": "rule"}
        case Table(rows=rows, header_rows=header_rows):
            return {"type": "table", "header_rows": header_rows,
                    "rows": [[inlines_to_list(cell) for cell in row] for row in rows]}
        case Related(heading=heading, items=items):
            return {"type": "related", "heading": heading, "items": [
                {"title": i.title, "url": i.url, "image": i.image, "summary": i.summary}
                for i in items]}
    raise TypeError(f"not a block: {block!r}")


def inlines_to_list(inlines: tuple[Inline, ...]) -> list[dict[str, Any]]:
    return [inline_to_dict(n) for n in inlines]


def inline_to_dict(node: Inline) -> dict[str, Any]:
    match node:
        case Text(text=text):
            return {"type": "text", "text": text}
        case InlineCode(text=text):
            return {"type": "code", "text": text}
        case LineBreak():
            return {"type": "linebreak"}
        case Link(href=href, children=children):
            return {"type": "link", "href": href, "children": inlines_to_list(children)}
        case Emphasis() | Strong() | Strikethrough() | Subscript() | Superscript():
            return {"type": node.TYPE, "children": inlines_to_list(node.children)}
    raise TypeError(f"not an inline node: {node!r}")


# ---------------------------------------------------------------------------------------------
# dict -> model, checking every field


class _Reader:
    """Builds the model from parsed JSON, naming the path of whatever is wrong."""

    def article(self, doc: Any) -> Article:
        obj = self._object(doc, "document")
        version = obj.get("version")
        if version != VERSION:
            raise InputError(f"unsupported JSON version {version!r} (this artconv reads "
                             f"version {VERSION})")
        meta = self._object(obj.get("meta"), "meta")
        authors = self._list(meta.get("authors", []), "meta.authors")
        article_meta = Meta(
            title=self._str(meta.get("title", ""), "meta.title"),
            subtitle=self._opt_str(meta.get("subtitle"), "meta.subtitle"),
            authors=tuple(self._str(a, f"meta.authors[{i}]") for i, a in enumerate(authors)),
            date=self._opt_str(meta.get("date"), "meta.date"),
            lang=self._opt_str(meta.get("lang"), "meta.lang"),
            section=self._opt_str(meta.get("section"), "meta.section"),
            site=self._opt_str(meta.get("site"), "meta.site"),
            url=self._opt_str(meta.get("url"), "meta.url"),
        )
        blocks = self._list(obj.get("blocks"), "blocks")
        return Article(article_meta, self._blocks(blocks, "blocks", 0))

    def _blocks(self, items: list[Any], path: str, depth: int) -> tuple[Block, ...]:
        if depth > MAX_DEPTH:
            raise LimitError(f"{path}: blocks nested deeper than {MAX_DEPTH} levels")
        return tuple(self._block(b, f"{path}[{i}]", depth) for i, b in enumerate(items))

    def _block(self, raw: Any, path: str, depth: int) -> Block:
        obj = self._object(raw, path)
        kind = obj.get("type")
        if kind == "paragraph":
            return Paragraph(self._inlines(obj.get("children"), f"{path}.children", depth))
        if kind == "heading":
            level = obj.get("level")
            if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 6:
                raise InputError(f"{path}.level: expected an integer from 1 to 6")
            return Heading(level, self._inlines(obj.get("children"), f"{path}.children", depth))
        if kind == "image":
            caption = obj.get("caption")
            return Image(
                src=self._str(obj.get("src"), f"{path}.src"),
                alt=self._str(obj.get("alt", ""), f"{path}.alt"),
                caption=None if caption is None
                else self._inlines(caption, f"{path}.caption", depth),
            )
        if kind == "quote":
            attribution = obj.get("attribution")
            return Quote(
                self._blocks(self._list(obj.get("blocks"), f"{path}.blocks"), f"{path}.blocks",
                             depth + 1),
                None if attribution is None
                else self._inlines(attribution, f"{path}.attribution", depth),
            )
        if kind == "list":
            ordered = obj.get("ordered", False)
            start = obj.get("start", 1)
            if not isinstance(ordered, bool):
                raise InputError(f"{path}.ordered: expected true or false")
            if not isinstance(start, int) or isinstance(start, bool) or start < 0:
                raise InputError(f"{path}.start: expected a non-negative integer")
            items = self._list(obj.get("items"), f"{path}.items")
            return ListBlock(ordered, tuple(
                self._blocks(self._list(item, f"{path}.items[{i}]"), f"{path}.items[{i}]",
                             depth + 1)
                for i, item in enumerate(items)), start)
        if kind == "code":
            return CodeBlock(self._str(obj.get("text"), f"{path}.text"),
                             self._opt_str(obj.get("language"), f"{path}.language"))
        if kind == "rule":
            return Rule()
        if kind == "table":
            header_rows = obj.get("header_rows", 0)
            if not isinstance(header_rows, int) or isinstance(header_rows, bool) \
                    or header_rows < 0:
                raise InputError(f"{path}.header_rows: expected a non-negative integer")
            rows = self._list(obj.get("rows"), f"{path}.rows")
            return Table(tuple(
                tuple(self._inlines(cell, f"{path}.rows[{r}][{c}]", depth)
                      for c, cell in enumerate(self._list(row, f"{path}.rows[{r}]")))
                for r, row in enumerate(rows)), header_rows)
        if kind == "related":
            items = self._list(obj.get("items"), f"{path}.items")
            return Related(
                heading=self._opt_str(obj.get("heading"), f"{path}.heading"),
                items=tuple(self._related_item(item, f"{path}.items[{i}]")
                            for i, item in enumerate(items)),
            )
        raise InputError(f"{path}.type: unknown block type {kind!r}")

    def _related_item(self, raw: Any, path: str) -> RelatedItem:
        obj = self._object(raw, path)
        return RelatedItem(
            title=self._str(obj.get("title"), f"{path}.title"),
            url=self._opt_str(obj.get("url"), f"{path}.url"),
            image=self._opt_str(obj.get("image"), f"{path}.image"),
            summary=self._opt_str(obj.get("summary"), f"{path}.summary"),
        )

    def _inlines(self, raw: Any, path: str, depth: int) -> tuple[Inline, ...]:
        if depth > MAX_DEPTH:
            raise LimitError(f"{path}: inline nodes nested deeper than {MAX_DEPTH} levels")
        items = self._list(raw, path)
        return tuple(self._inline(n, f"{path}[{i}]", depth) for i, n in enumerate(items))

    def _inline(self, raw: Any, path: str, depth: int) -> Inline:
        obj = self._object(raw, path)
        kind = obj.get("type")
        if kind == "text":
            return Text(self._str(obj.get("text"), f"{path}.text"))
        if kind == "code":
            return InlineCode(self._str(obj.get("text"), f"{path}.text"))
        if kind == "linebreak":
            return LineBreak()
        if kind == "link":
            return Link(self._str(obj.get("href"), f"{path}.href"),
                        self._inlines(obj.get("children"), f"{path}.children", depth + 1))
        if kind in _SPANS:
            return _SPANS[kind](self._inlines(obj.get("children"), f"{path}.children",
                                              depth + 1))
        raise InputError(f"{path}.type: unknown inline type {kind!r}")

    @staticmethod
    def _object(value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise InputError(f"{path}: expected an object")
        return value

    @staticmethod
    def _list(value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise InputError(f"{path}: expected a list")
        return value

    @staticmethod
    def _str(value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise InputError(f"{path}: expected a string")
        return clean_text(value)

    def _opt_str(self, value: Any, path: str) -> str | None:
        return None if value is None else self._str(value, path)


def article_from_dict(doc: Any) -> Article:
    return _Reader().article(doc)
