"""The bad-input suite (reliability.md, section 3): each hostile or broken input runs through the
real command line in a child process with a time and memory budget, and ends with either its
text intact or a one-line error, exit 1 and no output file. Plus files, pipes and locales."""

from __future__ import annotations

import io
import json
import os
import random
import resource
import stat
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from .conftest import FIXTURES, run_cli, run_epubcheck

BUDGET_BYTES = 2 * 1024 ** 3
PEAK_BYTES = 1024 ** 3
# CPU time (not wall time: the machine may be busy): a base for start-up and a share per MB,
# several times what the shapes take here (benchmarks/hostile_shapes.py has the figures)
BUDGET_CPU_BASE = 5.0
BUDGET_CPU_PER_MB = 4.0
SEED = FIXTURES / "text" / "seed.txt"
CHILD_CPU_LIMIT = 120  # seconds: far past every budget below


class Limited:
    """A finished child: its result, CPU seconds and peak memory."""

    def __init__(self, proc: subprocess.CompletedProcess, cpu: float, peak: int) -> None:
        self.proc, self.cpu, self.peak = proc, cpu, peak


def limited(args: list[str], *, stdin: bytes | None = None,
            env: dict[str, str] | None = None) -> tuple[subprocess.CompletedProcess, float]:
    """artconv in a child with an address-space cap; (result, CPU seconds)."""
    found = run_limited(args, stdin=stdin, env=env)
    return found.proc, found.cpu


def run_limited(args: list[str], *, stdin: bytes | None = None,
                env: dict[str, str] | None = None) -> Limited:
    import tempfile

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (BUDGET_BYTES, BUDGET_BYTES))
        # a child that runs away dies by itself: the test's own timeout would leave it running
        resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_LIMIT, CHILD_CPU_LIMIT + 5))

    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        given.write(stdin or b"")
        given.seek(0)
        proc = subprocess.Popen([sys.executable, "-m", "artconv", *args], stdin=given,
                                stdout=out, stderr=err, preexec_fn=cap, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        completed = subprocess.CompletedProcess(proc.args, proc.returncode, out.read(),
                                                err.read())
    return Limited(completed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def budget(size: int) -> float:
    return BUDGET_CPU_BASE + BUDGET_CPU_PER_MB * size / 1e6


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    text = proc.stderr.decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if line]
    assert lines and lines[-1].startswith("artconv: "), text
    assert "Traceback" not in text
    return lines[-1]


# ---------------------------------------------------------------------------------------------
# The suite: (name, file name, bytes, expected) with expected "error: <words>" or "ok: <text>"


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "hello")
    return buf.getvalue()


def _random(n: int) -> bytes:
    return random.Random(42).randbytes(n)


LONG_RU = ("Региональных чиновников с февраля будут учить вести соцсети, анонимные "
           "телеграм-каналы и правильно реагировать на негативные сообщения. " * 8)

