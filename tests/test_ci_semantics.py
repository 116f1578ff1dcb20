"""What a CI job relies on, through the command line: one meaning of ``--strict`` for every
format, where a saved page's pictures are looked up, one output written whole or not at all,
a book's language, ``--extract-media`` relative to the output, usage errors."""

from __future__ import annotations

import base64
import json
import re
import zipfile
from pathlib import Path

import pytest

from .conftest import run_cli

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE"
                       "hQGAhKmMIQAAAABJRU5ErkJggg==")
WRITERS = ("md", "html", "json", "text", "epub", "jsonl", "gfm")
DUMP = "A title\n\nThe first paragraph says enough to be read.\n\n{picture}\n\nThe end.\n"


def dump(folder: Path, name: str = "a.txt", picture: str = "missing.jpg") -> Path:
    path = folder / name
    path.write_text(DUMP.format(picture=picture), encoding="utf-8")
    return path


def warning_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line]


# --- --strict: the model's losses, in every format ------------------------------------------

@pytest.mark.parametrize("to", WRITERS)
def test_a_missing_local_picture_is_a_loss_in_every_format(tmp_path: Path, to: str) -> None:
    source = dump(tmp_path)
    out = tmp_path / f"out.{to}"
    run = run_cli("convert", source, "-t", to, "-o", out)
    assert run.exit_code == 0 and out.exists()
    assert any("missing.jpg" in line for line in warning_lines(run.stderr)), run.stderr
    out.unlink()
    run = run_cli("convert", source, "-t", to, "-o", out, "--strict")
    assert run.exit_code == 3, run.stderr
    assert not out.exists()


@pytest.mark.parametrize("to", WRITERS)
def test_a_present_picture_is_no_loss_in_any_format(tmp_path: Path, to: str) -> None:
    (tmp_path / "here.png").write_bytes(PNG)
    source = dump(tmp_path, picture="here.png")
    out = tmp_path / f"out.{to}"
    run = run_cli("convert", source, "-t", to, "-o", out, "--strict")
    assert run.exit_code == 0, run.stderr
    assert out.stat().st_size > 0


def test_a_file_that_is_not_a_picture_is_a_loss(tmp_path: Path) -> None:
    (tmp_path / "fake.png").write_bytes(b"<html>not a picture</html>")
    source = dump(tmp_path, picture="fake.png")
    run = run_cli("convert", source, "-t", "md", "-o", tmp_path / "o.md", "--strict")
    assert run.exit_code == 3 and "fake.png" in run.stderr


# --- a saved page's pictures ----------------------------------------------------------------

PAGE = """<!doctype html><html lang="en"><head><title>Park opens</title>{canonical}</head>
<body><article><h1>Park opens</h1>
<p>The new park opened on Saturday with a crowd of several thousand people from the city.</p>
<figure><img src="images/park-aerial.png" alt="From above"><figcaption>From above</figcaption>
</figure>
<p>Its paths run for four kilometres along the river and past the old mills of the town.</p>
<figure><img src="/img/thumbs/x.png" alt="A thumb"><figcaption>A thumb</figcaption></figure>
<p>The city council paid for most of it, and a local trust raised the rest over six years.</p>
</article></body></html>
"""


def saved_page(folder: Path, canonical: str = "") -> Path:
    (folder / "images").mkdir()
    (folder / "images" / "park-aerial.png").write_bytes(PNG)
    mirror = folder / "mirror" / "example.com" / "img" / "thumbs"
    mirror.mkdir(parents=True)
    (mirror / "x.png").write_bytes(PNG + b"\0")  # another picture: a file of its own
    page = folder / "page.html"
    page.write_text(PAGE.format(canonical=canonical), encoding="utf-8")
    return page


def book_pictures(book: Path) -> list[str]:
    with zipfile.ZipFile(book) as zf:
        return sorted(n for n in zf.namelist() if n.endswith(".png"))


def test_page_pictures_with_base_url_and_a_mirror(tmp_path: Path) -> None:
    page = saved_page(tmp_path)
    book = tmp_path / "page.epub"
    run = run_cli("convert", page, "-o", book, "--assets", tmp_path / "mirror", "--strict",
                  "--base-url", "https://example.com/news/page.html")
    assert run.exit_code == 0, run.stderr
    assert len(book_pictures(book)) == 2, run.stderr  # the local one and the mirrored one
    assert not warning_lines(run.stderr), run.stderr


def test_root_relative_pictures_take_the_host_of_the_canonical_url(tmp_path: Path) -> None:
    page = saved_page(tmp_path, '<link rel="canonical" href="https://example.com/news/p">')
    book = tmp_path / "page.epub"
    run = run_cli("convert", page, "-o", book, "--assets", tmp_path / "mirror", "--strict")
    assert run.exit_code == 0, run.stderr
    assert len(book_pictures(book)) == 2, run.stderr


def test_a_root_relative_picture_without_a_host_is_refused_not_guessed(tmp_path: Path) -> None:
    page = saved_page(tmp_path)
    run = run_cli("convert", page, "-o", tmp_path / "page.epub", "--assets", tmp_path / "mirror")
    assert run.exit_code == 0
    assert any("/img/thumbs/x.png" in line for line in warning_lines(run.stderr)), run.stderr
    assert len(book_pictures(tmp_path / "page.epub")) == 1


def test_page_pictures_extract_beside_the_output(tmp_path: Path) -> None:
    page = saved_page(tmp_path)
    out = tmp_path / "site" / "page.md"
    run = run_cli("convert", page, "-o", out, "--assets", tmp_path / "mirror", "--strict",
                  "--base-url", "https://example.com/news/page.html", "--extract-media", "media")
    assert run.exit_code == 0, run.stderr
    refs = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", out.read_text(encoding="utf-8"))
    assert len(refs) == 2
    for ref in refs:
        assert ref.startswith("media/") and (out.parent / ref).read_bytes().startswith(PNG)


