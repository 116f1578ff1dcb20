"""The clean HTML writer: a standalone HTML5 page, or just the ``<article>`` (``--fragment``).

The article markup is built from the model (so it is semantic by construction) and then passed
through the one sanitiser (:mod:`artconv.sanitize`: nh3 with an allow list of exactly the
elements and attributes we write): no script, style, iframe, object, embed, form or event
attribute can reach the output, whatever the input was, and only http, https, mailto and
relative URLs survive.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .. import __version__
from ..errors import Log
from ..htmlform.render import HtmlRenderer, attr, heading_offset, text
from ..lang import is_valid_tag
from ..model import Article, Image, Meta, walk
from ..options import WriteOptions
from ..urls import is_safe_link, url_scheme

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..media import MediaBag

STYLESHEET = """\
body{margin:0 auto;max-width:42em;padding:1em 1.25em;font:1.05em/1.6 Georgia,"Times New Roman",\
serif;color:#222;background:#fff}
h1,h2,h3,h4,h5,h6{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.25}
h1{font-size:2em;margin:.5em 0 .25em}
.subtitle{font-size:1.2em;color:#555;margin-top:0}
.byline{font:.9em system-ui,sans-serif;color:#666}
figure{margin:1.5em 0}
img{max-width:100%;height:auto}
figure img{min-height:3em;min-width:3em;background:#f3f3f3}
figcaption{font-size:.9em;color:#555}
blockquote{margin:1em 0;padding-left:1em;border-left:3px solid #ccc;color:#333}
figure.quote figcaption::before{content:"\\2014\\00a0"}
pre{overflow:auto;background:#f6f6f6;padding:.75em;font-size:.9em}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
aside.related{border-top:1px solid #ddd;margin-top:2.5em;font-family:system-ui,sans-serif}
aside.related ul{list-style:none;padding:0}
aside.related li{margin:1em 0;overflow:hidden}
aside.related img,aside.related .thumbnail{float:left;width:7em;margin:0 1em .5em 0;
min-height:4em;background:#f3f3f3}
figure.missing-image{border:1px dashed #999;padding:.5em}
figure.missing-image::before,.missing-image.thumbnail::before{
content:"[" attr(data-artconv-src) "]";display:block;font-family:monospace;font-size:.8em;
color:#555;overflow-wrap:anywhere}
.missing-image.thumbnail{box-sizing:border-box;border:1px dashed #999;padding:.25em}
.missing-image.thumbnail img{display:block;float:none;width:100%;margin:0;min-height:3em}
aside.related .title{font-weight:600}
aside.related .summary{margin:.25em 0;color:#555}
aside.related .title,aside.related .summary{display:block;overflow:hidden}
hr+aside.related{border-top:0}
hr+section.footnotes>hr:first-child{display:none}
"""


def sanitize(fragment: str) -> str:
    """The allow-list pass every HTML output goes through (idempotent): artconv's own markup
    through :data:`artconv.sanitize.WRITTEN_TAGS`."""
    from ..sanitize import clean_written

    return clean_written(fragment)


def article_html(article: Article, log: Log) -> str:
    return articles_html([article], log)


def articles_html(articles: Sequence[Article], log: Log, media: MediaBag | None = None) -> str:
    """An ``<article>`` each, their notes numbered across the page (ids stay unique). With
    the media bag of the pictures found, a local picture that was looked up and not found is
    a named placeholder (as in a book), not a broken picture."""
    out = []
    notes = 0
    for index, article in enumerate(articles):
        missing = _missing(article, media.for_article(index)) if media is not None \
            else frozenset()
        renderer = HtmlRenderer(log, offset=heading_offset(article), note_base=notes,
                                missing=missing)
        out.append(sanitize(renderer.article(article)))
        notes += len(renderer.notes)
    return "\n".join(out)


def _missing(article: Article, found: Mapping[str, object]) -> frozenset[str]:
    """The article's local pictures (relative paths, the ones looked up beside the input)
    that were not found."""
    from ..media import picture_sources

    return frozenset(src for src, _ in picture_sources(article)
                     if src not in found and url_scheme(src) is None
                     and not src.startswith(("/", "\\")))


def write(articles: Sequence[Article], options: WriteOptions, log: Log,
          media: MediaBag | None) -> bytes:
    """One page (or fragment) for one article or several: an ``<article>`` each, as pandoc
    writes one document for several inputs; artconv reads each back as an article."""
    body = articles_html(articles, log, media)
    if options.fragment:
        return (body + "\n").encode("utf-8")
    article = articles[0] if len(articles) == 1 else collection(articles, options)
    return (page(article, body, options, log) + "\n").encode("utf-8")


def collection(articles: Sequence[Article], options: WriteOptions) -> Article:
    """What a page of several articles says in its head: ``--title`` and ``--author`` (else
    the first article's title), and the language they share."""
    langs = {a.meta.lang for a in articles}
    title = options.title or articles[0].meta.title
    return Article(Meta(title=title, authors=options.authors,
                        lang=langs.pop() if len(langs) == 1 else None), ())


def page(article: Article, body: str, options: WriteOptions, log: Log) -> str:
    meta = article.meta
    lang = meta.lang if meta.lang and is_valid_tag(meta.lang) else None
    if meta.lang and not lang:
        log.warn("bad-lang", f"not a language tag: {meta.lang!r}; left out of <html lang>")
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="artconv {__version__}">',
        f"<title>{text(meta.title or 'Untitled article')}</title>",
        *_head_metadata(article),
    ]
    css = options.css
    if css and url_scheme(css) not in (None, "http", "https"):
        log.warn("unsafe-url", f"--css {css[:80]!r} is not an http(s) or relative URL; "
                               "using the built-in stylesheet")
        css = None
    if css:
        head.append(f'<link rel="stylesheet" href="{attr(css)}">')
    else:
        head.append(f"<style>\n{STYLESHEET}</style>")
    html_lang = f' lang="{attr(lang)}"' if lang else ""
    return (f"<!DOCTYPE html>\n<html{html_lang}>\n<head>\n" + "\n".join(head)
            + "\n</head>\n<body>\n" + body + "\n</body>\n</html>")


def _head_metadata(article: Article) -> list[str]:
    """What a page's head says about its article, for search engines and link previews:
    description, authors, keywords, canonical URL, OpenGraph and article: properties."""
    meta = article.meta
    head: list[str] = []
    summary = meta.description or meta.subtitle
    if summary:
        head.append(f'<meta name="description" content="{attr(summary)}">')
    head.extend(f'<meta name="author" content="{attr(a)}">' for a in meta.authors)
    if meta.tags:
        head.append(f'<meta name="keywords" content="{attr(", ".join(meta.tags))}">')
    url = meta.url if meta.url and is_safe_link(meta.url) and url_scheme(meta.url) else None
    if url:
        head.append(f'<link rel="canonical" href="{attr(url)}">')
    head.append('<meta property="og:type" content="article">')
    if meta.title:
        head.append(f'<meta property="og:title" content="{attr(meta.title)}">')
    if summary:
        head.append(f'<meta property="og:description" content="{attr(summary)}">')
    if meta.site:
        head.append(f'<meta property="og:site_name" content="{attr(meta.site)}">')
    if url:
        head.append(f'<meta property="og:url" content="{attr(url)}">')
    lead = meta.image or next((n.src for n in walk(article) if isinstance(n, Image)), None)
    if lead and url_scheme(lead) in ("http", "https"):
        head.append(f'<meta property="og:image" content="{attr(lead)}">')
    if meta.date:
        head.append(f'<meta property="article:published_time" content="{attr(meta.date)}">')
    if meta.modified:
        head.append(f'<meta property="article:modified_time" content="{attr(meta.modified)}">')
    if meta.section:
        head.append(f'<meta property="article:section" content="{attr(meta.section)}">')
    head.extend(f'<meta property="article:tag" content="{attr(t)}">' for t in meta.tags)
    head.extend(f'<meta property="article:author" content="{attr(a)}">' for a in meta.authors)
    if meta.license and is_safe_link(meta.license) and url_scheme(meta.license) in (
            "http", "https"):
        head.append(f'<link rel="license" href="{attr(meta.license)}">')
    return head
