"""The real picture of an ``<img>``: lazy loading resolved, placeholders refused.

Order: artconv's own ``data-artconv-src``; a real ``src`` (unless the image is marked lazy and
names another picture); ``data-src`` and its cousins; the largest ``srcset``/``data-srcset``
candidate; the ``<source>`` of a ``<picture>``; an ``<img>`` in a ``<noscript>`` beside it. A
``data:`` URI, a 1x1 spacer or an empty value is never taken for the picture. The value is
returned as the page wrote it (stripped of surrounding white space).
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ..urls import is_safe_image
from . import vocab as v
from .tree import remove_keeping_tail

LAZY_ATTRIBUTES = (
    "data-src", "data-original", "data-lazy-src", "data-lazy", "data-url", "data-hi-res-src",
    "data-full-src", "data-original-src", "data-img-src", "data-image", "data-echo",
    "data-orig-file", "data-large-file", "data-medium-file", "data-delayed-url", "original",
)
SRCSET_ATTRIBUTES = ("data-srcset", "data-lazy-srcset", "srcset")
_PLACEHOLDER = re.compile(
    r"(?:^|[/_.-])(?:blank|spacer|pixel|transparent|placeholder|loading|loader|lazy|1x1|"
    r"empty|dummy|grey|gray|clear|trans|spinner|lazyload|no-?image|px)"
    r"(?:[_.-]\w*)?\.(?:gif|png|svg|jpe?g|webp)$", re.IGNORECASE)
_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)(?:$|[?#])", re.IGNORECASE)
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif")
# A placeholder's name is short: the pattern looks at the end of a path only, so that its cost
# stays bounded whatever the page holds.
PLACEHOLDER_WINDOW = 200
_SPACE = " \t\n\r\f"


def is_placeholder(src: str) -> bool:
    value = src.strip()
    if not value or value.lower().startswith("data:") or value in ("#", "about:blank"):
        return True
    path = value.split("?", 1)[0].split("#", 1)[0]
    return bool(_PLACEHOLDER.search(path[-PLACEHOLDER_WINDOW:]))


def srcset_candidates(srcset: str) -> list[tuple[str, float]]:
    """The candidates of a ``srcset`` as (URL, size), parsed as the HTML standard does (a URL
    is a run of non-space characters, a trailing comma ends it; descriptors run to the next
    comma outside parentheses), in one pass."""
    out: list[tuple[str, float]] = []
    text, n, i = srcset, len(srcset), 0
    while i < n:
        while i < n and (text[i] in _SPACE or text[i] == ","):
            i += 1
        start = i
        while i < n and text[i] not in _SPACE:
            i += 1
        url = text[start:i]
        descriptors = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            begin, depth = i, 0
            while i < n and (text[i] != "," or depth):
                if text[i] == "(":
                    depth += 1
                elif text[i] == ")" and depth:
                    depth -= 1
                i += 1
            descriptors = text[begin:i]
        if url:
            out.append((url, _descriptor_size(descriptors)))
    return out


def _descriptor_size(descriptors: str) -> float:
    for token in descriptors.split():
        if token[-1:] in ("w", "x") and token[:-1].replace(".", "", 1).isdigit():
            try:
                return float(token[:-1])
            except ValueError:
                return 1.0
    return 1.0


def best_from_srcset(srcset: str) -> str | None:
    """The largest candidate of a ``srcset`` (by width or density descriptor)."""
    best, best_size = None, -1.0
    for url, size in srcset_candidates(srcset):
        if url.lower().startswith("data:"):
            continue
        if size > best_size:
            best, best_size = url, size
    return best


def image_source(img: HtmlElement) -> str | None:
    """The picture an ``<img>`` stands for, or None when it has none."""
    own = (img.get(v.DATA_SRC) or "").strip()
    if own:
        return own
    src = (img.get("src") or "").strip()
    classes = (img.get("class") or "").lower()
    lazy = "lazy" in classes and _has_lazy_value(img)
    candidates: list[str] = []
    if src and not is_placeholder(src) and not lazy:
        candidates.append(src)
    for name in LAZY_ATTRIBUTES:
        value = (img.get(name) or "").strip()
        if value and not is_placeholder(value) and _looks_like_url(value):
            candidates.append(value)
    for name in SRCSET_ATTRIBUTES:
        value = img.get(name)
        if value:
            best = best_from_srcset(value)
            if best and not is_placeholder(best):
                candidates.append(best)
    candidates.extend(_image_valued_attributes(img))
    if src and not is_placeholder(src) and lazy:
        candidates.append(src)
    picture = _enclosing_picture(img)
    if picture is not None:
        for source in picture.iter("source"):
            best = best_from_srcset(source.get("srcset") or source.get("data-srcset") or "")
            if best and not is_placeholder(best):
                candidates.append(best)
    noscript = _noscript_copy(img)
    if noscript:
        candidates.append(noscript)
    for candidate in candidates:
        if is_safe_image(candidate):
            return candidate
    return None


def _has_image_extension(value: str) -> bool:
    lowered = value.lower()
    return any(lowered.find(ext) > 0 for ext in _IMAGE_EXTENSIONS)


def _is_url_value(value: str) -> bool:
    """One token (no space inside) that names a picture file: ``/x/photo.jpg?w=100``."""
    tokens = value.split()
    return len(tokens) == 1 and _has_image_extension(tokens[0])


def _is_srcset_value(value: str) -> bool:
    """A picture file followed by a size: ``photo.jpg 800w, ...``."""
    tokens = value.split()
    return any(_has_image_extension(token) and tokens[i + 1][:1].isdigit()
               for i, token in enumerate(tokens[:-1]))


def _image_valued_attributes(el: HtmlElement) -> list[str]:
    """Any other attribute whose value is an image URL or a srcset (lazy loaders invent
    their own names)."""
    found = []
    for name, value in el.attrib.items():
        if name in ("src", "srcset", "alt", "title", "class", "id", "style") \
                or name in LAZY_ATTRIBUTES or name in SRCSET_ATTRIBUTES:
            continue
        if _is_srcset_value(value):
            best = best_from_srcset(value)
            if best and not is_placeholder(best):
                found.append(best)
        elif _is_url_value(value) and not is_placeholder(value):
            found.append(value.strip())
    return found


def figure_image(figure: HtmlElement) -> str | None:
    """A ``<figure>`` without an ``<img>`` whose attributes name its picture (NYT, lazy
    loaders that build the image from data on the figure)."""
    named = [(figure.get(a) or "").strip() for a in LAZY_ATTRIBUTES]
    for candidate in [*named, *_image_valued_attributes(figure)]:
        if candidate and not is_placeholder(candidate) and _looks_like_url(candidate) \
                and is_safe_image(candidate):
            return candidate
    return None


def _enclosing_picture(img: HtmlElement) -> HtmlElement | None:
    """The ``<picture>`` around an image (a ``<source>`` may stand between them)."""
    return enclosing(img, "picture", 3)


def enclosing(el: HtmlElement, tag: str, depth: int) -> HtmlElement | None:
    """The nearest ``tag`` element among ``el``'s ``depth`` nearest ancestors, or None."""
    node = el.getparent()
    for _ in range(depth):
        if node is None:
            return None
        if node.tag == tag:
            return node
        node = node.getparent()
    return None


