"""A page's metadata: JSON-LD, OpenGraph and ``article:`` properties, ``<meta>`` tags,
``<html lang>``, the canonical link and the ``<title>``.

The title follows the order Readability uses (JSON-LD headline, Dublin Core, OpenGraph, Twitter,
then the ``<title>`` with the site's name cut off), so that it is the article's headline.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from ...lang import normalize_tag
from ...textutil import squash

_ARTICLE_TYPES = re.compile(
    r"^(?:Article|AdvertiserContentArticle|NewsArticle|AnalysisNewsArticle|"
    r"AskPublicNewsArticle|BackgroundNewsArticle|OpinionNewsArticle|ReportageNewsArticle|"
    r"ReviewNewsArticle|Report|SatiricalArticle|ScholarlyArticle|MedicalScholarlyArticle|"
    r"SocialMediaPosting|BlogPosting|LiveBlogPosting|DiscussionForumPosting|TechArticle|"
    r"APIReference|WebPage|Recipe)$")
_PROPERTY = re.compile(
    r"\s*(article|dc|dcterm|og|twitter)\s*:\s*(author|creator|description|published_time|"
    r"modified_time|updated_time|title|site_name|section|tag|url|locale|image)\s*",
    re.IGNORECASE)
# keys that a page may give several times: every value is kept
_MULTI = frozenset(("article:tag", "article:section", "keywords", "news_keywords",
                    "og:image", "twitter:image", "image"))
_MODIFIED_NAMES = ("article:modified_time", "og:updated_time", "last-modified", "dcterms:modified",
                   "dc:date:modified", "datemodified", "revised")
_LICENSE_NAMES = ("license", "dcterms:license", "dc:rights", "dcterms:rights")
_LICENSE_WORDS = re.compile(r"creative commons|\bcc[- ](?:by|0|zero)|public domain|gnu|\bgpl\b|"
                            r"\bmit\b|licen[cs]e", re.IGNORECASE)
LIST_MAX = 30  # at most this many categories or tags from one page
_NAME = re.compile(
    r"^\s*(?:(dc|dcterm|og|twitter|parsely|weibo:(?:article|webpage))\s*[-.:]\s*)?"
    r"(author|creator|pub-date|description|title|site_name)\s*$", re.IGNORECASE)
_SEPARATORS = r"\|\-–—\\/>»"
_SEPARATOR_CHARS = "|-–—\\/>»:·"
_TOKEN = re.compile(r"\W+")
_DATE_NAMES = ("date", "pubdate", "publishdate", "publish-date", "publish_date", "dc.date",
               "dc.date.issued", "dcterms.date", "dcterms.created", "sailthru.date",
               "article.published", "article_date_original", "original-publish-date",
               "datepublished", "mediator_published_time")
_SECTION_NAMES = ("section", "category", "article.section", "parsely-section")


@dataclass
class PageMeta:
    title: str | None = None
    doc_title: str = ""
    authors: list[str] = field(default_factory=list)
    description: str | None = None
    date: str | None = None
    modified: str | None = None
    lang: str | None = None
    section: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    site: str | None = None
    url: str | None = None
    license: str | None = None


def page_meta(root: HtmlElement) -> PageMeta:
    values, multi = _meta_values(root)
    jsonld = _json_ld(root)
    doc_title = squash(_first_text(root, "title"))
    meta = PageMeta(doc_title=doc_title)

    heuristic = headline_in_doc_title(root, doc_title) or article_title_from_doc(root, doc_title)
    title = None
    name, headline = jsonld.get("name"), jsonld.get("headline")
    if isinstance(name, str) and isinstance(headline, str) and name.strip() != headline.strip():
        name_ok = text_similarity(name, heuristic) > 0.75
        headline_ok = text_similarity(headline, heuristic) > 0.75
        title = headline if headline_ok and not name_ok else name
    elif isinstance(name, str) and name.strip():
        title = name
    elif isinstance(headline, str) and headline.strip():
        title = headline
    for key in ("dc:title", "dcterm:title", "og:title", "weibo:article:title",
                "weibo:webpage:title", "title", "twitter:title", "parsely-title"):
        if title:
            break
        title = values.get(key)
    meta.title = squash(title) or heuristic or None

    meta.authors = _jsonld_authors(jsonld, values)
    meta.description = squash(
        _str(jsonld.get("description")) or values.get("dc:description")
        or values.get("dcterm:description") or values.get("og:description")
        or values.get("description") or values.get("twitter:description")) or None
    meta.site = squash(values.get("og:site_name") or _name_of(jsonld.get("publisher"))
                       or values.get("application-name")) or None
    if meta.site is None and meta.title:
        meta.site = site_from_doc_title(doc_title, meta.title)
    meta.date = (_str(jsonld.get("datePublished")) or values.get("article:published_time")
                 or values.get("parsely-pub-date") or _first_value(values, _DATE_NAMES)
                 or _itemprop_date(root) or _time_element(root))
    meta.date = squash(meta.date) or None
    section = values.get("article:section") or jsonld.get("articleSection") \
        or _first_value(values, _SECTION_NAMES[:4])
    if isinstance(section, list):
        section = next((s for s in section if isinstance(s, str) and s.strip()), None)
    meta.section = squash(section) if isinstance(section, str) else None
    meta.section = meta.section or None
    meta.url = (_canonical(root) or values.get("og:url") or _str(jsonld.get("url"))
                or _name_of(jsonld.get("mainEntityOfPage"), "@id"))
    meta.url = meta.url.strip() if meta.url else None
    meta.modified = squash(_str(jsonld.get("dateModified"))
                           or _first_value(values, _MODIFIED_NAMES)
                           or _itemprop_value(root, "dateModified")) or None
    meta.categories = _unique_list([*_strings(jsonld.get("articleSection")),
                                    *multi.get("article:section", []),
                                    *_rel_links(root, "category")])
    meta.tags = _unique_list([*multi.get("article:tag", []),
                              *(t for raw in _strings(jsonld.get("keywords"))
                                for t in _split_keywords(raw)),
                              *(t for key in ("news_keywords", "keywords")
                                for raw in multi.get(key, []) for t in _split_keywords(raw)),
                              *_rel_links(root, "tag", without="category")])
    meta.image = (_image_of(jsonld.get("image")) or _first_multi(multi, "og:image")
                  or _first_multi(multi, "twitter:image") or _link_href(root, "image_src")
                  or _first_multi(multi, "image"))
    meta.license = _license(root, jsonld, values)
    declared = (root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
                or root.get("xml:lang"))
    meta.lang = (normalize_tag(declared)
                 or normalize_tag(values.get("content-language"))
                 or normalize_tag(values.get("og:locale"))
                 or normalize_tag(_str(jsonld.get("inLanguage"))))
    return meta


# ---------------------------------------------------------------------------------------------


def _meta_values(root: HtmlElement) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Every ``<meta>`` by its normalised name (the last value of each), and the names that
    may come several times with all their values."""
    values: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for el in root.iter("meta"):
        content = el.get("content")
        if not content or not content.strip():
            continue
        content = content.strip()
        prop = el.get("property")
        matched = False
        if prop:
            for match in _PROPERTY.finditer(prop):
                matched = True
                key = re.sub(r"\s", "", match.group(0).lower())
                values[key] = content
                if key in _MULTI:
                    multi.setdefault(key, []).append(content)
        name = el.get("name") or el.get("itemprop")
        if not matched and name:
            key = re.sub(r"\s", "", name.lower()).replace(".", ":") if _NAME.match(name) \
                else name.strip().lower()
            values[key] = content
            if key in _MULTI:
                multi.setdefault(key, []).append(content)
        http_equiv = (el.get("http-equiv") or "").lower()
        if http_equiv == "content-language":
            values.setdefault("content-language", content)
        elif http_equiv == "last-modified":
            values.setdefault("last-modified", content)
    return values, multi


