"""Properties (Hypothesis): arbitrary articles survive every writer and its reader; arbitrary
bytes into every reader give a document or a clean error; sanitising is idempotent."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import artconv
from artconv.errors import ArtconvError
from artconv.model import Image, Related, walk

from .strategies import articles

PROFILE = settings(max_examples=int(os.environ.get("ARTCONV_EXAMPLES", "60")), deadline=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def round_trip(article: artconv.Article, to: str, from_: str, **options) -> artconv.Article:
    data = artconv.write(article, to, log=artconv.Log(), **options)
    return artconv.read(data, from_=from_, log=artconv.Log())


@PROFILE
@given(articles())
def test_json_is_lossless(article):
    assert round_trip(article, "json", "json") == article


@given(articles())
def test_the_streamed_json_is_the_dictionary_printed(article):
    """The JSON writer writes from the model as it walks it (issue 20): the same bytes as the
    whole document's dictionary, pretty-printed."""
    from artconv.jsonform import article_to_dict
    from artconv.writers.json import pretty, pretty_article

    assert pretty_article(article) == pretty(article_to_dict(article))


@PROFILE
@given(articles(markdown="md"))
def test_markdown_carries_the_article(article):
    assert round_trip(article, "md", "markdown") == article


@PROFILE
@given(articles(markdown="gfm"))
def test_gfm_carries_the_article(article):
    assert round_trip(article, "gfm", "markdown") == article


@PROFILE
@given(articles(raw=False))
def test_html_fragment_carries_the_article(article):
    assert round_trip(article, "html", "html", fragment=True) == article


@settings(PROFILE, max_examples=max(10, PROFILE.max_examples // 4))
@given(articles(raw=False))
def test_epub_carries_the_article(article):
    assert round_trip(article, "epub", "epub") == article


@PROFILE
@given(st.lists(st.sampled_from([
    "Заголовок статьи", "Подзаголовок без точки", "72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg",
    "Фото: агентство", "Обычный абзац текста, который заканчивается точкой.",
    "- пункт списка", "1. первый пункт", "— Реплика героя, — сказал он.", "Короткий заголовок",
    "Читайте также", "Другие материалы рубрики «Город»", "https://example.com/story.html",
    "Read more", "A plain English sentence.", "", "", ""]), min_size=1, max_size=25))
def test_text_dumps_are_stable_through_the_text_writer(lines):
    dump = "\n".join(lines).encode()
    try:
        first = artconv.read(dump, from_="text", log=artconv.Log())
    except ArtconvError:
        return
    again = round_trip(first, "text", "text")
    assert again == first


READERS = ["text", "html", "markdown", "json", "jsonl", "epub"]


@settings(PROFILE, max_examples=PROFILE.max_examples * 2)
@given(st.sampled_from(READERS), st.binary(max_size=2048))
def test_arbitrary_bytes_give_a_document_or_a_clean_error(reader, data):
    try:
        articles = artconv.read_all(data, from_=reader, log=artconv.Log())
    except ArtconvError as exc:
        assert "\n" not in str(exc)
        return
    for article in articles:
        for to in ("json", "md", "html", "text"):
            artconv.write(article, to, log=artconv.Log())


@settings(PROFILE, max_examples=max(20, PROFILE.max_examples // 2))
@given(st.sampled_from(READERS), st.binary(max_size=2048))
def test_arbitrary_bytes_through_the_command_line(reader, data):
    """R-F1: the real entry point, in-process: a document on stdout or one-line errors on
    stderr, exit 0 or 1, never a traceback or an internal error."""
    import json

    from .conftest import run_cli, validate_json

    run = run_cli("convert", "-", "-f", reader, "-t", "jsonl", input=data)
    assert run.exit_code in (0, 1), run.stderr
    assert all(line.startswith("artconv: ") for line in run.stderr.splitlines()), run.stderr
    assert "internal error" not in run.stderr and "Traceback" not in run.stderr
    if run.exit_code == 0:
        for line in run.stdout.decode("utf-8").splitlines():
            validate_json(json.loads(line))
    else:
        assert run.stdout == b""


HTML_SOUP = st.lists(st.sampled_from([
    "<p>", "</p>", "<b>", "</b>", "<i>", "<a href='javascript:alert(1)'>", "<a href=/x>",
    "</a>", "<!--", "-->", "]]>", "<![CDATA[", "<svg onload=alert(1)>", "<math>", "<noscript>",
    "</noscript>", "<template>", "<script>alert(1)</script>", "&amp;", "&lt;", "&#0;", "&#x1;",
    "\x00", "Привет", "text", " ", "<img src=x onerror=alert(1)>", "<img src='/a.jpg'>",
    "<table><tr><td>", "<ul><li>", "<h2>", "<blockquote>", "<pre>", "<br>", "\"", "'", "<",
]), max_size=40).map("".join)


@PROFILE
@given(HTML_SOUP)
def test_html_to_clean_html_is_a_fixpoint_and_stays_clean(soup):
    from .oracle import problems

    try:
        first = artconv.convert(soup.encode(), "html", from_="html", fragment=True,
                                log=artconv.Log())
    except ArtconvError:
        return
    assert problems(first) == []
    second = artconv.convert(first, "html", from_="html", fragment=True, log=artconv.Log())
    assert second == first


def test_properties_cover_every_node_type():
    """A guard against a strategy that quietly stops producing some kind of node."""
    from hypothesis import Phase

    from artconv.model import BLOCK_TYPES, INLINE_TYPES

    seen: set[type] = set()

    @settings(max_examples=1500, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(articles())
    def collect(article):
        seen.update(type(node) for node in walk(article))

    collect()
    missing = {kind.__name__ for kind in (*BLOCK_TYPES, *INLINE_TYPES)} - \
        {kind.__name__ for kind in seen}
    assert not missing
    assert Image in BLOCK_TYPES and Related in BLOCK_TYPES
