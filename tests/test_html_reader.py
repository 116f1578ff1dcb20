"""The HTML reader: whole pages (article found, chrome dropped, images, captions and related
blocks kept, metadata), fragments one to one, encodings and --base-url."""

from __future__ import annotations

import json
import re

import pytest

import artconv
from artconv.model import (
    CodeBlock,
    Heading,
    Image,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Related,
    Table,
    plain_text,
    walk,
)

from .conftest import FIXTURES, plain, run_cli

HTML = FIXTURES / "html"


def norm(text: str | None) -> str | None:
    return re.sub(r"\s+", " ", text or "").strip() or None


def read_page(name: str, **options) -> artconv.Article:
    return artconv.read(HTML / name, **options)


def texts(article: artconv.Article) -> list[str]:
    return [norm(plain_text(b.children)) for b in article.blocks if isinstance(b, Paragraph)]


def test_seed_page_matches_its_truth_file():
    truth = json.loads((HTML / "seed.truth.json").read_text(encoding="utf-8"))
    run = run_cli("convert", HTML / "seed.html", "-t", "json")
    assert run.exit_code == 0 and run.stderr == ""
    doc = run.json()
    meta = doc["meta"]
    for key in ("title", "subtitle", "section", "lang", "site", "url"):
        assert meta[key] == truth[key], key
    assert meta["date"][:10] == truth["date"][:10]
    body = []
    for block in doc["blocks"]:
        if block["type"] == "image":
            body.append(["image", block["src"]])
        elif block["type"] != "related":
            body.append([block["type"], norm(plain(block.get("children")))])
    assert body == [[k, v if k == "image" else norm(v)] for k, v in truth["body"]]
    related = [b for b in doc["blocks"] if b["type"] == "related"]
    assert len(related) == 1 and related[0]["heading"] == truth["related"][0]["heading"]
    assert [{k: norm(i[k]) if k in ("title", "summary") else i[k] for k in i}
            for i in related[0]["items"]] == \
        [{k: norm(i[k]) if k in ("title", "summary") else i[k] for k in i}
         for i in truth["related"][0]["items"]]


def test_page_chrome_is_dropped():
    article = read_page("wordpress.html")
    everything = " ".join(t or "" for t in texts(article))
    for chrome in ("We use cookies", "Home", "Popular posts", "Share this", "Tagged",
                   "thoughts on", "Great trail", "© 2024", "Best cafes"):
        assert chrome not in everything, chrome
    assert texts(article)[0].startswith("When the riverside trail opened")


def test_structure_is_kept():
    article = read_page("wordpress.html")
    kinds = [type(b) for b in article.blocks]
    assert Heading in kinds and Quote in kinds and Table in kinds
    quote = next(b for b in article.blocks if isinstance(b, Quote))
    assert plain_text(quote.attribution) == "Ellen Ward, volunteer"
    table = next(b for b in article.blocks if isinstance(b, Table))
    assert table.header_rows == 1
    assert [plain_text(c) for c in table.rows[2]] == ["2024", "410,000"]
    paragraph = next(b for b in article.blocks if isinstance(b, Paragraph)
                     and "railway" in plain_text(b.children))
    kinds = {type(n).__name__ for n in walk(paragraph)}
    assert {"Emphasis", "Strong"} <= kinds


def test_lazy_images_resolve_to_the_real_picture_with_captions():
    article = read_page("wordpress.html")
    images = [b for b in article.blocks if isinstance(b, Image)]
    assert images[0].src == "https://valleycycling.example/wp-content/uploads/2024/05/trail-mill.jpg"
    assert images[0].alt == "Riders at the old mill"
    assert plain_text(images[0].caption) == "Riders pass the old mill on a Saturday morning."
    assert images[1].src == "/wp-content/uploads/2024/05/bridge.jpg"
    assert plain_text(images[1].caption) == "The rebuilt bridge at Ashford."
    assert not any(n.src.startswith("data:") for n in walk(article) if isinstance(n, Image))