CASES = [
    ("empty", "empty.txt", b"", "error: empty input"),
    ("blank", "blank.txt", b"  \n\t\n \r\n", "error: empty input"),
    ("blank-html", "blank.html", b"\n\n   ", "error: empty input"),
    ("png", "picture.txt", b"\x89PNG\r\n\x1a\n" + _random(500), "error: a PNG image"),
    ("pdf", "doc.html", b"%PDF-1.7\n" + _random(500), "error: a PDF document"),
    ("zip-as-text", "archive.txt", _zip(), "error: a zip archive"),
    ("random", "noise.md", _random(4096), "error: expected text"),
    ("nul-bytes", "nul.txt", b"Title\n\nBody\x00with\x00nuls.\n" * 10, "error: NUL"),
    ("truncated-utf8", "cut.txt", "Заголовок\n\nТекст".encode() + "ы".encode()[:1],
     "error: truncated UTF-8 sequence at byte"),
    ("invalid-utf8", "bad.txt", "Заголовок\n\nТекст ".encode() + b"\xff\xfe" +
     " дальше.".encode(), "error: invalid UTF-8 at byte 31 (0xFF)"),
    ("utf16-bom", "u16.txt", "\ufeffTitle\n\nBody text.\n".encode("utf-16-le"), "ok: Body text."),
    ("short-cp1251", "s1251.txt", "Привет, мир\n".encode("cp1251"), "ok: Привет, мир"),
    ("short-koi8", "skoi8.txt", "Привет, мир\n".encode("koi8_r"), "ok: Привет, мир"),
    ("long-cp1251", "l1251.txt", ("Заголовок\n\n" + LONG_RU).encode("cp1251"),
     "ok: анонимные телеграм-каналы"),
    ("long-koi8", "lkoi8.txt", ("Заголовок\n\n" + LONG_RU).encode("koi8_r"),
     "ok: анонимные телеграм-каналы"),
    ("charset-lies-utf8", "lie1.html",
     ("<html><head><meta charset='windows-1251'><title>Т</title></head><body><p>" + LONG_RU +
      "</p></body></html>").encode("utf-8"), "ok: анонимные телеграм-каналы"),
    ("charset-lies-1251", "lie2.html",
     ("<html><head><meta charset='utf-8'><title>Т</title></head><body><p>" + LONG_RU +
      "</p></body></html>").encode("cp1251"), "ok: анонимные телеграм-каналы"),
    ("c0-controls", "ctl.html", b"<p>a&#x1;b\x01c&#0;d&#xD800;e&#x110000;f\x0b\x0cg\x1bh"
     b"\xef\xbf\xbei</p>", "ok: abc"),
    # found by fuzz/fuzz_readers.py: "&#8" (no ";") in text the extractor moves
    ("control-references", "refs.html", b"<html><body>a&#8b&#x1F;c&#0008;<div><p>d&#11e "
     b"long enough to be a paragraph of the article, with words, commas, and more.</p></div>"
     b"</body></html>", "ok: abc"),
    ("malformed-json", "bad.json", b'{"version": 1, "meta": ', "error: malformed JSON"),
    ("json-version-3", "v3.json", b'{"version": 3, "meta": {}, "blocks": []}',
     "error: unsupported JSON version 3"),
    ("not-an-epub", "book.epub", b"this is not a zip at all", "error: not a zip"),
    ("zip-not-epub", "book2.epub", _zip(), "error: not an EPUB"),
    # found by fuzz/fuzz_readers.py: a deflate stream that zlib rejects mid-entry
    ("corrupt-deflate-epub", "book3.epub",
     (FIXTURES / "hostile" / "corrupt-deflate.epub").read_bytes(), "error: cannot unpack"),
]


