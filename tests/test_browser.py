"""artconv's pages and book chapters in a real browser (Chromium through Playwright), at a
phone's and a desktop's width, with the checks a reader makes: nothing wider than the window,
no text cut off, every picture shown or its placeholder named, related items as a block with
their thumbnails beside their titles.

Runs when a browser is present: Debian's ``chromium`` (``.ci/run`` installs it), or the one
``ARTCONV_CHROMIUM`` names; under CI it must be there. ``benchmarks/screenshots.py`` keeps the
seed article's screenshots in docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import FIXTURES, run_cli

WIDTHS = {"phone": 375, "desktop": 1280}
SOURCES = [*sorted((FIXTURES / "text").glob("*.txt")), *sorted((FIXTURES / "html").glob("*.html")),
           FIXTURES / "writers" / "kitchen-sink.json"]
SEED_PICTURES = ("72b0781fc8f213571bad48978d00c3a4ba2a3254.jpeg",
                 "679c739d8342cc8894f039ba9bce9de3c9f3f239.jpeg")


def browser_path() -> str | None:
    named = os.environ.get("ARTCONV_CHROMIUM")
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def png(width: int, height: int) -> bytes:
    """A grey picture of the given size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\0" + b"\x99" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0,
                                                              0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = browser_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        path = None
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("no browser: .ci/run installs Debian's chromium and playwright")
        pytest.skip("no Chromium (apt-get install chromium) or no playwright")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path,
                                     args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every fixture as an HTML page and as the chapters of a book; the seed also with its
    pictures beside it."""
    root = tmp_path_factory.mktemp("browser")
    pages: dict[str, Path] = {}
    with_pictures = root / "seed-with-pictures"
    with_pictures.mkdir()
    shutil.copy(FIXTURES / "text" / "seed.txt", with_pictures / "seed.txt")
    for name, size in zip(SEED_PICTURES, ((640, 400), (160, 120)), strict=True):
        (with_pictures / name).write_bytes(png(*size))
    for source in [*SOURCES, with_pictures / "seed.txt"]:
        stem = source.parent.name + "-" + source.stem
        page = source.parent / f"{source.stem}.html" if source.parent == with_pictures \
            else root / f"{stem}.html"
        run = run_cli("convert", source, "-o", page, "-q", "-t", "html")
        assert run.exit_code == 0, run.stderr
        pages[f"page:{stem}"] = page
        book = root / f"{stem}.epub"
        run = run_cli("convert", source, "-o", book, "-q")
        assert run.exit_code == 0, run.stderr
        unpacked = root / stem
        with zipfile.ZipFile(book) as zf:
            zf.extractall(unpacked)
        for chapter in sorted(unpacked.rglob("chapter-*.xhtml")):
            pages[f"epub:{stem}/{chapter.name}"] = chapter
    return pages


# What a reader would see go wrong, measured in the page.
CHECKS = r"""() => {
  const W = document.documentElement.clientWidth, problems = [];
  const name = el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
  if (document.documentElement.scrollWidth > W + 1)
    problems.push('page wider than the window: ' + document.documentElement.scrollWidth);
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const style = getComputedStyle(el);
    if (r.right > W + 1 && !el.closest('pre, table'))
      problems.push('sticks out of the window: ' + name(el) + ' to ' + Math.round(r.right));
    if ((style.overflowX === 'hidden' || style.textOverflow === 'ellipsis')
        && el.scrollWidth > el.clientWidth + 1)
      problems.push('text cut off: ' + name(el));
  }
  for (const img of document.querySelectorAll('img')) {
    const r = img.getBoundingClientRect(), src = img.getAttribute('src') || '';
    // a local picture (beside the page, or in the book) must show; one on a site the page is
    // not served from (root-relative here) at least keeps its box
    const local = !/^([a-z][a-z0-9+.-]*:|\/)/i.test(src);
    // (a picture artconv did not find is named by its placeholder, checked below)
    if (local && (!img.complete || img.naturalWidth === 0) && !img.closest('.missing-image'))
      problems.push('a broken picture: ' + src);
    else if (r.width < 24 || r.height < 16)
      problems.push('a picture too small to see: ' + src);
  }
  for (const box of document.querySelectorAll('.missing-image')) {
    const r = box.getBoundingClientRect(), label = box.querySelector('.placeholder');
    const src = box.getAttribute('data-artconv-src');
    // named in its text (a book's placeholder) or by the stylesheet (a page's)
    const named = src && (label && label.textContent.includes(src)
                          || getComputedStyle(box, '::before').content.includes(src));
    if (!named || r.width < 24 || r.height < 16)
      problems.push('a missing picture not named: ' + src);
  }
  for (const item of document.querySelectorAll('.related li')) {
    const thumb = item.querySelector('img, .thumbnail'), title = item.querySelector('.title');
    if (!title || title.getBoundingClientRect().height === 0)
      problems.push('a related item without its title');
    else if (thumb) {
      const t = thumb.getBoundingClientRect(), h = title.getBoundingClientRect();
      if (t.width < 24 || t.height < 16) problems.push('a thumbnail too small to see');
      if (h.top >= t.bottom - 1) problems.push('a related title under its thumbnail');
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_pages_and_chapters_read_well_in_a_browser(browser: Any, outputs: dict[str, Path],
                                                   width: str) -> None:
    view = browser.new_page(viewport={"width": WIDTHS[width], "height": 900})
    # the web, as far as the pages need it: every http(s) request is a picture
    picture = png(320, 200)
    view.route("http*://**/*", lambda route: route.fulfill(
        status=200, content_type="image/png", body=picture))
    found: dict[str, list[str]] = {}
    seen = {"img": 0, "missing": 0, "related": 0}
    try:
        for key, path in outputs.items():
            view.goto(path.resolve().as_uri(), wait_until="load")
            problems = view.evaluate(CHECKS)
            if problems:
                found[key] = problems
            counts = view.evaluate("""() => [document.querySelectorAll('img').length,
                document.querySelectorAll('.missing-image').length,
                document.querySelectorAll('.related li').length]""")
            for k, n in zip(seen, counts, strict=True):
                seen[k] += n
    finally:
        view.close()
    assert found == {}
    # the checks looked at something: pictures shown, placeholders named, related items
    assert all(n > 0 for n in seen.values()), seen


def test_the_checks_see_what_goes_wrong(browser: Any, tmp_path: Path) -> None:
    """A page with each fault the checks look for gives each complaint."""
    page = tmp_path / "bad.html"
    page.write_text("""<!doctype html><html><head><meta name="viewport"
        content="width=device-width"></head><body>
        <div style="width:2000px">wide</div>
        <p style="overflow:hidden;white-space:nowrap;width:50px">a long line that is cut</p>
        <img src="nowhere.png" alt="">
        <figure class="missing-image" data-artconv-src="x.jpg"><figcaption></figcaption></figure>
        <aside class="related"><ul><li><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <div class="title">Under</div></li></ul></aside></body></html>""", encoding="utf-8")
    view = browser.new_page(viewport={"width": 375, "height": 900})
    try:
        view.goto(page.as_uri(), wait_until="load")
        problems = " | ".join(view.evaluate(CHECKS))
    finally:
        view.close()
    for complaint in ("page wider", "sticks out", "text cut off", "broken picture",
                      "not named", "too small", "under its thumbnail"):
        assert complaint in problems, (complaint, problems)
