"""A quality gate for the HTML reader: 26 of Readability's real pages, each with pinned floors
(body-text F1, images, links, title, language, byline) that a change may raise but not lower.

``pytest --update-goldens tests/test_quality_gate.py`` raises the floors to what the reader
does now; it never lowers one.
"""

from __future__ import annotations

import json
import math

import pytest

from .conftest import FIXTURES, run_cli
from .quality import expected, observed, score

PAGES = FIXTURES / "readability"
FLOORS = PAGES / "floors.json"
FOLDERS = sorted(p for p in PAGES.iterdir() if (p / "source.html").exists())


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("gate")
    inputs = []
    for folder in FOLDERS:
        target = out / f"{folder.name}.html"
        target.write_bytes((folder / "source.html").read_bytes())
        inputs.append(target)
    run = run_cli("convert", *inputs, "--from", "html", "--to", "json", "--output", f"{out}/json/",
                  "--quiet")
    assert run.exit_code == 0, run.stderr
    scores = {}
    for folder in FOLDERS:
        doc = json.loads((out / "json" / f"{folder.name}.json").read_text(encoding="utf-8"))
        scores[folder.name] = score(expected(folder), observed(doc))
    return scores


def _now(s: dict) -> dict:
    return {"f1": math.floor(s["f1"] * 1000) / 1000, "images": s["images"][0],
            "links": s["links"][0], "title": s["title"], "lang": s["lang"],
            "byline": s["byline"]}


def test_floors_hold(results, update_goldens):
    floors = json.loads(FLOORS.read_text()) if FLOORS.exists() else {}
    if update_goldens:
        raised = {}
        for name, s in results.items():
            now, old = _now(s), floors.get(name, {})
            raised[name] = {key: now[key] if old.get(key) is None else
                            (max(old[key], now[key]) if key in ("f1", "images", "links")
                             else old[key] or now[key]) for key in now}
        FLOORS.write_text(json.dumps(raised, indent=1, sort_keys=True) + "\n")
        return
    assert set(floors) == {f.name for f in FOLDERS}, "run pytest --update-goldens"
    failures = []
    for name, s in results.items():
        floor, now = floors[name], _now(s)
        for key in ("f1", "images", "links"):
            if now[key] < floor[key]:
                failures.append(f"{name}: {key} {now[key]} < floor {floor[key]}")
        for key in ("title", "lang", "byline"):
            if floor.get(key) and not now[key]:
                failures.append(f"{name}: {key} no longer matches")
    assert not failures, "\n".join(failures)


def test_corpus_level_figures(results):
    """The figures the README quotes for these pages, as a second line of defence."""
    n = len(results)
    mean_f1 = sum(s["f1"] for s in results.values()) / n
    images = sum(s["images"][0] for s in results.values())
    image_total = sum(s["images"][1] for s in results.values())
    assert mean_f1 >= 0.98
    assert images >= 0.95 * image_total
    assert all(s["title"] for s in results.values())
    assert all(s["lang"] is not False for s in results.values())
