"""The article search on page shapes that public benchmarks showed it getting wrong (issue 12),
one small page of our own per class: what a reader of the page sees as the article is what
comes out, and what is furniture does not."""

from __future__ import annotations

import json
import re

import pytest

import artconv
from artconv.errors import InputError
from artconv.model import Image, Paragraph, Related, plain_text, walk

TITLE = "Harbour budget approved after a long night of debate"
SENTENCES = [
    "The council met on Tuesday to discuss the budget for the harbour district, which had "
    "been delayed twice since the spring because of a dispute over dredging costs.",
    "Members argued for nearly six hours about whether the old fish market should be "
    "restored or pulled down, and several residents spoke from the public gallery.",
    "In the end the plan passed by eleven votes to four, with two abstentions, and the "
    "mayor thanked the officials who had prepared the figures over the summer.",
    "Work on the quay walls is now expected to start in March, weather permitting, and "
    "should be finished before the sailing season begins in earnest next year.",
    "Local traders welcomed the decision, although some warned that parking during the "
    "works would be difficult and asked for a temporary car park near the station.",
    "The opposition said it would keep watching the costs closely, pointing out that the "
    "last harbour project had run over its budget by almost a third.",
]


def prose(count: int = 6, start: int = 0) -> str:
    return "".join(f"<p>{SENTENCES[(start + i) % len(SENTENCES)]}</p>" for i in range(count))


def page(body: str, *, title: str = TITLE, head: str = "") -> bytes:
    return (f"<!DOCTYPE html><html><head><title>{title}</title>{head}</head><body>"
            f"<div id=\"menu\"><a href=\"/\">Home</a> <a href=\"/news\">News</a></div>"
            f"{body}<div id=\"footer\">© Example Gazette</div></body></html>").encode()


def read(data: bytes, **options) -> artconv.Article:
    return artconv.read(data, from_="html", **options)


def text_of(article: artconv.Article) -> str:
    parts = [plain_text(b.children) for b in walk(article)
             if isinstance(b, Paragraph) and not _in_related(article, b)]
    return re.sub(r"\s+", " ", " ".join(parts))


def _in_related(article: artconv.Article, block: object) -> bool:
    return any(block in walk(r) for r in article.blocks if isinstance(r, Related))


def assert_article(article: artconv.Article, count: int = 6) -> None:
    text = text_of(article)
    for sentence in SENTENCES[:count]:
        assert sentence in text, sentence


# -- 1, 2, 8: markup and bytes that old crawls hold --------------------------------------------


def test_an_xml_declaration_before_the_page():
    data = b'<?xml version="1.0" encoding="iso-8859-1"?>\n' + page(
        "<article><h1>" + TITLE + "</h1>" + prose() + "<p>Café owners agreed.</p>"
        "</article>").replace("Café".encode(), b"Caf\xe9")
    article = read(data)
    assert_article(article)
    assert "Café owners agreed." in text_of(article)


def test_a_few_nul_bytes_are_noise_and_many_are_a_binary():
    data = page("<article>" + prose() + prose() + "</article>")
    noisy = data[:200] + b"\x00" + data[200:1000] + b"\x00" + data[1000:]
    log = artconv.Log()
    assert_article(read(noisy, log=log))
    assert any(w.code == "nul-bytes" for w in log.warnings)
    with pytest.raises(InputError):
        read(data.replace(b" ", b"\x00"))


def test_a_title_never_closed_and_a_self_closed_html_element():
    unclosed = page("<article>" + prose() + "</article>").replace(b"</title>", b"\n", 1)
    article = read(unclosed)
    assert article.meta.title == TITLE
    assert_article(article)
    self_closed = page("<article>" + prose() + "</article>").replace(
        b"<html>", b'<html lang="en" />', 1)
    assert_article(read(self_closed))


