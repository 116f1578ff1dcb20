"""The EPUB 3 writer: valid (EPUBCheck 5, no errors, no warnings), reproducible, lossless.

One chapter per article, a navigation document and an NCX, in three steps that need no file
system: :mod:`.render` writes each chapter's XHTML with the pictures of the media bag,
:mod:`.package` builds the package with ebooklib, :mod:`.container` re-packs the zip with
fixed timestamps and order. A picture the media bag does not hold (missing, refused, remote)
stays in the book as a captioned figure naming the placeholder. artconv's own values travel in
``data-artconv-*`` attributes so that the EPUB reader gives back the same JSON.
"""

from __future__ import annotations

from ...errors import ArtconvError, Log
from ...media import EMPTY, MediaBag
from ...model import Article, Heading, Image, plain_text
from ...options import WriteOptions
from ...urls import url_key, url_scheme
from .container import repack
from .package import build_time, package
from .render import EpubRenderer, PictureNames, chapter_xhtml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

CSS = """\
body{margin:0 5%;font-family:serif;line-height:1.5}
h1,h2,h3,h4,h5,h6{font-family:sans-serif;line-height:1.25}
.subtitle{font-size:1.15em;color:#444}
.byline{font-size:.9em;color:#555}
figure{margin:1em 0}
img{max-width:100%}
figcaption{font-size:.9em;color:#444}
figure.missing-image{border:1px dashed #999;padding:.5em;overflow-wrap:anywhere}
figure.missing-image .placeholder{font-family:monospace}
blockquote{margin:1em 2em}
pre{white-space:pre-wrap;font-size:.85em}
table{border-collapse:collapse}
th,td{border:1px solid #999;padding:.2em .4em}
section.related{border-top:1px solid #999;margin-top:2em}
aside.related ul{list-style:none;padding:0}
aside.related li{margin:.75em 0;overflow:hidden}
aside.related img,aside.related .thumbnail{float:left;width:5em;margin-right:.75em}
.missing-image.thumbnail{min-height:3em;border:1px dashed #999;padding:.25em;
font-family:monospace;font-size:.75em;overflow-wrap:anywhere}
"""


def write(articles: Sequence[Article], options: WriteOptions, log: Log,
          media: MediaBag | None) -> bytes:
    media = media if media is not None else EMPTY
    if not articles:
        raise ArtconvError("no article to put in the book")
    names = [f"chapter-{n:03d}.xhtml" for n in range(1, len(articles) + 1)]
    titles = [a.meta.title or _first_heading(a) or "Untitled article" for a in articles]
    by_url = {url_key(a.meta.url): name for a, name in zip(articles, names, strict=True)
              if a.meta.url and url_scheme(a.meta.url) in ("http", "https")}
    pictures = PictureNames()
    chapters = []
    for index, (article, name, title) in enumerate(zip(articles, names, titles, strict=True)):
        renderer = EpubRenderer(log, article, media.for_article(index), pictures, by_url)
        chapters.append((name, title, chapter_xhtml(article, renderer.article(article), title)))
    cover = _cover(articles, media, options, pictures)
    items = pictures.items()
    if cover and media.cover is not None:
        items.append((cover, media.cover))
    when = build_time(articles, log)
    data = package(articles, chapters, items, cover, media.stylesheet or CSS, options, log,
                   when)
    return repack(data, when)


def _cover(articles: Sequence[Article], media: MediaBag, options: WriteOptions,
           pictures: PictureNames) -> str | None:
    """The cover's file name: ``--cover``, else the first article's lead picture when the bag
    holds it."""
    if options.no_cover:
        return None
    if media.cover is not None:
        return f"images/cover{media.cover.extension}"
    lead = next((b for b in articles[0].blocks if isinstance(b, Image)), None)
    picture = media.for_article(0).get(lead.src) if lead is not None else None
    return pictures.name(picture) if picture is not None else None


def _first_heading(article: Article) -> str | None:
    for block in article.blocks:
        if isinstance(block, Heading):
            return plain_text(block.children) or None
    return None
