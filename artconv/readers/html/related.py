"""Related-article blocks in a page: found before the article is extracted (extractors delete
them as boilerplate), turned into ``related`` blocks and replaced by markers that keep their
place, so that an inline "Читайте также" box stays where it stood.

A block is related when its class or id says so (related, other-news, read-also,
jp-relatedposts, see-also, ...), when a heading with a known phrase introduces a group of
article links, or when a paragraph starts with such a phrase and a link. Teaser networks and
ads (Outbrain, Taboola, SMI2, ...) are not related articles; tag clouds are not either (their
links are single words).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.html import HtmlElement

from ...htmlform.tree import remove_keeping_tail, replace_with_marker
from ...model import Related, RelatedItem
from ...phrases import phrase_pattern, phrases
from ...textutil import squash

# Class and id hints; matched against lower-cased strings (IGNORECASE is several times slower).
HINT = re.compile(
    r"related|other[-_]?news|othernews|other[-_]?materials|read[-_]?also|readalso|"
    r"jp-relatedposts|see[-_]?also|seealso|also[-_]?read|more[-_]?(?:news|stories|articles|"
    r"from|posts)|similar[-_]?(?:posts|articles|news|materials)|yarpp|crp[-_]related|"
    r"rel[-_]posts|inline[-_]?read|read[-_]?more[-_]?(?:box|block|list|links)|readmore[-_]?box")
NOT_RELATED = re.compile(
    r"outbrain|taboola|adsbygoogle|sponsor|promo|partner|advert|mgid|smi2|24smi|lentainform|"
    r"relap|directadvert|yandex[-_]?rtb|adfox|tags?\b|tag[-_]?(?:list|cloud)|keywords|"
    r"comment|share|social|author[-_]?bio|related[-_]?(?:tags|topics|searches|keywords)")
_QUOTED = re.compile(r"[\"«“„'‘](.+?)[\"»”“'’]")
_SUMMARY_HINT = re.compile(r"lead|summary|teaser|excerpt|desc|anons|announce|intro|text|"
                           r"subtitle|preview", re.IGNORECASE)
_NOT_SUMMARY = re.compile(r"date|time|context|categor|rubric|tags?\b|byline|author|meta|"
                          r"views|comments?[-_]?count|read[-_]?time", re.IGNORECASE)
_NOT_ARTICLE_TITLE = re.compile(
    r"^(?:(?:далее|подробнее|ещё|еще|все новости|читать далее|more|read more|continue reading|"
    r"see all|view all|next|previous)\W*)*\W*$", re.IGNORECASE)
# links that are not articles: account pages ("Forgot your password?")
_NOT_ARTICLE_HREF = re.compile(r"(?:^|[/_.=-])(?:log-?in|sign-?in|sign-?up|forgot-?password|"
                               r"password|logout|log-?out)(?:$|[/_.?#=-])", re.IGNORECASE)
# headings of blocks that are not articles: ads, search suggestions, tag and topic lists
_NOT_ARTICLES_HEADING = re.compile(r"^(?:related|popular|trending)\s+(?:ads|searches|topics|"
                                   r"tags|keywords|products)\b", re.IGNORECASE)
# what a heading carries besides its words: a close button, Wikipedia's "[edit]" link
_HEADING_JUNK = re.compile(r"(?:\s*[×✕✖]|\s*\[(?:edit|править|modifier|bearbeiten|"
                           r"editar|modifica)[^\]]*\])+$", re.IGNORECASE)
MAX_RELATED_TEXT = 6000
# A related block is a part of the page, not most of it.
RELATED_SHARE_MAX = 0.6
# A paragraph of prose: this long, and this little of it linked. Two of them make an element
# an article (or part of one), which a related block never is.
PROSE_MIN_CHARACTERS = 150
PROSE_MAX_LINK_SHARE = 0.1
PROSE_PARAGRAPHS = 2
# An inline related box holds at most this much text besides its links: this many times the
# heading's length, and this many characters more.
INLINE_BOX_HEADING_SHARE = 4
INLINE_BOX_OTHER_TEXT = 400
# a related block's heading is a short line: an element holding more text than this (before
# white space is squashed) is not one, whatever its first word
RELATED_HEADING_RAW_MAX = 400
# Where nothing names a group of links as related, an item's title has at least this many
# characters and words (a link to a section, "News", "Sport", is not an article).
ITEM_TITLE_MIN = 12
ITEM_TITLE_WORDS = 2
NOT_ARTICLES = object()
MARKER = "artconv-related"


def section_from_heading(heading: str | None) -> str | None:
    if not heading:
        return None
    match = _QUOTED.search(heading)
    return match.group(1).strip() if match else None


class RelatedFinder:
    def __init__(self, image_src: Callable[[HtmlElement], str | None],
                 extra_phrases: tuple[str, ...] = ()) -> None:
        self.image_src = image_src
        self.phrases = phrase_pattern(extra_phrases)
        # a quick test on the page's text (substring search is far faster than a regex of
        # sixty alternatives)
        self.lowered = tuple(p.lower() for p in phrases(extra_phrases))
        self.found: dict[str, Related] = {}
        # containers the page names as related (by class or id): their every article link is
        # an item, however short its title
        self.marked: set[HtmlElement] = set()

    def replace_in(self, body: HtmlElement) -> dict[str, Related]:
        """Find related blocks under ``body``, replace each by a marker element, return them
        by marker index."""
        page_text = max(len(body.text_content()), 1)
        for container, heading_el in self._candidates(body, page_text):
            related = self._build(container, heading_el)
            if related is NOT_ARTICLES:  # ads and search suggestions: page furniture
                remove_keeping_tail(container)
                continue
            if not isinstance(related, Related):
                continue
            index = str(len(self.found))
            self.found[index] = related
            replace_with_marker(container, MARKER, {"data-index": index})
        return self.found

    # -- finding ----------------------------------------------------------------------------

    def _candidates(self, body: HtmlElement,  # noqa: C901
                    page_text: int) -> list[tuple[HtmlElement, HtmlElement | None]]:
        # one pass over the page's headings and link groups, each test a reason a group is
        # or is not a related block; their order matters, so they stay together
        chosen: list[tuple[HtmlElement, HtmlElement | None]] = []
        taken: set[HtmlElement] = set()

        def inside_taken(el: HtmlElement) -> bool:
            return bool(taken) and (el in taken or any(a in taken for a in el.iterancestors()))

        def take(el: HtmlElement, heading: HtmlElement | None) -> None:
            if inside_taken(el) or any(_is_ancestor(el, t) for t in taken):
                return
            taken.add(el)
            chosen.append((el, heading))

        for el in body.xpath(".//*[@class or @id]"):
            if el.tag in ("body", "html", "main", "article"):
                continue
            match = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
            if HINT.search(match) and not NOT_RELATED.search(match) \
                    and self._plausible(el, page_text):
                heading = None if inside_taken(el) else self._heading_before(el)
                self.marked.add(el)
                take(_wrap(heading, [el]) if heading is not None else el, heading)
        text = body.text_content().lower()
        if not any(phrase in text for phrase in self.lowered):
            return chosen
        first_words = {phrase.split()[0] for phrase in self.lowered if phrase.split()}
        furniture: list[HtmlElement] = []
        for el in body.iter("h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b",
                            "header", "blockquote", "aside", "section"):
            # a heading starts with a phrase: its first word says so without the whole text
            first = next((t for t in el.itertext() if t.strip()), "").split(None, 1)
            if not first or first[0].lower().rstrip(":—–-") not in first_words:
                continue
            raw = el.text_content()
            if not raw or len(raw) > RELATED_HEADING_RAW_MAX or inside_taken(el):
                continue
            text = squash(raw)
            if not text or len(text) > 120 or not self.phrases.match(text):
                continue
            if el.tag[0] == "h" and _NOT_ARTICLES_HEADING.match(_HEADING_JUNK.sub("", text)):
                # "Related Ads", "Related Searches" (over an ad slot): furniture, with the
                # links it introduces
                container = self._container_for_heading(el, text, page_text)
                furniture.append(container if container is not None else el)
                continue
            if _is_link_label(el, body):  # a "Read more" link's own label, not a heading
                continue
            if el.tag[0] != "h" and any(d is not el and isinstance(d.tag, str) and d.tag != "a"
                   and len(squash(d.text_content())) < len(text)
                   and self.phrases.match(squash(d.text_content())) for d in el.iter()):
                continue  # the phrase stands in an element of its own: that is the heading
            container = self._container_for_heading(el, text, page_text)
            if container is not None:
                take(container, el if container is not el else None)
        for el in furniture:
            if not inside_taken(el):
                remove_keeping_tail(el)
        return chosen

    def _plausible(self, el: HtmlElement, page_text: int) -> bool:
        text = len(el.text_content())
        if text > MAX_RELATED_TEXT or text > page_text * RELATED_SHARE_MAX:
            return False
        return any(_article_link(a) for a in el.iter("a")) and not holds_prose(el)

    def _container_for_heading(self, heading: HtmlElement, text: str,
                               page_text: int) -> HtmlElement | None:
        """The element a related heading introduces: the heading itself for an inline box
        ("Читайте также: <a>...</a>"), else the smallest ancestor holding article links."""
        own_links = [a for a in heading.iter("a") if _article_link(a)]
        if own_links and heading.tag in ("p", "div", "span", "strong", "b", "blockquote",
                                         "aside", "section"):
            parent = heading.getparent()
            box = heading
            if heading.tag in ("span", "strong", "b") and parent is not None \
                    and parent.tag in ("p", "div"):
                box = parent
            return box if _mostly_links(box, text, own_links) else None
        group = self._group_after(heading)
        if group is not None:
            return group
        node = heading
        for _ in range(3):
            parent = node.getparent()
            if parent is None or parent.tag in ("body", "html", "main", "article"):
                return None
            links = [a for a in parent.iter("a") if _article_link(a) and not _is_ancestor(
                heading, a)]
            if links:
                if len(parent.text_content()) > min(MAX_RELATED_TEXT,
                                                    page_text * RELATED_SHARE_MAX) \
                        or holds_prose(parent):
                    return None
                if heading.tag.startswith("h") or _mostly_links(parent, text, links):
                    return parent
                return None
            node = parent
        return None

    def _group_after(self, heading: HtmlElement) -> HtmlElement | None:
        """A heading followed by lists of article links inside a bigger container: the heading
        and those lists are wrapped together, so that they can be replaced as one block."""
        if not heading.tag.startswith("h") and heading.tag not in ("p", "div", "strong"):
            return None
        following: list[HtmlElement] = []
        sibling = heading.getnext()
        while sibling is not None and isinstance(sibling.tag, str) \
                and not sibling.tag.startswith("h"):
            if sibling.tag in ("br", "hr") or (not sibling.text_content().strip()
                                               and sibling.find(".//img") is None):
                sibling = sibling.getnext()  # a spacer between the heading and its list
                continue
            links = [a for a in sibling.iter("a") if _article_link(a)]
            text = len(squash(sibling.text_content()))
            linked = sum(len(squash(a.text_content())) for a in links)
            if not links or linked < 0.5 * text or text > MAX_RELATED_TEXT:
                break
            following.append(sibling)
            sibling = sibling.getnext()
        if not following or heading.getparent() is None:
            return None
        return _wrap(heading, following)

    def _heading_before(self, container: HtmlElement) -> HtmlElement | None:
        """A heading standing right before a related block that holds none of its own
        ("<h4>Similar articles</h4><ul class=similar_posts>")."""
        if self._heading_in(container) is not None:
            return None
        previous = container.getprevious()
        if previous is None or not isinstance(previous.tag, str) \
                or (container.getprevious().tail or "").strip():
            return None
        text = squash(previous.text_content())
        if not text or len(text) > 80 or any(_article_link(a) for a in previous.iter("a")):
            return None
        if previous.tag in ("h2", "h3", "h4", "h5", "h6") or self.phrases.match(text):
            return previous
        return None

    # -- building ---------------------------------------------------------------------------

    def _build(self, container: HtmlElement,
               heading_el: HtmlElement | None) -> Related | object | None:
        """The related block ``container`` holds; None when it holds no article links;
        NOT_ARTICLES when its heading says the links are ads, searches or topics."""
        if heading_el is None:
            heading_el = self._heading_in(container)
        heading = squash(heading_el.text_content()) if heading_el is not None else ""
        if not heading:
            match = self.phrases.match(squash(container.text_content()))
            heading = match.group(0).strip() if match else ""
        heading = _HEADING_JUNK.sub("", heading)
        if _NOT_ARTICLES_HEADING.match(heading):
            return NOT_ARTICLES
        match = self.phrases.match(heading)
        if match and heading[match.end():].lstrip().startswith((":", "—", "–", "-")):
            heading = heading[:match.end()]  # "Читайте также: <a>title</a>": the title is an item
        marked = container in self.marked or any(c in self.marked for c in container)
        items = self._items(container, heading_el, marked)
        if not items:
            return None
        phrase = self.phrases.match(heading)
        if phrase:  # "Related: <a>Related: Title</a>": the item's title is "Title"
            items = [_without_prefix(item, heading[:phrase.end()]) for item in items]
        return Related(heading=heading.strip().rstrip(":").strip() or None, items=tuple(items))

    def _heading_in(self, container: HtmlElement) -> HtmlElement | None:
        for el in container.iter("h1", "h2", "h3", "h4", "h5", "h6"):
            if not any(_article_link(a) for a in el.iter("a")) and not _in_link(el, container):
                return el
        for el in container.iter():
            if not isinstance(el.tag, str) or el is container:
                continue
            text = squash(el.text_content())
            if text and len(text) <= 80 and self.phrases.match(text) and \
                    not any(_article_link(a) for a in el.iter("a")):
                return el
        return None

    def _items(self, container: HtmlElement, heading_el: HtmlElement | None,
               marked: bool = False) -> list[RelatedItem]:
        groups: dict[str, list[HtmlElement]] = {}
        for a in container.iter("a"):
            if heading_el is not None and _is_ancestor(heading_el, a) and \
                    not self.phrases.match(squash(heading_el.text_content())):
                continue
            href = (a.get("href") or "").strip()
            if _article_link(a) and not _NOT_ARTICLE_HREF.search(href):
                groups.setdefault(href, []).append(a)
        items = []
        for href, links in groups.items():
            element = _item_element(container, links, groups)
            title, title_nodes = _title(links)
            if not title:
                title = next((squash(h.text_content()) for h in element.iter(
                    "h2", "h3", "h4", "h5", "h6", "strong", "b")), "")
            if not title:
                title = next((squash(i.get("alt")) for i in element.iter("img")
                              if i.get("alt")), "")
            img = next((i for i in element.iter("img")), None)
            image = self.image_src(img) if img is not None else None
            if _NOT_ARTICLE_TITLE.match(title) or not marked and not image and (
                    len(title) < ITEM_TITLE_MIN or len(title.split()) < ITEM_TITLE_WORDS):
                continue
            items.append(RelatedItem(title=title, url=href, image=image,
                                     summary=_summary(element, title, title_nodes)))
        return items


def holds_prose(el: HtmlElement) -> bool:
    """The element holds paragraphs of the article's prose (see PROSE_*): a related block's
    teasers are short or linked."""
    count = 0
    for p in el.iter("p"):
        text = squash(p.text_content())
        if len(text) < PROSE_MIN_CHARACTERS:
            continue
        linked = sum(len(squash(a.text_content())) for a in p.iter("a"))
        if linked <= PROSE_MAX_LINK_SHARE * len(text):
            count += 1
            if count >= PROSE_PARAGRAPHS:
                return True
    return False


def _mostly_links(box: HtmlElement, heading: str, links: list[HtmlElement]) -> bool:
    """An inline related box ("Read also: <a>title</a>") is its phrase and its links, with
    little other text (see INLINE_BOX_*): a paragraph of prose that happens to hold a phrase
    and a link is not one."""
    linked = sum(len(a.text_content()) for a in links)
    return len(box.text_content()) < INLINE_BOX_HEADING_SHARE * len(heading) + linked \
        + INLINE_BOX_OTHER_TEXT


def _article_link(a: HtmlElement) -> bool:
    href = (a.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return False
    return bool(squash(a.text_content())) or a.find(".//img") is not None


def _without_prefix(item: RelatedItem, phrase: str) -> RelatedItem:
    title = item.title
    if title.lower().startswith(phrase.lower()) and title[len(phrase):].lstrip()[:1] in (
            ":", "—", "–", "-"):
        rest = title[len(phrase):]
        stripped = rest.lstrip(" :—–-")
        if stripped:
            return RelatedItem(title=stripped, url=item.url, image=item.image,
                               summary=item.summary)
    return item


def _is_link_label(el: HtmlElement, container: HtmlElement) -> bool:
    """The whole label of the link it stands in or holds ("Read more"), not a card's
    kicker."""
    text = squash(el.text_content())
    if any(squash(a.text_content()) == text and a.get("href") for a in el.iter("a")):
        return bool(_NOT_ARTICLE_TITLE.match(text))
    for node in (el, *el.iterancestors()):
        if node is container:
            return False
        if node.tag == "a" and node.get("href"):
            return bool(_NOT_ARTICLE_TITLE.match(squash(node.text_content())))
    return False


def _in_link(el: HtmlElement, container: HtmlElement) -> bool:
    """Inside a link (a card's title wrapped in its <a>), below ``container``."""
    for node in el.iterancestors():
        if node is container:
            return False
        if node.tag == "a" and node.get("href"):
            return True
    return False


def _wrap(heading: HtmlElement, following: list[HtmlElement]) -> HtmlElement:
    """A heading and the elements after it, wrapped together where they stand, so that they
    can be replaced as one block."""
    parent = heading.getparent()
    group = heading.makeelement("div", {"class": "artconv-related-group"})
    parent.insert(parent.index(heading), group)  # type: ignore[union-attr]
    tail = following[-1].tail
    for el in (heading, *following):
        group.append(el)
    following[-1].tail = None
    group.tail = tail
    return group


def _is_ancestor(ancestor: HtmlElement, el: HtmlElement) -> bool:
    node = el.getparent()
    while node is not None:
        if node is ancestor:
            return True
        node = node.getparent()
    return False


def _item_element(container: HtmlElement, links: list[HtmlElement],
                  groups: dict[str, list[HtmlElement]]) -> HtmlElement:
    """The largest element under ``container`` that holds these links and no other item's."""
    others = {id(a) for href_links in groups.values() for a in href_links
              if href_links is not links}
    common = links[0]
    for link in links[1:]:
        while not (_is_ancestor(common, link) or common is link):
            parent = common.getparent()
            if parent is None or parent is container:
                return common
            common = parent
    element = common
    while True:
        parent = element.getparent()
        if parent is None or parent is container:
            return element
        if any(id(a) in others for a in parent.iter("a")):
            return element
        element = parent


def _title(links: list[HtmlElement]) -> tuple[str, list[HtmlElement]]:
    """An item's title and the elements it was read from: the heading inside a link that
    wraps a whole card (heading and teaser), else the longest link text."""
    headings = [h for a in links for h in a.iter("h2", "h3", "h4", "h5", "h6")]
    headings = [h for h in headings if squash(h.text_content())]
    if headings:
        return squash(headings[0].text_content()), headings[:1]
    texts = [(squash(a.text_content()), a) for a in links]
    title, _ = max(texts, key=lambda pair: len(pair[0]), default=("", None))
    return title, links


def _summary(element: HtmlElement, title: str, title_nodes: list[HtmlElement]) -> str | None:
    """The teaser: a paragraph or a teaser-classed element of the item that is not the title
    and does not hold it."""
    for el in element.iter():
        if not isinstance(el.tag, str) or el is element or any(
                el is t or _is_ancestor(el, t) or _is_ancestor(t, el) for t in title_nodes):
            continue
        hint = el.get("class") or ""
        if _NOT_SUMMARY.search(hint):
            continue
        if el.tag == "p" or _SUMMARY_HINT.search(hint):
            text = squash(el.text_content())
            if text and text != title and len(text) > 3:
                return text
    return None