def test_cells_outside_rows_and_text_outside_cells_are_kept():
    layout = ("<table><td>" + SENTENCES[0] + "</td><td>" + SENTENCES[1] + "</td>"
              "<tr><td>" + SENTENCES[2] + "</td><td>" + SENTENCES[3] + "</td></tr>"
              + SENTENCES[4] + "<div>" + SENTENCES[5] + "</div></table>")
    assert_article(read(page(layout)))


# -- 3, 4: the wrong block wins ----------------------------------------------------------------


def _comment(i: int) -> str:
    return (f'<li class="comment"><p class="comment-author">Reader {i}</p><p>I have lived near '
            f"the harbour for {i + 3} years, and in all that time nobody has asked us what we "
            f"want, so this budget, comment number {i}, feels like the same old story again, "
            "with the same promises and the same delays.</p></li>")


def test_a_short_post_under_a_long_comment_thread():
    body = ('<div class="post"><h1>' + TITLE + '</h1><div class="entry-content">'
            + prose(2) + '</div></div><div id="comments"><h3>42 comments</h3>'
            '<ol class="commentlist">' + "".join(_comment(i) for i in range(30)) + "</ol>"
            '<div id="respond"><h3>Leave a reply</h3><form><textarea></textarea></form></div>'
            "</div>")
    article = read(page(body))
    assert_article(article, 2)
    assert "comment number" not in text_of(article)
    # --comments keeps the thread, apart: an article of its own after the page's
    post, comments = artconv.read_all(page(body), from_="html", comments=True, log=artconv.Log())
    assert post == article
    assert comments.meta.title == f"Comments: {TITLE}"
    said = text_of(comments)
    assert all(f"comment number {i}," in said and f"Reader {i}" in said for i in range(30))
    assert TITLE not in said
    lines = run_jsonl(page(body), "--comments")
    assert [json.loads(line)["meta"]["title"] for line in lines] == [TITLE, f"Comments: {TITLE}"]
    assert len(run_jsonl(page(body))) == 1


def run_jsonl(data: bytes, *args: str) -> list[str]:
    from .conftest import run_cli

    run = run_cli("convert", "-", "-f", "html", "-t", "jsonl", "-q", *args, input=data)
    assert run.exit_code == 0, run.stderr
    return run.stdout.decode().splitlines()


@pytest.mark.parametrize("box", [
    '<div class="author-box"><h4>About the author</h4><p>Jane Doe has written about the '
    "harbour, its fishing fleet and its politics for twenty years, first for the evening "
    "paper and now for this site, and she lives in the old town with two cats.</p></div>",
    '<div class="newsletter"><h4>Get the harbour news every morning</h4><form>'
    '<input type="email" placeholder="Your e-mail"><button>Sign up</button></form></div>',
    '<div id="cookie-notice">We use cookies to improve your visit. <a href="/privacy">'
    "Privacy policy</a> <button>Accept</button></div>",
    '<div class="login"><p>Log in to read more</p><form><input name="user">'
    '<input type="password"><button>Go</button></form></div>',
])
def test_author_newsletter_cookie_and_login_boxes_are_not_the_article(box: str):
    body = '<article><h1>' + TITLE + '</h1><div class="entry-content">' + prose(3) + \
        "</div>" + box + "</article>"
    article = read(page(body))
    assert_article(article, 3)
    text = text_of(article)
    for words in ("twenty years", "every morning", "cookies", "Log in"):
        assert words not in text


def test_a_page_whose_message_is_a_login_form_keeps_it():
    body = ('<div class="tablefill"><p>Sorry, an error occurred. The link that brought you '
            "to this page seems to be out of date or broken, so please go back and try again "
            "from the front page of the forum.</p><p>You are not logged in.</p><form>"
            '<input name="user"><input type="password"></form></div>')
    assert "out of date or broken" in text_of(read(page(body)))


