"""Issue 11, by class: no output lands on any input of the run (whatever the path), a picture
resolves against its own input's folder only, hard links are refused, pictures are read once
and within caps, names printed on stderr cannot forge lines, a signal during a write leaves
nothing behind, and the internal errors hostile input used to cause are one-line errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import FIXTURES, complete, run_cli
from .test_epub import png

SEED = FIXTURES / "text" / "seed.txt"
SECRET = b"PRIVATE-PHOTO-BYTES-0xFEEDFACE"


def _json_doc(title: str) -> bytes:
    return json.dumps(complete({"meta": {"title": title, "lang": "en"}, "blocks": [
        {"type": "paragraph", "children": [{"type": "text", "text": "Body."}]}]})).encode()


# ---------------------------------------------------------------------------------------------
# No output on an input


def test_folder_output_through_a_symlink_onto_another_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("x.txt").write_bytes(SEED.read_bytes())
    Path("y.json").write_bytes(_json_doc("Y"))
    before = Path("y.json").read_bytes()
    Path("fo").mkdir()
    Path("fo/x.json").symlink_to("../y.json")
    run = run_cli("convert", "x.txt", "y.json", "-t", "json", "-o", "fo/")
    assert run.exit_code == 1
    assert "fo/x.json is the input y.json; refusing to write over it" in run.stderr
    assert Path("y.json").read_bytes() == before
    assert json.loads(Path("fo/y.json").read_bytes())["meta"]["title"] == "Y"


@pytest.mark.parametrize("how", ["hard link", "dot path", "symlink"])
def test_an_output_that_is_an_input_by_another_path_is_refused(how, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a.json").write_bytes(_json_doc("A"))
    before = Path("a.json").read_bytes()
    target = {"hard link": "hard.json", "dot path": "./sub/../a.json", "symlink": "soft.json"}[how]
    Path("sub").mkdir()
    if how == "hard link":
        os.link("a.json", "hard.json")
    if how == "symlink":
        Path("soft.json").symlink_to("a.json")
    run = run_cli("convert", "a.json", "-t", "json", "-o", target)
    assert run.exit_code == 1 and "refusing to write over it" in run.stderr
    assert Path("a.json").read_bytes() == before


def test_proc_self_fd_and_redirected_stdout_onto_an_input(tmp_path):
    doc = tmp_path / "a.json"
    doc.write_bytes(_json_doc("A"))
    before = doc.read_bytes()
    script = (f"import os, sys\nfd = os.open({str(doc)!r}, os.O_RDONLY)\n"
              "sys.argv = ['artconv', 'convert', sys.argv[1], '-t', 'json', '-o', "
              "f'/proc/self/fd/{fd}']\nfrom artconv.cli import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", script, str(doc)], capture_output=True,
                          timeout=60)
    assert proc.returncode == 1 and b"refusing to write over it" in proc.stderr
    with open(doc, "ab") as stdout:
        proc = subprocess.run([sys.executable, "-m", "artconv", "convert", str(doc), "-t",
                               "json"], stdout=stdout, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 1 and b"standard output is the input" in proc.stderr
    assert doc.read_bytes() == before


def test_an_output_path_that_is_a_symlink_is_replaced_not_written_through(tmp_path):
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(b"keep me")
    link = tmp_path / "out.json"
    link.symlink_to(elsewhere)
    run = run_cli("convert", SEED, "-t", "json", "-o", link)
    assert run.exit_code == 0, run.stderr
    assert not link.is_symlink() and json.loads(link.read_bytes())["version"] == 2
    assert elsewhere.read_bytes() == b"keep me"


# ---------------------------------------------------------------------------------------------
# Pictures: own folder only, no hard links, read once, caps


def _book_entries(path: Path) -> bytes:
    with zipfile.ZipFile(path) as book:
        return b"".join(book.read(name) for name in book.namelist())


def test_a_picture_resolves_against_its_own_inputs_folder_only(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for folder in ("in", "private"):
        Path(folder).mkdir()
    Path("in/evil.txt").write_text("Evil\n\nLead line\n\nphoto.png\n\nBody.\n", encoding="utf-8")
    Path("private/notes.txt").write_text("Notes\n\nSome private notes.\n", encoding="utf-8")
    Path("private/photo.png").write_bytes(png() + SECRET)
    run = run_cli("convert", "in/evil.txt", "private/notes.txt", "-t", "epub", "-o", "out/")
    assert run.exit_code == 0, run.stderr
    assert SECRET not in _book_entries(Path("out/evil.epub"))
    run = run_cli("convert", "in/evil.txt", "private/notes.txt", "-o", "book.epub")
    assert run.exit_code == 0, run.stderr
    assert SECRET not in _book_entries(Path("book.epub"))
    assert "photo.png" in run.stderr  # the missing picture is said


def test_a_hard_link_to_a_file_outside_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("in").mkdir()
    Path("outside.png").write_bytes(png() + SECRET)
    os.link("outside.png", "in/pic.png")
    Path("in/a.txt").write_text("Title\n\nLead line\n\npic.png\n\nBody.\n", encoding="utf-8")
    run = run_cli("convert", "in/a.txt", "-o", "a.epub")
    assert run.exit_code == 0, run.stderr
    assert "hard links" in run.stderr
    assert SECRET not in _book_entries(Path("a.epub"))


def test_pictures_over_the_total_cap_stay_placeholders(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    names = [f"p{n}.png" for n in range(4)]
    for n, name in enumerate(names):
        Path(name).write_bytes(png() + bytes([n]) * 3000)
    Path("a.txt").write_text("Title\n\nLead line\n\n" + "\n\n".join(
        f"{name}\n\nParagraph {n}." for n, name in enumerate(names)) + "\n", encoding="utf-8")
    run = run_cli("convert", "a.txt", "-o", "a.epub", "--max-media-bytes", "7000")
    assert run.exit_code == 0, run.stderr
    with zipfile.ZipFile("a.epub") as book:
        pictures = [n for n in book.namelist() if n.startswith("EPUB/images/")]
    assert len(pictures) == 2
    assert "--max-media-bytes" in run.stderr
    big = run_cli("convert", "a.txt", "-o", "b.epub", "--max-picture-bytes", "100", "-v")
    assert big.stderr.count("over the limit of 100 bytes") == 4


@pytest.mark.parametrize("cover", ["/dev/zero", "fifo"])
def test_a_cover_that_is_not_a_regular_file_is_refused_at_once(cover, tmp_path):
    if cover == "fifo":
        cover = str(tmp_path / "cover.fifo")
        os.mkfifo(cover)
    proc = subprocess.run([sys.executable, "-m", "artconv", "convert", str(SEED), "-o",
                           str(tmp_path / "a.epub"), "--cover", cover], capture_output=True,
                          timeout=60)
    assert proc.returncode == 1
    assert b"not a regular file" in proc.stderr and b"Traceback" not in proc.stderr
    assert not (tmp_path / "a.epub").exists()


# ---------------------------------------------------------------------------------------------
# Messages and signals


def test_names_with_control_characters_cannot_forge_lines(tmp_path):
    name = tmp_path / "evil\nartconv: converted 99, failed 0\n\x1b[2J.txt"
    name.write_bytes(b"")
    run = run_cli("convert", name, SEED, "-t", "json", "-o", f"{tmp_path}/out/")
    lines = run.stderr.splitlines()
    assert lines[-1] == "artconv: converted 1, failed 1"
    assert not any(line == "artconv: converted 99, failed 0" for line in lines)
    assert "\x1b" not in run.stderr and "evil\\nartconv" in run.stderr


def test_sigterm_during_a_write_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "book.epub"
    target.write_bytes(b"old book")
    script = ("import os, signal, sys\nimport artconv.output as output\n"
              "def fsync(fd):\n    os.kill(os.getpid(), signal.SIGTERM)\n"
              "output.os.fsync = fsync\n"
              f"sys.argv = ['artconv', 'convert', {str(SEED)!r}, '-o', {str(target)!r}]\n"
              "from artconv.cli import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, proc.stderr
    assert b"Traceback" not in proc.stderr
    assert target.read_bytes() == b"old book"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.epub"]


# ---------------------------------------------------------------------------------------------
# What used to be internal errors


@pytest.mark.parametrize("encoding", ["rot13", "base64", "zlib", "hex", "uu", "punycode",
                                      "nonsense"])
def test_an_encoding_that_is_not_a_text_encoding_is_a_usage_error(encoding):
    run = run_cli("convert", SEED, "-t", "json", "--encoding", encoding)
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1 and "internal error" not in run.stderr


@pytest.mark.parametrize("redirect", ["<&-", ">&-", "> /dev/full"])
def test_closed_or_full_standard_streams(redirect, tmp_path):
    source = "-" if redirect == "<&-" else str(SEED)
    proc = subprocess.run(f"{sys.executable} -m artconv convert {source} -f text -t json "
                          f"{redirect}", shell=True, capture_output=True, timeout=60)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("artconv: ")
    assert "internal error" not in lines[0]


def test_a_position_that_is_not_a_number_in_an_artconv_book(tmp_path):
    book = tmp_path / "a.epub"
    doc = complete({"meta": {"title": "T", "lang": "en"}, "blocks": [
        {"type": "related", "heading": "More", "items": [{"title": "Other article"}]},
        {"type": "paragraph", "children": [{"type": "text", "text": "Body."}]}]})
    (tmp_path / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    assert run_cli("convert", tmp_path / "a.json", "-o", book).exit_code == 0
    with zipfile.ZipFile(book) as original:
        entries = {n: original.read(n) for n in original.namelist()}
    chapter = "EPUB/chapter-001.xhtml"
    entries[chapter] = entries[chapter].replace(b'data-artconv-position="0"',
                                                'data-artconv-position="²"'.encode())
    hostile = tmp_path / "b.epub"
    with zipfile.ZipFile(hostile, "w") as out:
        for name, data in entries.items():
            out.writestr(name, data)
    run = run_cli("convert", hostile, "-t", "json")
    assert run.exit_code == 0 and "internal error" not in run.stderr
    assert [b["type"] for b in json.loads(run.stdout)["blocks"]] == ["paragraph", "related"]


def test_an_epub_chapter_with_a_c1_control_is_cleaned(tmp_path):
    book = tmp_path / "a.epub"
    assert run_cli("convert", SEED, "-o", book).exit_code == 0
    with zipfile.ZipFile(book) as original:
        entries = {n: original.read(n) for n in original.namelist()}
    chapter = "EPUB/chapter-001.xhtml"
    entries[chapter] = entries[chapter].replace("Региональных".encode(),
                                                "Регион\u0085альных".encode())
    hostile = tmp_path / "b.epub"
    with zipfile.ZipFile(hostile, "w") as out:
        for name, data in entries.items():
            out.writestr(name, data)
    run = run_cli("convert", hostile, "-t", "json")
    assert run.exit_code == 0 and "\u0085" not in run.stdout.decode()
    assert "Региональных" in run.stdout.decode()


def test_jobs_are_capped_at_the_cpus(tmp_path):
    from artconv.batch import cpu_count

    run = run_cli("convert", SEED, SEED, "-t", "jsonl", "--jobs", "1000")
    assert run.exit_code == 0
    assert f"using {cpu_count()}" in run.stderr
