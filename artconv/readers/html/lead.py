"""The article's pictures that sit outside the block chosen as its body: a lead figure above
the body container, a hero picture before the headline, a picture between the headline and the
text. The body search keeps a block of prose; these pictures are the article's all the same.

The rule (docs/extraction.md, "Lead pictures"): a picture outside the body belongs to the
article when it lies after the headline and before the body's first paragraph and is a
``<figure>`` or a picture shown large (several sizes offered, or 300 pixels wide), or when it
is the page's own preview picture (``og:image``) and lies before that paragraph; in each case it
is not furniture (an avatar, an ad, the site's logo: :func:`.extract.furniture_picture`; a
tracking pixel or a hidden picture), not a teaser's (inside a link list), and not a picture the
body holds already. At most :data:`MAX_LEAD_PICTURES` are kept, in page order, each as its
picture and its figure's caption (credits included; nothing else the figure holds), before
the body's blocks.

Cost: one walk of the page before the search, keeping the paragraphs' and pictures' positions
(a dictionary entry each), measured in docs/benchmarks.md.
"""

from __future__ import annotations

import copy
import posixpath
import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from ...htmlform.images import enclosing, image_source
from .extract import furniture_picture, inner_text

MAX_LEAD_PICTURES = 2
# a paragraph that starts the body: this much text
BODY_PARAGRAPH = 40
# a figure's text past this is not a caption but content of its own
CAPTION_MAX = 400


class Leads:
    """Where the pictures and paragraphs of a page are, taken before the body search moves
    its elements."""

    __slots__ = ("paragraphs", "pictures", "headline_at")

    def __init__(self, body: HtmlElement, headline: HtmlElement | None) -> None:
        # the search works on copies of the page: a paragraph is known by its text
        self.paragraphs: dict[str, int] = {}
        self.pictures: list[tuple[int, HtmlElement]] = []
        self.headline_at: int | None = None
        for i, el in enumerate(body.iter("p", "figure", "img", "h1")):
            tag = el.tag
            if el is headline:
                self.headline_at = i
            if tag == "p":
                text = inner_text(el)
                if len(text) >= BODY_PARAGRAPH:
                    self.paragraphs.setdefault(text[:200], i)
            elif tag == "figure" or tag == "img" and enclosing(el, "figure", 4) is None:
                self.pictures.append((i, el))

    def pull(self, content: HtmlElement, page_image: str | None) -> list[HtmlElement]:
        """Copies of the lead pictures outside ``content``, to put before its blocks."""
        if not self.pictures:
            return []
        start = self._body_start(content)
        if start is None:  # no paragraph starts the body: nothing is known to be before it
            return []
        held = {_key(s) for s in (image_source(i) for i in content.iter("img")) if s}
        preview = _key(page_image) if page_image else None
        preview = preview or None  # a URL without a file name names no picture
        kept: list[HtmlElement] = []
        for at, el in self.pictures:
            if at >= start or len(kept) == MAX_LEAD_PICTURES:
                break
            img = el if el.tag == "img" else next(el.iter("img"), None)
            src = image_source(img) if img is not None else None
            if img is None or not src or not _key(src) or _key(src) in held or _hidden(img):
                continue
            between = self.headline_at is not None and at > self.headline_at \
                and (el.tag == "figure" or _large(img))
            if not (between or preview is not None and _key(src) == preview):
                continue
            if furniture_picture(img, el, outside=True) or _in_link_list(el) \
                    or el.tag == "figure" and len(inner_text(el)) > CAPTION_MAX:
                continue
            held.add(_key(src))
            kept.append(_picture_and_caption(el, img))
        return kept

    def _body_start(self, content: HtmlElement) -> int | None:
        for p in content.iter("p"):
            text = inner_text(p)
            if len(text) >= BODY_PARAGRAPH:
                return self.paragraphs.get(text[:200])
        return None


# a picture this wide (its width attribute) is a picture to show, not an icon
LARGE_PICTURE = 300


def _large(img: HtmlElement) -> bool:
    """A picture a page shows large: several sizes of it offered (``srcset``, a ``<picture>``),
    or a width attribute of :data:`LARGE_PICTURE` pixels or more."""
    if img.get("srcset") or img.get("data-srcset") or (
            img.getparent() is not None and img.getparent().tag == "picture"):
        return True
    try:
        return int((img.get("width") or "0").strip().rstrip("px")) >= LARGE_PICTURE
    except ValueError:
        return False


def _picture_and_caption(el: HtmlElement, img: HtmlElement) -> HtmlElement:
    """A new ``<figure>`` of the picture (its ``<picture>`` with it) and the figure's caption:
    what else a lead figure holds (a hidden heading naming the file, share buttons) stays."""
    figure = el.makeelement("figure", {})
    parent = img.getparent()
    picture = parent if parent is not None and parent.tag == "picture" else img
    figure.append(copy.deepcopy(picture))
    caption = next(el.iter("figcaption"), None) if el.tag == "figure" else None
    if caption is not None:
        figure.append(copy.deepcopy(caption))
    for child in figure:
        child.tail = None
    return figure


def _hidden(img: HtmlElement) -> bool:
    """A tracking pixel or a hidden picture: two pixels or less, or ``display: none``."""
    style = (img.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    for name in ("width", "height"):
        value = (img.get(name) or "").strip().rstrip("px")
        if value.isdigit() and int(value) <= 2:
            return True
    return False


def _in_link_list(el: HtmlElement) -> bool:
    """A teaser card's picture: inside a list item or a link to another page."""
    node = el.getparent()
    for _ in range(3):
        if node is None:
            return False
        if node.tag in ("li", "nav", "aside", "footer"):
            return True
        node = node.getparent()
    return False


_SIZE_SUFFIX = re.compile(r"[-_](?:\d{2,4}x\d{2,4}|\d{3,4}w?|w\d{2,4}|scaled|large|medium|small)"
                          r"(?=\.\w+$)", re.IGNORECASE)


def _key(src: str) -> str:
    """A picture's name, whatever size of it a page asks for: its file name without a size
    suffix (``park-1600x900.jpg`` and ``park.jpg`` are one picture)."""
    try:
        path = urlsplit(src).path
    except ValueError:
        path = src
    return _SIZE_SUFFIX.sub("", posixpath.basename(path)).lower()