@pytest.mark.parametrize("markup,src", [
    ('<img src="/i/1x1.gif" data-src="/real.jpg">', "/real.jpg"),
    ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-lazy-src="/real.jpg">',
     "/real.jpg"),
    ('<img data-srcset="/small.jpg 320w, /large.jpg 1024w">', "/large.jpg"),
    ('<img srcset="/a.jpg 1x, /a@2x.jpg 2x">', "/a@2x.jpg"),
    ('<picture><source srcset="/p.webp"><img src="/spacer.gif"></picture>', "/p.webp"),
    ('<img class="lazyload" src="/thumb.jpg" data-src="/full.jpg">', "/full.jpg"),
    ('<img src="/blank.gif"><noscript><img src="/from-noscript.jpg"></noscript>',
     "/from-noscript.jpg"),
    ('<figure data-image="https://cdn.example/f.jpg"><figcaption>c</figcaption></figure>',
     "https://cdn.example/f.jpg"),
    ('<img src="  /spaced.jpg  ">', "/spaced.jpg"),
])
def test_lazy_loading_variants(markup: str, src: str):
    article = artconv.read(f"<p>Text.</p>{markup}<p>More.</p>".encode(), from_="html")
    assert [n.src for n in walk(article) if isinstance(n, Image)] == [src]


@pytest.mark.parametrize("markup", [
    '<div class="photo"><img src="/f.jpg"><div class="photo__caption">Cap</div></div>',
    '<picture><source srcset="/f.webp"><img src="/f.jpg"></picture> <p class="caption">Cap</p>',
    '<div class="image"><img src="/f.jpg"> <small class="credit">Cap</small></div>',
    '<img class="lazyload" data-src="/f.jpg"><span class="img-desc">Cap</span>',
    '<p class="wp-caption-text">Cap</p>'.join(['<img src="/f.jpg">\n', '']),
])
def test_caption_elements_next_to_a_picture(markup: str):
    article = artconv.read(f"<p>Text.</p>{markup}<p>More.</p>".encode(), from_="html")
    images = [n for n in walk(article) if isinstance(n, Image)]
    assert [(i.src, plain_text(i.caption)) for i in images] == [("/f.jpg", "Cap")]
    assert [plain_text(b.children) for b in article.blocks if isinstance(b, Paragraph)] == \
        ["Text.", "More."]


@pytest.mark.parametrize("markup", [
    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">',
    '<img src="/images/spacer.gif">',
    '<img src="javascript:alert(1)">',
    '<img>',
])
def test_placeholders_are_never_taken_for_the_picture(markup: str):
    article = artconv.read(f"<p>Text.</p>{markup}".encode(), from_="html")
    assert not [n for n in walk(article) if isinstance(n, Image)]


@pytest.mark.parametrize("box", [
    '<p><strong>Читайте также:</strong> <a href="/news/1.html">Мэр открыл новый парк</a></p>',
    '<div class="read-also"><div class="read-also__title">Читайте также</div>'
    '<a href="/news/1.html">Мэр открыл новый парк</a></div>',
    '<blockquote>Читайте также: <a href="/news/1.html">Мэр открыл новый парк</a></blockquote>',
    '<aside>ЧИТАЙТЕ ТАКЖЕ: <a href="/news/1.html"><b>Мэр открыл новый парк</b></a></aside>',
    '<div class="incut"><p>По теме</p><ul><li><a href="/news/1.html">Мэр открыл новый парк</a>'
    '</li></ul></div>',
])
def test_inline_read_also_boxes_stay_in_place(box: str):
    text = "<p>" + "Абзац статьи о событиях в городе, довольно длинный. " * 5 + "</p>"
    page = ("<html><head><title>Заголовок статьи о городе</title></head><body><article>"
            f"<h1>Заголовок статьи о городе</h1>{text}{box}{text}</article></body></html>")
    blocks = artconv.read(page.encode(), from_="html").blocks
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Related", "Paragraph"]
    assert [(i.title, i.url) for i in blocks[1].items] == [("Мэр открыл новый парк",
                                                            "/news/1.html")]


