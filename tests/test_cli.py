"""The command line as scripts use it: files, stdin, batches, exit codes, clean errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, run_cli

SEED = FIXTURES / "text" / "seed.txt"


def one_line_error(stderr: str) -> None:
    lines = stderr.splitlines()
    assert lines and all(line.startswith("artconv: ") for line in lines), stderr
    assert "Traceback" not in stderr


def test_version_and_help():
    from artconv import __version__

    run = run_cli("--version")
    assert run.exit_code == 0 and run.text.strip() == f"artconv {__version__}"
    assert run_cli("convert", "--help").exit_code == 0


def test_formats_lists_every_reader_and_writer():
    run = run_cli("formats")
    names = [line.split()[0] for line in run.text.splitlines()]
    assert names == ["text", "html", "markdown", "gfm", "json", "jsonl", "epub"]


def test_file_to_stdout_carries_only_the_document():
    run = run_cli("convert", SEED, "-t", "json")
    assert run.exit_code == 0
    json.loads(run.stdout)
    # the seed's pictures are not beside it: said on stderr, in one line, as for every format
    assert run.stderr.count("\n") == 1 and "no such file next to the input" in run.stderr


def test_stdin_with_a_guess_says_what_it_guessed():
    run = run_cli("convert", "-", "-t", "json", input=SEED.read_bytes())
    assert run.exit_code == 0
    assert run.json()["meta"]["title"].startswith("Чиновников")
    assert "-: warning: read as text, guessed from its content" in run.stderr


def test_from_json_guessed_from_content():
    doc = run_cli("convert", SEED, "-t", "json").stdout
    run = run_cli("convert", "-", "-t", "text", input=doc)
    assert run.exit_code == 0 and "guessed from its content (a JSON object)" in run.stderr


def test_output_file_and_format_from_its_extension(tmp_path: Path):
    out = tmp_path / "seed.json"
    run = run_cli("convert", SEED, "-o", out)
    assert run.exit_code == 0 and run.stdout == b""
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == 2


def test_batch_to_a_folder_keeps_going_after_a_failure(tmp_path: Path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    out = tmp_path / "out" / "nested"
    run = run_cli("convert", SEED, bad, FIXTURES / "text" / "english.txt", "-t", "json",
                  "-o", f"{out}/")
    assert run.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["english.json", "seed.json"]
    assert f"artconv: {bad}: empty input" in run.stderr
    assert run.stderr.splitlines()[-1] == "artconv: converted 2, failed 1"


def test_batch_needs_a_folder_unless_streaming():
    run = run_cli("convert", SEED, SEED, "-t", "json")
    assert run.exit_code == 2
    one_line_error(run.stderr)


def test_outputs_that_would_collide_are_refused(tmp_path: Path):
    other = tmp_path / "seed.txt"
    other.write_bytes(SEED.read_bytes())
    run = run_cli("convert", SEED, other, "-t", "json", "-o", f"{tmp_path}/out/")
    assert run.exit_code == 2
    assert "would both write" in run.stderr
    assert not (tmp_path / "out").exists()


def test_output_that_names_an_input_is_refused(tmp_path: Path):
    doc = tmp_path / "a.json"
    doc.write_bytes(run_cli("convert", SEED, "-t", "json").stdout)
    before = doc.read_bytes()
    for target in (doc, tmp_path / "." / "a.json"):
        run = run_cli("convert", doc, "-t", "json", "-o", target)
        assert run.exit_code == 1 and "refusing to write over it" in run.stderr
    link = tmp_path / "link.json"
    link.symlink_to(doc)
    assert run_cli("convert", doc, "-t", "json", "-o", link).exit_code == 1
    run = run_cli("convert", doc, "-t", "json", "-o", tmp_path)
    assert run.exit_code == 1 and "refusing to write over it" in run.stderr
    assert doc.read_bytes() == before


@pytest.mark.parametrize("args,message", [
    (["/nonexistent/x.txt", "-t", "json"], "no such file"),
    ([str(FIXTURES), "-t", "json"], "is a directory"),
])
def test_missing_and_directory_inputs(args, message):
    run = run_cli("convert", *args)
    assert run.exit_code == 1 and message in run.stderr
    one_line_error(run.stderr)


def test_binary_input_is_refused(tmp_path: Path):
    png = tmp_path / "picture.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    run = run_cli("convert", png, "-t", "json")
    assert run.exit_code == 1 and "expected text, got a PNG image" in run.stderr
    one_line_error(run.stderr)


def test_usage_errors_exit_2_in_one_line():
    for args in (["convert", SEED], ["convert", SEED, "-t", "pdf"], ["convert", SEED, "--nope"],
                 ["convert", SEED, "-t", "json", "--encoding", "no-such-codec"],
                 ["convert", "-", "-", "-t", "json"]):
        run = run_cli(*args)
        assert run.exit_code == 2, args
        one_line_error(run.stderr)


def test_strict_turns_a_guess_into_exit_3_and_writes_nothing(tmp_path: Path):
    out = tmp_path / "x.json"
    run = run_cli("convert", "-", "-t", "json", "-o", out, "--strict", input=SEED.read_bytes())
    assert run.exit_code == 3
    assert not out.exists()
    assert run_cli("convert", "-", "-f", "text", "-t", "json", "--strict",
                   input=SEED.read_bytes()).exit_code == 0


def test_quiet_silences_warnings():
    run = run_cli("convert", "-", "-t", "json", "-q", input=SEED.read_bytes())
    assert run.exit_code == 0 and run.stderr == ""


def test_failed_conversion_leaves_the_old_target_intact(tmp_path: Path):
    out = tmp_path / "keep.json"
    out.write_bytes(b"old contents")
    run = run_cli("convert", "-", "-f", "json", "-o", out, input=b"{broken")
    assert run.exit_code == 1
    assert out.read_bytes() == b"old contents"
    assert sorted(os.listdir(tmp_path)) == ["keep.json"]


def test_python_dash_m_is_the_same_program():
    proc = subprocess.run([sys.executable, "-m", "artconv", "convert", str(SEED), "-t", "json"],
                          capture_output=True, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout == run_cli("convert", SEED, "-t", "json").stdout


def test_readme_one_liner_pipes_into_json_tool():
    proc = subprocess.run(
        f"{sys.executable} -m artconv convert {SEED} -t json | {sys.executable} -m json.tool",
        shell=True, capture_output=True, timeout=60)
    assert proc.returncode == 0 and b"\\u0427" in proc.stdout  # json.tool escapes Cyrillic


def test_python_api_is_a_function_of_bytes():
    import artconv

    data = SEED.read_bytes()
    out = artconv.convert(data, "json", from_="text")
    assert out == run_cli("convert", SEED, "-t", "json").stdout
    article = artconv.read(data, from_="text")
    assert artconv.write(article, "json") == out
    assert artconv.read_all(out, from_="json") == [article]


# ---------------------------------------------------------------------------------------------
# The two parsers of the option table


def _sample_value(option) -> list[str]:
    if option.kind in ("from", "to"):
        return ["md", "html", "commonmark"]
    if option.kind == "encoding":
        return ["cp1251", "latin1"]
    if option.kind == "int":
        return [str((option.minimum or 0) + 20), str(option.default or 0)]
    if option.kind == "choice":
        return list(option.choices)
    return ["value", "with space", "-starts-with-dash"]


def _command_lines() -> list[list[str]]:
    from artconv.cli.options import OPTIONS

    lines: list[list[str]] = [["convert", "a.txt"], ["convert", "a.txt", "b.html", "-"],
                              ["convert", "--", "-odd.txt"]]
    for option in OPTIONS:
        if option.kind == "flag":
            lines.extend(["convert", flag, "a.txt"] for flag in option.flags)
            continue
        for value in _sample_value(option):
            for flag in option.flags:
                lines.append(["convert", flag, value, "a.txt"])
                if flag.startswith("--"):
                    lines.append(["convert", f"{flag}={value}", "a.txt"])
                elif not value.startswith("-"):
                    lines.append(["convert", f"{flag}{value}", "a.txt"])
        if option.kind == "multiple":
            lines.append(["convert", option.flags[-1], "one", "a.txt", option.flags[-1], "two"])
    lines.append(["convert", "a.txt", "-t", "md", "-o", "out.md", "--wrap", "40", "-q", "-v"])
    return lines


@pytest.mark.parametrize("argv", _command_lines(), ids=lambda argv: " ".join(argv[1:]))
def test_the_fast_parser_and_click_read_every_option_alike(argv, monkeypatch):
    """The option table feeds two parsers (the click-free one that keeps a one-liner fast, and
    click): for every option, in every spelling, both give the same values, or the fast one
    leaves the line to click."""
    import artconv.cli.app as app
    from artconv.cli.fast import parse

    seen: list[dict] = []
    monkeypatch.setattr(app, "run_convert", lambda values: seen.append(dict(values)) or 0)
    status = app.run_app(list(argv))
    fast = parse(list(argv))
    if status != 0:  # click refuses it: the fast parser must have left it to click
        assert fast is None
    elif fast is not None:
        assert fast == seen[0]
