"""--fetch-images against a server of our own on 127.0.0.1 (no test reaches anything else):
pictures fetched and embedded, redirects followed and checked, sizes capped while reading,
types taken from the bytes, loopback refused unless --fetch-private, a cache folder."""

from __future__ import annotations

import http.server
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from artconv.fetch import address_allowed

from .conftest import run_cli, run_epubcheck
from .test_documents import png

PICTURE = png(10, 10, 90)
OTHER = png(12, 4, 180)
pytestmark = pytest.mark.loopback  # tests/conftest.py: 127.0.0.1 only

BIG = png(6, 6, 7) + bytes(20_000)  # a PNG by its bytes, over a small --max-picture-bytes


class Handler(http.server.BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        path = self.path.split("?", 1)[0]
        if path == "/pic.png":
            self._send(200, PICTURE, "image/png")
        elif path == "/other.jpg":  # the type comes from the bytes, not the name
            self._send(200, OTHER, "image/jpeg")
        elif path == "/big.png":
            self._send(200, BIG, "image/png")
        elif path == "/page.png":
            self._send(200, b"<html><body>not a picture</body></html>", "image/png")
        elif path == "/moved.png":
            self.send_response(302)
            self.send_header("Location", "/pic.png")
            self.end_headers()
        elif path == "/loop.png":
            self.send_response(302)
            self.send_header("Location", "/loop.png")
            self.end_headers()
        elif path == "/elsewhere.png":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        else:
            self._send(404, b"no", "text/plain")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def page(tmp_path: Path, base: str, *names: str) -> Path:
    pictures = "".join(f'<figure><img src="{base}/{n}" alt="{n}"></figure>' for n in names)
    path = tmp_path / "page.html"
    path.write_text(f"<html><head><title>Pictures</title></head><body><article><h1>Pictures"
                    f"</h1><p>Some text about the pictures that follow.</p>{pictures}"
                    f"<p>The end of the text.</p></article></body></html>", encoding="utf-8")
    return path


def embedded(book: Path) -> set[bytes]:
    with zipfile.ZipFile(book) as z:
        return {z.read(n) for n in z.namelist() if n.startswith("EPUB/images/")}


def test_remote_pictures_are_fetched_into_the_book(server, tmp_path):
    source = page(tmp_path, server, "pic.png", "other.jpg", "moved.png")
    book = tmp_path / "out.epub"
    run = run_cli("convert", str(source), "-o", str(book), "--fetch-images", "--fetch-private")
    assert run.exit_code == 0, run.stderr
    assert embedded(book) == {PICTURE, OTHER}
    assert run_epubcheck([book])[book] == []


def test_without_the_option_nothing_is_fetched(server, tmp_path):
    source = page(tmp_path, server, "pic.png?untouched")
    before = Handler.hits.get("/pic.png?untouched", 0)
    run = run_cli("convert", str(source), "-o", str(tmp_path / "out.epub"))
    assert run.exit_code == 0 and Handler.hits.get("/pic.png?untouched", 0) == before
    assert "--fetch-images" in run.stderr


def test_loopback_is_refused_unless_allowed(server, tmp_path):
    source = page(tmp_path, server, "pic.png?refused")
    run = run_cli("convert", str(source), "-o", str(tmp_path / "out.epub"), "--fetch-images")
    assert run.exit_code == 0
    assert "--fetch-private" in run.stderr and Handler.hits.get("/pic.png?refused", 0) == 0


@pytest.mark.parametrize("name,why", [
    ("big.png", "--max-picture-bytes"), ("page.png", "not a JPEG, PNG or GIF"),
    ("loop.png", "redirects"), ("elsewhere.png", "only http and https"),
    ("missing.png", "404"),
])
def test_what_cannot_be_fetched_stays_a_link_with_a_reason(server, tmp_path, name, why):
    source = page(tmp_path, server, name)
    book = tmp_path / "out.epub"
    run = run_cli("convert", str(source), "-o", str(book), "--fetch-images", "--fetch-private",
                  "--max-picture-bytes", "5000", "--strict")
    assert run.exit_code == 0, run.stderr  # a link kept is not a loss under --strict
    assert why in run.stderr and embedded(book) == set()


def test_the_cache_folder_answers_the_second_time(server, tmp_path):
    cache = tmp_path / "cache"
    source = page(tmp_path, server, "pic.png?cached")
    for _ in range(2):
        run = run_cli("convert", str(source), "-o", str(tmp_path / "out.epub"),
                      "--fetch-images", "--fetch-private", "--fetch-cache", str(cache))
        assert run.exit_code == 0, run.stderr
    assert Handler.hits["/pic.png?cached"] == 1
    assert [p.read_bytes() for p in cache.iterdir()] == [PICTURE]


def test_markdown_with_fetched_pictures_extracted(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = page(tmp_path, server, "pic.png")
    run = run_cli("convert", str(source), "-t", "md", "--fetch-images", "--fetch-private",
                  "--extract-media", "media")
    assert run.exit_code == 0, run.stderr
    [picture] = (tmp_path / "media").iterdir()
    assert picture.read_bytes() == PICTURE and f"](media/{picture.name})" in run.stdout.decode()


@pytest.mark.parametrize("address,allowed", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("::1", False),
    ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False), ("224.0.0.1", False),
    ("93.184.215.14", True), ("2606:4700::1111", True), ("not an address", False),
])
def test_addresses_that_may_be_reached(address, allowed):
    assert address_allowed(address) is allowed
    if address == "127.0.0.1":
        assert address_allowed(address, private=True)
