"""Fuzz target for atheris over every reader and writer (run by hand; not part of CI).

    pip install -e '.[test]' atheris
    python fuzz/fuzz_readers.py fuzz/corpus -max_total_time=600 -rss_limit_mb=2048 -timeout=10
    ARTCONV_FUZZ_SLOW=1 python fuzz/fuzz_readers.py fuzz/corpus -max_len=200000 ...

Slow-input mode (``ARTCONV_FUZZ_SLOW=1``, or ``--slow`` with ``--replay``): an input whose
conversion takes more CPU time than :data:`SLOW_SECONDS_PER_100KB` for each 100 KB it has
(one second at least) is a finding too, as a crash is: cost must be linear in the input.

The first byte of an input picks the reader, the rest is the file. Every document a reader
returns is written to JSON, Markdown, HTML, EPUB and text; the JSON is read back and must equal
the document, and the sanitising oracle of the tests (tests/oracle.py, html5lib) must find
nothing in the HTML page. Anything but a document or an ArtconvError is a
crash. ``python fuzz/fuzz_readers.py --replay DIR`` runs the inputs of a folder without atheris
(the tests do this with the seed corpus, so the target cannot rot).
"""

from __future__ import annotations

import sys
from pathlib import Path

READERS = ("text", "html", "markdown", "json", "jsonl", "epub")
SLOW_SECONDS_PER_100KB = 1.0
SLOW = False
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def one_input(data: bytes) -> None:
    convert_everything(data, _Clock(len(data)) if SLOW else None)


class _Clock:
    """Times each step of a conversion (the read, each write): one that takes more CPU time
    than its share (:data:`SLOW_SECONDS_PER_100KB` per 100 KB of input, a second at least)
    is a finding."""

    def __init__(self, size: int) -> None:
        self.allowed = SLOW_SECONDS_PER_100KB * max(1.0, size / 100_000)
        self.size = size

    def __call__(self, step: str, started: float) -> None:
        import time

        spent = time.process_time() - started
        if spent > self.allowed:
            raise AssertionError(f"slow input: {step} of {self.size:,} bytes took {spent:.1f} "
                                 f"s of CPU (allowed {self.allowed:.1f} s)")


def convert_everything(data: bytes, clock: _Clock | None = None) -> None:
    import time

    import artconv
    from artconv.errors import ArtconvError
    from tests.oracle import problems

    if not data:
        return
    reader = READERS[data[0] % len(READERS)]
    started = time.process_time()
    try:
        articles = artconv.read_all(data[1:], from_=reader, log=artconv.Log())
    except ArtconvError as exc:
        if "\n" in str(exc):
            raise AssertionError(f"a multi-line error: {exc!r}") from None
        return
    finally:
        if clock:
            clock(f"reading {reader}", started)
    for article in articles:
        again = artconv.read(artconv.write(article, "json", log=artconv.Log()), from_="json",
                             log=artconv.Log())
        if again != article:
            raise AssertionError("JSON did not carry the document")
        found = problems(artconv.write(article, "html", log=artconv.Log()), page=True)
        if found:
            raise AssertionError(f"the HTML page is not clean: {found}")
        for to in ("md", "gfm", "text", "epub"):
            started = time.process_time()
            artconv.write(article, to, log=artconv.Log())
            if clock:
                clock(f"writing {to}", started)


def replay(folder: Path) -> int:
    count = 0
    for path in sorted(folder.iterdir()):
        if path.is_file():
            one_input(path.read_bytes())
            count += 1
    return count


def main(argv: list[str]) -> None:
    import os

    global SLOW
    SLOW = os.environ.get("ARTCONV_FUZZ_SLOW") == "1" or "--slow" in argv
    argv = [a for a in argv if a != "--slow"]
    if len(argv) == 3 and argv[1] == "--replay":
        print(f"replayed {replay(Path(argv[2]))} inputs")
        return
    import atheris

    with atheris.instrument_imports():
        import artconv  # noqa: F401
        import artconv.readers.epub  # noqa: F401
        import artconv.readers.html  # noqa: F401
        import artconv.readers.json  # noqa: F401
        import artconv.readers.markdown  # noqa: F401
        import artconv.readers.text  # noqa: F401
        import artconv.writers.epub  # noqa: F401
        import artconv.writers.html  # noqa: F401
        import artconv.writers.markdown  # noqa: F401
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