def test_a_short_post_the_page_names_as_its_content():
    body = ('<div id="main"><div class="post"><h1>' + TITLE + '</h1>'
            '<div class="post-body entry-content"><p>' + SENTENCES[0] + "</p></div></div></div>"
            '<div id="sidebar"><div class="widget"><h2>About me</h2><p>Thank you for visiting '
            "my blog. I draw pictures for a living and write about boats, harbours and the "
            "people who work in them, and I post here every week or so when the tide allows.</p>"
            '<ul><li><a href="/a">Archive</a></li><li><a href="/b">Links</a></li></ul></div></div>')
    article = read(page(body))
    assert SENTENCES[0] in text_of(article)
    assert "visiting my blog" not in text_of(article)


def test_a_hidden_copy_of_the_article_for_another_layout_is_read_once():
    copy = ('<div class="article story variant-b hidden">' + prose(4) + "</div>")
    body = ('<div class="wrap"><div class="article story variant-a">' + prose(4) + "</div>"
            + copy + "</div>")
    text = text_of(read(page(body)))
    assert text.count(SENTENCES[0]) == 1


# -- 5: related phrases inside the article -----------------------------------------------------


def test_a_read_more_link_in_a_paragraph_does_not_make_it_related():
    body = ('<div id="content"><h1>' + TITLE + '</h1><p><i>This post first appeared on '
            '<a href="https://elsewhere.example/">the harbour blog</a>. ' + SENTENCES[0] + " "
            + SENTENCES[1] + '<p></p><b><a rel="nofollow" href="https://elsewhere.example/p">'
            "read more</a></b></i></p></div>")
    article = read(page(body))
    assert SENTENCES[0] in text_of(article)
    assert not any(isinstance(b, Related) for b in article.blocks)


def test_a_related_post_line_inside_the_body_keeps_the_paragraphs():
    body = ('<article><h1>' + TITLE + "</h1>" + prose(3) + '<p>Related post: <a href="/old">'
            "Harbour plan delayed again as costs rise</a></p>" + prose(3, 3) + "</article>")
    article = read(page(body))
    assert_article(article)
    related = [b for b in article.blocks if isinstance(b, Related)]
    assert [i.title for r in related for i in r.items] == [
        "Harbour plan delayed again as costs rise"]


# -- 6: furniture in the article's container ---------------------------------------------------


def _teaser(i: int) -> str:
    return (f'<li><h3><a href="/news/{i}"><img src="/t{i}.jpg" alt="">Story number {i}</a></h3>'
            f"<p>A short teaser for another story, number {i}, about the town.</p></li>")


def test_furniture_inside_the_article_container():
    body = ('<div class="story"><h1>' + TITLE + '</h1><a class="skip" href="#body">Skip to '
            'content</a><ul class="utility"><li><a href="/email">Email</a></li><li>'
            '<a href="/print">Print</a></li><li><a href="/reprints">Reprints</a></li></ul>'
            + prose() + '<ul class="more">' + "".join(_teaser(i) for i in range(4)) + "</ul>"
            "</div>")
    article = read(page(body))
    assert_article(article)
    text = text_of(article)
    for words in ("Skip to", "Reprints", "teaser for another story"):
        assert words not in text
    assert not any(isinstance(b, Image) for b in walk(article))


def test_contents_and_source_lists_are_not_menus():
    body = ('<article><h1>' + TITLE + '</h1><ul><li><a href="#budget">Budget</a></li>'
            '<li><a href="#vote">Vote</a></li></ul>' + prose() + '<h2>Sources</h2><ul><li>'
            '<a href="https://council.example/minutes">https://council.example/minutes</a></li>'
            '<li><a href="https://stats.example/harbour">https://stats.example/harbour</a></li>'
            "</ul></article>")
    text = text_of(read(page(body)))
    assert "Budget" in text and "https://council.example/minutes" in text


# -- 7: content the search dropped -------------------------------------------------------------