def test_a_sentence_that_links_an_earlier_story_is_text():
    page = ("<html><body><article><h1>Заголовок</h1><p>Ранее <a href=\"/news/1.html\">мы "
            "писали</a>, что мэр открыл новый парк.</p></article></body></html>")
    blocks = artconv.read(page.encode(), from_="html").blocks
    assert not any(isinstance(b, Related) for b in blocks)
    assert isinstance(blocks[-1].children[1], Link)


def _related_of(box: str) -> list[tuple[str | None, list[str]]]:
    text = "<p>" + "Body text of the article, long enough to be the article. " * 8 + "</p>"
    page = ("<html><head><title>A headline of some length</title></head><body><article>"
            f"<h1>A headline of some length</h1>{text}{box}{text}</article></body></html>")
    blocks = artconv.read(page.encode(), from_="html").blocks
    return [(b.heading, [i.title for i in b.items]) for b in blocks if isinstance(b, Related)]


@pytest.mark.parametrize("box,related", [
    # the heading stands before the list; each card's link wraps its own <h4> title
    ('<h4>Similar articles</h4><ul class="similar_posts"><li><a href="/a"><h4>First story '
     'title</h4><p>Teaser one</p></a></li><li><a href="/b"><h4>Second story title</h4></a>'
     '</li></ul>', [("Similar articles", ["First story title", "Second story title"])]),
    # a card whose link holds its kicker: the kicker is the heading, not part of it
    ('<div class="recirc"><a href="/next"><div><div class="hat">Read next</div><h3>Sharks '
     'in a volcano</h3></div></a></div>', [("Read next", ["Sharks in a volcano"])]),
    # what a heading carries besides its words
    ('<div class="related"><h3>Related Links <button>×</button></h3><ul><li><a href="/a">'
     'A related story title</a></li></ul></div>', [("Related Links", ["A related story title"])]),
    ('<h2><span>See also</span><span>[<a href="/edit">edit</a>]</span></h2><ul><li>'
     '<a href="/wiki/A">Article about A</a></li><li><a href="/wiki/B">Article about B</a></li>'
     '</ul>', [("See also", ["Article about A", "Article about B"])]),
    # the phrase repeated in the item's own title
    ('<p><strong>Related:</strong> <a href="/r">Related: Rich pay more tax</a></p>',
     [("Related", ["Rich pay more tax"])]),
    # not articles: ads, searches, topics; account links; a teaser's own "Read more" link
    ('<div><h3>Related Ads</h3><ul><li><a href="/ad1">Buy cheap paper flowers now</a></li>'
     '<li><a href="/ad2">Build your own furniture today</a></li></ul></div>', []),
    ('<div><h3>Related Searches</h3><ul><li><a href="/s1">graduation party ideas cheap</a></li>'
     '<li><a href="/s2">open house ideas for school</a></li></ul></div>', []),
    ('<div class="ci-related"><ul class="related"><li><a class="password" '
     'href="https://my.example/forgotPassword">Forgot your password?</a></li></ul></div>', []),
    ('<p><span>A teaser of another story…</span> <a href="/other">Read more <span '
     'class="hide">Read more</span></a></p>', []),
])
def test_related_blocks_from_real_page_shapes(box: str, related: list):
    assert _related_of(box) == related


def test_related_blocks_in_place_and_at_the_end():
    article = read_page("ru-cms-cp1251.html")
    kinds = [type(b).__name__ for b in article.blocks]
    inline = kinds.index("Related")
    assert kinds[inline - 1] == "Paragraph" and kinds[inline + 1] == "Paragraph"
    read_also = article.blocks[inline]
    assert read_also.heading == "Читайте также"
    assert [(i.title, i.url) for i in read_also.items] == [
        ("Ремонт дорог в крае начнется в апреле", "/society/2024/03/10/remont-dorog.html")]
    last = article.blocks[-1]
    assert isinstance(last, Related)
    assert last.heading == "Другие материалы рубрики «Общество»"
    assert [(i.title, i.image, i.summary) for i in last.items] == [
        ("В Артеме построят новую школу на 1100 мест", "/upload/resize/shkola.jpg",
         "Стройка начнется летом"),
        ("Парк Минного городка ждет благоустройство", "/upload/resize/park.jpg", None),
    ]
    assert article.meta.section == "Общество"  # from the related heading