def _strings(value: Any) -> list[str]:
    """A JSON-LD value that may be a string or a list of them."""
    items = value if isinstance(value, list) else [value]
    return [squash(v) for v in items if isinstance(v, str) and v.strip()]


def _split_keywords(raw: str) -> list[str]:
    return [squash(k) for k in re.split(r"[,;]", raw) if k.strip()]


def _unique_list(items: list[str]) -> list[str]:
    return _unique([squash(i) for i in items if i and len(i) <= 100])[:LIST_MAX]


def _first_multi(multi: dict[str, list[str]], key: str) -> str | None:
    return next((v.strip() for v in multi.get(key, []) if v.strip()), None)


def _image_of(value: Any) -> str | None:
    """JSON-LD ``image``: a URL, an ImageObject, or a list of either."""
    if isinstance(value, list):
        return next((found for v in value if (found := _image_of(v))), None)
    if isinstance(value, dict):
        return _str(value.get("url")) or _str(value.get("contentUrl"))
    return _str(value)


def _rel_links(root: HtmlElement, rel: str, without: str | None = None) -> list[str]:
    """The texts of ``<a rel="...">`` links (WordPress marks categories ``rel="category
    tag"`` and tags ``rel="tag"``)."""
    found = []
    for a in root.iterfind(".//a[@rel]"):
        rels = (a.get("rel") or "").lower().split()
        if rel in rels and (without is None or without not in rels):
            text = squash(a.text_content())
            if text:
                found.append(text)
    return found


