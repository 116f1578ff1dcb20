"""The one HTML sanitiser: every piece of markup artconv writes out goes through an allow list
applied by nh3 (ammonia, on html5ever's parse, so that what comes out is balanced and reads in a
browser exactly as nh3 read it).

Two allow lists, one engine:

- :data:`WRITTEN` is what artconv's own HTML is made of (the HTML writer's page and fragment);
- :data:`RAW` is what raw HTML from an input may keep (a Markdown document's ``<div>``,
  ``<details>`` or ``<kbd>``, a JSON ``raw_html`` node): inert elements and attributes only.
  Every other element is dropped (its text stays; ``<script>`` and ``<style>`` go with their
  content), and so is every other attribute: event handlers, ``style``, ``srcset``, ``srcdoc``,
  Markdown switches such as ``markdown="1"``.

Either way, a URL attribute keeps only http, https, mailto and relative URLs, read as a browser
reads them (entities decoded, controls removed): the URL allow list of :mod:`artconv.urls`.

Raw HTML that goes into Markdown is also made *inert as Markdown* (:func:`markdown_inert`):
dialects read Markdown inside HTML blocks (pandoc's ``markdown_in_html_blocks``, Python-Markdown's
``md_in_html``, kramdown's ``markdown="1"``) and Python-Markdown reads links inside the attribute
values of inline tags, so every character that starts Markdown syntax is written there as a
character reference, which a browser decodes and no Markdown reader reads.
"""

from __future__ import annotations

import functools
import re

from .urls import IMAGE_SCHEMES, LINK_SCHEMES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

WRITTEN_TAGS = frozenset({
    "article", "header", "aside", "figure", "figcaption", "blockquote", "p", "span", "time",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "pre", "code", "hr", "table",
    "thead", "tbody", "tr", "th", "td", "a", "img", "em", "strong", "del", "sub", "sup", "br",
    "meta", "section",
})
"""The elements artconv's HTML writer puts out."""

WRITTEN_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "lang"}),
    "a": frozenset({"href", "title", "id", "role"}),
    "img": frozenset({"src", "alt", "title"}),
    # a picture not found, named (htmlform.render.placeholder): what artconv reads back
    "figure": frozenset({"data-artconv-src", "data-artconv-alt", "data-artconv-link", "title"}),
    "span": frozenset({"data-artconv-src"}),
    "li": frozenset({"id"}),
    "section": frozenset({"role"}),
    "time": frozenset({"datetime"}),
    "ol": frozenset({"start"}),
    "meta": frozenset({"itemprop", "content"}),
}

RAW_TAGS = frozenset({
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br",
    "caption", "center", "cite", "code", "col", "colgroup", "data", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "i", "img", "ins", "kbd", "li", "main", "mark", "nav",
    "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span",
    "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "tt", "u", "ul", "var", "wbr",
})
"""The elements raw HTML from an input may keep: inert ones, that neither run nor load anything
but a picture (whose source the URL allow list checks)."""

PHRASING = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i",
    "img", "ins", "kbd", "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
    "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
})
"""The elements of :data:`RAW_TAGS` that stand in running text (HTML's phrasing content): an
inline tag of another (``<div>`` in a paragraph) is read as text by kramdown, and left out."""