def test_teaser_networks_and_tag_lists_are_not_related():
    article = read_page("ru-cms-cp1251.html")
    titles = [i.title for n in walk(article) if isinstance(n, Related) for i in n.items]
    assert "Шокирующая новость дня" not in titles
    assert "мост" not in titles
    assert sum(isinstance(b, Related) for b in article.blocks) == 2


def test_jetpack_related_posts():
    related = [b for b in read_page("wordpress.html").blocks if isinstance(b, Related)]
    assert len(related) == 1
    assert related[0].heading == "Related"
    first = related[0].items[0]
    assert first.title == "New counters on the trail"
    assert first.url == "https://valleycycling.example/2023/09/new-counters/"
    assert first.image == "https://valleycycling.example/wp-content/uploads/2023/09/counter.jpg"
    assert first.summary == "The council installed three counters along the route."


@pytest.mark.parametrize("heading", ["Читайте также", "See also", "Read more",
                                     "Похожие материалы", "You may also like"])
def test_related_heading_phrases(heading: str):
    page = (f"<html><head><title>Story</title></head><body><article><h1>Story</h1>"
            f"<p>{'A long paragraph of the story, with commas, and words. ' * 6}</p>"
            f"<h3>{heading}</h3><ul><li><a href='/a.html'>The first other story of the day</a>"
            f"</li><li><a href='/b.html'>The second other story of the day</a></li></ul>"
            f"</article></body></html>")
    article = artconv.read(page.encode(), from_="html")
    related = [b for b in article.blocks if isinstance(b, Related)]
    assert len(related) == 1 and related[0].heading == heading
    assert [i.url for i in related[0].items] == ["/a.html", "/b.html"]


def test_metadata_from_json_ld_opengraph_and_meta_tags():
    meta = read_page("wordpress.html").meta
    assert meta.title == "Ten years of the riverside trail"
    assert meta.subtitle == "A decade after it opened, the trail carries more riders than ever."
    assert meta.authors == ("Maria Lopez", "Tom Berg")
    assert meta.date == "2024-05-02T08:30:00+00:00"
    assert meta.lang == "en-US"
    assert meta.section == "Trails"
    assert meta.site == "Valley Cycling Blog"
    assert meta.url == "https://valleycycling.example/2024/05/ten-years-riverside-trail/"
    ru = read_page("ru-cms-cp1251.html").meta
    assert ru.title == "В Приморье открыли новый мост через реку Раздольную"  # no site name
    assert ru.authors == ("Ирина Смирнова",)
    assert ru.lang == "ru"  # detected: the page declares none


def test_ghost_blog_byline_cards_and_caption_spans():
    article = read_page("ghost.html")
    assert article.meta.authors == ("Jo Bloggs",)  # from the visible byline, no JSON-LD
    assert article.meta.title == "Why we moved our builds to ARM"
    assert article.meta.site == "The Dev Blog"  # from the <title>, nothing else names it
    images = [n.src for n in walk(article) if isinstance(n, Image)]
    assert "/content/images/jo.png" not in images  # the author's avatar is not a picture
    assert images[:2] == ["/content/images/size/w2000/2026/03/arm.jpg",
                          "/content/images/2026/03/chart.png"]
    assert "Jo Bloggs" not in " ".join(texts(article))
    related = article.blocks[-1]
    assert isinstance(related, Related) and related.heading == "Read more"
    assert [(i.title, i.url, i.summary) for i in related.items] == [
        ("Faster Docker builds in CI", "/faster-docker/", "Layer caching that actually works."),
        ("Hunting flaky tests", "/flaky-tests/", "A field guide.")]