@pytest.mark.parametrize("name,filename,data,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_input(name, filename, data, expected, tmp_path):
    source = tmp_path / filename
    source.write_bytes(data)
    out = tmp_path / "out.json"
    proc, seconds = limited(["convert", str(source), "-t", "json", "-o", str(out)])
    assert seconds < budget(len(data)), f"{name} took {seconds:.1f} s of CPU"
    kind, _, words = expected.partition(": ")
    if kind == "error":
        assert proc.returncode == 1, proc.stderr
        assert words in one_line_error(proc)
        assert not out.exists()
        assert sorted(os.listdir(tmp_path)) == [filename]
    else:
        assert proc.returncode == 0, proc.stderr
        assert words in out.read_text(encoding="utf-8")
        text = out.read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\x00\x01\x0b\x0c\x1b\ufffe")


def _big_cases() -> list[tuple[str, str, bytes, str]]:
    line = "Слово " * (20 * 1024 * 1024 // 12)
    return [
        ("20mb-single-line", "line.txt", ("Заголовок\n\n" + line + "конец\n").encode(),
         "конец"),
        ("nested-100k", "deep.html", b"<div>" * 100_000 + b"deep text" + b"</div>" * 100_000 +
         b"<p>after the deep part</p>", "after the deep part"),
        ("300k-paragraphs", "many.html", b"".join(b"<p>paragraph %d</p>" % i
                                                  for i in range(300_000)), "paragraph 299999"),
        ("comments-50k", "comments.html", b"<p>before</p>" + b"<!--" * 50_000, "before"),
        ("cdata-50k", "cdata.html", b"<p>before</p>" + b"<![CDATA[" * 50_000, "before"),
        ("unclosed-b-50k", "bold.html", b"<b>x" * 50_000 + b"<p>after</p>", "after"),
        ("unclosed-a-20k", "links.html", b"<a href=x>y" * 20_000 + b"<p>after</p>", "after"),
        ("misnested-20k", "nest.html", b"<b><i>x</b></i>" * 20_000 + b"<p>after</p>", "after"),
        ("p-100k", "p.html", b"<p>x" * 100_000 + b"<p>last one", "last one"),
        ("table-5k", "table.html", b"<table><tr><td>" * 5_000 + b"cell text", "cell text"),
        ("50k-attributes", "attrs.html", b"<p " + b" ".join(b"a%d=1" % i for i in
                                                            range(50_000)) + b">text</p>",
         "text"),
        ("11mb-attribute", "attr.html", b'<p title="' + b"y" * (11 * 1024 * 1024) +
         b'">visible text</p><p>after</p>', "after"),
        ("amp-1m", "amp.html", b"<p>" + b"&amp;" * 1_000_000 + b"</p><p>tail</p>", "tail"),
        ("markdown-brackets", "brackets.md", b"[" * 100_000 + b"x" + b"]" * 100_000 +
         b"\n\nend of it\n", "end of it"),
        ("markdown-emphasis", "stars.md", b"*a " * 100_000 + b"\n\nend of it\n", "end of it"),
        ("equals-1m", "eq.txt", b"Title\n\n" + b"=" * 1_000_000 + b"\n\nend of it\n",
         "end of it"),
        ("spaces-tabs", "ws.txt", b"Title\n\n" + b" \t" * 500_000 + b"word\n", "word"),
        ("a-then-bang", "bang.txt", b"Title\n\n" + b"a" * 1_000_000 + b"!\n", "!"),
        # issue 11: shapes that cost quadratic time or gigabytes before
        ("srcset-token", "srcset.html", _page('<img srcset="' + "a" * 11_000 + '">'), "end"),
        ("lazy-url-value", "lazy.html", _page('<img data-x="' + "a.jpg" * 4_000 + ' 1">'),
         "end"),
        ("placeholder-name", "ph.html", _page('<img src="/blank' + "_x" * 10_000 + '.gif">'),
         "end"),
        ("br-400k", "br.html", _page("<p>x" + "<br>" * 400_000 + "</p>"), "end"),
        ("markdown-bang-100k", "bang.md", b"![" * 100_000 + b"\n\nend of it\n", "end of it"),
        ("gfm-table-10k", "table.md", ("| a | b |\n|---|---|\n" + "".join(
            f"| {i} | x |\n" for i in range(10_000)) + "\nend of it\n").encode(), "9999"),
        ("markdown-list-40k", "list.md", "".join(
            f"- item {i}\n" for i in range(40_000)).encode(), "item 39999"),
        ("dump-list-100k", "list.txt", ("Title\n\n" + "".join(
            f"- item {i}\n" for i in range(100_000))).encode(), "item 99999"),
        ("dump-related-100k", "related.txt", ("Title\n\nBody.\n\nЧитайте также\n\n" + "".join(
            f"Item {i}\n\n" for i in range(100_000))).encode(), "Item 99999"),
        ("json-list-30k-empty", "list.json", _json_list(30_000, 999_999_999), "999999999"),
        # issue 14: a document of many articles, each after its marker
        ("markdown-articles-20k", "articles.md", "".join(
            f"<!-- artconv:article -->\n\nArticle {i} text\n\n" for i in range(20_000)
        ).encode(), "Article 19999 text"),
    ]


def _page(inner: str) -> bytes:
    return ("<html><body><article><h1>T</h1><p>Some text of the page.</p>" + inner +
            "<p>The end.</p></article></body></html>").encode()


def _json_list(items: int, start: int) -> bytes:
    from .conftest import complete

    return json.dumps(complete({"meta": {"title": "List", "lang": "en"}, "blocks": [
        {"type": "list", "ordered": True, "start": start, "items": [[]] * items}]})).encode()


@pytest.mark.slow
@pytest.mark.parametrize("name,filename,data,needle", _big_cases(),
                         ids=[c[0] for c in _big_cases()])
def test_pathological_input_keeps_its_text_within_budget(name, filename, data, needle,
                                                         tmp_path):
    source = tmp_path / filename
    source.write_bytes(data)
    out = tmp_path / "out.md"
    found = run_limited(["convert", str(source), "-t", "md", "-o", str(out), "-q"])
    assert found.cpu < budget(len(data)), f"{name} took {found.cpu:.1f} s of CPU"
    assert found.peak < PEAK_BYTES, f"{name} peaked at {found.peak / 1e6:.0f} MB"
    assert found.proc.returncode == 0, found.proc.stderr[-500:]
    text = out.read_text(encoding="utf-8")
    assert needle in text.replace("\\", "")


def test_input_over_the_size_limit_is_refused(tmp_path):
    source = tmp_path / "big.txt"
    source.write_bytes(b"Title\n\n" + b"x" * 2000)
    proc, _ = limited(["convert", str(source), "-t", "json", "--max-input-bytes", "1000"])
    assert proc.returncode == 1 and "over the limit" in one_line_error(proc)
    piped, _ = limited(["convert", "-", "-f", "text", "-t", "json", "--max-input-bytes", "1000"],
                       stdin=source.read_bytes())
    assert piped.returncode == 1 and "over the limit" in one_line_error(piped)


def test_html_parser_is_lxml_not_html_parser():
    """reliability.md R-P3: html.parser is quadratic on <!-- x 50k; lxml is not."""
    started = time.process_time()  # CPU time, with room: never a wall-clock race
    run = run_cli("convert", "-", "-f", "html", "-t", "json",
                  input=b"<p>before</p>" + b"<!--" * 50_000)
    assert run.exit_code == 0 and time.process_time() - started < 5
    import sys as _sys

    assert "lxml.html.clean" not in _sys.modules  # R-X6: the blocklist cleaner is never used


# ---------------------------------------------------------------------------------------------
# Files


def test_failed_write_leaves_the_old_target_and_no_temporary_file(tmp_path, monkeypatch):
    import artconv.output as output

    target = tmp_path / "keep.json"
    target.write_bytes(b"old")

    class Boom(OSError):
        pass

    real_fdopen = os.fdopen

    def failing_fdopen(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)
        original = handle.write

        def write(data):
            original(data[:10])
            raise Boom(28, "No space left on device")

        handle.write = write
        return handle

    monkeypatch.setattr(output.os, "fdopen", failing_fdopen)
    run = run_cli("convert", SEED, "-t", "json", "-o", target)
    assert run.exit_code == 1 and "No space left on device" in run.stderr
    assert target.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["keep.json"]


def test_devices_and_fifos_are_written_through_not_replaced(tmp_path):
    assert run_cli("convert", SEED, "-t", "json", "-o", "/dev/null").exit_code == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = subprocess.run([sys.executable, "-m", "artconv", "convert", str(SEED), "-t", "json",
                           "-o", str(fifo)], capture_output=True, timeout=60)
    reader.join(timeout=30)
    assert proc.returncode == 0
    assert json.loads(received[0])["version"] == 2
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    out = subprocess.run([sys.executable, "-m", "artconv", "convert", str(SEED), "-t", "json",
                          "-o", "/dev/stdout"], capture_output=True, timeout=60)
    assert out.returncode == 0 and json.loads(out.stdout)["version"] == 2


@pytest.mark.parametrize("target,words", [
    ("/dev/full", "No space left on device"),
    ("{tmp}/missing/dir/out.json", "does not exist"),
    ("{tmp}/afile/out.json", "Not a directory"),
])
def test_unwritable_outputs_are_one_line_errors(target, words, tmp_path):
    (tmp_path / "afile").write_bytes(b"x")
    run = run_cli("convert", SEED, "-t", "json", "-o", target.format(tmp=tmp_path))
    assert run.exit_code == 1 and words in run.stderr
    errors = [line for line in run.stderr.splitlines() if ": warning: " not in line]
    assert len(errors) == 1 and "Traceback" not in run.stderr


def test_a_file_name_starting_with_a_dash(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("-odd.txt").write_bytes(SEED.read_bytes())
    run = run_cli("convert", "-t", "json", "--", "-odd.txt")
    assert run.exit_code == 0 and json.loads(run.stdout)["version"] == 2


def test_a_bad_input_in_a_batch_is_reported_and_the_others_convert(tmp_path):
    good = tmp_path / "good.txt"
    good.write_bytes(SEED.read_bytes())
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n")
    run = run_cli("convert", bad, good, "-t", "json", "-o", f"{tmp_path}/out/")
    assert run.exit_code == 1
    assert f"artconv: {bad}: expected text, got a PNG image" in run.stderr
    assert os.listdir(tmp_path / "out") == ["good.json"]


# ---------------------------------------------------------------------------------------------
# Pipes and locales


def test_a_closed_pipe_ends_quietly(tmp_path):
    page = tmp_path / "big.html"
    page.write_text("<html><body>" + "".join(f"<p>Paragraph number {i}, with some words.</p>"
                                            for i in range(20000)) + "</body></html>")
    proc = subprocess.run(f"{sys.executable} -m artconv convert {page} -t md | head -1",
                          shell=True, capture_output=True, timeout=120)
    assert proc.returncode == 0
    assert proc.stderr == b""
    assert proc.stdout.startswith(b"---")


@pytest.mark.parametrize("env", [{"LC_ALL": "C", "LANG": "C"}, {"PYTHONIOENCODING": "ascii"}])
def test_output_is_utf8_whatever_the_locale(env):
    environment = {**os.environ, **env}
    proc = subprocess.run([sys.executable, "-m", "artconv", "convert", str(SEED), "-t", "md"],
                          capture_output=True, timeout=60, env=environment)
    assert proc.returncode == 0
    assert "Чиновников научат".encode() in proc.stdout
    bad = subprocess.run([sys.executable, "-m", "artconv", "convert", "/nonexistent/Файл.txt",
                          "-t", "md"], capture_output=True, timeout=60, env=environment)
    assert bad.returncode == 1 and "Файл.txt".encode() in bad.stderr
    assert b"Traceback" not in bad.stderr


def test_same_bytes_for_every_format_under_another_time_zone(tmp_path):
    for to in ("html", "md", "json", "text"):
        here = subprocess.run([sys.executable, "-m", "artconv", "convert", str(SEED), "-t", to],
                              capture_output=True, timeout=60).stdout
        there = subprocess.run([sys.executable, "-m", "artconv", "convert", str(SEED), "-t", to],
                               capture_output=True, timeout=60,
                               env={**os.environ, "TZ": "Asia/Vladivostok"}).stdout
        assert here == there and here


# ---------------------------------------------------------------------------------------------
# URLs a URL parser rejects (found by fuzz/fuzz_readers.py)

ODD_LINKS = ["http://[not an address]/x", "https://[::1/x", "rel/[x]?q=1"]


@pytest.mark.parametrize("to", ["html", "md", "text", "json", "epub"])
def test_links_a_url_parser_rejects_keep_their_text(to, tmp_path):
    page = ("<html><head><title>Odd links</title></head><body><article><h1>Odd links</h1>" +
            "".join(f'<p>Paragraph {i} with <a href="{href}">link {i}</a> in it, long enough '
                    "to be read as the article.</p>" for i, href in enumerate(ODD_LINKS)) +
            "</article></body></html>")
    source = tmp_path / "odd.html"
    source.write_text(page, encoding="utf-8")
    out = tmp_path / f"out.{to}"
    run = run_cli("convert", source, "-t", to, "-o", out, "--base-url", "https://example.com/")
    assert run.exit_code == 0, run.stderr
    if to == "epub":
        assert run_epubcheck([out])[out] == []
    back = run_cli("convert", out, "-t", "text", "-f", to)
    for i in range(len(ODD_LINKS)):
        assert f"link {i}".encode() in back.stdout


def test_a_base_url_that_is_not_a_url_is_a_one_line_error(tmp_path):
    run = run_cli("convert", SEED, "-t", "md", "--base-url", "http://[bad/")
    assert run.exit_code != 0
    assert run.stderr.strip().count("\n") == 0 and "--base-url" in run.stderr


def test_epub_shapes_that_used_to_take_minutes(tmp_path):
    """A spine naming one chapter 20,000 times reads it once; a zip that declares more entries
    than the limit is refused from its end record, before its directory is parsed."""
    import sys as _sys

    _sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.hostile_shapes import _epub, _many_entries

    spine = tmp_path / "spine.epub"
    spine.write_bytes(_epub(20_000))
    found = run_limited(["convert", str(spine), "-t", "jsonl"])
    assert found.proc.returncode == 0 and found.cpu < budget(len(spine.read_bytes()))
    assert found.proc.stdout.count(b"\n") == 1 and b"read once" in found.proc.stderr
    many = tmp_path / "many.epub"
    many.write_bytes(_many_entries(20_000))
    found = run_limited(["convert", str(many), "-t", "json"])
    assert found.proc.returncode == 1 and b"declares 20,001 entries" in found.proc.stderr
    assert found.cpu < BUDGET_CPU_BASE
