"""Finding the article in a page: the content-scoring approach of Arc90/Mozilla Readability
(Apache-2.0; its licence and our notice ship as artconv/licenses/), reimplemented on lxml.

Paragraph-like elements are scored by their length and commas; the scores flow to their
ancestors; the best-scoring ancestor (weighed by link density and class names) and the siblings
that look like part of it make the article; then junk inside it is cleaned out. When too little
text survives, the search runs again with fewer filters. Images, captions and the related-block
markers that the reader put in place are kept.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml.html import HtmlElement

from ...htmlform.tree import remove_keeping_tail
from ...htmlform.vocab import DATA_CLASS, DATA_PARAGRAPH
from .meta import text_similarity

FLAG_STRIP_UNLIKELYS = 1
FLAG_WEIGHT_CLASSES = 2
FLAG_CLEAN_CONDITIONALLY = 4
N_TOP_CANDIDATES = 5
CHAR_THRESHOLD = 500
SCORE_DEPTH = 5

# Class and id hints, matched against lower-cased class and id strings (IGNORECASE makes a
# search several times slower, and these run on every element of a page)
UNLIKELY = re.compile(
    r"-ad-|ai2html|banner|breadcrumbs|combx|comment|community|cover-wrap|disqus|extra|footer|"
    r"gdpr|header|legends|menu|related|remark|replies|rss|shoutbox|sidebar|skyscraper|social|"
    r"sponsor|supplemental|ad-break|agegate|pagination|pager|popup|yom-remote|cookie|"
    r"subscribe|newsletter")
MAYBE_CANDIDATE = re.compile(r"and|article|body|column|content|main|mathjax|shadow")
POSITIVE = re.compile(
    r"article|body|content|entry|hentry|h-entry|main|page|pagination|post|text|blog|story")
NEGATIVE = re.compile(
    r"-ad-|hidden|^hid$| hid$| hid |^hid |banner|combx|comment|com-|contact|foot|footer|"
    r"footnote|gdpr|masthead|media|meta|outbrain|promo|related|scroll|share|shoutbox|sidebar|"
    r"skyscraper|sponsor|shopping|tags|widget")
BYLINE = re.compile(r"byline|author|dateline|writtenby|p-author")
SHARE = re.compile(r"(\b|_)(share|sharedaddy)(\b|_)", re.IGNORECASE)
VIDEOS = re.compile(
    r"//(www\.)?((dailymotion|youtube|youtube-nocookie|player\.vimeo|v\.qq)\.com|"
    r"(archive|upload\.wikimedia)\.org|player\.twitch\.tv)", re.IGNORECASE)
AD_WORDS = re.compile(r"^(ad(vertising|vertisement)?|pub(licité)?|werb(ung)?|广告|Реклама|"
                      r"Anuncio)$", re.IGNORECASE)
LOADING_WORDS = re.compile(r"^((loading|正在加载|Загрузка|chargement|cargando)(…|\.\.\.)?)$",
                           re.IGNORECASE)
COMMAS = re.compile("[\u002C\u060C\uFE50\uFE10\uFE11\u2E41\u2E34\u2E32\uFF0C]")
_WS2 = re.compile(r"\s{2,}")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

UNLIKELY_ROLES = frozenset({"menu", "menubar", "complementary", "navigation", "alert",
                            "alertdialog", "dialog"})
TAGS_TO_SCORE = frozenset({"section", "h2", "h3", "h4", "h5", "h6", "p", "td", "pre"})
DIV_TO_P = frozenset({"blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul",
                      "figure", "artconv-related"})
PHRASING = frozenset({
    "abbr", "audio", "b", "bdo", "br", "button", "cite", "code", "data", "datalist", "dfn",
    "em", "embed", "i", "img", "input", "kbd", "label", "mark", "math", "meter", "noscript",
    "object", "output", "progress", "q", "ruby", "samp", "script", "select", "small", "span",
    "strong", "sub", "sup", "textarea", "time", "var", "wbr", "artconv-note",
})
# Readability's, and what a picture stands in: a figure beside the body (a lead picture above it,
# a picture between the headline and the text) keeps its caption with it
ALTER_TO_DIV_EXCEPTIONS = frozenset({"div", "article", "section", "p", "figure", "picture"})
MARKER = "artconv-related"


def inner_text(el: HtmlElement) -> str:
    """The element's text with white space runs squeezed (as long as Readability's)."""
    return " ".join(el.text_content().split())


def class_weight(el: HtmlElement) -> int:
    weight = 0
    for hint in (el.get("class"), el.get("id")):
        if hint:
            hint = hint.lower()
            if NEGATIVE.search(hint):
                weight -= 25
            if POSITIVE.search(hint):
                weight += 25
    return weight


def link_density(el: HtmlElement, text_length: int | None = None,
                 text: Callable[[HtmlElement], str] = inner_text) -> float:
    """The share of ``el``'s text inside links (in-page links count 0.3); ``text`` reads an
    element's text (the search passes its memo)."""
    length = len(text(el)) if text_length is None else text_length
    if not length:
        return 0.0
    links = 0.0
    for a in el.iter("a"):
        href = a.get("href") or ""
        coefficient = 0.3 if len(href) > 1 and href.startswith("#") else 1.0
        links += len(text(a)) * coefficient
    return links / length


