"""The atheris fuzz target (fuzz/fuzz_readers.py) replayed over its seed corpus and the crashes
it found, so the target keeps working without atheris and the crashes stay fixed."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from .conftest import FIXTURES

FUZZ = Path(__file__).resolve().parents[1] / "fuzz"


def load_target():
    spec = importlib.util.spec_from_file_location("fuzz_readers", FUZZ / "fuzz_readers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SEEDS = sorted(p for p in (FUZZ / "corpus").iterdir() if p.is_file())
SMALL_SEEDS = [p for p in SEEDS if not p.name.startswith("slow-")]
CRASHES = [b"\x05" + (FIXTURES / "hostile" / "corrupt-deflate.epub").read_bytes()]


def test_every_reader_has_a_seed():
    readers = {load_target().READERS[p.read_bytes()[0] % 6] for p in SEEDS}
    assert readers == set(load_target().READERS)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("path", SMALL_SEEDS, ids=[p.name for p in SMALL_SEEDS])
def test_seed_inputs_pass_the_target(path):
    load_target().one_input(path.read_bytes())


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_found_crashes_and_mutations_of_the_seeds_pass_the_target():
    target = load_target()
    for data in CRASHES:
        target.one_input(data)
    rng = random.Random(7)
    for path in SMALL_SEEDS:
        data = bytearray(path.read_bytes())
        for _ in range(20):
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                mutated[rng.randrange(1, len(mutated))] = rng.randrange(256)
            target.one_input(bytes(mutated))


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_slow_input_mode_finds_no_seed_slow(monkeypatch):
    """The seeds include pathological shapes (long srcset tokens, 20,000 attributes, brackets
    that never close, long tables and lists); in slow-input mode each must convert within its
    CPU budget. The budget here is three times the fuzzer's, for room on a busy machine."""
    target = load_target()
    monkeypatch.setattr(target, "SLOW", True)
    monkeypatch.setattr(target, "SLOW_SECONDS_PER_100KB", 3 * target.SLOW_SECONDS_PER_100KB)
    slow = [p for p in SEEDS if p.name.startswith("slow-")]
    assert len(slow) >= 10
    for path in slow:
        target.one_input(path.read_bytes())


def test_slow_input_mode_reports_a_slow_input(monkeypatch):
    target = load_target()
    monkeypatch.setattr(target, "SLOW", True)
    monkeypatch.setattr(target, "SLOW_SECONDS_PER_100KB", 0.0)
    with pytest.raises(AssertionError, match="slow input: reading text"):
        target.one_input(b"\x00Title\n\nBody.\n")
