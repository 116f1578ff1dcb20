"""EPUBCheck over every book the other tests wrote to a file and did not check themselves
(a missing-picture book, books under SOURCE_DATE_EPOCH, odd URLs, --assets, ...): each distinct
book once, all in parallel, after every other test."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import CHECKED_BOOKS, WRITTEN_BOOKS, run_epubcheck


@pytest.mark.last
def test_every_book_the_tests_wrote_passes_epubcheck(tmp_path):
    unchecked = {digest: data for digest, data in WRITTEN_BOOKS.items()
                 if digest not in CHECKED_BOOKS}
    if not WRITTEN_BOOKS:
        pytest.skip("no other test wrote a book in this run")
    paths: list[Path] = []
    for digest, data in sorted(unchecked.items()):
        path = tmp_path / f"{digest[:16]}.epub"
        path.write_bytes(data)
        paths.append(path)
    failures = {path.name: found for path, found in run_epubcheck(paths).items() if found}
    assert failures == {}