def test_an_object_s_fallback_content_is_content():
    body = ('<div class="post">' + prose(3) + '<object data="player.swf"><param name="x" '
            'value="1"><div class="player"><a href="/video/1"><img src="/poster.jpg" alt="">'
            '</a><p class="video-caption">The mayor answers questions from traders at the '
            "market after the vote.</p></div></object>" + prose(3, 3) + "</div>")
    article = read(page(body))
    images = [b for b in walk(article) if isinstance(b, Image)]
    assert [plain_text(i.caption) for i in images] == [
        "The mayor answers questions from traders at the market after the vote."]
    assert_article(article)


@pytest.mark.parametrize("line", [
    '<div class="ad-slot"><span>Advertisement</span></div>',
    '<p class="tags">Tags: <a href="/t/harbour">harbour</a>, <a href="/t/budget">budget</a></p>',
    '<ul class="post-tags"><li><a href="/t/a">harbour</a></li><li><a href="/t/b">town hall</a>'
    "</li></ul>",
    "<p>Have a news tip? Email tips@example.com</p>",
    '<p class="note">Comments are moderated and will appear after approval.</p>',
])
def test_labels_tag_lists_and_notices_are_not_the_article(line: str):
    body = "<article><h1>" + TITLE + "</h1>" + prose(3) + line + prose(3, 3) + "</article>"
    article = read(page(body))
    assert_article(article)
    text = artconv.write(article, to="text").decode()
    for words in ("Advertisement", "harbour,", "town hall", "news tip", "moderated"):
        assert words not in text


def test_a_paragraph_that_starts_like_a_notice_is_text():
    body = ("<article><h1>" + TITLE + "</h1>" + prose(3) + "<p>Have a look at the plans in the "
            "library: the council printed them in full, with every drawing of the quay walls, and "
            "they will stay there until the works begin next spring.</p></article>")
    assert "Have a look at the plans" in text_of(read(page(body)))


# -- 9: pictures -------------------------------------------------------------------------------


def test_logos_avatars_and_ad_banners_are_not_article_pictures():
    body = ('<header><a href="/"><img class="logo" src="/logo.png" alt="Gazette"></a></header>'
            "<article><h1>" + TITLE + '</h1><div class="byline"><img class="avatar" '
            'src="/jane.jpg" alt="Jane"> By <span class="author">Jane Doe</span></div>'
            + prose(3) + '<div class="ad"><img src="/banner.gif" alt="Advertisement"></div>'
            '<figure><img src="/quay.jpg" alt="The quay"><figcaption>The quay.</figcaption>'
            "</figure>" + prose(3, 3) + "</article>")
    article = read(page(body))
    assert [b.src for b in walk(article) if isinstance(b, Image)] == ["/quay.jpg"]
    assert article.meta.authors == ("Jane Doe",)


def test_a_subject_s_logo_inside_the_article_is_its_picture():
    body = ("<article><h1>" + TITLE + '</h1><table class="infobox"><tr><td class="logo">'
            '<img src="/harbour-logo.png" alt="The harbour board\'s logo"></td></tr></table>'
            + prose() + "</article>")
    assert [b.src for b in walk(read(page(body))) if isinstance(b, Image)] == [
        "/harbour-logo.png"]


def test_a_srcset_picture_with_a_noscript_copy_keeps_its_caption():
    body = ("<article><h1>" + TITLE + "</h1>" + prose(3) + '<figure class="wp-block-image">'
            '<img srcset="/a-320.jpg 320w, /a-640.jpg 640w" sizes="100vw" alt="The quay">'
            '<noscript><img src="/a-640.jpg" alt="The quay"></noscript><figcaption>The quay at '
            "low tide.</figcaption></figure>" + prose(3, 3) + "</article>")
    images = [b for b in walk(read(page(body))) if isinstance(b, Image)]
    assert [(i.src, plain_text(i.caption)) for i in images] == [
        ("/a-640.jpg", "The quay at low tide.")]


# -- 10: related blocks ------------------------------------------------------------------------