def _link_href(root: HtmlElement, rel: str) -> str | None:
    for link in root.iter("link"):
        if rel in (link.get("rel") or "").lower().split() and (link.get("href") or "").strip():
            return link.get("href").strip()
    return None


def _itemprop_value(root: HtmlElement, prop: str) -> str | None:
    for el in root.iterfind(f".//*[@itemprop='{prop}']"):
        value = el.get("content") or el.get("datetime")
        if value and value.strip():
            return value.strip()
    return None


def _license(root: HtmlElement, jsonld: dict[str, Any], values: dict[str, str]) -> str | None:
    """A licence: a ``rel="license"`` link (its words when they name one, "CC BY-SA 4.0",
    else its address), JSON-LD ``license``, or a ``<meta name="license">``."""
    for el in root.iterfind(".//*[@rel]"):
        if el.tag not in ("a", "link") or "license" not in (el.get("rel") or "").lower().split():
            continue
        words = squash(el.text_content()) if el.tag == "a" else ""
        if words and len(words) <= 100 and _LICENSE_WORDS.search(words):
            return words
        href = (el.get("href") or "").strip()
        if href:
            return href
    return _str(jsonld.get("license")) or _name_of(jsonld.get("license"), "url") \
        or _first_value(values, _LICENSE_NAMES)


def _json_ld(root: HtmlElement) -> dict[str, Any]:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        raw = re.sub(r"^\s*<!\[CDATA\[|\]\]>\s*$", "", script.text or "")
        try:
            parsed = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        found = _find_article(parsed, 0)
        if found is not None:
            return found
    return {}


def _find_article(node: Any, depth: int) -> dict[str, Any] | None:
    if depth > 6:
        return None
    if isinstance(node, list):
        for item in node:
            found = _find_article(item, depth + 1)
            if found is not None:
                return found
        return None
    if not isinstance(node, dict):
        return None
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    if any(isinstance(k, str) and _ARTICLE_TYPES.match(k) for k in kinds) \
            and (kind != "WebPage" or node.get("headline")):
        return node
    if isinstance(node.get("@graph"), list):
        return _find_article(node["@graph"], depth + 1)
    return None


def _jsonld_authors(jsonld: dict[str, Any], values: dict[str, str]) -> list[str]:
    people: list[str] = []
    organisations: list[str] = []
    raw = jsonld.get("author")
    for entry in raw if isinstance(raw, list) else [raw]:
        if isinstance(entry, str) and entry.strip():
            people.append(squash(entry))
        elif isinstance(entry, dict):
            name = _name_of(entry)
            if name:
                kind = entry.get("@type")
                (organisations if kind == "Organization" else people).append(squash(name))
    if people:
        return _unique(people)
    for key in ("dc:creator", "dcterm:creator", "author", "parsely-author", "article:author"):
        value = values.get(key)
        if value and not value.startswith(("http://", "https://")):
            return _unique(split_authors(value))
    return []


def split_authors(text: str) -> list[str]:
    """"By Ann Smith and Bob Jones" -> ["Ann Smith", "Bob Jones"]."""
    text = squash(text)
    text = re.sub(r"^(?:by|от|автор[ыи]?|текст|written by|posted by)\s*:?\s+", "", text,
                  flags=re.IGNORECASE)
    parts = [p.strip(" ,;") for p in re.split(r"\s*(?:,|;|\band\b|&|\bи\b)\s*", text)]
    parts = [p for p in parts if p]
    if len(parts) > 1 and all(1 <= len(p.split()) <= 4 for p in parts):
        return parts
    return [text] if text else []


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def _str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _name_of(value: Any, key: str = "name") -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        return _str(value.get(key))
    return None


