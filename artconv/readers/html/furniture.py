"""Page furniture that is not the article and that the article search must not see: comment
threads (a short post under a long thread would lose to the thread), comment forms and the
notices around them; author boxes (a biography under the post outscores a short post).

Found by the names pages give them (``comments``, ``commentlist``, ``comments-area``,
``disqus_thread``, ``respond``, ...), never by the words of the text, and never an element
that holds the headline or the article's prose before its first comment.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ...htmlform.tree import remove_keeping_tail
from ...textutil import squash

# A class or id token that names a comment thread or its form (matched whole, lower case).
_COMMENT_CONTAINER = re.compile(
    r"(?:[a-z0-9]+[-_])?comments?(?:[-_]?(?:list|listing|area|section|thread|threads|container|"
    r"wrapper|wrap|block|box|holder|widget|stream|content|body|main|outer|inner|panel|tab|"
    r"module|zone|region|group|frame|respond|form))?|commentlist|commentlisting|commentform|"
    r"comment-?respond|respond|disqus_thread|dsq-content|dsq-comments|talkback|talkbacks|"
    r"discussion|discussions|livefyre|fb-comments|reader-?responses|responses")
# Tokens with "comment" that name something else: a count, a link to the thread, a state.
_NOT_CONTAINER = re.compile(r".*(?:count|counter|num|number|link|links|icon|button|btn|"
                            r"open|closed|status|meta|rss|feed|author|date|time|bubble)$")
_ROOTS = frozenset(("html", "body", "main", "article"))


def _names_comments(el: HtmlElement) -> bool:
    for token in f"{el.get('class') or ''} {el.get('id') or ''}".lower().split():
        if _COMMENT_CONTAINER.fullmatch(token) and not _NOT_CONTAINER.fullmatch(token):
            return True
    return False


def named_elements(body: HtmlElement) -> list[tuple[HtmlElement, str]]:
    """The elements under ``body`` with a class or an id (found by libxml2, not Python), but
    the page's roots, each with its class and id in lower case: the names the rules here
    read."""
    return [(el, f"{el.get('class') or ''} {el.get('id') or ''}".lower())
            for el in body.xpath(".//*[@class or @id]") if el.tag not in _ROOTS]


# substrings one of which every comment container's name holds (a cheap first look)
_COMMENT_WORDS = ("comment", "respond", "disqus", "dsq-", "talkback", "discussion", "livefyre",
                  "responses")


def find_comments(named: list[tuple[HtmlElement, str]],
                  headline: HtmlElement | None) -> list[HtmlElement]:
    """The comment threads of the page (the outermost element of each), in page order."""
    found: list[HtmlElement] = []
    for el, hint in named:
        if not any(word in hint for word in _COMMENT_WORDS):
            continue
        if not _names_comments(el) or any(el is f or _is_inside(el, f) for f in found):
            continue
        if headline is not None and (el is headline or _is_inside(headline, el)):
            continue  # a wrapper of the whole article, named after its comment count
        found.append(el)
    return found


def _is_inside(el: HtmlElement, ancestor: HtmlElement) -> bool:
    return any(node is ancestor for node in el.iterancestors())


# A class or id token that names an author box (a biography, an avatar, links to the author's
# other posts): "about the author", "author" with a word for a box, or the box's usual names.
_AUTHOR_BOX = re.compile(
    r"about[-_]?(?:the[-_]?)?author|author[-_]?(?:box|bio|biography|info|block|card|details?|"
    r"profile|desc|description|about|wrap|wrapper|area|section|container|module|widget)|"
    r"authorbox|^(?:post|entry|article)?[-_]?author$")
_ABOUT_AUTHOR = re.compile(r"^(?:about the author|about the writer|about author)\b",
                           re.IGNORECASE)
# An author box is short, but more than a byline (a name, a date: those stay for the byline
# reader): between these many characters.
AUTHOR_BOX_MIN = 100
AUTHOR_BOX_MAX = 1500


def find_author_boxes(body: HtmlElement, named: list[tuple[HtmlElement, str]],
                      headline: HtmlElement | None) -> list[HtmlElement]:
    """Author boxes: elements named as one (see _AUTHOR_BOX) or headed "About the author",
    short, holding neither the headline nor paragraphs of prose."""
    from .related import holds_prose

    boxes = [el for el, hint in named
             if ("author" in hint or "writer" in hint) and _names_author_box(hint)]
    headed = [h.getparent() for h in body.iter("h2", "h3", "h4", "h5", "h6", "strong", "b")
              if _ABOUT_AUTHOR.match(squash(h.text_content())[:40])]
    found: list[HtmlElement] = []
    for el in [*boxes, *(h for h in headed if h is not None and _headed_about_author(h))]:
        if el.tag in _ROOTS or any(el is f or _is_inside(el, f) for f in found):
            continue
        if headline is not None and (el is headline or _is_inside(headline, el)):
            continue
        length = len(squash(el.text_content()))
        if not AUTHOR_BOX_MIN <= length <= AUTHOR_BOX_MAX or holds_prose(el):
            continue
        found.append(el)
    return found


def _names_author_box(hint: str) -> bool:
    return any(_AUTHOR_BOX.search(token) for token in hint.split())


def _headed_about_author(el: HtmlElement) -> bool:
    first = next((c for c in el if isinstance(c.tag, str)), None)
    return first is not None and first.tag in ("h2", "h3", "h4", "h5", "h6", "strong", "b") \
        and bool(_ABOUT_AUTHOR.match(squash(first.text_content())))


# A box that asks something of the reader (an e-mail address for a newsletter, a password, a
# cookie consent) holds at most this many characters of text.
PROMPT_BOX_MAX = 600
# ... and is a small part of the page (a login form can be all that an error page says).
PROMPT_PAGE_SHARE = 0.25
# ... and its sentences are short (a prompt, not a message such as an error page's).
PROMPT_TEXT_RUN_MAX = 150
_PROMPT_NAME = re.compile(r"cookie|gdpr|consent|newsletter|subscribe|subscription|sign-?up|"
                          r"opt-?in|log-?in|sign-?in|register|paywall")


def find_reader_prompts(body: HtmlElement, named: list[tuple[HtmlElement, str]],
                        headline: HtmlElement | None,
                        threads: list[HtmlElement]) -> list[HtmlElement]:
    """Newsletter, login and cookie boxes: the largest short element around an input for an
    e-mail address or a password (not a comment form's: ``threads`` go anyway), and short
    elements named as such a box."""
    inside_threads = {id(d) for t in threads for d in t.iter("input")}
    from .related import holds_prose

    limit = min(PROMPT_BOX_MAX, PROMPT_PAGE_SHARE * len(body.text_content()))

    def allowed(el: HtmlElement) -> bool:
        return el.tag not in _ROOTS and len(el.text_content()) <= limit \
            and not (headline is not None and (el is headline or _is_inside(headline, el))) \
            and not holds_prose(el) \
            and not any(len(t.strip()) > PROMPT_TEXT_RUN_MAX for t in el.itertext())

    found: list[HtmlElement] = []
    for field in body.iter("input"):
        kind = (field.get("type") or "").lower()
        names = f"{field.get('name') or ''} {field.get('id') or ''} " \
                f"{field.get('placeholder') or ''}".lower()
        if kind not in ("email", "password") and "mail" not in names \
                or id(field) in inside_threads:
            continue
        box = None
        for node in field.iterancestors():
            if not allowed(node):
                break
            box = node
        if box is not None:
            found.append(box)
    for el, hint in named:
        if _PROMPT_NAME.search(hint) and allowed(el):
            found.append(el)
    return found


# Links within the page for keyboards and screen readers ("Skip to content", "Continue reading
# the main story", "Back to top"): by their words, or by a class that hides them.
_SKIP_WORDS = re.compile(
    r"^\W*(?:skip|jump|go|back|return|scroll)\s+(?:to|down|up)\b|^\W*continue reading the main"
    r"|^\W*(?:to|top of)\s+(?:the\s+)?(?:top|page|content)\W*$|^\W*(?:top|back to top)\W*$",
    re.IGNORECASE)
_HIDDEN_CLASS = re.compile(r"(?:^|\s)(?:hidden|visually-?hidden|sr-only|screen-?reader-?text|"
                           r"skip(?:-?link)?|offscreen|assistive-?text|element-?invisible)"
                           r"(?:\s|$)", re.IGNORECASE)
SKIP_LINK_MAX = 60


def find_skip_links(body: HtmlElement) -> list[HtmlElement]:
    found = []
    for a in body.iter("a"):
        if not (a.get("href") or "").startswith("#"):
            continue
        text = squash(a.text_content())
        if len(text) > SKIP_LINK_MAX:
            continue
        if _SKIP_WORDS.search(text) or _HIDDEN_CLASS.search(a.get("class") or ""):
            found.append(a)
    return found


# Labels and lines that frame the article without being part of it.
_AD_LABEL = re.compile(r"^(?:ad|ads|advertisement|advertising|sponsored|anzeige|werbung|"
                       r"publicité|publicidad|pubblicità|реклама|広告|广告)$", re.IGNORECASE)
_TAG_NAME = re.compile(r"(?:^|[-_])(?:tags?|tag-?list|tag-?cloud|tagcloud|post-?tags|"
                       r"entry-?tags|article-?tags|keywords|topics|labels)(?:$|[-_])")
_TAG_LINE = re.compile(r"^(?:tags|tagged(?: with| as)?|filed under|topics|keywords|labels|"
                       r"теги|метки|ключевые слова|schlagwörter|étiquettes|etiquetas)\s*:",
                       re.IGNORECASE)
_NOTICE_LINE = re.compile(
    r"^(?:comments? (?:are|is) (?:moderated|closed)|your comment is awaiting moderation|"
    r"(?:have|got) a (?:news )?tip|send us (?:a|your) (?:news )?tip|do you have a (?:news )?tip|"
    r"tips\?|news tip\?|got a story|want to (?:comment|share your thoughts))", re.IGNORECASE)
# the first words of the labels and lines above, lower case
_FIRST_WORDS = frozenset("""ad ads advertisement advertising sponsored anzeige werbung publicité
publicidad pubblicità реклама 広告 广告 tags tagged filed topics keywords labels теги метки
ключевые schlagwörter étiquettes etiquetas comments comment your have got send do tips news
want""".split())
LABEL_MAX = 40
LINE_DEPTH = 3  # how many elements up a first word may start
TAG_LINE_MAX = 400
TAG_WORDS_MAX = 4
NOTICE_MAX = 200


def find_labels_and_lines(body: HtmlElement,
                          named: list[tuple[HtmlElement, str]]) -> list[HtmlElement]:
    """An ad slot's label ("Advertisement"), tag lists (by name, or a line that starts
    "Tags:"), and moderation notices and tip lines ("Comments are moderated", "Have a news
    tip?")."""
    candidates: list[tuple[HtmlElement, bool]] = [
        (el, True) for el, hint in named
        if ("tag" in hint or "keyword" in hint or "topic" in hint or "label" in hint)
        and any(_TAG_NAME.search(token) for token in hint.split())]
    # labels and lines are known by their first word: only elements whose first text starts
    # with one of those words are looked at
    for node in body.xpath(".//text()"):
        if not node.is_text:
            continue
        first = node.strip().split(None, 1)
        if not first or first[0].lower().rstrip(":?!.,") not in _FIRST_WORDS:
            continue
        el = node.getparent()
        for _ in range(LINE_DEPTH):
            if el is None or el.tag in _ROOTS:
                break
            candidates.append((el, False))
            parent = el.getparent()
            if parent is None or (parent.text or "").strip() or parent.index(el) and any(
                    squash(s.text_content()) or (s.tail or "").strip()
                    for s in list(parent)[:parent.index(el)]):
                break  # the text does not start the parent
            el = parent
    found: list[HtmlElement] = []
    for el, by_name in candidates:
        if el.getparent() is None:
            continue
        raw = el.text_content()
        if len(raw) > TAG_LINE_MAX * 2:
            continue
        text = squash(raw)
        if not text:
            continue
        if len(text) <= LABEL_MAX and _AD_LABEL.match(text) and el.find(".//img") is None:
            found.append(el)
        elif len(text) <= TAG_LINE_MAX and _is_tag_list(el, text, by_name):
            found.append(el)
        elif len(text) <= NOTICE_MAX and el.tag in ("p", "div", "span", "em", "small", "i") \
                and _NOTICE_LINE.match(text) and not any(
                    d.tag in ("p", "div") for d in el.iterdescendants()):
            found.append(el)
    return found


def _is_tag_list(el: HtmlElement, text: str, named: bool) -> bool:
    line = bool(_TAG_LINE.match(text))
    if not (line or named):
        return False
    links = [a for a in el.iter("a") if a.get("href")]
    if not links or any(len(squash(a.text_content()).split()) > TAG_WORDS_MAX for a in links):
        return False
    return line or sum(len(squash(a.text_content())) for a in links) >= 0.5 * len(text)


def remove_furniture(body: HtmlElement, headline: HtmlElement | None) -> list[HtmlElement]:
    """Take every kind of furniture above out of the page, all found on the page as it is and
    removed together (the outermost of nested finds); return the comment threads."""
    named = named_elements(body)
    threads = find_comments(named, headline)
    found = [*threads, *find_author_boxes(body, named, headline),
             *find_reader_prompts(body, named, headline, threads), *find_skip_links(body),
             *find_labels_and_lines(body, named)]
    chosen = set(found)
    for el in found:
        if el in chosen and not any(a in chosen for a in el.iterancestors()):
            remove_keeping_tail(el)
    return threads
