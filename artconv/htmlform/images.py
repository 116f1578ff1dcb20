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
    r"(?:[_.-]\w*)?\.(?:gif|png|svg|jpe?g|webp)(?:$|\?)", re.IGNORECASE)
_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|avif|svg|bmp|tiff?)(?:$|[?#])", re.IGNORECASE)
_SRCSET_ITEM = re.compile(r"\s*(\S+?)(?:\s+([\d.]+)([wx]))?\s*(?:,|$)")


def is_placeholder(src: str) -> bool:
    value = src.strip()
    return (not value or value.lower().startswith("data:") or value in ("#", "about:blank")
            or bool(_PLACEHOLDER.search(value)))


def best_from_srcset(srcset: str) -> str | None:
    """The largest candidate of a ``srcset`` (by width or density descriptor)."""
    best, best_size = None, -1.0
    for match in _SRCSET_ITEM.finditer(srcset.strip()):
        url = match.group(1)
        if not url or url.lower().startswith("data:"):
            continue
        try:
            size = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            size = 1.0
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


_URL_VALUE = re.compile(r"^\s*\S+\.(?:jpe?g|png|webp|gif|avif)\S*\s*$", re.IGNORECASE)
_SRCSET_VALUE = re.compile(r"\.(?:jpe?g|png|webp|gif|avif)\S*\s+\d", re.IGNORECASE)


def _image_valued_attributes(el: HtmlElement) -> list[str]:
    """Any other attribute whose value is an image URL or a srcset (lazy loaders invent
    their own names)."""
    found = []
    for name, value in el.attrib.items():
        if name in ("src", "srcset", "alt", "title", "class", "id", "style") \
                or name in LAZY_ATTRIBUTES or name in SRCSET_ATTRIBUTES:
            continue
        if _SRCSET_VALUE.search(value):
            best = best_from_srcset(value)
            if best and not is_placeholder(best):
                found.append(best)
        elif _URL_VALUE.match(value) and not is_placeholder(value):
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
    """The ``<picture>`` around an image (libxml2 nests the ``<img>`` inside ``<source>``)."""
    node = img.getparent()
    for _ in range(3):
        if node is None:
            return None
        if node.tag == "picture":
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
        if node is not None and len(node) > 2:
            return None
    return None


def unwrap_noscript_images(root: HtmlElement) -> None:
    """Replace a placeholder ``<img>`` by the picture of the ``<noscript>`` right after it, and
    turn a lone ``<noscript><img></noscript>`` into the image itself."""
    for noscript in list(root.iter("noscript")):
        imgs = noscript.findall(".//img")
        if len(imgs) != 1 or noscript.text_content().strip():
            continue
        prev = noscript.getprevious()
        if prev is not None and prev.tag == "img" and image_source(prev) is None:
            prev.set(v.DATA_SRC, image_source(imgs[0]) or "")
            remove_keeping_tail(noscript)
        elif prev is not None and prev.tag == "img":
            remove_keeping_tail(noscript)
        else:
            img = imgs[0]
            parent = noscript.getparent()
            if parent is None:
                continue
            img.tail = noscript.tail
            parent.replace(noscript, img)