def test_wordpress_jetpack_related_posts_comments_and_byline():
    article = read_page("wordpress-jetpack.html")
    meta = article.meta
    assert meta.subtitle is None  # a related post's excerpt is not this article's lead
    assert meta.authors == ("Pat Green",)  # the post's byline (a vcard), not a commenter's
    assert (meta.site, meta.date) == ("Green Thumb", "2026-03-10T08:00:00+00:00")
    related = article.blocks[-1]
    assert isinstance(related, Related) and related.heading == "Related"
    assert [(i.title, i.summary) for i in related.items] == [
        ("Starting seeds indoors", "Trays, light and patience."),
        ("Compost in winter", "Keep the pile warm.")]
    assert related.items[0].image.startswith("https://i0.wp.com/")
    body = " ".join(texts(article))
    for chrome in ("Share this", "Great list", "Leave a Reply", "Recent Posts", "Tagged",
                   "Previous:", "Proudly powered"):
        assert chrome not in body
    assert body.startswith("Spring is here.") and body.endswith("Aim for 6.0–7.0.")


def test_a_related_teaser_summary_is_never_its_date_or_category_line():
    page = (HTML / "wordpress-jetpack.html").read_text(encoding="utf-8").replace(
        '<p class="jp-relatedposts-post-excerpt">Trays, light and patience.</p>', "")
    related = artconv.read(page.encode(), from_="html").blocks[-1]
    assert [(i.title, i.summary) for i in related.items] == [
        ("Starting seeds indoors", None), ("Compost in winter", "Keep the pile warm.")]


def test_russian_news_page_with_lazy_pictures_and_a_read_also_box():
    article = read_page("ru-news-lazy-cp1251.html")
    meta = article.meta
    assert (meta.title, meta.subtitle) == ("Учёные нашли новый вид лягушек",
                                           "Находку сделали в Алтайском заповеднике")
    assert meta.authors == ("Анна Петрова",)  # a span.author inside the date line
    assert (meta.section, meta.site, meta.date) == ("Наука", "НГС", "2026-11-20T10:15:00+07:00")
    images = [b for b in article.blocks if isinstance(b, Image)]
    assert [(i.src, plain_text(i.caption)) for i in images] == [
        ("/images/frog-main.jpg", "Новый вид назвали в честь заповедника. Фото: Иван Смирнов"),
        ("/images/frog2.jpg", "Самец в брачный период")]
    kinds = [type(b).__name__ for b in article.blocks]
    assert kinds.count("Related") == 2 and kinds[-1] == "Related"
    read_also = article.blocks[kinds.index("Related")]
    assert (read_also.heading, read_also.items[0].url) == (
        "Читайте также", "/text/science/2026/10/01/6666/")
    assert [i.image for i in article.blocks[-1].items] == ["/images/t1.jpg", "/images/t2.jpg"]
    body = " ".join(texts(article))
    for chrome in ("cookie", "Комментарии", "Курс доллара", "Все права", "ВКонтакте"):
        assert chrome not in body


@pytest.mark.parametrize("markup,authors", [
    ('<div class="byline">By <a rel="author" href="/a">Ann Lee</a> and '
     '<a rel="author" href="/b">Bo Chen</a></div>', ("Ann Lee", "Bo Chen")),
    ('<span itemprop="author" itemscope><span itemprop="name">Ann Lee</span></span>',
     ("Ann Lee",)),
    ('<div class="comments"><span class="comment-author">Troll</span></div>', ()),
    ('<p class="author">A whole paragraph by someone, 2024, far too long to be a name at '
     'all, with more words than any byline has.</p>', ()),
])
def test_visible_bylines(markup: str, authors: tuple[str, ...]):
    page = ("<html><head><title>Headline here</title></head><body><article>"
            "<h1>Headline here</h1>" + markup + "<p>" + "Body text of the article. " * 20 +
            "</p></article></body></html>")
    article = artconv.read(page.encode(), from_="html")
    assert article.meta.authors == authors
    if authors:
        assert authors[0] not in " ".join(texts(article))