def _next_node(node: HtmlElement, ignore_children: bool = False) -> HtmlElement | None:
    """Depth-first traversal over elements only."""
    if not ignore_children:
        for child in node:
            if isinstance(child.tag, str):
                return child
    while node is not None:
        sibling = node.getnext()
        while sibling is not None and not isinstance(sibling.tag, str):
            sibling = sibling.getnext()
        if sibling is not None:
            return sibling
        node = node.getparent()
    return None




def _remove_and_next(el: HtmlElement) -> HtmlElement | None:
    nxt = _next_node(el, ignore_children=True)
    remove_keeping_tail(el)
    return nxt


def _is_phrasing(node: HtmlElement) -> bool:
    tag = node.tag
    if tag in PHRASING:
        return True
    if tag in ("a", "del", "ins"):
        return all(_is_phrasing(c) for c in node if isinstance(c.tag, str))
    return False


def _has_child_block(el: HtmlElement) -> bool:
    return any(d.tag in DIV_TO_P for d in el.iterdescendants() if isinstance(d.tag, str))


def _single_child_tag(el: HtmlElement, tag: str) -> bool:
    children = [c for c in el if isinstance(c.tag, str)]
    if len(children) != 1 or children[0].tag != tag:
        return False
    if (el.text or "").strip():
        return False
    return not any((c.tail or "").strip() for c in el)


def _without_content(el: HtmlElement) -> bool:
    if any(not t.isspace() for t in el.itertext() if t):  # stops at the first word
        return False
    children = [c for c in el if isinstance(c.tag, str)]
    return not children or all(c.tag in ("br", "hr") for c in children)


def _has_ancestor(el: HtmlElement, tag: str, max_depth: int = 3, test=None) -> bool:
    depth = 0
    node = el.getparent()
    while node is not None:
        if max_depth > 0 and depth > max_depth:
            return False
        if node.tag == tag and (test is None or test(node)):
            return True
        node = node.getparent()
        depth += 1
    return False


def _visible(el: HtmlElement) -> bool:
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return False
    if el.get("hidden") is not None:
        return False
    if el.get("aria-hidden") == "true" and "fallback-image" not in (el.get("class") or ""):
        return False
    return True


def prepare_document(body: HtmlElement) -> None:
    """Whole-page preparation: scripts out, ``<br><br>`` runs into paragraphs."""
    for tag in ("script", "style", "noscript", "template", "link", "meta"):
        for el in list(body.iter(tag)):
            remove_keeping_tail(el)
    _replace_brs(body)
    for font in body.iter("font"):
        font.tag = "span"


def _blank(text: str | None) -> bool:
    return not text or not text.strip()


def _replace_brs(root: HtmlElement) -> None:
    """Two or more ``<br>`` in a row end a paragraph: the phrasing content after them goes
    into a new ``<p>`` (``<div>a<br><br>b</div>`` -> ``<div>a<p>b</p></div>``)."""
    for br in list(root.iter("br")):
        parent = br.getparent()
        if parent is None:
            continue
        replaced = False
        nxt = br.getnext()
        while _blank(br.tail) and nxt is not None and nxt.tag == "br":
            br.tail = nxt.tail
            parent.remove(nxt)
            replaced = True
            nxt = br.getnext()
        if not replaced:
            continue
        p = br.makeelement("p", {})
        p.text = br.tail
        br.tail = None
        parent.replace(br, p)
        sibling = p.getnext()
        while sibling is not None:
            if sibling.tag == "br" and _blank(sibling.tail):
                after = sibling.getnext()
                if after is not None and after.tag == "br":
                    break
            if not isinstance(sibling.tag, str) or not _is_phrasing(sibling):
                break
            following = sibling.getnext()
            p.append(sibling)
            sibling = following
        _trim_trailing_whitespace(p)
        if parent.tag == "p":
            parent.tag = "div"
            parent.set(DATA_PARAGRAPH, "")


@dataclass
class Extraction:
    content: HtmlElement | None
    byline: str | None = None