def test_a_list_the_page_marks_as_related_keeps_short_titles():
    body = ("<article><h1>" + TITLE + "</h1>" + prose(3) + '<aside class="related"><h3>Related'
            '</h3><ul><li><a href="/beta">Beta story</a></li><li><a href="/gamma">Gamma story'
            "</a></li></ul></aside>" + prose(3, 3) + "</article>")
    article = read(page(body))
    items = [(i.title, i.url) for b in article.blocks if isinstance(b, Related) for i in b.items]
    assert items == [("Beta story", "/beta"), ("Gamma story", "/gamma")]
    assert_article(article)


@pytest.mark.parametrize("heading", ["<p><strong>More:</strong></p>", "<p>SEE MORE:</p>",
                                     "<h4>Don’t miss</h4>"])
def test_more_and_don_t_miss_boxes_are_related(heading: str):
    body = ("<article><h1>" + TITLE + "</h1>" + prose(3) + heading + '<ul><li><a href="/n/1">'
            'Harbour plan delayed again as costs rise</a></li><li><a href="/n/2">Fish market '
            "traders ask for more time</a></li></ul>" + prose(3, 3) + "</article>")
    article = read(page(body))
    related = [b for b in article.blocks if isinstance(b, Related)]
    assert [i.url for r in related for i in r.items] == ["/n/1", "/n/2"]
    assert_article(article)


# -- metadata ----------------------------------------------------------------------------------


def test_page_metadata_beyond_the_headline():
    head = ('<meta name="description" content="The council approved the harbour budget.">'
            '<meta property="og:image" content="https://gazette.example/img/quay.jpg">'
            '<meta property="article:modified_time" content="2024-05-02T10:00:00Z">'
            '<meta property="article:tag" content="harbour">'
            '<meta property="article:tag" content="budget">'
            '<meta name="keywords" content="council, harbour">'
            '<link rel="canonical" href="https://www.Gazette.example/news/harbour">'
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "'
            + TITLE + '", "articleSection": ["Local", "Politics"]}</script>')
    body = ("<article><h1>" + TITLE + "</h1>" + prose() + '<p>Posted in <a rel="category tag" '
            'href="/c/local">Local</a>. Tagged <a rel="tag" href="/t/quay">quay</a>.</p>'
            '<footer><a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
            "CC BY 4.0</a></footer></article>")
    meta = read(page(body, head=head)).meta
    assert meta.description == "The council approved the harbour budget."
    assert meta.image == "https://gazette.example/img/quay.jpg"
    assert meta.modified == "2024-05-02T10:00:00Z"
    assert meta.categories == ("Local", "Politics")
    assert meta.tags == ("harbour", "budget", "council", "quay")
    assert meta.license == "CC BY 4.0"
    assert meta.hostname == "www.gazette.example"


def test_page_metadata_reaches_every_writer_and_reads_back():
    head = ('<meta name="description" content="Summary.">'
            '<meta property="article:tag" content="harbour">'
            '<meta property="og:image" content="https://gazette.example/q.jpg">')
    article = read(page("<article><h1>" + TITLE + "</h1>" + prose() + "</article>", head=head),
                   base_url="https://gazette.example/news/1")
    assert article.meta.hostname == "gazette.example"
    for fmt, reader in (("json", "json"), ("md", "markdown"), ("html", "html"),
                        ("epub", "epub")):
        back = artconv.read(artconv.write(article, to=fmt), from_=reader)
        assert (back.meta.description, back.meta.tags, back.meta.image,
                back.meta.hostname) == ("Summary.", ("harbour",), "https://gazette.example/q.jpg",
                                        "gazette.example"), fmt


def test_a_preview_image_outside_the_allow_list_is_dropped():
    head = '<meta property="og:image" content="javascript:alert(1)">'
    log = artconv.Log()
    article = read(page("<article>" + prose() + "</article>", head=head), log=log)
    assert article.meta.image is None
    assert any(w.code == "unsafe-url" for w in log.warnings)