def _has_lazy_value(img: HtmlElement) -> bool:
    return any((img.get(a) or "").strip() and not is_placeholder(img.get(a) or "")
               for a in (*LAZY_ATTRIBUTES, "data-srcset"))


def _looks_like_url(value: str) -> bool:
    return bool(_IMAGE_URL.search(value)) or value.startswith(("http://", "https://", "/", "//"))


def _noscript_copy(img: HtmlElement) -> str | None:
    """The ``<img>`` of a ``<noscript>`` that follows this one (Medium, WordPress plugins)."""
    node: HtmlElement | None = img
    for _ in range(3):
        if node is None:
            return None
        sibling = node.getnext()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getnext()
        if sibling is not None and sibling.tag == "noscript":
            inner = sibling.find(".//img")
            if inner is not None:
                src = (inner.get("src") or "").strip()
                if src and not is_placeholder(src):
                    return src
                return best_from_srcset(inner.get("srcset") or "")
            return None
        node = node.getparent()
        if node is not None and _more_than_two_children(node):
            return None
    return None


def _more_than_two_children(node: HtmlElement) -> bool:
    """``len(node) > 2`` without counting them all: lxml's ``len`` walks every child, which
    made a page of 50,000 figures in one container quadratic."""
    from itertools import islice

    return sum(1 for _ in islice(node, 3)) > 2


def _fallback_of(noscript: HtmlElement) -> HtmlElement | None:
    """The ``<img>`` a ``<noscript>`` is the fallback of: the one right before it, alone or as
    the one picture of a ``<picture>`` or a link."""
    prev = noscript.getprevious()
    if prev is None:
        return None
    if prev.tag == "img":
        return prev
    if prev.tag in ("picture", "a", "span"):
        imgs = prev.findall(".//img")
        if len(imgs) == 1:
            return imgs[0]
    return None


def unwrap_noscript_images(root: HtmlElement) -> None:
    """Replace a placeholder ``<img>`` by the picture of the ``<noscript>`` right after it, and
    turn a lone ``<noscript><img></noscript>`` into the image itself."""
    for noscript in list(root.iter("noscript")):
        imgs = noscript.findall(".//img")
        if len(imgs) != 1 or noscript.text_content().strip():
            continue
        prev = _fallback_of(noscript)
        if prev is not None and image_source(prev) is None:
            prev.set(v.DATA_SRC, image_source(imgs[0]) or "")
            remove_keeping_tail(noscript)
        elif prev is not None:
            remove_keeping_tail(noscript)
        else:
            img = imgs[0]
            parent = noscript.getparent()
            if parent is None:
                continue
            img.tail = noscript.tail
            parent.replace(noscript, img)