# --- one output: whole or absent --------------------------------------------------------------

@pytest.mark.parametrize("name", ["all.md", "all.epub", "all.html", "all.txt", "all.jsonl"])
def test_a_single_output_is_whole_or_absent(tmp_path: Path, name: str) -> None:
    good = dump(tmp_path, "good.txt", picture="")
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / name
    run = run_cli("convert", good, tmp_path / "empty.txt", "-o", out)
    assert run.exit_code == 1
    assert not out.exists()
    assert any("empty.txt" in line and "nothing written" in line
               for line in run.stderr.splitlines()), run.stderr
    run = run_cli("convert", good, good, "-o", out)
    assert run.exit_code == 0 and out.exists()


def test_a_refused_input_under_strict_keeps_the_single_output_out(tmp_path: Path) -> None:
    good = dump(tmp_path, "good.txt", picture="")
    lossy = dump(tmp_path, "lossy.txt")
    run = run_cli("convert", good, lossy, "-o", tmp_path / "all.md", "--strict")
    assert run.exit_code == 3 and not (tmp_path / "all.md").exists()


def test_a_folder_output_keeps_going(tmp_path: Path) -> None:
    good = dump(tmp_path, "good.txt", picture="")
    (tmp_path / "empty.txt").write_bytes(b"")
    run = run_cli("convert", good, tmp_path / "empty.txt", "-o", tmp_path / "out/", "-t", "md")
    assert run.exit_code == 1
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["good.md"]


# --- a book's language -------------------------------------------------------------------------

def test_a_book_is_in_the_language_of_most_of_its_text(tmp_path: Path) -> None:
    english = tmp_path / "en.txt"
    english.write_text("Short news\n\nA short English paragraph about the weather today.\n",
                       encoding="utf-8")
    inputs = [english]
    for n in range(3):
        russian = tmp_path / f"ru{n}.txt"
        russian.write_text("Новости дня\n\n" + "Длинный русский абзац о погоде в городе и "
                           "о том, что будет завтра. " * 5 + "\n", encoding="utf-8")
        inputs.append(russian)
    book = tmp_path / "book.epub"
    run = run_cli("convert", *inputs, "-o", book)
    assert run.exit_code == 0, run.stderr
    with zipfile.ZipFile(book) as zf:
        opf = next(zf.read(n).decode() for n in zf.namelist() if n.endswith(".opf"))
        chapters = [zf.read(n).decode() for n in sorted(zf.namelist())
                    if n.endswith(".xhtml") and "nav" not in n]
    assert re.search(r"<dc:language>ru</dc:language>", opf), opf
    assert sum('xml:lang="en"' in c for c in chapters) == 1
    assert sum('xml:lang="ru"' in c for c in chapters) == 3


# --- --extract-media is relative to the output -------------------------------------------------

@pytest.fixture()
def book_with_a_picture(tmp_path: Path) -> Path:
    (tmp_path / "pic.png").write_bytes(PNG)
    source = dump(tmp_path, "c.txt", picture="pic.png")
    book = tmp_path / "c.epub"
    assert run_cli("convert", source, "-o", book).exit_code == 0
    return book


@pytest.mark.parametrize("to", ["md", "html", "json"])
@pytest.mark.parametrize("where", ["out/book", "deep/er/book", "book"])
def test_extracted_media_resolve_from_the_outputs_folder(
        book_with_a_picture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        to: str, where: str) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path(f"{where}.{to}")
    run = run_cli("convert", book_with_a_picture, "-t", to, "-o", out, "--extract-media",
                  "media")
    assert run.exit_code == 0, run.stderr
    text = out.read_text(encoding="utf-8")
    refs = set(re.findall(r"media/[0-9a-f]{40}\.png", text))
    assert refs, text
    for ref in refs:
        assert (out.parent / ref).read_bytes() == PNG
    assert not Path("media").exists() or out.parent == Path(".")


def test_extracted_media_to_standard_output_are_relative_to_the_working_folder(
        book_with_a_picture: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = run_cli("convert", book_with_a_picture, "-t", "md", "--extract-media", "m")
    assert run.exit_code == 0
    (ref,) = re.findall(r"m/[0-9a-f]{40}\.png", run.text)
    assert Path(ref).read_bytes() == PNG


# --- usage errors --------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "says"), [
    (("-o", "out.docx"), "'.docx'"),
    (("-o", ""), "empty name"),
    (("--base-url", "not a url", "-t", "md"), "not an absolute http(s) URL"),
    (("--base-url", "ftp://example.com/", "-t", "md"), "not an absolute http(s) URL"),
    (("--base-url", "https://", "-t", "md"), "not an absolute http(s) URL"),
])
def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...],
                                              says: str) -> None:
    source = dump(tmp_path, picture="")
    run = run_cli("convert", source, *args)
    assert run.exit_code == 2
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("artconv: ") and says in lines[0], lines
    assert list(tmp_path.iterdir()) == [source]


def test_formats_names_the_json_version_written() -> None:
    listed = run_cli("formats").text
    (line,) = [line for line in listed.splitlines() if line.startswith("json ")]
    version = json.loads(run_cli("convert", "-", "-f", "text", "-t", "json",
                                 input=b"T\n\nSome body text.\n").text)["version"]
    assert f"version {version}" in line


def test_no_title_key_without_a_title() -> None:
    run = run_cli("convert", "-", "-f", "markdown", "-t", "md",
                  input=b"---\nlang: en\n---\n\nJust a paragraph.\n")
    assert run.exit_code == 0, run.stderr
    assert run.text.startswith("---\n") and "title" not in run.text, run.text
