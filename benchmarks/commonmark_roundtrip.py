"""The CommonMark round trip: each of the 655 examples of the CommonMark 0.31.2 spec is read by
artconv's Markdown reader and written back as Markdown; the original and the round trip are
rendered to HTML by markdown-it-py (CommonMark preset) and compared. pandoc
(``-f commonmark -t commonmark``) is measured beside it when it is installed (pypandoc_binary).

    python benchmarks/commonmark_roundtrip.py [--list] [--pandoc]

Prints: examples rendering identically (white space aside: a soft line break renders as a
space), examples losing text (a word a reader sees in the original's rendering, which leaves
out script and style, missing from the round trip's), and how many of the changed examples
printed a warning.
``--list`` names every changed example with its section and whether it warned.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "data" / "commonmark" / "spec-0.31.2-examples.json"
_WORD = re.compile(r"\w+")


def render(markdown: str) -> str:
    return MarkdownIt("commonmark").render(markdown)


def normal(html: str) -> str:
    """Rendered HTML as a browser builds it (html5lib: ``<tbody>`` implied, attributes in
    order, entities decoded), compared but for white space: a soft line break is a space (a
    renderer shows the two alike) and white space at the edges of a block does not count;
    ``<pre>`` is compared as it is."""
    import html5lib

    fragment = html5lib.parseFragment(html, treebuilder="etree", namespaceHTMLElements=False)
    # an element between blocks that holds nothing but white space shows nothing: it is what
    # a browser's parse leaves of an inline tag a paragraph did not close (it reopens it for
    # the line break after the paragraph), and counts as that white space
    top = "".join(_serialize(node, False) for node in _children(fragment)
                  if isinstance(node, str) or node.tag in _BLOCKS or _visible(node))
    return re.sub(r" {2,}", " ", top).strip()


_BLOCKS = frozenset(("p", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
                     "table", "thead", "tbody", "tr", "td", "th", "div", "hr", "pre"))


def _children(el):  # type: ignore[no-untyped-def]
    if el.text:
        yield el.text
    for child in el:
        yield child
        if child.tail:
            yield child.tail


def _visible(el) -> bool:  # type: ignore[no-untyped-def]
    return any(isinstance(n.tag, str) and n.tag not in ("a", "b", "i", "em", "strong", "del",
                                                         "s", "u", "span", "code", "font")
               or (n.text or "").strip() or (n.tail or "").strip() and n is not el
               for n in el.iter())


def _serialize(node, in_pre: bool) -> str:  # type: ignore[no-untyped-def]
    if isinstance(node, str):
        return node if in_pre else re.sub(r"\s+", " ", node)
    tag = node.tag if isinstance(node.tag, str) else "!"
    if tag == "!":
        return ""
    attrs = "".join(f' {k}="{v}"' for k, v in sorted(node.attrib.items()))
    inner = "".join(_serialize(c, in_pre or tag == "pre") for c in _children(node))
    if not (in_pre or tag == "pre"):
        inner = re.sub(r" {2,}", " ", inner)  # text around a comment
    if tag in _BLOCKS and not in_pre:
        inner = inner.strip()
        return f"<{tag}{attrs}>{inner}</{tag}>"
    return f"<{tag}{attrs}>{inner}</{tag}>"


def words(html: str) -> collections.Counter[str]:
    if not html.strip():
        return collections.Counter()
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        for hidden in root.xpath(".//script|.//style"):  # a reader sees neither
            hidden.drop_tree()
        text = root.text_content()
    except Exception:  # noqa: BLE001 - an unparsable rendering: compare its raw words
        text = html
    return collections.Counter(_WORD.findall(text.lower()))


def artconv_round_trip(markdown: str) -> tuple[str, list[str]]:
    import artconv

    log = artconv.Log()
    try:
        article = artconv.read(markdown.encode(), from_="markdown", log=log)
        out = artconv.write(article, to="md", log=log).decode()
    except artconv.ArtconvError as exc:
        return "", [str(exc)]
    # the title goes to the front matter when the document starts with "# heading": render
    # it back as the heading it was, so that the comparison is of the document's content
    if out.startswith("---\n"):
        front, _, body = out[4:].partition("\n---\n")
        title = re.search(r'^title: (.*)$', front, re.MULTILINE)
        if title and title.group(1) not in ('""', "''"):
            import yaml

            body = f"# {yaml.safe_load(title.group(1))}\n\n{body.lstrip()}"
        out = body
    return out, [w.message for w in log.warnings]


def pandoc_round_trip(markdown: str, pandoc: str) -> str:
    run = subprocess.run([pandoc, "-f", "commonmark", "-t", "commonmark"], input=markdown,
                         capture_output=True, text=True, check=False)
    return run.stdout


def find_pandoc() -> str | None:
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()  # type: ignore[no-any-return]
    except Exception:  # noqa: BLE001
        return shutil.which("pandoc")


def artconv_results() -> tuple[int, list[tuple[int, str, bool, list[str]]]]:
    """(examples identical after the round trip, the changed ones: number, section, warned,
    words lost)."""
    examples = json.loads(SPEC.read_text(encoding="utf-8"))
    same = 0
    changed = []
    for ex in examples:
        original = render(ex["markdown"])
        out, warnings = artconv_round_trip(ex["markdown"])
        again = render(out)
        if normal(again) == normal(original):
            same += 1
            continue
        missing = words(original) - words(again)
        changed.append((ex["example"], ex["section"], bool(warnings), sorted(missing)[:5]))
    return same, changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="name every changed example")
    parser.add_argument("--pandoc", action="store_true", help="measure pandoc beside artconv")
    args = parser.parse_args()
    examples = json.loads(SPEC.read_text(encoding="utf-8"))
    same, changed = artconv_results()
    lost = sum(1 for c in changed if c[3])
    warned = sum(1 for c in changed if c[2])
    total = len(examples)
    print(f"artconv  identical {same}/{total}  losing text {lost}  changed {total - same} "
          f"(warned {warned})")
    if args.list:
        for number, section, did_warn, missing in changed:
            print(f"  {number:4} {section:30} {'warned' if did_warn else 'SILENT'} "
                  f"{' '.join(missing)}")
    if args.pandoc:
        pandoc = find_pandoc()
        if not pandoc:
            print("pandoc   not installed")
            return
        same = lost = 0
        for ex in examples:
            original = render(ex["markdown"])
            again = render(pandoc_round_trip(ex["markdown"], pandoc))
            if normal(again) == normal(original):
                same += 1
            elif words(original) - words(again):
                lost += 1
        print(f"pandoc   identical {same}/{total}  losing text {lost}")


if __name__ == "__main__":
    sys.exit(main())