@pytest.mark.parametrize("doc_title,site", [
    ("Why we moved our builds to ARM | The Dev Blog", "The Dev Blog"),
    ("The Dev Blog — Why we moved our builds to ARM", "The Dev Blog"),
    ("Why we moved our builds to ARM - Engineering - The Dev Blog", "The Dev Blog"),
    ("Why we moved our builds to ARM", None),
    ("Something else entirely | The Dev Blog", None),
])
def test_site_name_from_the_title_element_when_nothing_else_names_it(doc_title, site):
    page = (f"<html><head><title>{doc_title}</title></head><body><article>"
            "<h1>Why we moved our builds to ARM</h1><p>" + "Body text here. " * 30 +
            "</p></article></body></html>")
    meta = artconv.read(page.encode(), from_="html").meta
    assert meta.title == ("Why we moved our builds to ARM" if site else doc_title)
    assert meta.site == site
    named = page.replace("<head>", '<head><meta property="og:site_name" content="Dev">')
    assert artconv.read(named.encode(), from_="html").meta.site == "Dev"


def test_windows_1251_page_declared_in_http_equiv():
    data = (HTML / "ru-cms-cp1251.html").read_bytes()
    assert b"charset=windows-1251" in data
    assert "Новый мост через реку" in " ".join(texts(artconv.read(data, from_="html")))


@pytest.mark.parametrize("data", [
    "<html><body><article><p>a\x01b\x0bc\ufffed\uffffe</p></article></body></html>".encode(),
    "<html><body><article><p>a\x01b\x0bc\ufffed\uffffe</p></article></body></html>".encode(
        "utf-16"),
    "<html><body><article><p>a\x85b\x9fc\ufdd0d\x7fe</p></article></body></html>".encode(),
    "<html><body><article><p>a\x01b\x0bcd\x1fe</p></article></body></html>".encode("cp1251"),
], ids=["utf8-c0-nonchars", "utf16-c0-nonchars", "utf8-c1-del", "cp1251-c0"])
def test_characters_no_output_may_carry_are_dropped_and_the_text_kept(data: bytes):
    """The page is cleaned before parsing only when its bytes may hold what libxml2 refuses;
    the article's strings are cleaned of the rest afterwards."""
    article = artconv.read(data, from_="html")
    assert plain_text(article.blocks[0].children) == "abcde"


@pytest.mark.parametrize("codec", ["utf-8", "utf-16", "cp1251"])
def test_controls_in_text_the_article_search_moves_around(codec: str):
    """The article search wraps loose text in paragraphs; lxml refuses a control character
    in what it is given, so the page must have been cleaned of them first."""
    odd = "\ufffe" if codec != "cp1251" else "\x1f"  # windows-1251 has no U+FFFE
    page = ("<html><body><div>ab\x01c<p>" + "Para text here. " * 20 +
            f"</p>de<b>x</b>\x0bf{odd}g</div></body></html>")
    blocks = artconv.read(page.encode(codec), from_="html").blocks
    assert [plain_text(b.children) for b in blocks] == [
        "abc", ("Para text here. " * 20).strip(), "dexfg"]


@pytest.mark.parametrize("declared,codec", [
    ("utf-8", "cp1251"),        # says UTF-8, is not: detected
    ("windows-1251", "utf-8"),  # says windows-1251, is valid UTF-8: UTF-8 wins
    ("windows-1251", "cp1251"),  # says windows-1251 and is
    ("koi8-r", "koi8_r"),
])
def test_declared_charsets_that_lie_and_that_do_not(declared: str, codec: str):
    text = (f"<html><head><meta charset=\"{declared}\"><title>Заголовок статьи</title></head>"
            "<body><p>Съешь же ещё этих мягких французских булок, да выпей чаю. Это длинный абзац "
            "русского текста для проверки определения кодировки.</p></body></html>")
    article = artconv.read(text.encode(codec), from_="html")
    assert article.meta.title == "Заголовок статьи"
    assert "французских булок" in texts(article)[0]


def test_utf8_bom_page():
    page = "\ufeff<html><head><title>Привет</title></head><body><p>Текст.</p></body></html>"
    assert artconv.read(page.encode("utf-8"), from_="html").meta.title == "Привет"