def _first_value(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        if values.get(key):
            return values[key]
    return None


def _first_text(root: HtmlElement, tag: str) -> str:
    el = next(root.iter(tag), None)
    return el.text_content() if el is not None else ""


def _canonical(root: HtmlElement) -> str | None:
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return link.get("href")
    return None


def _itemprop_date(root: HtmlElement) -> str | None:
    for el in root.iterfind(".//*[@itemprop='datePublished']"):
        value = el.get("content") or el.get("datetime")
        if value:
            return value
    return None


def _time_element(root: HtmlElement) -> str | None:
    body = root.find("body")
    scope = body if body is not None else root
    for el in scope.iter("time"):
        if el.get("datetime") and (el.get("pubdate") is not None or
                                   el.getparent() is not None):
            return el.get("datetime")
    return None


# ---------------------------------------------------------------------------------------------
# Title heuristics (after Readability's _getArticleTitle)


def _word_count(text: str) -> int:
    return len(text.split())


def article_title_from_doc(root: HtmlElement, doc_title: str) -> str:
    """The ``<title>`` without the site's name that pages append to it."""
    original = current = doc_title.strip()
    hierarchical = False
    if re.search(rf" [{_SEPARATORS}] ", current):
        hierarchical = bool(re.search(r" [\\/>»] ", current))
        current = re.sub(rf"(.*)[{_SEPARATORS}] .*", r"\1", original, flags=re.DOTALL)
        if _word_count(current) < 3:
            current = re.sub(rf"[^{_SEPARATORS}]*[{_SEPARATORS}](.*)", r"\1", original,
                             flags=re.DOTALL)
    elif ": " in current:
        headings = [squash(h.text_content()) for tag in ("h1", "h2") for h in root.iter(tag)]
        if current not in headings:
            current = original[original.rfind(":") + 1:]
            if _word_count(current) < 3:
                current = original[original.find(":") + 1:]
            elif _word_count(original[:original.find(":")]) > 5:
                current = original
    elif len(current) > 150 or len(current) < 15:
        h1s = list(root.iter("h1"))
        if len(h1s) == 1:
            current = squash(h1s[0].text_content())
    current = squash(current)
    count = _word_count(current)
    if count <= 4 and (not hierarchical or
                       count != _word_count(re.sub(rf"[{_SEPARATORS}]+", "", original)) - 1):
        current = original
    return squash(current)


def headline_in_doc_title(root: HtmlElement, doc_title: str) -> str | None:
    """A ``<h1>`` that the ``<title>`` holds whole, before or after a separator ("Headline -
    Section - Site", "Site — Headline") and longer than the rest: the headline, exactly as
    the page shows it."""
    for h1 in itertools.islice(root.iter("h1"), 3):
        text = squash(h1.text_content())
        if len(text) < 10 or text == doc_title:
            continue
        if doc_title.startswith(text):
            rest = doc_title[len(text):].lstrip()
        elif doc_title.endswith(text):
            rest = doc_title[:-len(text)].rstrip()[::-1]
        else:
            continue
        # the longer part is the headline: "Blog Name: A post's long title" names the blog
        if rest and rest[0] in _SEPARATOR_CHARS and len(text) > len(rest.strip(_SEPARATOR_CHARS)):
            return text
    return None


def site_from_doc_title(doc_title: str, title: str) -> str | None:
    """The site's name that a ``<title>`` adds to the headline: "Headline | Site",
    "Site — Headline"; the last part when there are several ("Headline - Section - Site")."""
    if not doc_title or doc_title == title:
        return None
    parts = [squash(p) for p in re.split(rf"\s+[{_SEPARATORS}]+\s+", doc_title)]
    if len(parts) < 2:
        return None
    if text_similarity(title, parts[0]) > 0.9:
        site = parts[-1]
    elif text_similarity(title, parts[-1]) > 0.9:
        site = parts[0]
    else:
        return None
    if not site or len(site) > 60 or _word_count(site) > 6 or text_similarity(title, site) > 0.5:
        return None
    return site


def text_similarity(a: str, b: str) -> float:
    """1 when every word of ``b`` is in ``a``, 0 when none is."""
    tokens_a = [t for t in _TOKEN.split(a.lower()) if t]
    tokens_b = [t for t in _TOKEN.split(b.lower()) if t]
    if not tokens_a or not tokens_b:
        return 0.0
    set_a = set(tokens_a)
    unique_b = [t for t in tokens_b if t not in set_a]
    return 1 - len(" ".join(unique_b)) / len(" ".join(tokens_b))
