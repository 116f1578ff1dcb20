"""The Markdown dialects of the matrix (docs/markdown.md, "Safe in every dialect"): the
renderers people feed artconv's Markdown to, each as a function of Markdown to HTML, and what a
reader sees in their HTML.

- markdown-it-py, CommonMark and GFM-like (tables, strikethrough; not its linkify, see
  ``_markdown_it``), with footnotes;
- pandoc's own Markdown (``-f markdown``, the default of pandoc sites and books; also ``-s``,
  which reads the front matter) and ``commonmark_x``: one ``pandoc lua`` process serves the
  session (``tests/data/dialects/render.lua``);
- Python-Markdown (MkDocs) with ``attr_list``, ``md_in_html``, ``fenced_code``, ``tables`` and
  ``footnotes``;
- mistune with every plugin that adds syntax (marks, inserts, sub- and superscripts, math,
  spoilers, ruby, definitions, abbreviations) and raw HTML passed through (not its ``url``
  plugin, which links a bare URL's text as written, escapes and all);
- kramdown (Jekyll), its own input and GFM, when Ruby and kramdown are installed (``.ci/run``
  installs Debian's ``ruby-kramdown``): one ``ruby`` process (``render.rb``).
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import html5lib

DATA = Path(__file__).parent / "data" / "dialects"


@dataclass(frozen=True)
class Renderer:
    name: str
    render: Callable[[str], str]
    gfm: bool
    """Reads GFM's pipe tables and ``~~strikethrough~~`` (a ``-t gfm`` document is compared
    under such renderers only; Python-Markdown has no strikethrough, see :func:`visible`)."""
    page: Callable[[str], str] | None = None
    """A standalone rendering whose head holds what the front matter says (pandoc ``-s``)."""


class Coprocess:
    """A renderer in another language, asked one JSON line at a time."""

    def __init__(self, argv: list[str]) -> None:
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, encoding="utf-8",
                                        bufsize=1)

    def ask(self, **request: object) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if "error" in answer:
            raise RuntimeError(answer["error"])
        return str(answer["html"])


@functools.cache
def pandoc() -> Coprocess | None:
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        path = shutil.which("pandoc")
    if not path:
        return None
    return Coprocess([path, "lua", str(DATA / "render.lua")])


@functools.cache
def kramdown() -> Coprocess | None:
    ruby = shutil.which("ruby")
    if not ruby or subprocess.run([ruby, "-rkramdown", "-e", ""], capture_output=True,
                                  check=False).returncode:
        return None
    return Coprocess([ruby, str(DATA / "render.rb")])


def _markdown_it(preset: str) -> Callable[[str], str]:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    # linkify off: linkify-it takes a reference right after a bare URL into the link's text
    # ("https://x/&lt;" shows "&lt;"), which GitHub's own autolinks do not
    parser = MarkdownIt(preset, {"html": True, "linkify": False}).use(footnote_plugin)
    if preset == "gfm-like":
        parser.enable(["table", "strikethrough"])
    return parser.render


def _python_markdown() -> Callable[[str], str]:
    import markdown

    def render(text: str) -> str:
        return markdown.markdown(text, extensions=["attr_list", "md_in_html", "fenced_code",
                                                   "tables", "footnotes"])

    return render


def _mistune() -> Callable[[str], str]:
    import mistune

    return mistune.create_markdown(escape=False, plugins=[  # type: ignore[return-value]
        "strikethrough", "footnotes", "table", "task_lists", "def_list", "abbr", "mark",
        "insert", "superscript", "subscript", "math", "ruby", "spoiler"])


@functools.cache
def renderers() -> tuple[Renderer, ...]:
    """Every renderer of the matrix installed here (pandoc comes with the test extras;
    kramdown where Ruby has it)."""
    found = [
        Renderer("markdown-it commonmark", _markdown_it("commonmark"), gfm=False),
        Renderer("markdown-it gfm-like", _markdown_it("gfm-like"), gfm=True),
        Renderer("Python-Markdown", _python_markdown(), gfm=False),
        Renderer("mistune", _mistune(), gfm=True),
    ]
    if (p := pandoc()) is not None:
        found.append(Renderer("pandoc markdown", lambda t: p.ask(text=t, **{"from": "markdown"}),
                              gfm=True, page=lambda t: p.ask(text=t, standalone=True,
                                                             **{"from": "markdown"})))
        found.append(Renderer("pandoc commonmark_x",
                              lambda t: p.ask(text=t, **{"from": "commonmark_x"}), gfm=True))
    if (k := kramdown()) is not None:
        found.append(Renderer("kramdown", lambda t: k.ask(text=t, input="kramdown"), gfm=False))
        found.append(Renderer("kramdown GFM", lambda t: k.ask(text=t, input="GFM"), gfm=True))
    return tuple(found)


# ---------------------------------------------------------------------------------------------
# What a reader sees

_HIDDEN = frozenset({"head", "script", "style", "template", "title"})
_BLOCKS = frozenset({"p", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "table",
                     "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "div", "section",
                     "figure", "figcaption", "hr", "br", "header", "details", "summary"})
# smart punctuation (pandoc, kramdown) is typography, not a different text
_TYPOGRAPHY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'",
                             "\u2019": "'", "\u201a": "'", "\u2014": "---", "\u2013": "--",
                             "\u2026": "...", "\u00ab": "<<", "\u00bb": ">>", "\u21a9": None,
                             "\ufe0e": None, "\ufe0f": None})
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")


def parse(html: str) -> object:
    return html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)


def visible(html: str | object, *, tildes: bool = True) -> str:
    """The text a reader sees in ``html``, its white space one space: not the head, nor what is
    hidden from readers (``aria-hidden``: pandoc's caption that repeats a picture's alt text),
    nor the numbers of footnote references and their way back (each renderer numbers and
    brackets them its own way). ``tildes=False`` leaves tildes out too (a renderer without
    strikethrough shows ``~~``)."""
    root = parse(html) if isinstance(html, str) else html
    parts: list[str] = []

    def walk(el: object) -> None:
        tag = getattr(el, "tag", None)
        hidden = not isinstance(tag, str) or tag in _HIDDEN \
            or el.get("aria-hidden") == "true" \
            or tag == "a" and (el.get("href") or "").startswith("#fn")  # type: ignore[attr-defined]
        if not hidden:
            if tag in _BLOCKS:
                parts.append(" ")
            if el.text:  # type: ignore[attr-defined]
                parts.append(el.text)  # type: ignore[attr-defined]
            for child in el:  # type: ignore[attr-defined]
                walk(child)
                if child.tail:
                    parts.append(child.tail)
            if tag in _BLOCKS:
                parts.append(" ")

    walk(root)
    text = _SPACE.sub(" ", "".join(parts).translate(_TYPOGRAPHY)).strip()
    return text if tildes else text.replace("~", "")


_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)


def body(markdown: str) -> str:
    """The document without its front matter (read as metadata by some renderers and as
    Markdown by others, so its words are compared nowhere; its safety is)."""
    return _FRONT_MATTER.sub("", markdown, count=1)


def same_text(a: str, b: str, *, strict: bool) -> bool:
    """Whether two renderings show the same: the same words (letters and digits) in the same
    order, and as many backslashes and ampersands (an escape shown as it is leaves one of
    them); ``strict``: every character but white space the same."""
    if strict:
        return _SPACE.sub("", a) == _SPACE.sub("", b)
    return _WORD.findall(a) == _WORD.findall(b) and \
        (a.count("\\"), a.count("&")) == (b.count("\\"), b.count("&"))


def spans_blocks(article: object) -> bool:
    """Whether the article holds raw HTML that opens an element in one block and closes it in
    a later one (CommonMark's idiom for Markdown inside ``<details>`` or ``<div>``). kramdown
    reads such an element as one raw block up to its closing tag, the Markdown between
    included, and a lone closing tag of running text as text: it shows other text than
    CommonMark there, by the input's structure rather than an escape (docs/markdown.md)."""
    from artconv.model import RawBlock, walk
    from artconv.rawhtml import balanced

    return any(isinstance(n, RawBlock) and not balanced(n.html) for n in walk(article))


COMMONMARK_FAMILY = frozenset({"markdown-it commonmark", "markdown-it gfm-like",
                               "pandoc commonmark_x"})
"""The renderers that follow CommonMark's rules of structure (its block and inline parsing,
emphasis, lazy lines, raw HTML), against which generated documents' text is compared."""


def check(markdown: str, flavour: str, *, strict: bool = True, raw_spans: bool = False,
          text_of: frozenset[str] | None = None) -> list[str]:
    """What is wrong with ``markdown`` (artconv's ``-t md`` or ``-t gfm`` output) under the
    matrix: live markup or a URL outside the allow list under any renderer (the document as
    it is, and pandoc's standalone page, which reads the front matter), or a renderer that
    shows other text than the first one of the flavour (:func:`same_text`; ``strict=False``
    for documents whose structure the dialects read differently, CommonMark's own edge
    cases; ``raw_spans``: kramdown's text is not compared, see :func:`spans_blocks`;
    ``text_of``: the renderers whose text is compared, every one when None)."""
    from .oracle import problems, problems_in

    found: list[str] = []
    reference: tuple[str, str] | None = None
    text = body(markdown)
    front = markdown[:len(markdown) - len(text)]
    for renderer in renderers():
        try:
            shown = parse(renderer.render(text))
            # the front matter, which this renderer may read as Markdown, on its own
            head = renderer.render(front) if front else ""
            page = renderer.page(markdown) if renderer.page is not None else None
        except RuntimeError as exc:
            found.append(f"{renderer.name} failed: {exc}")
            continue
        found += [f"{renderer.name}: {p}" for p in problems_in(shown, alignment_styles=True)]
        found += [f"{renderer.name}: {p}" for p in problems(head)] if head else []
        if page is not None:
            found += [f"{renderer.name} -s: {p}"
                      for p in problems(page, page=True, alignment_styles=True)]
        if flavour == "gfm" and not renderer.gfm and renderer.name != "Python-Markdown" \
                or raw_spans and renderer.name.startswith("kramdown") \
                or text_of is not None and renderer.name not in text_of:
            continue  # no pipe tables: not a renderer of this flavour
        tildes = flavour == "md" or renderer.gfm
        seen = visible(shown, tildes=tildes)
        if reference is None:
            reference = (renderer.name, visible(shown))
        elif not same_text(reference[1] if tildes else reference[1].replace("~", ""), seen,
                           strict=strict):
            found.append(f"{renderer.name} shows other text than {reference[0]}: "
                         f"{_difference(reference[1], seen)}")
    return found


def _difference(a: str, b: str) -> str:
    start = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                 min(len(a), len(b)))
    return f"…{a[max(0, start - 30):start + 30]!r} against …{b[max(0, start - 30):start + 30]!r}"