def test_fragment_maps_one_to_one():
    fragment = (b"<h2>Section</h2><p>One <em>two</em> <a href='x.html'>three</a>.</p>"
                b"<ul><li>a</li><li>b</li></ul><blockquote><p>q</p></blockquote>"
                b"<pre><code class='language-sh'>ls -la\n</code></pre><hr>")
    blocks = artconv.read(fragment, from_="html").blocks
    assert [type(b) for b in blocks] == [Heading, Paragraph, ListBlock, Quote, CodeBlock,
                                         type(blocks[-1])]
    assert blocks[4] == CodeBlock("ls -la\n", "sh")


def test_base_url_makes_links_and_images_absolute_only_when_asked():
    kept = read_page("ru-cms-cp1251.html")
    assert any(n.src.startswith("/upload/") for n in walk(kept) if isinstance(n, Image))
    based = read_page("ru-cms-cp1251.html", base_url="https://primnews.example/society/x.html")
    assert all(n.src.startswith("https://primnews.example/")
               for n in walk(based) if isinstance(n, Image))
    items = [i for n in walk(based) if isinstance(n, Related) for i in n.items]
    assert items[0].url == "https://primnews.example/society/2024/03/10/remont-dorog.html"
    assert items[1].image == "https://primnews.example/upload/resize/shkola.jpg"


def test_deep_nesting_keeps_the_text():
    page = "<html><body>" + "<div>" * 5000 + "deep text" + "</div>" * 5000 + \
           "<p>after the deep part</p></body></html>"
    run = run_cli("convert", "-", "-f", "html", "-t", "json", input=page.encode())
    assert run.exit_code == 0
    text = json.dumps(run.json(), ensure_ascii=False)
    assert "deep text" in text and "after the deep part" in text
    assert "warning" in run.stderr


@pytest.mark.parametrize("listed,kept", [("Ann Lee", False), ("Desk Editor", True)])
def test_a_byline_the_metadata_does_not_name_stays_in_the_text(listed: str, kept: bool):
    page = ("<html><head><title>Headline here</title><script type=\"application/ld+json\">"
            '{"@type": "NewsArticle", "headline": "Headline here", "author": {"@type": '
            f'"Person", "name": "{listed}"}}}}</script></head><body><article>'
            "<h1>Headline here</h1><div class=\"byline\">By <span class=\"author\">Ann Lee"
            "</span></div><p>" + "Body text of the article. " * 20 + "</p></article></body>"
            "</html>")
    article = artconv.read(page.encode(), from_="html")
    assert article.meta.authors == (listed,)
    assert ("Ann Lee" in " ".join(texts(article))) is kept


@pytest.mark.parametrize("box", [
    '<div><h3>Related Ads</h3><ul><li><a href="/ad1">Buy cheap paper flowers now</a></li>'
    '<li><a href="/ad2">Build your own furniture today</a></li></ul></div>',
    '<h2><a href="https://ads.example/why">Related Searches</a></h2><div class="slot"></div>',
])
def test_ads_and_search_suggestions_are_not_left_in_the_article(box: str):
    text = "<p>" + "Body text of the article, long enough to be the article. " * 8 + "</p>"
    page = ("<html><head><title>A headline of some length</title></head><body><article>"
            f"<h1>A headline of some length</h1>{text}{box}{text}</article></body></html>")
    article = artconv.read(page.encode(), from_="html")
    words = " ".join(plain_text(n.children) for n in walk(article)
                     if isinstance(n, (Paragraph, Heading)))
    assert "Related" not in words and "paper flowers" not in words
    assert not any(isinstance(b, Related) for b in article.blocks)


def test_metadata_is_cleaned_like_the_text():
    """Found by the fuzzer: a C1 control in the <title> reached meta.title (the page is no
    longer cleaned whole before parsing), and JSON then dropped it."""
    page = ("<html><head><title>Ten\x8f years\x85 on</title></head><body><article><p>" +
            "Body text of the article. " * 20 + "</p></article></body></html>").encode()
    article = artconv.read(page, from_="html")
    assert article.meta.title == "Ten years on"
    assert artconv.read(artconv.write(article, "json"), from_="json") == article
