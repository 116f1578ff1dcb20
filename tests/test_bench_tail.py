"""benchmarks/extraction_tail.py: the halves, the tail counts and the pages behind a peer."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from extraction_tail import figures, half, tail_pages  # noqa: E402


def results() -> dict:
    pages = [str(n) for n in range(40)]
    ours = {p: [1, 1, 0.9] for p in pages}
    ours["0"] = [1, 1, 0.2]  # under 0.5, and 0.6 behind the peer
    ours["1"] = [1, 1, 0.95]
    peer = {p: [1, 1, 0.8] for p in pages}
    peer["1"] = [1, 1, 0.4]  # under 0.5: artconv 0.55 ahead
    return {"set": {"per_page": {"artconv": ours, "readability": peer}}}


def test_halves_split_the_pages_about_evenly_and_stably() -> None:
    names = [half("dragnet", str(n)) for n in range(1000)]
    assert 400 < names.count("A") < 600
    assert names == [half("dragnet", str(n)) for n in range(1000)]


def test_figures_count_the_tail() -> None:
    rows = figures(results())["set"]
    assert rows["artconv"]["fail"] == 1 and rows["readability"]["fail"] == 1
    assert rows["artconv"]["behind"] == 1 and rows["artconv"]["ahead"] == 1
    assert rows["artconv"]["fail A"] + rows["artconv"]["fail B"] == 1
    assert abs(rows["readability"]["mean"] - (39 * 0.8 + 0.4) / 40) < 1e-9


def test_tail_pages_name_the_pages() -> None:
    assert [page for _, page, _ in tail_pages(results())] == ["0"]