RAW_ATTRIBUTES: dict[str, frozenset[str]] = {
    "*": frozenset({"class", "id", "title", "lang", "dir"}),
    "a": frozenset({"href", "hreflang"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "td": frozenset({"colspan", "rowspan", "align", "headers"}),
    "th": frozenset({"colspan", "rowspan", "align", "headers", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "details": frozenset({"open"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
}

# Every element name a browser gives a meaning to: HTML's (current and obsolete), SVG's and
# MathML's. A name outside this list and without a hyphen is an HTMLUnknownElement, which no
# browser and no script can give behaviour to (a custom element's name has a hyphen): raw HTML
# keeps it, as inert as a <span> (see _unknown_names).
KNOWN_NAMES = frozenset("""
a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big
blink blockquote body br button canvas caption center cite code col colgroup command content
data datalist dd del details dfn dialog dir div dl dt element em embed fencedframe fieldset
figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html
i iframe ilayer image img input ins isindex kbd keygen label layer legend li link listing main
map mark marquee math menu menuitem meta meter multicol nav nextid nobr noembed noframes
noscript object ol optgroup option output p param picture plaintext portal pre progress q rb
rp rt rtc ruby s samp script search section select selectedcontent shadow slot small source
spacer span strike strong style sub summary sup svg table tbody td template textarea tfoot th
thead time title tr track tt u ul var video wbr xmp
altglyph altglyphdef altglyphitem animate animatecolor animatemotion animatetransform circle
clippath cursor defs desc discard ellipse feblend fecolormatrix fecomponenttransfer
fecomposite feconvolvematrix fediffuselighting fedisplacementmap fedistantlight fedropshadow
feflood fefunca fefuncb fefuncg fefuncr fegaussianblur feimage femerge femergenode
femorphology feoffset fepointlight fespecularlighting fespotlight fetile feturbulence filter
foreignobject g glyph glyphref hatch hatchpath hkern line lineargradient marker mask mesh
meshgradient meshpatch meshrow metadata mpath path pattern polygon polyline radialgradient
rect set solidcolor stop switch symbol text textpath tref tspan unknown use view vkern
maction annotation menclose merror mfenced mfrac mglyph mi mlabeledtr mlongdiv mmultiscripts
mn mo mover mpadded mphantom mprescripts mroot mrow ms mscarries mscarry msgroup msline
mspace msqrt msrow mstack mstyle msub msubsup msup mtable mtd mtext mtr munder munderover
none semantics
""".split())

# Unknown names that a Markdown dialect still reads as a block's: pandoc reads DocBook's block
# elements (and EPUB's switch) as blocks, "<note>x</note>" in a line ends its paragraph
# (Text.Pandoc.Readers.HTML.TagCategories, blockDocBookTags and epubTags)
DIALECT_BLOCK_NAMES = frozenset("""
calloutlist bibliolist glosslist itemizedlist orderedlist segmentedlist simplelist
variablelist caution important note tip warning literallayout programlisting programlistingco
screen screenco screenshot synopsis example informalexample informalfigure informaltable para
simpara formalpara equation informalequation mediaobject qandaset procedure task cmdsynopsis
funcsynopsis classsynopsis epigraph msgset sidebar case switch default
""".split())

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "param", "source", "track", "wbr"})


@functools.lru_cache(maxsize=64)
def _cleaner(raw: bool, unknown: frozenset[str] = frozenset()) -> Any:
    import nh3

    tags, attributes = (RAW_TAGS, RAW_ATTRIBUTES) if raw else (WRITTEN_TAGS, WRITTEN_ATTRIBUTES)
    return nh3.Cleaner(
        tags=set(tags | unknown),
        clean_content_tags={"script", "style"},
        attributes={k: set(v) for k, v in attributes.items()},
        url_schemes=set(LINK_SCHEMES | IMAGE_SCHEMES),
        strip_comments=not raw,  # an input's comments are inert; artconv's pages hold none
        link_rel=None if raw else "noopener noreferrer",
    )


def clean_written(fragment: str) -> str:
    """artconv's own HTML through :data:`WRITTEN` (idempotent)."""
    return str(_cleaner(False).clean(fragment))


def clean_raw(fragment: str) -> str:
    """Raw HTML from an input through :data:`RAW_TAGS` (and the unknown, inert elements it
    names): parsed, balanced (an element left open is closed, a closing tag that closes
    nothing goes), cleaned. Idempotent."""
    return str(_cleaner(True, _unknown_names(fragment)).clean(fragment))


_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?=[\s/>])")


def _unknown_names(fragment: str) -> frozenset[str]:
    """The names of the elements ``fragment`` opens or closes that no browser gives a meaning
    to (not in :data:`KNOWN_NAMES`, no hyphen: never a custom element)."""
    if "<" not in fragment:
        return frozenset()
    return frozenset(name for name in {m.group(1).lower() for m in _TAG_NAME.finditer(fragment)}
                     if name not in KNOWN_NAMES)




def clean_raw_run(fragments: list[str]) -> list[str]:
    """Raw HTML blocks that stand in one sequence of blocks (a document, a list item, a
    quote), with Markdown between them, cleaned as one piece of HTML and cut again where they
    met: an element opened in one block and closed in a later one stays so (the CommonMark
    idiom of Markdown inside ``<details>`` or ``<div>``); one never closed is closed at the end
    of the last, a closing tag that closes nothing goes. Where the cut cannot be found again (a
    comment left open swallowed it), each block is cleaned on its own."""
    if len(fragments) < 2:
        return [clean_raw(f) for f in fragments]
    import secrets

    cut = f"<!--artconv-cut-{secrets.token_hex(8)}-->"
    pieces = clean_raw(cut.join(fragments)).split(cut)
    if len(pieces) != len(fragments):
        return [clean_raw(f) for f in fragments]
    return pieces


def clean_tag(tag: str) -> tuple[str, str, str] | None:
    """One tag of raw HTML in running text (an inline tag of a Markdown input), through
    :data:`PHRASING` (and the unknown, inert elements):
    ``(kind, name, tag)``, ``kind`` being ``"open"``, ``"close"``, ``"void"`` or ``"comment"``;
    None when the element is not allowed or ``tag`` is not one tag.

    An opening tag is cleaned by nh3 as the start of an element (its attributes filtered, its
    URLs checked); the caller balances opening and closing tags (see the Markdown writer)."""
    from .rawhtml import CLOSING_TAG, OPEN_TAG, OTHER

    stripped = tag.strip()
    if OTHER.match(stripped):
        # a comment is inert everywhere (a processing instruction or a CDATA section is one to
        # a browser, and written as one; a declaration is dropped)
        comment = clean_raw(stripped)
        return ("comment", "", comment) if comment else None
    closing = CLOSING_TAG.match(stripped)
    if closing:
        name = closing.group(1).lower()
        return ("close", name, f"</{name}>") if _running_text(name) and name not in VOID \
            else None
    opening = OPEN_TAG.match(stripped)
    if not opening:
        return None
    name = opening.group(1).lower()
    if not _running_text(name):
        return None
    cleaned = clean_raw(stripped if name in VOID else f"{stripped}</{name}>")
    found = _START_TAG.match(cleaned)
    if found is None or found.group(1) != name:
        return None
    return ("void" if name in VOID else "open"), name, found.group()


def _running_text(name: str) -> bool:
    """Whether an element stands in running text in every dialect: one of :data:`PHRASING`, or
    an unknown one (inert) that no dialect reads as a block."""
    return name in PHRASING or "-" not in name and name not in KNOWN_NAMES \
        and name not in DIALECT_BLOCK_NAMES


# nh3's serialisation: attribute values double-quoted, with "&", '"', "<" and ">" escaped
_START_TAG = re.compile(r'<([a-z][a-z0-9-]*)(?:\s+[^\s=>"]+(?:="[^"]*")?)*\s*>')
_TOKEN = re.compile(r'<!--.*?-->|<[^>]*>', re.DOTALL)
_ATTRIBUTE_VALUE = re.compile(r'="([^"]*)"')

# ASCII punctuation that starts Markdown syntax in some dialect anywhere in a line: links and
# pictures, code, emphasis, strikeout, sub- and superscript, marks, math, attributes, tags,
# escapes, table cells
MARKDOWN_INLINE = "!$*<=>[\\]^_`{|}~"
_INLINE_REFERENCES = {ord(ch): f"&#{ord(ch)};" for ch in MARKDOWN_INLINE + "\r"}
# at the start of a line, any punctuation may start a block (headings, quotes, lists, fences,
# tables, definitions, divs, line blocks), and so may a list label ("1.", "a)", "iv.")
_LINE = re.compile(r"\n([ \t\n]*)(?:([!-%'-/:-@\[-`{-~])|(\w{1,9})([.)]))?")


def _line_start(match: re.Match[str]) -> str:
    space, punct, label, mark = match.groups()
    out = "\n" + "".join(f"&#{ord(c)};" for c in space)
    if punct:
        out += f"&#{ord(punct)};"
    elif label:
        out += f"{label}&#{ord(mark)};"
    return out


_RUN_START = re.compile(r"\A([ \t]*)(?:([!-%'-/:-@\[-`{-~])|(\w{1,9})([.)]))")


def _run_start(match: re.Match[str]) -> str:
    space, punct, label, mark = match.groups()
    return space + (f"&#{ord(punct)};" if punct else f"{label}&#{ord(mark)};")


def _inert_text(text: str, *, starts: bool = False) -> str:
    """Text of serialised HTML (its "&", "<" and ">" already references) with no character a
    Markdown reader would read: what starts syntax in a line as a reference, and at the start
    of each line whatever starts a block; no blank line and no indented line (a line's leading
    white space, and every line break after the first, as references). Text right after a tag
    starts a line too when ``starts``: pandoc reads a block's content from there (``<th>:::``
    opens a div)."""
    if starts:
        text = _RUN_START.sub(_run_start, text, count=1)
    if "\n" in text:
        text = _LINE.sub(_line_start, text)
    return text.translate(_INLINE_REFERENCES)


def _inert_value(value: str) -> str:
    """An attribute value: what starts syntax in a line as a reference (Python-Markdown reads
    links inside an inline tag's values), and no line break."""
    return value.translate(_INLINE_REFERENCES).replace("\n", "&#10;")


def markdown_inert(markup: str) -> str:
    """Serialised, cleaned HTML (what :func:`clean_raw` or :func:`clean_tag` give) written so
    that no Markdown dialect reads Markdown in it: the text and every attribute value carry the
    characters of :data:`MARKDOWN_INLINE` as character references, a line of text nothing that
    starts a block, and the text no blank line. Tags and comments stay as they are (a comment
    is inert everywhere)."""
    out: list[str] = []
    position = 0
    starts = True  # text here starts a line, or a block's content (pandoc: "<th>:::" a div)
    for match in _TOKEN.finditer(markup):
        out.append(_inert_text(markup[position:match.start()], starts=starts))
        token = match.group()
        if token.startswith("<!--"):
            out.append(token)
        else:
            out.append(_ATTRIBUTE_VALUE.sub(lambda m: '="' + _inert_value(m.group(1)) + '"',
                                            token))
        name = _TAG_NAME.match(token)
        starts = name is not None and name.group(1).lower() not in PHRASING
        position = match.end()
    out.append(_inert_text(markup[position:], starts=starts))
    return "".join(out)
