"""The sanitising oracle (reliability.md R-X1): parse an output the way a browser would and
report everything in it that could run script, load a resource or leave the allow-list."""

from __future__ import annotations

import html
import re

import html5lib

FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
    "link", "form", "input", "button", "textarea", "select", "template", "noscript", "svg",
    "math", "meta", "video", "audio", "isindex",
}
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "poster", "background",
                  "cite", "srcset", "data", "lowsrc", "dynsrc"}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_STRIP = re.compile(r"[\x00-\x20\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]")


def url_problem(value: str) -> str | None:
    decoded = _STRIP.sub("", html.unescape(value))
    match = _SCHEME.match(decoded)
    if match and len(match.group(1)) > 1 and match.group(1).lower() not in ALLOWED_SCHEMES:
        return f"scheme {match.group(1)!r}"
    return None


_ALIGNMENT = re.compile(r"\s*(?:text-align:\s*(?:left|center|right)|width:\s*[\d.]+%);?\s*\Z")


def problems(markup: str | bytes, *, page: bool = False,
             alignment_styles: bool = False) -> list[str]:
    """What a browser would find dangerous in ``markup``.

    For a whole page (``page=True``), the ``<head>`` may hold the ``<meta>`` and ``<link>``
    tags artconv writes there (charset, viewport, Open Graph, canonical, a stylesheet URL), but
    never a refresh, a base or a script. ``alignment_styles``: a Markdown renderer writes a
    table column's alignment and width as ``style="text-align: ..."`` and ``style="width:
    N%"`` (pandoc), which are allowed.
    """
    parser = html5lib.HTMLParser(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
    root = parser.parse(markup) if page else parser.parseFragment(markup)
    return problems_in(root, page=page, alignment_styles=alignment_styles)


def problems_in(root: object, *, page: bool = False, alignment_styles: bool = False
                ) -> list[str]:
    """:func:`problems` of a tree html5lib parsed (etree, no namespaces)."""
    found: list[str] = []
    for el in root.iter():  # type: ignore[attr-defined]
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.split("}")[-1].lower()
        in_head = page and _in_head(root, el)
        inert_meta = tag == "meta" and set(el.attrib) <= {"itemprop", "content"}
        if tag in FORBIDDEN_ELEMENTS and not (in_head and tag in ("meta", "link", "style")) \
                and not inert_meta:  # microdata: a name and a value, nothing a browser runs
            found.append(f"<{tag}>")
        if tag == "meta" and el.get("http-equiv"):
            found.append("<meta http-equiv>")
        for name, value in el.attrib.items():
            attr = name.split("}")[-1].lower()
            if attr.startswith("on"):
                found.append(f"{tag}[{attr}]")
            if attr == "srcdoc" or attr == "style" and not (
                    alignment_styles and _ALIGNMENT.match(value)):
                found.append(f"{tag}[{attr}]")
            if attr in URL_ATTRIBUTES or name.endswith("}href"):
                values = [v.strip().split()[0] for v in value.split(",") if v.strip()] \
                    if attr == "srcset" else [value]
                for v in values:
                    issue = url_problem(v)
                    if issue:
                        found.append(f"{tag}[{attr}] {issue}")
    return found


def _in_head(root: object, el: object) -> bool:
    head = root.find("head")  # type: ignore[attr-defined]
    return head is not None and any(e is el for e in head.iter())
