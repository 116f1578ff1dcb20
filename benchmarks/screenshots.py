#!/usr/bin/env python3
"""Look at artconv's HTML pages in a real browser: writes a page per fixture and a PNG
screenshot of each (headless Chromium through Playwright), for a person to look at after a
change to the HTML writer or its stylesheet.

    pip install playwright && python -m playwright install chromium
    python benchmarks/screenshots.py OUT_DIR

What to look for: the headline, subtitle and byline; pictures at the column's width, a
caption under each; related items with their thumbnail on the left and the title and summary
beside it (never wrapping under the thumbnail); footnotes under one rule; no two rules in a
row; nothing wider than the window at 375 and 1280 pixels.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [*sorted((ROOT / "tests" / "fixtures" / "text").glob("*.txt")),
           *sorted((ROOT / "tests" / "fixtures" / "html").glob("*.html")),
           ROOT / "tests" / "fixtures" / "writers" / "kitchen-sink.json"]


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("needs playwright: pip install playwright && python -m playwright install "
              "chromium", file=sys.stderr)
        return 2
    pages = []
    for source in SOURCES:
        page = out / f"{source.stem}.html"
        subprocess.run([sys.executable, "-m", "artconv", "convert", str(source), "-o", str(page),
                        "-q"], check=True)
        pages.append(page)
    with sync_playwright() as p:
        browser = p.chromium.launch()
        for width in (375, 1280):
            view = browser.new_page(viewport={"width": width, "height": 900})
            for page in pages:
                view.goto(page.resolve().as_uri())
                wide = view.evaluate("document.documentElement.scrollWidth > window.innerWidth")
                shot = out / f"{page.stem}-{width}.png"
                view.screenshot(path=str(shot), full_page=True)
                print(f"{shot}{'  WIDER THAN THE WINDOW' if wide else ''}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
