#!/usr/bin/env python3
"""The seed article as a reader sees it: artconv's HTML page and EPUB chapter in a real
browser (Debian's chromium through Playwright), at a phone's and a desktop's width, saved as
PNG screenshots (docs/screenshots/ keeps them; regenerate after a change to a stylesheet).

    apt-get install chromium && pip install playwright
    python benchmarks/screenshots.py [OUT_DIR]        # default: docs/screenshots

The seed's two pictures are written beside it as grey placeholders of their size, so that one
page shows pictures and the other (the dump alone) the named placeholders of missing ones.
tests/test_browser.py makes the same pages and checks them (overflow, pictures, related items).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_browser import SEED_PICTURES, WIDTHS, browser_path, png  # noqa: E402


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    path = browser_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        path = None
    if path is None:
        print("needs a browser: apt-get install chromium && pip install playwright",
              file=sys.stderr)
        return 2
    from artconv.cli import main as artconv

    def convert(*args: str) -> None:
        saved = sys.argv
        sys.argv = ["artconv", "convert", *args, "-q"]
        try:
            artconv()
        except SystemExit as exc:
            if exc.code:
                raise
        finally:
            sys.argv = saved

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copy(ROOT / "tests" / "fixtures" / "text" / "seed.txt", work / "seed.txt")
        for name, size in zip(SEED_PICTURES, ((640, 400), (160, 120)), strict=True):
            (work / name).write_bytes(png(*size))
        convert(str(work / "seed.txt"), "-o", str(work / "seed.html"))
        convert(str(work / "seed.txt"), "-o", str(work / "seed.epub"))
        with zipfile.ZipFile(work / "seed.epub") as book:
            book.extractall(work / "book")
        shots = {"html": work / "seed.html",
                 "epub": next((work / "book").rglob("chapter-001.xhtml"))}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
            for where, width in WIDTHS.items():
                view = browser.new_page(viewport={"width": width, "height": 900})
                for kind, page in shots.items():
                    view.goto(page.as_uri(), wait_until="load")
                    shot = out / f"seed-{kind}-{where}.png"
                    view.screenshot(path=str(shot), full_page=True)
                    print(shot)
                view.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