class Extractor:
    """Runs the search on a copy of ``body`` for each set of flags until enough text is found."""

    def __init__(self, body: HtmlElement, title: str | None, has_byline: bool) -> None:
        self.original = body
        self.title = title or ""
        self.has_byline = has_byline
        self.flags = FLAG_STRIP_UNLIKELYS | FLAG_WEIGHT_CLASSES | FLAG_CLEAN_CONDITIONALLY
        self.byline: str | None = None
        self.scores: dict[HtmlElement, float] = {}
        self.data_tables: set[HtmlElement] = set()
        self.marked = False  # the last attempt's best element is named as content
        self.texts: dict[HtmlElement, str] = {}  # see _text

    def run(self) -> Extraction:
        attempts: list[tuple[int, HtmlElement, bool]] = []
        while True:
            page = copy.deepcopy(self.original)
            self.scores = {}
            content = self._grab(page)
            length = len(inner_text(content)) if content is not None else 0
            if content is not None and length >= CHAR_THRESHOLD:
                return Extraction(content, self.byline)
            if content is not None and length:
                attempts.append((_prose_length(content), content, self.marked))
            if self.flags & FLAG_STRIP_UNLIKELYS:
                self.flags &= ~FLAG_STRIP_UNLIKELYS
            elif self.flags & FLAG_WEIGHT_CLASSES:
                self.flags &= ~FLAG_WEIGHT_CLASSES
            elif self.flags & FLAG_CLEAN_CONDITIONALLY:
                self.flags &= ~FLAG_CLEAN_CONDITIONALLY
            else:
                return Extraction(_short_article(attempts), self.byline)

    # -- scoring ----------------------------------------------------------------------------

    def _weight(self, el: HtmlElement) -> int:
        return class_weight(el) if self.flags & FLAG_WEIGHT_CLASSES else 0

    def _init_score(self, el: HtmlElement) -> None:
        tag = el.tag
        score = 0.0
        if tag == "div":
            score = 5
        elif tag in ("pre", "td", "blockquote"):
            score = 3
        elif tag in ("address", "ol", "ul", "dl", "dd", "dt", "li", "form"):
            score = -3
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6", "th"):
            score = -5
        self.scores[el] = score + self._weight(el)

    def _check_byline(self, el: HtmlElement, match: str) -> bool:
        if self.byline or self.has_byline:
            return False
        rel = el.get("rel")
        itemprop = el.get("itemprop") or ""
        if rel == "author" or "author" in itemprop or (match != " " and BYLINE.search(match)):
            text = el.text_content().strip()
            if text and len(text) < 100:
                self.byline = " ".join(text.split())
                return True
        return False

    def _grab(self, page: HtmlElement) -> HtmlElement | None:  # noqa: C901
        # Readability's grabArticle, step by step in its order, so that it can be compared
        # with upstream line by line
        strip_unlikely = bool(self.flags & FLAG_STRIP_UNLIKELYS)
        to_score: list[HtmlElement] = []
        remove_title_header = bool(self.title)
        node: HtmlElement | None = page
        while node is not None:
            tag = node.tag
            if tag == "artconv-related":
                node = _next_node(node, ignore_children=True)
                continue
            match = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
            if not _visible(node):
                node = _remove_and_next(node)
                continue
            if node.get("aria-modal") == "true" and node.get("role") == "dialog":
                node = _remove_and_next(node)
                continue
            if self._check_byline(node, match):
                node = _remove_and_next(node)
                continue
            if remove_title_header and tag in ("h1", "h2") and \
                    text_similarity(self.title, node.text_content().strip()) > 0.75:
                remove_title_header = False
                node = _remove_and_next(node)
                continue
            if strip_unlikely and node is not page:
                if (match != " " and UNLIKELY.search(match) and not MAYBE_CANDIDATE.search(match)
                        and not _has_ancestor(node, "table") and not _has_ancestor(node, "code")
                        and tag not in ("body", "a")
                        and not _contains_marker(node)):
                    node = _remove_and_next(node)
                    continue
                if node.get("role") in UNLIKELY_ROLES and not _contains_marker(node):
                    node = _remove_and_next(node)
                    continue
            if tag in ("div", "section", "header", "h1", "h2", "h3", "h4", "h5", "h6") \
                    and _without_content(node) and not _contains_marker(node) \
                    and node.find(".//img") is None:
                node = _remove_and_next(node)
                continue
            if tag in TAGS_TO_SCORE:
                to_score.append(node)
            if tag == "div":
                self._wrap_phrasing(node)
                if _single_child_tag(node, "p") and link_density(node) < 0.25:
                    child = next(c for c in node if isinstance(c.tag, str))
                    child.tail = node.tail
                    if node.get("class") and not child.get("class"):
                        child.set(DATA_CLASS, node.get("class"))
                    node.getparent().replace(node, child)
                    node = child
                    to_score.append(node)
                elif not _has_child_block(node):
                    node.tag = "p"
                    to_score.append(node)
            node = _next_node(node)

        # the tree stands still from here to the article's assembly: each element's text is
        # read once (a link's, in every candidate above it, counted many times before)
        self.texts = {}
        candidates: list[HtmlElement] = []
        for el in to_score:
            parent = el.getparent()
            if parent is None or not isinstance(parent.tag, str):
                continue
            text = self._text(el)
            if len(text) < 25:
                continue
            ancestors = _ancestors(el, SCORE_DEPTH)
            if not ancestors:
                continue
            score: float = 1 + len(COMMAS.split(text)) + min(len(text) // 100, 3)
            for level, ancestor in enumerate(ancestors):
                if ancestor.getparent() is None and ancestor is not page:
                    continue
                if ancestor not in self.scores:
                    self._init_score(ancestor)
                    candidates.append(ancestor)
                # Readability's scoreDivider: the parent takes the whole score, the grandparent
                # half, each ancestor above a third of its level's share
                divider = 1 if level == 0 else 2 if level == 1 else level * 3
                self.scores[ancestor] += score / divider

        top: list[HtmlElement] = []
        for candidate in candidates:
            self.scores[candidate] *= 1 - self._density(candidate)
            score = self.scores[candidate]
            for i in range(N_TOP_CANDIDATES):
                if i >= len(top) or score > self.scores[top[i]]:
                    top.insert(i, candidate)
                    if len(top) > N_TOP_CANDIDATES:
                        top.pop()
                    break

        body = page
        top_candidate = top[0] if top else None
        if top_candidate is None or top_candidate.tag == "body" or top_candidate is body:
            top_candidate = page.makeelement("div", {})
            top_candidate.text = page.text
            page.text = None
            for child in list(page):
                top_candidate.append(child)
            page.append(top_candidate)
            self._init_score(top_candidate)
        else:
            top_candidate = self._better_ancestor(top_candidate, top, body)
        self.marked = bool(self.flags & FLAG_WEIGHT_CLASSES) and (
            class_weight(top_candidate) > 0 or bool(top) and class_weight(top[0]) > 0)

        article = page.makeelement("div", {})
        parent = top_candidate.getparent()
        threshold = max(10.0, self.scores.get(top_candidate, 0) * 0.2)
        top_class = top_candidate.get("class") or ""
        siblings = [c for c in parent if isinstance(c.tag, str)] if parent is not None \
            else [top_candidate]
        chosen = [self._sibling_belongs(s, top_candidate, threshold, top_class)
                  for s in siblings]
        picked = [i for i, yes in enumerate(chosen) if yes]
        if picked:
            # pictures standing between (or just before) the chosen siblings belong to the
            # article even though they carry no text to score, and so do their captions
            for i in range(max(0, picked[0] - 2), picked[-1]):
                if not chosen[i] and _is_picture_block(siblings[i]):
                    chosen[i] = True
                    following = siblings[i + 1] if i + 1 < len(siblings) else None
                    if following is not None and _is_caption_block(following):
                        chosen[i + 1] = True
        for sibling, yes in zip(siblings, chosen, strict=True):
            if yes:
                if sibling.tag not in ALTER_TO_DIV_EXCEPTIONS and sibling.tag != MARKER:
                    sibling.tag = "div"
                sibling.tail = None
                article.append(sibling)
        self._prep_article(article)
        return article

    def _sibling_belongs(self, sibling: HtmlElement, top_candidate: HtmlElement,
                         threshold: float, top_class: str) -> bool:
        if sibling is top_candidate or sibling.tag == MARKER:
            return True
        if _repeats(sibling, top_candidate):
            return False
        bonus = 0.0
        if top_class and (sibling.get("class") or "") == top_class:
            bonus = self.scores.get(top_candidate, 0) * 0.2
        if sibling in self.scores and self.scores[sibling] + bonus >= threshold:
            # a list of headlines beside the article (other stories) scores on its teasers;
            # the article's own parts are not mostly links
            return self._density(sibling) <= SIBLING_LINK_DENSITY_MAX \
                or self._density(top_candidate) > SIBLING_LINK_DENSITY_MAX
        if sibling.tag == "p":
            text = self._text(sibling)
            density = self._density(sibling, len(text))
            if len(text) > 80 and density < 0.25:
                return True
            if 0 < len(text) < 80 and density == 0 and re.search(r"\.( |$)", text):
                return True
        return False

    def _text(self, el: HtmlElement) -> str:
        """:func:`inner_text`, read once while the tree stands still (see ``_grab``)."""
        found = self.texts.get(el)
        if found is None:
            found = self.texts[el] = inner_text(el)
        return found

    def _density(self, el: HtmlElement, text_length: int | None = None) -> float:
        """:func:`link_density` over :meth:`_text`."""
        return link_density(el, text_length, self._text)

    def _wrap_phrasing(self, div: HtmlElement) -> None:
        """Put runs of phrasing content directly in a div into paragraphs."""
        p: HtmlElement | None = None
        if div.text and div.text.strip():
            p = div.makeelement("p", {})
            p.text = div.text
            div.text = None
            div.insert(0, p)
        children = [c for c in div if c is not p]
        for child in children:
            if not isinstance(child.tag, str):
                continue
            if _is_phrasing(child):
                if p is not None:
                    p.append(child)
                elif child.tag != "br" or (child.tail or "").strip():
                    p = div.makeelement("p", {})
                    div.replace(child, p)
                    p.append(child)
            else:
                if p is not None:
                    _trim_trailing_whitespace(p)
                p = None
                if child.tail and child.tail.strip():
                    p = div.makeelement("p", {})
                    p.text = child.tail
                    child.tail = None
                    child.addnext(p)
        if p is not None:
            _trim_trailing_whitespace(p)

    def _better_ancestor(self, top_candidate: HtmlElement, top: list[HtmlElement],
                         body: HtmlElement) -> HtmlElement:
        scores = self.scores
        best_score = scores[top_candidate]
        alternatives = [set(_ancestors(c)) for c in top[1:]
                        if best_score and scores[c] / best_score >= 0.75]
        if len(alternatives) >= 3:
            parent = top_candidate.getparent()
            while parent is not None and parent is not body:
                if sum(1 for ancestors in alternatives if parent in ancestors) >= 3:
                    top_candidate = parent
                    break
                parent = parent.getparent()
        if top_candidate not in scores:
            self._init_score(top_candidate)
        parent = top_candidate.getparent()
        last = scores[top_candidate]
        threshold = last / 3
        while parent is not None and parent is not body:
            if parent not in scores:
                parent = parent.getparent()
                continue
            if scores[parent] < threshold:
                break
            if scores[parent] > last:
                top_candidate = parent
                break
            last = scores[parent]
            parent = parent.getparent()
        parent = top_candidate.getparent()
        while parent is not None and parent is not body and \
                len([c for c in parent if isinstance(c.tag, str)]) == 1:
            top_candidate = parent
            parent = top_candidate.getparent()
        if top_candidate not in scores:
            self._init_score(top_candidate)
        return top_candidate

    # -- cleaning ---------------------------------------------------------------------------

    def _prep_article(self, article: HtmlElement) -> None:
        self._mark_data_tables(article)
        self._clean_conditionally(article, "form")
        self._clean_conditionally(article, "fieldset")
        for tag in ("object", "embed", "footer", "link", "aside"):
            self._clean(article, tag)
        for child in list(article):
            self._clean_share(child)
        for tag in ("iframe", "input", "textarea", "select", "button"):
            self._clean(article, tag)
        for heading in [h for tag in ("h1", "h2") for h in article.iter(tag)]:
            if class_weight(heading) < 0 and self.flags & FLAG_WEIGHT_CLASSES:
                remove_keeping_tail(heading)
        self._clean_conditionally(article, "table")
        self._clean_conditionally(article, "ul")
        self._clean_conditionally(article, "div")
        _remove_headline_lists(article)
        remove_teaser_lists(article)
        _remove_link_menus(article)
        _remove_furniture_pictures(article)
        for h1 in list(article.iter("h1")):
            h1.tag = "h2"
        for p in list(article.iter("p")):
            if p.find(".//img") is None and p.find(".//artconv-related") is None \
                    and not p.text_content().strip():
                remove_keeping_tail(p)
        for table in list(article.iter("table")):
            self._unwrap_single_cell(table)

    def _clean(self, root: HtmlElement, tag: str) -> None:
        embed = tag in ("object", "embed", "iframe")
        for el in list(root.iter(tag)):
            if _contains_marker(el):
                continue
            if tag == "footer" and (_has_ancestor(el, "blockquote") or
                                    _has_ancestor(el, "figure")):
                continue  # a quote's attribution
            if embed and any(VIDEOS.search(v) for v in el.attrib.values()):
                continue
            if tag == "object" and _has_fallback(el):
                el.drop_tag()  # what a reader without the plugin sees is content
                continue
            remove_keeping_tail(el)

    def _clean_share(self, top: HtmlElement) -> None:
        for el in list(top.iterdescendants()):
            if not isinstance(el.tag, str) or _contains_marker(el):
                continue
            match = f"{el.get('class') or ''} {el.get('id') or ''}"
            if SHARE.search(match) and len(el.text_content()) < CHAR_THRESHOLD:
                remove_keeping_tail(el)

    def _mark_data_tables(self, root: HtmlElement) -> None:
        for table in root.iter("table"):
            if table.get("role") == "presentation" or table.get("datatable") == "0":
                continue
            if table.get("summary"):
                self.data_tables.add(table)
                continue
            caption = table.find(".//caption")
            if caption is not None and len(caption.text_content()):
                self.data_tables.add(table)
                continue
            if any(table.find(f".//{t}") is not None
                   for t in ("col", "colgroup", "tfoot", "thead", "th")):
                self.data_tables.add(table)
                continue
            if table.find(".//table") is not None:
                continue
            rows = columns = 0
            for tr in table.iter("tr"):
                try:
                    rows += int(tr.get("rowspan") or 1)
                except ValueError:
                    rows += 1
                cols = 0
                for td in tr.iter("td"):
                    try:
                        cols += int(td.get("colspan") or 1)
                    except ValueError:
                        cols += 1
                columns = max(columns, cols)
            if columns == 1 or rows == 1:
                continue
            if rows >= 10 or columns > 4 or rows * columns > 10:
                self.data_tables.add(table)

    def _clean_conditionally(self, root: HtmlElement, tag: str) -> None:
        if not self.flags & FLAG_CLEAN_CONDITIONALLY:
            return
        for node in reversed(list(root.iter(tag))):
            if node.getparent() is None:
                continue
            if self._should_remove(node, tag):
                remove_keeping_tail(node)

    def _should_remove(self, node: HtmlElement, tag: str) -> bool:  # noqa: C901
        # Readability's _cleanConditionally tests, in its order (compared with upstream)
        if _contains_marker(node) or node.get(DATA_PARAGRAPH) is not None:
            return False
        is_list = tag in ("ul", "ol")
        text = inner_text(node)
        if not is_list:
            list_length = sum(len(inner_text(lst)) for t in ("ul", "ol")
                              for lst in node.iter(t))
            is_list = bool(text) and list_length / len(text) > 0.9
        if tag == "table" and node in self.data_tables:
            return False
        if _has_ancestor(node, "table", -1, lambda t: t in self.data_tables):
            return False
        if _has_ancestor(node, "code"):
            return False
        if any(t in self.data_tables for t in node.iter("table")):
            return False
        weight = self._weight(node)
        if weight < 0:
            return True
        if len(COMMAS.findall(text)) >= 10:
            return False
        p = sum(1 for _ in node.iter("p"))
        img = sum(1 for _ in node.iter("img"))
        li = sum(1 for _ in node.iter("li")) - 100
        inputs = sum(1 for _ in node.iter("input"))
        heading_length = sum(len(inner_text(h)) for t in ("h1", "h2", "h3", "h4", "h5", "h6")
                             for h in node.iter(t))
        heading_density = heading_length / len(text) if text else 0.0
        embeds = 0
        for t in ("object", "embed", "iframe"):
            for embed in node.iter(t):
                if any(VIDEOS.search(v) for v in embed.attrib.values()):
                    return False
                embeds += 1
        if AD_WORDS.match(text) or LOADING_WORDS.match(text):
            return True
        length = len(text)
        density = link_density(node, length)
        textish = sum(len(inner_text(d)) for d in node.iter(
            "span", "li", "td", "blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul"))
        text_density = textish / length if length else 0.0
        in_figure = _has_ancestor(node, "figure")
        remove = False
        if not in_figure and img > 1 and p / img < 0.5:
            remove = True
        elif not is_list and li > p:
            remove = True
        elif inputs > p // 3:
            remove = True
        elif (not is_list and not in_figure and heading_density < 0.9 and length < 25
              and (img == 0 or img > 2) and density > 0):
            remove = True
        elif not is_list and weight < 25 and density > 0.2:
            remove = True
        elif weight >= 25 and density > 0.5:
            remove = True
        elif (embeds == 1 and length < 75) or embeds > 1:
            remove = True
        elif img == 0 and text_density == 0:
            remove = True
        if is_list and remove:
            children = [c for c in node if isinstance(c.tag, str)]
            if any(len([g for g in c if isinstance(g.tag, str)]) > 1 for c in children):
                return remove
            if img == sum(1 for _ in node.iter("li")):
                return False
        return remove

    def _unwrap_single_cell(self, table: HtmlElement) -> None:
        tbody = table
        if _single_child_tag(table, "tbody"):
            tbody = next(c for c in table if isinstance(c.tag, str))
        if not _single_child_tag(tbody, "tr"):
            return
        row = next(c for c in tbody if isinstance(c.tag, str))
        if not _single_child_tag(row, "td"):
            return
        cell = next(c for c in row if isinstance(c.tag, str))
        cell.tag = "p" if all(_is_phrasing(c) for c in cell if isinstance(c.tag, str)) else "div"
        cell.tail = table.tail
        parent = table.getparent()
        if parent is not None:
            parent.replace(table, cell)


_NOT_PICTURE = re.compile(r"logo|avatar|icon|banner|-ad-|\bads?\b|advert|sponsor|share|social|"
                          r"promo|widget|sidebar|comment", re.IGNORECASE)


def _has_fallback(el: HtmlElement) -> bool:
    """An ``<object>`` holding fallback content (text or a picture), not only ``<param>``s."""
    return bool(inner_text(el)) or el.find(".//img") is not None


def _is_picture_block(el: HtmlElement) -> bool:
    """An element that is a picture (and maybe its caption): little text, few links."""
    imgs = [i for i in el.iter("img")]
    if not imgs or len(imgs) > 3:
        return False
    if _NOT_PICTURE.search(_hints(el)) or all(furniture_picture(i, el, outside=True)
                                              for i in imgs):
        return False
    text = inner_text(el)
    return len(text) < 300 and link_density(el, len(text)) < 0.5


_NOT_PICTURE_FILE = re.compile(r"(?:^|[-_./])(?:avatar|gravatar|sprite|spacer|pixel)"
                               r"(?:$|[-_./\d])", re.IGNORECASE)
# names of pictures and their wrappers that are not the article's: ads, logos, avatars
_FURNITURE_NAME = re.compile(r"(?:^|[\s_-])(?:ad|ads|adv|advert\w*|ad-?slot|adunit|sponsor\w*|"
                             r"avatar\w*|gravatar|banner\w*)(?:$|[\s_-])")
# ... and outside the article's element, the site's logo (inside, a logo is the subject's)
_LOGO_NAME = re.compile(r"(?:^|[\s_-])logo\w*(?:$|[\s_-])")
# how far up from a picture its wrappers may say it is furniture (an ad slot, a logo link)
PICTURE_HINT_DEPTH = 3


def furniture_picture(img: HtmlElement, root: HtmlElement, outside: bool = False) -> bool:
    """An author's avatar, an ad banner, a spacer (and ``outside`` the article's element, the
    site's logo): by the picture's own names, its file name, its alternative text
    ("Advertisement") or its near wrappers' names."""
    names = f"{img.get('class') or ''} {img.get('id') or ''}".lower()
    if _FURNITURE_NAME.search(names) or AD_WORDS.match((img.get("alt") or "").strip()) \
            or outside and _LOGO_NAME.search(names):
        return True
    source = (img.get("src") or "").rsplit("/", 1)[-1].split("?")[0]
    if source and _NOT_PICTURE_FILE.search(source):
        return True
    node = img
    for _ in range(PICTURE_HINT_DEPTH):
        node = node.getparent()
        if node is None or node is root:
            break
        if node.tag in ("figure", "article", "main"):
            break
        hints = _hints(node).lower()
        if _FURNITURE_NAME.search(hints) or outside and _LOGO_NAME.search(hints):
            return True
    return False


def _remove_furniture_pictures(article: HtmlElement) -> None:
    for img in list(article.iter("img")):
        if furniture_picture(img, article):
            wrapper = img.getparent()
            remove_keeping_tail(img)
            while wrapper is not None and wrapper is not article and wrapper.tag in (
                    "a", "picture", "span", "div", "p") and not inner_text(wrapper) \
                    and next(wrapper.iter("img"), None) is None and not len(wrapper):
                parent = wrapper.getparent()
                remove_keeping_tail(wrapper)
                wrapper = parent


_CAPTION = re.compile(r"caption|credit|legend|desc|photo.?text|image.?text|img.?text|podpis",
                      re.IGNORECASE)


def _hints(el: HtmlElement) -> str:
    """Class and id, including the class of a wrapper the search replaced by this element."""
    return f"{el.get('class') or ''} {el.get(DATA_CLASS) or ''} {el.get('id') or ''}"


def _is_caption_block(el: HtmlElement) -> bool:
    if not _CAPTION.search(_hints(el)):
        return False
    text = inner_text(el)
    return 0 < len(text) < 300 and el.find(".//img") is None and link_density(el, len(text)) < 0.5


# A list of other stories inside the article's container: at least this many links that read as
# headlines (this many words), most of its text linked, a small part of the article's text.
HEADLINE_LIST_LINKS = 3
HEADLINE_WORDS = 3
HEADLINE_LIST_DENSITY = 0.5
HEADLINE_LIST_SHARE = 0.3


def _remove_headline_lists(article: HtmlElement) -> None:
    """Lists of other stories (a site's "top stories" beside the article): blocks of headline
    links that the article's container holds besides its text."""
    total = len(inner_text(article))
    for el in list(article.iter("ul", "ol", "div", "section")):
        if el.getparent() is None or _contains_marker(el) or el.find(".//img") is not None \
                and len(el.findall(".//img")) > len(el.findall(".//a")):
            continue
        text = len(inner_text(el))
        if not text or text > HEADLINE_LIST_SHARE * total:
            continue
        headlines = [a for a in el.iter("a") if len(inner_text(a).split()) >= HEADLINE_WORDS]
        if len(headlines) >= HEADLINE_LIST_LINKS and link_density(el, text) >= \
                HEADLINE_LIST_DENSITY and not any(p.tag == "p" for p in el.iterancestors()):
            remove_keeping_tail(el)


# A sibling of the article's best element joins it only when this little of its text is linked.
SIBLING_LINK_DENSITY_MAX = 0.5
# Of the attempts on a page whose article is short, the strictest whose prose is nearly as long
# as the longest prose found: looser attempts add menus and footers (links), not prose.
SHORT_ARTICLE_SHARE = 0.8


# A list of teaser cards for other pages (a site's news feed, "more stories"): at least this
# many items, nearly all of them cards (a heading or a "Read more" link, a link of their own,
# little text), the whole a part of the article's container.
TEASER_LIST_ITEMS = 3
TEASER_CARD_SHARE = 0.8
TEASER_CARD_MAX_TEXT = 500
TEASER_LIST_SHARE = 0.5
_MORE_LINK = re.compile(
    r"^(?:read|see|view|learn|find out|continue|full|more|подробнее|читать|далее|"
    r"mehr|lire|leer|leggi)\b.{0,25}$|^(?:more|mehr|plus|más)\W*$", re.IGNORECASE)


def remove_teaser_lists(article: HtmlElement) -> None:
    """Lists of teaser cards for other pages that the article's container holds besides its
    text: not related blocks (nothing marks them so), page furniture."""
    total = len(inner_text(article))
    for el in list(article.iter("ul", "ol", "div", "section")):
        if el.getparent() is None or _contains_marker(el):
            continue
        items = [c for c in el if isinstance(c.tag, str) and c.tag not in ("br", "hr")
                 and (inner_text(c) or c.find(".//img") is not None)]
        if len(items) < TEASER_LIST_ITEMS or any(c.tag == "p" for c in items):
            continue
        text = len(inner_text(el))
        if text > TEASER_LIST_SHARE * total:
            continue
        cards, targets = 0, set()
        for item in items:
            href = _teaser_target(item)
            if href and href not in targets:
                targets.add(href)
                cards += 1
        if cards >= TEASER_CARD_SHARE * len(items):
            remove_keeping_tail(el)


def _teaser_target(item: HtmlElement) -> str | None:
    """Where a teaser card leads, or None when ``item`` is not one: a short item with a
    heading or a "Read more" link, and a link to another page."""
    if len(inner_text(item)) > TEASER_CARD_MAX_TEXT:
        return None
    links = [a for a in item.iter("a")
             if (a.get("href") or "").strip()[:1] not in ("", "#")
             and not a.get("href", "").startswith("javascript:")]
    if not links:
        return None
    linked_heading = any(h.find(".//a[@href]") is not None
                         for h in item.iter("h2", "h3", "h4", "h5", "h6"))
    more = any(_MORE_LINK.match(inner_text(a)) for a in links)
    return links[0].get("href").strip() if linked_heading or more else None


# A sibling that says again what the article says, in a component of the same kind (a copy
# for another layout, hidden by a style sheet: most class names shared) does not join it:
# this share of its word triples are the article's.
REPEAT_SHARE = 0.6
REPEAT_MIN_WORDS = 20
REPEAT_CLASS_SHARE = 0.5


def _repeats(el: HtmlElement, article: HtmlElement) -> bool:
    classes, article_classes = set((el.get("class") or "").split()), \
        set((article.get("class") or "").split())
    if not classes or len(classes & article_classes) < REPEAT_CLASS_SHARE * len(classes):
        return False
    words = inner_text(el).split()
    if len(words) < REPEAT_MIN_WORDS:
        return False
    article_words = inner_text(article).split()
    known = {tuple(article_words[i:i + 3]) for i in range(len(article_words) - 2)}
    triples = [tuple(words[i:i + 3]) for i in range(len(words) - 2)]
    return sum(t in known for t in triples) >= REPEAT_SHARE * len(triples)


# A menu of page actions or places (Email, Print, Reprints; Home, News, Sport): a list whose
# every item is one link of at most this many words.
MENU_ITEM_WORDS = 2
MENU_MIN_ITEMS = 2


def _remove_link_menus(article: HtmlElement) -> None:
    for lst in list(article.iter("ul", "ol")):
        items = [li for li in lst if isinstance(li.tag, str)]
        if len(items) < MENU_MIN_ITEMS or _contains_marker(lst):
            continue
        if all(_menu_item(li) for li in items):
            remove_keeping_tail(lst)


def _menu_item(li: HtmlElement) -> bool:
    """One link to another page, labelled with a word or two (not an address: a list of
    sources is content; nor a place in this page: a table of contents is content)."""
    links = [a for a in li.iter("a") if a.get("href")]
    if len(links) != 1 or li.find(".//img") is not None \
            or links[0].get("href", "").startswith("#"):
        return False
    text = inner_text(li)
    return inner_text(links[0]) == text and 0 < len(text.split()) <= MENU_ITEM_WORDS \
        and "/" not in text and "." not in text.rstrip(".")


def _prose_length(el: HtmlElement) -> int:
    """Characters of text outside links."""
    text = len(inner_text(el))
    return text - sum(len(inner_text(a)) for a in el.iter("a"))


def _short_article(attempts: list[tuple[int, HtmlElement, bool]]) -> HtmlElement | None:
    """The article when no attempt found CHAR_THRESHOLD characters (see above); attempts are
    (prose length, content, whether the page names its element as content), strictest first.
    A short post in an element the page names as its content (``entry-content``,
    ``post-body``) is the article, whatever looser attempts gather around it."""
    if not attempts:
        return None
    if attempts[0][2]:
        return attempts[0][1]
    longest = max(length for length, _, _ in attempts)
    if longest <= 0:
        return max(attempts, key=lambda a: len(inner_text(a[1])))[1]
    return next(content for length, content, _ in attempts
                if length >= SHORT_ARTICLE_SHARE * longest)


def _contains_marker(el: HtmlElement) -> bool:
    if el.tag == "artconv-related":
        return True
    return next(el.iter("artconv-related"), None) is not None


def _ancestors(el: HtmlElement, max_depth: int = 0) -> list[HtmlElement]:
    out = []
    node = el.getparent()
    while node is not None:
        out.append(node)
        if max_depth and len(out) == max_depth:
            break
        node = node.getparent()
    return out


def _trim_trailing_whitespace(p: HtmlElement) -> None:
    while len(p) and p[-1].tag == "br" and not (p[-1].tail or "").strip():
        p.remove(p[-1])
