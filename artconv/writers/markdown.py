"""The Markdown writer: CommonMark (``--to markdown``) or GitHub-flavoured (``--to gfm``).

Text is escaped exactly where it would otherwise become markup (a line that starts like a
heading, list or quote; emphasis delimiters that could open or close; backticks; ``[``; ``<``
before a tag-like character; ``&`` before an entity-like name) and nowhere else, so Russian and
English prose stays readable. What CommonMark cannot say is written as a few fixed HTML tags
(``<del>``, ``<sub>``, ``<sup>``, ``<cite>``, ``<br>``, tables outside GFM) that the Markdown
reader maps back. Nothing from the input is passed through as raw HTML.

Images are ``![alt](src)`` with the caption on the next line of the same paragraph; related
blocks are an ``<!-- related -->`` marker, a heading and a list of items (thumbnail, title
link, summary); metadata is YAML front matter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from ..errors import Log
from ..mdform import (
    FRONT_MATTER_NAMES,
    FRONT_MATTER_ORDER,
    HEADER_COMMENT,
    front_matter_key,
    header_paragraphs,
    parser,
    yaml_loader,
)
from ..model import (
    MAX_LIST_START,
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
    normalize_inlines,
    plain_text,
    tight_fits,
    transform,
    walk,
)
from ..options import WriteOptions
from ..pipeline import CODE_LANGUAGE
from ..textutil import LazyPattern, clean_text, squash
from ..urls import is_safe_image, is_safe_link

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..media import MediaBag

# a code block's language as a fence may carry it (the pipeline's own check, again here for a
# model built by hand through the API)

RELATED_MARKER = "<!-- related -->"
EMPTY_COMMENT = "<!-- -->"
"""What ends a list before another and fills an empty item; the reader reads it as nothing."""
_ASCII_PUNCT = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
# What a line may not start with as it is, in any dialect of the matrix (docs/markdown.md): a
# pattern, and where its character is escaped (0: the first; None: after the digits or letters
# of a list marker); the character is written with a backslash when every dialect reads that
# escape, else as a character reference (see _LINE_REFERENCES).
# a list label of any length: Python-Markdown and kramdown do not stop at nine digits
_LIST_LABEL = r"(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+|@[\w-]*)"
_LINE_START = LazyPattern(rf"""
    (?P<first>                          # escape the first character:
      \#                                # ATX heading (Python-Markdown: no space needed)
    | >                                 # block quote
    | [-+*](?:[ \t]|$)                  # bullet list item
    | (?P<rule>[-*_])[ \t]*(?:(?P=rule)[ \t]*){{2,}}$   # thematic break, simple table rule
    | (?:=+|-+)[ \t]*$                  # setext underline
    | \+[-=]                            # grid table (pandoc)
    | ~(?:~~|[ \t]|$)                   # tilde fence, definition (pandoc)
    | :(?:[: \t]|$)                     # definition, fenced div (pandoc, kramdown, ...)
    | \|(?:[ \t]|$)                     # line block (pandoc)
    | %                                 # title block (pandoc)
    | \({_LIST_LABEL}\)(?:[ \t]|$)      # (1) (a) (iv) (@) list item (pandoc)
    | \|?[ \t]*:?-+:?[ \t]*\|           # a pipe table's delimiter row (GFM, pandoc, ...)
    )
    | (?P<label>{_LIST_LABEL})[.)](?:[ \t]|$)   # 1. a) iv. @) list item: escape the . or )
    """, re.VERBOSE)
_LINE_FIRST = frozenset("#>-+*=_~:|%(@")


def _may_start_syntax(line: str) -> bool:
    """Whether ``line`` may match :data:`_LINE_START`: it starts with one of its characters, or
    with a short ASCII label and a "." or ")" ("1.", "iv)")."""
    first = line[:1]
    if first in _LINE_FIRST:
        return True
    return first.isascii() and first.isalnum() and _LABEL_START.match(line) is not None


_LABEL_START = LazyPattern(r"[A-Za-z0-9]+[.)]")


_LINE_REFERENCES = {"~": "&#126;", ":": "&#58;", "|": "&#124;", "%": "&#37;", "=": "&#61;"}
_ENTITY_LIKE = LazyPattern(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")  # any length
# a line that starts an HTML block (CommonMark 4.6, kinds 1 to 7)
_BLOCK_TAGS = (
    "address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|"
    "details|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h1|"
    "h2|h3|h4|h5|h6|head|header|hr|html|iframe|legend|li|link|main|menu|menuitem|nav|"
    "noframes|ol|optgroup|option|p|param|search|section|summary|table|tbody|td|tfoot|th|"
    "thead|title|tr|track|ul")
_ATTRIBUTE = r"""\s+[A-Za-z_:][\w.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_TAG_AT_START = LazyPattern(
    r" {0,3}(?:<(?:script|pre|style|textarea)(?:[\s>]|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\[|"
    rf"</?(?:{_BLOCK_TAGS})(?:[\s/>]|$)|"
    rf"(?:<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)[ \t]*$)",
    re.IGNORECASE)
_DESTINATION_SPECIAL = LazyPattern(
    r"[\\()<>|`\s\x00-\x1f]|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def write(articles: Sequence[Article], options: WriteOptions, log: Log,
          media: MediaBag | None) -> bytes:
    return _write(articles, options, log, gfm=options.gfm)


def write_gfm(articles: Sequence[Article], options: WriteOptions, log: Log,
              media: MediaBag | None) -> bytes:
    return _write(articles, options, log, gfm=True)


def _write(articles: Sequence[Article], options: WriteOptions, log: Log, *,
           gfm: bool) -> bytes:
    writer = MarkdownWriter(log, gfm=gfm, wrap=options.wrap)
    if len(articles) == 1:
        chunks = _article(articles[0], writer, front=options.front_matter)
    else:  # one document: each article after a marker, under its own heading
        chunks = []
        for article in articles:
            chunks.append(ARTICLE_MARKER)
            chunks.extend(_article(article, writer, front=False))
    text = "\n\n".join(c for c in chunks if c)
    return (text.rstrip("\n") + "\n").encode("utf-8")


ARTICLE_MARKER = "<!-- artconv:article -->"


def _article(article: Article, writer: MarkdownWriter, *, front: bool) -> list[str]:
    chunks = []
    if front:
        chunks.append(front_matter(article.meta, writer))
        if not chunks[0] and article.blocks and _reads_as_title(article.blocks[0]):
            # without front matter, a first heading is read as the title: an empty header
            # comment says there is none
            chunks[0] = f"<!-- {HEADER_COMMENT} {{}} -->"
    else:
        if article.meta.title:
            chunks.append("# " + writer.heading_text((Text(article.meta.title),)))
        chunks.extend(header(article.meta, writer))
    chunks.extend(writer.blocks(article.blocks))
    chunks.append(writer.footnotes())  # an article's notes after it, numbered on
    return chunks


def _reads_as_title(block: Block) -> bool:
    """Whether the Markdown reader takes ``block``, first in a document without front matter,
    for the title (a level 1 heading of plain text)."""
    return isinstance(block, Heading) and block.level == 1 and bool(block.children) and all(
        isinstance(n, Text) for n in block.children)


# ---------------------------------------------------------------------------------------------
# The header without front matter: what the HTML fragment's header shows (subtitle; authors,
# date, section, site), for renderers that do not read front matter, after a comment that holds
# the metadata for artconv to read back (see readers/markdown.py)



def header(meta: Meta, writer: MarkdownWriter) -> list[str]:
    from ..jsonform import meta_to_dict

    fields = {k: v for k, v in meta_to_dict(meta).items() if v and k != "title"}
    shown = header_paragraphs(meta)
    if not fields:
        return []
    import json

    data = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    # a comment ends at "-->" and should hold no "--": both are written as JSON escapes
    data = data.replace(">", "\\u003e").replace("--", "-\\u002d")
    return [f"<!-- {HEADER_COMMENT} {data} -->",
            *(writer.paragraph(p.children) for p in shown)]


# ---------------------------------------------------------------------------------------------
# Front matter


_YAML_SPECIAL = LazyPattern('[\\\\"<\x00-\x1f\u0085\u2028\u2029\ufeff]')
_YAML_NAMED = {"\\": "\\x5C", "<": "\\x3C", '"': '\\"', "\n": "\\n", "\t": "\\t",
               "\r": "\\r"}


def _yaml_escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _YAML_NAMED.get(ch) or f"\\u{ord(ch):04x}"


def yaml_string(value: str) -> str:
    """A YAML scalar for a value that is already Markdown text. Written so that the file is
    safe whoever reads it: YAML, then Markdown (pandoc), gives the value; a renderer that knows
    no front matter and reads the lines as Markdown finds no tag and no link either.

    Double-quoted when nothing needs escaping; single-quoted (backslashes as they are, so that
    ``\\<`` stays an escaped ``<`` for a Markdown reader of the raw file) when the value holds
    Markdown escapes; double-quoted with ``\\x5C`` for a backslash and ``\\x3C`` for ``<``
    (never a raw ``<``) when it holds characters only escapes can write."""
    value = clean_text(value)
    if value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'  # nothing to escape: the line breaks YAML knows are not printable
    if value.isprintable() and value[:1] != " " and value[-1:] != " ":
        return "'" + value.replace("'", "''") + "'"
    return '"' + _YAML_SPECIAL.sub(_yaml_escape, value) + '"'


def front_matter(meta: Meta, writer: MarkdownWriter) -> str:
    """YAML front matter. pandoc and the renderers that show front matter read a value as
    Markdown, so each is written as Markdown text (escaped as the body is: the title
    ``<img src=x onerror=...>`` stays text), then as a YAML double-quoted string."""

    def value(text: str) -> str:
        return yaml_string(writer.metadata_text(text))

    lines = ["---"]
    if meta.title:  # no title, no key (pandoc's and the static site generators' reading)
        lines.append(f"title: {value(meta.title)}")
    for key in FRONT_MATTER_ORDER:
        found = getattr(meta, key)
        name = front_matter_key(key)
        if isinstance(found, tuple):
            if found:
                lines.append(f"{name}:")
                lines.extend(f"  - {value(item)}" for item in found)
        elif found is not None:
            lines.append(f"{name}: {value(found)}")
    for field in meta.extra:  # fields the model has no name for: as the input wrote them
        if disallowed_url(field.name, field.value):
            # pandoc's templates put some fields into URLs ("css"): the URL allow list holds
            writer.log.warn("unsafe-url", f"dropped the field {field.name[:40]!r}: it holds a "
                            "URL whose scheme is not http, https or mailto", loss=True)
            continue
        if not extra_key(field.name):
            writer.log.warn("front-matter", f"dropped the field {field.name[:40]!r}: not a "
                            "plain YAML key, or one the model has another field for", loss=True)
            continue
        verbatim = extra_line(field.name, field.value)
        if verbatim is None:
            writer.log.warn("front-matter", f"the field {field.name[:40]!r} is not plain YAML "
                            "that is safe as written; written as a quoted string")
            verbatim = f"{field.name}: {value(field.value)}"
        lines.append(verbatim)
    if len(lines) == 1:
        return ""  # nothing to say: no front matter
    if len(lines) == 1 + len(meta.extra) and not meta.title and lines[1:] and not any(
            getattr(meta, key) for key in FRONT_MATTER_ORDER):
        # fields of unknown names only: a block without one name artconv knows is read as
        # Markdown (a rule and a heading), so the title is said, empty
        lines.insert(1, 'title: ""')
    lines.append("---")
    return "\n".join(lines)


_PLAIN_KEY = LazyPattern(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")
# what a verbatim value may hold: nothing a renderer reading the raw lines as Markdown could
# make markup of (no "<", "`", "&", "\\", no "](" or "]:" that would make a link or define
# one, no "]{", "{:" or "{...=" that would make attributes in pandoc, kramdown or
# Python-Markdown) and nothing that ends the front matter
_SAFE_VALUE = LazyPattern(r"(?!.*\](?:\(|:|\{))(?!.*\{.*=)(?!.*\{:)"
                          r"[\w \n\-:,.'\"{}\[\]|>#/+*=%~!?@$^()]*", re.DOTALL)
_FENCE_LINE = LazyPattern(r"(?m)^(?:---|\.\.\.)\s*$")


def extra_key(name: str) -> bool:
    """A plain YAML key that the model has no field for."""
    return bool(_PLAIN_KEY.fullmatch(name)) and name.lower() not in FRONT_MATTER_NAMES


def disallowed_url(name: str, text: str) -> bool:
    """Whether a front matter field (its YAML source) holds a value that is a URL with a
    scheme outside the allow list, read as a browser reads an ``href``."""
    import yaml

    from ..urls import LINK_SCHEMES, url_scheme

    try:
        node = yaml.compose(f"{name}:" + (text if text[:1] in ("\n", "") else " " + text),
                            Loader=yaml_loader())
        scalars = [n.value for n in _yaml_nodes(node) if isinstance(n, yaml.ScalarNode)]
    except yaml.YAMLError:
        scalars = [text]  # written as one quoted string
    for value in scalars:
        scheme = url_scheme(value)
        if scheme is not None and scheme not in LINK_SCHEMES and re.match(
                r"[^:]*:\S", re.sub(r"[\t\n\r]", "", value).lstrip()):
            return True
    return False


def _yaml_nodes(node: object) -> list[object]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        value = getattr(current, "value", None)
        if isinstance(value, list):
            for item in value:
                stack.extend(item if isinstance(item, tuple) else (item,))
    return out


def extra_line(name: str, text: str) -> str | None:
    """``name: text`` when the value can be written as it came: plain YAML that parses
    (without aliases) to one field and holds nothing a Markdown reader of the raw file could
    take for markup; None otherwise."""
    if not _SAFE_VALUE.fullmatch(text) or _FENCE_LINE.search(text):
        return None
    line = f"{name}:" + (text if text[:1] in ("\n", "") else " " + text)
    import yaml

    try:
        parsed = yaml.compose(line, Loader=yaml_loader())
    except yaml.YAMLError:
        return None
    if not isinstance(parsed, yaml.MappingNode) or len(parsed.value) != 1:
        return None
    return line


# ---------------------------------------------------------------------------------------------
# Characters


def _is_space(ch: str | None) -> bool:
    """Unicode white space as CommonMark counts it; the edge of a line counts too."""
    return ch is None or ch in "\t\n\f\r " or unicodedata.category(ch) == "Zs"


def _is_punct(ch: str | None) -> bool:
    return ch is not None and (ch in _ASCII_PUNCT or unicodedata.category(ch)[0] in "PS")


def _flanking(before: str | None, after: str | None) -> tuple[bool, bool]:
    left = not _is_space(after) and (not _is_punct(after) or _is_space(before)
                                     or _is_punct(before))
    right = not _is_space(before) and (not _is_punct(before) or _is_space(after)
                                       or _is_punct(after))
    return left, right


def _delimiter_active(run: str, before: str | None, after: str | None) -> bool:
    """Whether a run of ``*``, ``_`` or ``~`` could open or close emphasis."""
    left, right = _flanking(before, after)
    if run[0] == "_":
        can_open = left and (not right or _is_punct(before))
        can_close = right and (not left or _is_punct(after))
        return can_open or can_close
    return left or right


# ---------------------------------------------------------------------------------------------
# The writer


class MarkdownWriter:
    def __init__(self, log: Log, *, gfm: bool, wrap: int | None) -> None:
        self.log = log
        self.gfm = gfm
        self.wrap = wrap
        self.one_line = False  # writing a heading: a line break is <br>
        self.nested = 0  # inside a list item, a quote or a note: code is written as HTML
        self.open_tags: list[str] = []  # raw inline tags open in the block being written
        self.open_from = 0  # where the raw tags of the inline run being written start
        self.cleaned: dict[int, str] = {}  # id of a raw block → its cleaned HTML
        self.spans: list[type] = []  # the emphasis and strong spans being written
        self.references = False  # escapes as character references only (metadata)
        self.notes: list[Note] = []  # referred to as [^1], [^2], ... and defined at the end
        self.defined = 0  # the notes defined so far (each article's after it)
        self.numbers: dict[int, int] = {}  # id of a note → its number
        # a node met again (a paragraph written twice, as Markdown then as HTML) is not
        # numbered or warned about again
        self.warned: dict[tuple[int, str], object] = {}  # → the node (which keeps its id)

    def warn(self, node: object, code: str, message: str, *, loss: bool = True) -> None:
        if (id(node), code) not in self.warned:
            self.warned[(id(node), code)] = node
            self.log.warn(code, message, loss=loss)

    def footnotes(self) -> str:
        """The definitions of the notes referred to (and of those their text refers to)."""
        out = []
        i = self.defined
        while i < len(self.notes):
            blocks = self.notes[i].blocks
            body = "\n\n".join(self.nested_blocks(blocks))
            lines = body.split("\n") if body else [""]
            if blocks and not isinstance(blocks[0], Paragraph):
                lines = ["", *lines]  # a block other than a paragraph starts on a line of its own
            rest = ["    " + line if line else "" for line in lines[1:]]
            out.append("\n".join([f"[^{i + 1}]:" + (f" {lines[0]}" if lines[0] else ""), *rest]))
            i += 1
        self.defined = i
        return "\n\n".join(out)

    # -- blocks -----------------------------------------------------------------------------

    def nested_blocks(self, blocks: tuple[Block, ...]) -> list[str]:
        """The blocks of a list item, a quote or a note."""
        self.nested += 1
        try:
            return self.blocks(blocks)
        finally:
            self.nested -= 1

    def blocks(self, blocks: tuple[Block, ...]) -> list[str]:
        out: list[str] = []
        previous: Block | None = None
        raw = [b for b in blocks if isinstance(b, RawBlock)]
        if raw:  # balanced as one run: an element may open in one block and close in another
            from ..sanitize import clean_raw_run

            self.cleaned.update(zip(map(id, raw), clean_raw_run([b.html for b in raw]),
                                    strict=True))
        for block in blocks:
            chunk = self.block(block, previous)
            if chunk is not None:
                out.append(chunk)
                previous = block
        return out

    def block(self, block: Block, previous: Block | None = None) -> str | None:
        match block:
            case Paragraph(children=children):
                return self.paragraph(children)
            case Heading(level=level, children=children):
                return "#" * level + " " + self.heading_text(children)
            case Image():
                return self.image(block)
            case Quote(blocks=blocks, attribution=attribution):
                chunks = self.nested_blocks(blocks)
                if attribution:
                    chunks.append(self.finish_lines(
                        "\u2014 <cite>" + self.inlines(attribution) + "</cite>"))
                if not chunks:
                    chunks = [""]
                body = "\n\n".join(chunks)
                return "\n".join(">" + (" " + line if line else "")
                                 for line in body.split("\n"))
            case ListBlock():
                return self.list_block(block, previous)
            case CodeBlock(text=text, language=language):
                return self.code(text, language)
            case Rule():
                return "___"  # not "* * *": after a "* " list marker that is a rule line
            case Table():
                return self.table(block)
            case RawBlock(html=raw):
                return self.raw_block(raw, self.cleaned.pop(id(block), None))
            case Related():
                return self.related(block)
        raise TypeError(f"not a block: {block!r}")

    def paragraph(self, children: tuple[Inline, ...]) -> str:
        if len(children) == 1 and type(children[0]) is Text:  # most paragraphs: one run
            return self.finish_lines(self.text(children[0].text, after=None))
        text = self.inlines(children)
        first = children[0] if children else None
        if isinstance(first, Link) and is_safe_link(first.href) \
                and _REFERENCE_DEFINITION.match(text):
            # "[`]:`](url)" would be read as a link reference definition, which takes the
            # whole paragraph: the link is written as HTML instead
            import html

            from ..sanitize import markdown_inert

            inner = self.inlines(first.children, in_link=True, before=">", after="<")
            rest = self.inlines(children[1:], before=">")
            tag = markdown_inert(f'<a href="{html.escape(first.href, quote=True)}">')
            text = f"{tag}{inner}</a>{rest}"
        return self.finish_lines(text)

    def finish_lines(self, text: str) -> str:
        """Wrap (when asked) and escape what each line starts with."""
        lines = edge_spaces(text).split("\n")
        if self.wrap:
            lines = [w for line in lines for w in self._wrap_line(line)]
        return "\n".join(self.escape_line_start(line) for line in lines).replace("\x00", " ")

    def _wrap_line(self, line: str) -> list[str]:
        words = line.split("\x00")
        out: list[str] = []
        current = ""
        for word in words:
            if current and len(current) + 1 + len(word) > (self.wrap or 0):
                out.append(current)
                current = word
            else:
                current = f"{current}\x00{word}" if current else word
        out.append(current)
        return [w for w in out if w] or [""]

    def escape_line_start(self, line: str) -> str:
        """A line of text with what it starts with escaped (and an escaped backslash at its
        end written as a reference: kramdown reads "\\\\" at a line's end as a break)."""
        if line.endswith("\\\\") or line.endswith("\\\\  "):
            cut = line.rindex("\\\\")
            line = line[:cut] + "&#92;" + line[cut + 2:]
        probe = line.replace("\x00", " ")
        if probe.lstrip(" ")[:1] == "<" and _TAG_AT_START.match(probe):
            # raw HTML that starts a line would start an HTML block, which takes the whole
            # line (and the paragraph's rest): a space reference before it keeps it inline,
            # and reads back as nothing (a paragraph's or a line's first space)
            return "&#32;" + line
        if not _may_start_syntax(probe):
            return line  # most lines: no pattern compiled, none run
        match = _LINE_START.match(probe)
        if match is None:
            return line
        if match.group("label") is not None:  # "1." -> "1\.", "a)" -> "a\)"
            at = match.end("label")
            return line[:at] + self._line_escape(line[at]) + line[at + 1:]
        return self._line_escape(line[0]) + line[1:]

    def _line_escape(self, ch: str) -> str:
        if self.references:
            return f"&#{ord(ch)};"
        return _LINE_REFERENCES.get(ch, "\\" + ch)

    def metadata_text(self, value: str) -> str:
        """A metadata value as Markdown text: escaped where it would be markup, each line's
        start included (a value is read as a Markdown paragraph), with character references
        only: a renderer that knows no front matter reads the raw line, where YAML's quoting
        hides a backslash escape."""
        self.references = True
        try:
            lines = [edge_spaces(self.text(line).replace("\x00", " ")) if line else line
                     for line in value.split("\n")]
            return "\n".join(self.escape_line_start(line) for line in lines)
        finally:
            self.references = False

    def heading_text(self, children: tuple[Inline, ...]) -> str:
        """A heading is one line: its line breaks are written as ``<br>``."""
        self.one_line = True
        try:
            text = edge_spaces(self.inlines(children).replace("\x00", " "))
        finally:
            self.one_line = False
        # a closing sequence ("Issue #") would be stripped by the parser
        match = re.search(r"(^|[ \t])(#+)[ \t]*$", text) \
            if text.rstrip(" \t").endswith("#") else None
        if match:  # every "#" of it: pandoc and others read "\###" as "#" and a closing "##"
            start, end = match.span(2)
            text = text[:start] + "\\#" * (end - start) + text[end:]
        return text

    def image(self, image: Image) -> str | None:
        if not is_safe_image(image.src):
            self.log.warn("unsafe-url", f"dropped an image with an unsafe source "
                                        f"{image.src[:80]!r}")
            return self.paragraph(image.caption) if image.caption else None
        line = (f"![{self.text(image.alt, in_link=True)}]"
                f"({self.destination(image.src)}{self.title(image.title)})")
        if image.link and not is_safe_link(image.link):
            self.log.warn("unsafe-url", f"dropped a picture's link to {image.link[:80]!r}")
        elif image.link:
            line = f"[{line}]({self.destination(image.link)})"
        if image.caption:
            return line + "\n" + self.finish_lines(self.inlines(image.caption))
        return line

    def list_block(self, block: ListBlock, previous: Block | None) -> str:
        # a list right after a list of the same kind (or a related block's, a "-" list)
        # would continue it: an empty comment between them ends it in every dialect (pandoc's
        # way; CommonMark's other marker is not read by Python-Markdown or kramdown)
        apart = isinstance(previous, ListBlock) and previous.ordered == block.ordered \
            or isinstance(previous, Related) and bool(previous.items) and not block.ordered
        tight = block.tight and tight_fits(block.items)
        rendered = []
        for n, item in enumerate(block.items):
            if block.ordered:
                # CommonMark reads the start from the first marker and takes numbers of at most
                # nine digits: when counting up would pass that, every item repeats the start
                number = block.start + n if block.start + len(block.items) - 1 <= MAX_LIST_START \
                    else block.start
                marker = f"{number}.".ljust(3) + " "
            else:
                # content four columns in (pandoc's way): Python-Markdown reads nothing less
                # as an item's own (a nested list, a second paragraph, HTML)
                marker = "-   "
            chunks = self.nested_blocks(item)
            body = ("\n" if tight else "\n\n").join(chunks)
            indent = " " * len(marker)
            lines = body.split("\n") if body else [""]
            first = _item_line(marker, lines[0])
            rest = [indent + line if line else "" for line in lines[1:]]
            rendered.append("\n".join([first, *rest]))
        written = ("\n" if tight else "\n\n").join(rendered)
        return f"{EMPTY_COMMENT}\n\n{written}" if apart else written

    def raw_block(self, raw: str, clean: str | None = None) -> str | None:
        """A raw HTML block through the one sanitiser (balanced with the raw blocks beside it,
        allow-listed: ``clean``) and made inert as Markdown (no dialect reads Markdown in it),
        when it reads back as one HTML block; else the blocks it holds. See
        :mod:`artconv.sanitize`."""
        from ..sanitize import clean_raw, markdown_inert  # only a document with raw HTML pays

        if clean is None:
            clean = clean_raw(raw)
        if clean != raw:
            self.log.warn("raw-html", f"cleaned a raw HTML block ({raw[:40]!r}...): what the "
                          "allow list does not hold is left out (its text stays), what it "
                          "left open is closed", loss=False)
        clean = clean.strip(" \t\n")
        if _phrasing_around_blocks(clean):
            # "<span><div>": kramdown reads a line that opens with a tag of running text as a
            # paragraph, and a block's tag in it as text; in a <div>, all of it is HTML
            clean = f"<div>{clean}</div>"
        inert = markdown_inert(clean)
        if inert.strip() and reads_as_one_html_block(inert):
            return inert
        # a tag alone on its first line starts an HTML block whatever the tag ("<a href>",
        # which balancing closed on the same line)
        first = re.match(r"</?[a-z][^>]*>(?!\n)", inert)
        if first and reads_as_one_html_block(split := f"{first.group()}\n{inert[first.end():]}"):
            return split
        from ..htmlform.readback import raw_html_blocks

        chunks = self.blocks(tuple(raw_html_blocks(raw, self.log)))
        return "\n\n".join(chunks) or None

    def code(self, text: str, language: str | None) -> str:
        text = clean_text(text)
        info = (language or "").strip()
        if info and not CODE_LANGUAGE.fullmatch(info):
            # a dialect reads braces, "=" or spaces in a fence's info string as more than a name
            self.log.warn("code-language", f"dropped the code language {info[:40]!r}: not a "
                          "plain language name")
            info = ""
        if self.nested:
            # Python-Markdown reads a fence only at the start of a line: inside a list item or
            # a note, its lines would be Markdown (and live HTML after a blank line). One line
            # of HTML is code in every dialect.
            from html import escape

            from ..sanitize import markdown_inert

            css = f' class="language-{info}"' if info else ""
            end = "\n" if text else ""  # as a fence's last line ends
            code = markdown_inert(f"<pre><code{css}>{escape(text, quote=False)}{end}"
                                  "</code></pre>")
            return code.replace("\n", "&#10;")
        # tildes: kramdown's own Markdown has no backtick fence (and reads HTML in one)
        longest = max((len(m) for m in re.findall(r"(?m)^[ \t]*(~+)", text)), default=0)
        fence = "~" * max(3, longest + 1)
        return f"{fence}{info}\n{text}\n{fence}" if text else f"{fence}{info}\n{fence}"

    def table(self, table: Table) -> str:
        width = len(table.rows[0]) if table.rows else 0
        # a pipe table at the top level only (pandoc reads none that starts a list item) and
        # with a row under its header (kramdown reads none without)
        pipe_ok = (self.gfm and table.header_rows == 1 and width > 0 and not self.nested
                   and len(table.rows) > 1 and all(len(row) == width for row in table.rows))
        if not pipe_ok:
            from ..htmlform.render import HtmlRenderer

            # an HTML block ends at a blank line, and what follows it is read as Markdown: a
            # line break inside a cell (from <pre> text) is written as a reference, so that
            # the block holds no blank line
            # the block holds no blank line; and pandoc's Markdown reads Markdown inside HTML
            # blocks (markdown_in_html_blocks), so the characters that would make a link,
            # emphasis or code there are references too
            rows = table.rows
            if any(isinstance(n, Note) for n in walk(table)):
                # Markdown is not read inside an HTML block: a note there is its text
                self.log.warn("markdown-structure", "a note inside a table written as HTML "
                              "is written as its text, in parentheses", loss=False)
                rows = tuple(tuple(_notes_as_text(cell) for cell in row) for row in rows)
            from ..sanitize import markdown_inert

            return markdown_inert(HtmlRenderer(self.log).table(rows, table.header_rows,
                                                               table.align))

        def cell(inlines: tuple[Inline, ...]) -> str:  # its edges are trimmed as a block's
            return edge_spaces(self.inlines(inlines, in_cell=True).replace("\x00", " ")
                               .replace("\n", " "))

        head, *body = table.rows
        align = [table.align[i] if i < len(table.align) else "" for i in range(len(head))]
        lines = ["| " + " | ".join(cell(c) for c in head) + " |",
                 "|" + "|".join(_DELIMITER[a] for a in align) + "|"]
        lines.extend("| " + " | ".join(cell(c) for c in row) + " |" for row in body)
        return "\n".join(lines)

    def related(self, related: Related) -> str:
        chunks = [RELATED_MARKER]
        if related.heading:
            chunks.append("## " + self.heading_text((Text(related.heading),)))
        head = "\n\n".join(chunks)  # kramdown reads a line after a comment into it
        if not related.items:
            return head
        items = []
        for item in related.items:
            lines = self._related_lines(item)
            items.append("\n    ".join([_item_line("-   ", lines[0]), *lines[1:]]))
        return head + "\n\n" + "\n".join(items)

    def _related_lines(self, item: RelatedItem) -> list[str]:
        lines = []
        if item.image and is_safe_image(item.image):
            lines.append(f"![]({self.destination(item.image)})")
        elif item.image:
            self.log.warn("unsafe-url", f"dropped a related thumbnail {item.image[:80]!r}")
        # white space as the reader reads it back (a tab at a line's start would indent it)
        plain = squash(item.title)
        title = self.text(plain)
        if item.url and is_safe_link(item.url):
            title = f"[{self.text(plain, in_link=True)}]({self.destination(item.url)})"
        elif item.url:
            self.log.warn("unsafe-url", f"dropped a related link {item.url[:80]!r}")
        lines.append(self.escape_line_start(title).replace("\x00", " "))
        if item.summary and squash(item.summary):
            summary = self.text(squash(item.summary))
            parts = self._wrap_line(summary) if self.wrap else [summary]
            lines.extend(self.escape_line_start(p).replace("\x00", " ") for p in parts)
        return lines

    # -- inlines ----------------------------------------------------------------------------

    def inlines(self, nodes: tuple[Inline, ...] | None, *, in_link: bool = False,
                in_cell: bool = False, before: str | None = None,
                after: str | None = None) -> str:
        """Inline nodes in sequence; ``before``/``after`` are the characters that will stand
        just outside them (a delimiter of the span they are in), which escaping must see."""
        nodes = nodes or ()
        out: list[str] = []
        outer = self.open_from  # raw tags opened before this run are not this run's to close
        self.open_from = len(self.open_tags)
        try:
            prev = before
            for i, node in enumerate(nodes):
                nxt = _first_char(nodes[i + 1]) if i + 1 < len(nodes) else after
                written = self.inline(node, prev, nxt, in_link=in_link, in_cell=in_cell,
                                      at_start=prev is None)
                out.append(written)
                prev = written[-1] if written else prev  # what left nothing is not a neighbour
            left = self.open_tags[self.open_from:]
            if left:  # raw tags the run left open are closed at its end (inside its span)
                self.log.warn("raw-html", "closed raw HTML tags left open: "
                              + ", ".join(f"<{t}>" for t in left), loss=False)
                out.extend(f"</{t}>" for t in reversed(left))
                del self.open_tags[self.open_from:]
        finally:
            self.open_from = outer
        return "".join(out)

    def raw_inline(self, node: RawInline, *, before: str | None, after: str | None,
                   in_link: bool, in_cell: bool) -> str:
        """A raw inline tag through the one sanitiser's allow list, balanced within its block
        (a closing tag that closes nothing goes, a tag left open is closed at the block's
        end) and made inert as Markdown. What is not one tag is written as its text."""
        from ..rawhtml import is_tag
        from ..sanitize import clean_tag, markdown_inert

        raw = node.html
        found = clean_tag(raw) if is_tag(raw) else None
        if found is None:
            if is_tag(raw):
                self.warn(node, "raw-html", f"left out the raw HTML tag {raw[:40]!r}: not an "
                          "element the allow list holds in running text (docs/markdown.md)",
                          loss=False)
                return ""
            self.warn(node, "raw-html", f"wrote the raw HTML {raw[:40]!r} as text", loss=False)
            return self.text(raw, before=before, after=after, in_link=in_link,
                             in_cell=in_cell)
        kind, name, tag = found
        if tag != raw.strip():
            self.warn(node, "raw-html", f"cleaned the raw HTML tag {raw[:40]!r}", loss=False)
        if kind == "open":
            self.open_tags.append(name)
        elif kind == "close":
            if name not in self.open_tags[self.open_from:]:
                self.warn(node, "raw-html", f"left out the raw HTML tag {raw[:40]!r}: it "
                          "closes nothing", loss=False)
                return ""
            inner = []
            while (top := self.open_tags.pop()) != name:
                inner.append(f"</{top}>")  # closed inside it, as a browser would
            tag = "".join(inner) + tag
        return markdown_inert(tag)  # a "|" in it is a reference too: no cell splits there

    def inline(self, node: Inline, before: str | None, after: str | None, *,  # noqa: C901
               in_link: bool, in_cell: bool, at_start: bool) -> str:  # a case a node kind
        match node:
            case Text(text=value):
                return self.text(value, before=None if at_start else (before or "*"),
                                 after=after, in_link=in_link, in_cell=in_cell)
            case InlineCode(text=value):
                value = clean_text(value).replace("\n", " ")
                if "|" in value or value[:1] == "`" or value[-1:] == "`" \
                        or value[:1].isspace() or value[-1:].isspace():
                    # kramdown reads a line with a pipe as a table row, code spans included;
                    # GFM splits cells at every pipe, and only GFM reads "\|" in a code span
                    # as a pipe; dialects trim the spaces around a span's content each their
                    # own way: HTML code, with the pipe a reference
                    from html import escape

                    from ..sanitize import markdown_inert

                    return markdown_inert(f"<code>{escape(value, quote=False)}</code>")
                return _code_span(value)
            case LineBreak():
                # two spaces: the hard break every dialect reads (Python-Markdown shows "\\")
                return "<br>" if in_cell or self.one_line else "  \n"
            case Link(href=href, children=children, title=title):
                if not is_safe_link(href):
                    self.warn(node, "unsafe-url", f"dropped a link to {href[:80]!r}")
                    return self.inlines(children, in_link=in_link, in_cell=in_cell,
                                        before=before, after=after)
                inner = self.inlines(children, in_link=True, in_cell=in_cell, before="[",
                                     after="]")
                target = f"({self.destination(href)}{self.title(title)})"
                return f"[{inner}]{target}"  # no "|" in it: a reference (GFM splits cells)
            case Note():
                if id(node) not in self.numbers:
                    self.notes.append(node)
                    self.numbers[id(node)] = len(self.notes)
                return f"[^{self.numbers[id(node)]}]"
            case RawInline():
                return self.raw_inline(node, before=before, after=after, in_link=in_link,
                                       in_cell=in_cell)
            case Emphasis() | Strong():
                return self.emphasis(node, before, after, in_link, in_cell)
            case Strikethrough(children=children):
                inner = self.inlines(children, in_link=in_link, in_cell=in_cell,
                                     before="~" if self.gfm else ">",
                                     after="~" if self.gfm else "<")
                if self.gfm and "~" not in inner and self._delimiters_fit(inner, before, after,
                                                                          "~~"):
                    # (a "~" inside, in code, ends kramdown's strikethrough)
                    return f"~~{inner}~~"
                return f"<del>{inner}</del>"  # written once, as emphasis is
            case Subscript(children=children):
                inner = self.inlines(children, in_link=in_link, in_cell=in_cell, before=">",
                                     after="<")
                return f"<sub>{inner}</sub>"
            case Superscript(children=children):
                inner = self.inlines(children, in_link=in_link, in_cell=in_cell, before=">",
                                     after="<")
                return f"<sup>{inner}</sup>"
        raise TypeError(f"not an inline node: {node!r}")

    def emphasis(self, node: Emphasis | Strong, before: str | None, after: str | None,
                 in_link: bool, in_cell: bool) -> str:
        marker = "*" if isinstance(node, Emphasis) else "**"
        tag = "em" if isinstance(node, Emphasis) else "strong"
        nested_edge = isinstance(node, Strong) and node.children and (
            isinstance(node.children[0], Emphasis) or isinstance(node.children[-1], Emphasis))
        if nested_edge or type(node) in self.spans:
            # "*a *b* c*" and "**a **b** c**" nest in CommonMark only: the inner span as a tag
            self.spans.append(type(node))
            try:
                inner = self.inlines(node.children, in_link=in_link, in_cell=in_cell,
                                     before=">", after="<")
            finally:
                self.spans.pop()
            return f"<{tag}>{inner}</{tag}>"
        # the content is written once: escaping sees only whether its neighbours are
        # punctuation, which "*" and ">" both are, so what reads right between delimiters
        # reads right between tags too (a span written twice at every level of a deep
        # nesting would cost exponential time)
        self.spans.append(type(node))
        try:
            inner = self.inlines(node.children, in_link=in_link, in_cell=in_cell, before="*",
                                 after="*")
        finally:
            self.spans.pop()
        if self._delimiters_fit(inner, before, after, marker):
            return f"{marker}{inner}{marker}"
        return f"<{tag}>{inner}</{tag}>"

    @staticmethod
    def _delimiters_fit(inner: str, before: str | None, after: str | None,
                        marker: str) -> bool:
        """Whether ``marker`` around ``inner`` parses back as this very span, in every
        dialect: not inside a word (CommonMark reads ``a*b*`` as emphasis, Python-Markdown
        and kramdown do not)."""
        if not inner or before == marker[0] or after == marker[0] \
                or before is not None and before.isalnum() \
                or after is not None and after.isalnum():
            return False
        first, last = inner[0], inner[-1]
        opens, _ = _flanking(before, first.replace("\x00", " "))
        _, closes = _flanking(last.replace("\x00", " "), after)
        return opens and closes

    def text(self, value: str, *, before: str | None = None, after: str | None = None,
             in_link: bool = False, in_cell: bool = False) -> str:
        """Escape text for the middle of a line (line starts are handled per line), so that
        no dialect of the matrix reads markup in it (docs/markdown.md, "Escaping"): a
        backslash escape where every dialect reads one, a character reference elsewhere."""
        value = clean_text(value)
        pattern = _special_chars(bracket=in_link,
                                 space=bool(self.wrap) and not in_link and not in_cell)
        if not pattern.search(value):
            return value
        out: list[str] = []
        position = 0
        n = len(value)
        # kramdown reads no Markdown inside <kbd>, <code>, <samp> or <var>, escapes included:
        # there, every escape is a character reference
        refs = self.references or any(t in _RAW_CONTENT for t in self.open_tags)
        escape = _reference if refs else _backslash
        for match in pattern.finditer(value):
            start, end = match.span()
            out.append(value[position:start])
            position = end
            token = match.group()
            ch = token[0]
            if ch in "*_~^=$":
                prev = value[start - 1] if start > 0 else before
                nxt = value[end] if end < n else after
                out.append(_delimiter_run(token, prev, nxt, escape))
            elif ch == "\\":  # always: pandoc reads "\word" as TeX, "\" at a line end as a break
                out.append(escape("\\"))
            elif ch in "`[]{" or ch == "(" and (in_link or start == 0 and before == "]"):
                # "[a(b)](url)": mistune's ruby; "[^1](x)": a link, to all but markdown-it
                out.append(escape(ch))
            elif ch == "|":  # kramdown reads a line with a pipe as a table row, anywhere
                out.append("&#124;")
            elif ch == "<":
                out.append("&lt;")
            elif ch == "&":  # always: Python-Markdown's md_in_html reads the document with
                # an HTML parser, which a stray "&#" puts out of step
                out.append("&amp;")
            elif ch == "!":  # "!" right before a link would make it an image; a "[" of
                # this text is escaped itself
                out.append(escape("!") if end >= n and after == "[" else "!")
            elif ch == "(":
                out.append("(")
            elif ch == " ":
                out.append("\x00")
            else:  # a newline inside a text node
                out.append(" ")
        out.append(value[position:])
        return "".join(out)

    @staticmethod
    def title(value: str | None) -> str:
        """A link or picture title, after its destination: what a title cannot hold as it
        is as references, and every character that starts syntax in a line too (a dialect
        that does not read the link shows its title as text; Python-Markdown finds code spans
        and brackets before it reads a title; kramdown a table at a pipe)."""
        if not value:
            return ""
        from ..sanitize import MARKDOWN_INLINE

        value = "".join(f"&#{ord(ch)};" if ch in MARKDOWN_INLINE or ch in "\"\r\n(" else
                        "&amp;" if ch == "&" else ch for ch in clean_text(value))
        return f' "{value}"'

    def destination(self, url: str) -> str:
        """A link destination that parses back to exactly ``url``: as it is when it can be
        (balanced parentheses included), else in angle brackets (which every dialect reads;
        kramdown and Python-Markdown read no backslash escape in a destination)."""
        url = clean_text(url).replace("\n", "").replace("\r", "")
        if url and not _DESTINATION_SPECIAL.search(url.replace("(", "").replace(")", "")) \
                and _balanced_parentheses(url):
            return url
        out = []
        for i, ch in enumerate(url):
            nxt = url[i + 1] if i + 1 < len(url) else None
            if ch == "\\" and (nxt is None or nxt in _ASCII_PUNCT):
                out.append("\\\\")
            elif ch == "&" and _ENTITY_LIKE.match(url, i):
                out.append("&amp;")
            elif ch == "|":  # kramdown: a line with a pipe is a table row
                out.append("&#124;")
            elif ch == "`":  # Python-Markdown reads code spans before links
                out.append("&#96;")
            elif ch in "<>":
                out.append("\\" + ch)
            else:
                out.append(ch)
        return "<" + "".join(out) + ">"


_SPECIAL_CACHE: dict[tuple[bool, bool], re.Pattern[str]] = {}


def _special_chars(*, bracket: bool, space: bool) -> re.Pattern[str]:
    """The characters text escaping may have to touch, for this context."""
    key = (bracket, space)
    pattern = _SPECIAL_CACHE.get(key)
    if pattern is None:
        singles = "\\\\`\\[<&!{|(\n" + ("\\]" if bracket else "") + (" " if space else "")
        runs = r"\*+|_+|~+|\^+|={2,}|\$+"
        pattern = _SPECIAL_CACHE[key] = re.compile(f"{runs}|[{singles}]")
    return pattern


_RAW_CONTENT = frozenset({"kbd", "code", "samp", "var"})


def _backslash(ch: str) -> str:
    return "\\" + ch


def _reference(ch: str) -> str:
    return f"&#{ord(ch)};"


def _delimiter_run(run: str, before: str | None, after: str | None,
                   escape: Callable[[str], str] = _backslash) -> str:
    """A run of ``*``, ``_``, ``~``, ``^``, ``==`` or ``$`` as text: escaped where it could
    open or close a span in some dialect (CommonMark's flanking rules for emphasis, which also
    cover pandoc's and mistune's ``~sub~``, ``^sup^`` and ``==mark==``; for ``$``, pandoc's
    rule that math opens at a dollar before a non-space, which mistune shares and which no
    math can do without, and any ``$$``)."""
    ch = run[0]
    if ch == "$":
        if len(run) == 1 and _is_space(after):
            return run  # "5 $", "US$": no math opens here (mistune closes at any dollar)
        return "&#36;" * len(run)
    if not _delimiter_active(run, before, after):
        return run
    if ch in "*_":
        return "".join(escape(c) for c in run)
    return f"&#{ord(ch)};" * len(run)  # no backslash escape: Python-Markdown shows it


_REFERENCE_DEFINITION = LazyPattern(r"\[(?:[^\\\[\]]|\\.)*\]:")
_THEMATIC_BREAK = LazyPattern(r"([-*_])[ \t]*(?:\1[ \t]*){2,}$")


_DELIMITER = {"": "---", "left": ":---", "center": ":---:", "right": "---:"}


def _notes_as_text(cell: tuple[Inline, ...]) -> tuple[Inline, ...]:
    """A cell's notes (at any depth) as their text, in parentheses."""
    def as_text(node: object) -> object:
        if isinstance(node, Note):
            text = " ".join(plain_text(b.children) for b in walk(node)
                            if isinstance(b, (Paragraph, Heading)))
            return Text(f" ({text})")
        return node

    return normalize_inlines(transform(Paragraph(cell), as_text).children)


def reads_as_one_html_block(text: str) -> bool:
    """Whether a Markdown parser reads ``text`` as one HTML block holding exactly it (not as
    a paragraph, nor as an HTML block that a blank line ends before the rest is Markdown)."""
    tokens = parser().parse(text + "\n", {})
    return len(tokens) == 1 and tokens[0].type == "html_block" \
        and tokens[0].content.rstrip("\n") == text


def edge_spaces(text: str) -> str:
    """White space other than ASCII's at the start or the end of a block, written as a
    character reference: parsers trim the edges of a paragraph or heading with Unicode's idea
    of white space (markdown-it's ``trim``), which would take a no-break space away."""
    if text[:1].isspace() and text[:1] not in " \t\n\x00":
        text = f"&#x{ord(text[0]):X};" + text[1:]
    if len(text) > 1 and text[-1:].isspace() and text[-1:] not in " \t\n\x00":
        text = text[:-1] + f"&#x{ord(text[-1]):X};"
    return text


def _phrasing_around_blocks(html: str) -> bool:
    """Whether cleaned HTML opens with text or a tag of running text and holds a block's
    tag further on."""
    from ..sanitize import PHRASING, RAW_TAGS

    names = [n.lower() for n in re.findall(r"<([A-Za-z][A-Za-z0-9-]*)", html)]
    first = re.match(r"<([a-z][a-z0-9-]*)", html)
    return (first is None or first.group(1) in PHRASING) and html[:4] != "<!--" and any(
        n in RAW_TAGS and n not in PHRASING for n in names)


def _balanced_parentheses(url: str) -> bool:
    depth = 0
    for ch in url:
        if ch in "()":
            depth += 1 if ch == "(" else -1
            if depth < 0:
                return False
    return depth == 0


def _item_line(marker: str, content: str) -> str:
    """A list item's first line; "- --" would be a thematic break, so its content is escaped;
    an empty item holds an empty comment (Python-Markdown and kramdown read no bare marker)."""
    if not content:
        return marker + EMPTY_COMMENT
    line = marker + content
    if _THEMATIC_BREAK.match(line) and not content.startswith("\\"):
        line = marker + "\\" + content
    return line


def _first_char(node: Inline | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, Text):
        return node.text[:1] or None
    if isinstance(node, (Emphasis, Strong)):
        return "*"
    if isinstance(node, Link):
        return "["
    if isinstance(node, InlineCode):
        return "`"
    if isinstance(node, LineBreak):
        return "\\"
    return "<"


def _code_span(text: str) -> str:
    if not text:
        return ""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" or (
        text[0] == " " and text[-1] == " " and text.strip(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"
