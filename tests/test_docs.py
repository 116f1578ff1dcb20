"""The docs match the project, kept so by tests: every relative link and every file the README
and docs/ name resolves in the project itself, every README command on `examples/` runs, every
figure the README quotes names the command that gives it, and the example CI job does what its
comment says. Also: no reader imports a writer and no writer a reader."""

from __future__ import annotations

import ast
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, run_cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_LINK = re.compile(r"\]\(([^)\s]+)\)")
_CODE_SPAN = re.compile(r"`([^`\n]+)`")
_FILE_NAME = re.compile(r"[\w./-]*\w\.(?:md|py|sh|toml|json|txt|lua|rb)")
_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _project_files() -> list[str]:
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in (
            "__pycache__", "node_modules", "build", "dist") and not d.endswith(".egg-info")]
        found.extend(os.path.relpath(os.path.join(folder, f), ROOT) for f in files)
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves(doc: Path) -> None:
    # links in code (Markdown shown as an example) are not links of the doc
    text = _CODE_SPAN.sub("", _FENCE.sub("", doc.read_text(encoding="utf-8")))
    broken = []
    for target in _LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue
        path = target.split("#", 1)[0]
        if path and not (doc.parent / path).exists():
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_file_a_doc_names_is_in_the_project(doc: Path) -> None:
    """A file named in a code span (``docs/json.md``, ``tests/test_epub.py``) exists in the
    project (a clone alone), as a path from the root or the doc's folder or as a file name
    some project file has; files of the shared workspace are named as ``../shared/...``."""
    files = _project_files()
    names = {os.path.basename(f) for f in files}
    missing = []
    for span in _CODE_SPAN.findall(doc.read_text(encoding="utf-8")):
        for name in _FILE_NAME.findall(span):
            if name.startswith(("../", "/")) or "*" in span or " " in name:
                continue
            if not ((ROOT / name).exists() or (doc.parent / name).exists()
                    or ("/" not in name and name in names)
                    or any(f.endswith("/" + name) for f in files)):
                missing.append(name)
    allowed = {"dump.txt", "page.html", "book.md", "all.jsonl", "both.md", "clean.html",
               "a.txt", "b.txt", "c.md", "out.md", "story.md"}
    assert sorted(set(missing) - allowed) == []


def _readme_commands() -> list[str]:
    commands = []
    for block in _FENCE.findall((ROOT / "README.md").read_text(encoding="utf-8")):
        for line in block.splitlines():
            if "examples/" not in line:
                continue
            command = line.split(" && ")[-1].split("  #")[0].strip()
            if command.startswith("artconv "):
                commands.append(command)
    return commands


def test_the_readme_has_commands_on_its_examples() -> None:
    assert _readme_commands(), "the README shows no command on examples/"


@pytest.mark.parametrize("command", _readme_commands())
def test_every_readme_command_on_examples_runs(command: str, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    args = shlex.split(command)[1:]
    run = run_cli(*args)
    assert run.exit_code == 0, run.stderr
    assert run.stdout or any(tmp_path.rglob("*.*"))


_FIGURE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:ms|s|MB|GB|KB|%|×)(?!\w)|\b\d+ of \d+\b"
                     r"|\b0\.\d{2,}\b")
_COMMAND = re.compile(r"`(?:python|\.ci/run|artconv|benchmarks/|pytest)[^`]*`")


def test_every_figure_the_readme_quotes_names_its_command() -> None:
    paragraphs = re.split(r"\n\s*\n", _FENCE.sub("", (ROOT / "README.md").read_text(
        encoding="utf-8")))
    unsourced = [p.strip()[:120] for p in paragraphs
                 if _FIGURE.search(p) and not _COMMAND.search(p)]
    assert unsourced == []


# --- the example CI job --------------------------------------------------------------------------

def _ci_job(tmp_path: Path, pages: dict[str, bytes]) -> subprocess.CompletedProcess[bytes]:
    scraped = tmp_path / "scraped"
    scraped.mkdir()
    for name, data in pages.items():
        (scraped / name).write_bytes(data)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
           f"{os.environ.get('PATH', '')}"}
    return subprocess.run(["sh", str(ROOT / "examples" / "batch-ci.sh"), "scraped", "site"],
                          cwd=tmp_path, env=env, capture_output=True, timeout=300)


def test_the_example_ci_job_converts_a_clean_folder(tmp_path: Path) -> None:
    page = (FIXTURES / "html" / "seed.html").read_bytes() \
        if (FIXTURES / "html" / "seed.html").exists() else None
    if page is None:
        page = next((FIXTURES / "html").glob("*.html")).read_bytes()
    clean = b"<html lang='en'><head><title>T</title></head><body><article><h1>T</h1>" + \
        b"<p>A paragraph of the article that is long enough to be its body text.</p>" * 5 + \
        b"</article></body></html>"
    proc = _ci_job(tmp_path, {"one.html": clean})
    assert proc.returncode == 0, proc.stderr.decode()
    assert (tmp_path / "site" / "data" / "one.json").exists()
    assert (tmp_path / "site" / "content" / "one.md").exists()
    assert (tmp_path / "site" / "today.epub").exists()


def test_the_example_ci_job_fails_with_3_on_a_loss(tmp_path: Path) -> None:
    lossy = b"<html lang='en'><head><title>T</title></head><body><article><h1>T</h1>" + \
        b"<p>A paragraph of the article that is long enough to be its body text.</p>" * 3 + \
        b"<figure><img src='images/missing.jpg' alt='x'></figure>" + \
        b"<p>And another paragraph of the article after its only picture.</p></article>" + \
        b"</body></html>"
    proc = _ci_job(tmp_path, {"lossy.html": lossy})
    assert proc.returncode == 3, proc.stderr.decode()
    assert b"missing.jpg" in proc.stderr


# --- structure: readers and writers do not import each other -----------------------------------

def _imports(path: Path) -> set[str]:
    """Every module ``path`` imports (at any depth of the code), as absolute names."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[:len(parts) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize(("side", "other"), [("readers", "writers"), ("writers", "readers")])
def test_no_reader_imports_a_writer_nor_a_writer_a_reader(side: str, other: str) -> None:
    modules = sorted((ROOT / "artconv" / side).rglob("*.py"))
    assert len(modules) >= 5
    crossing = {str(p.relative_to(ROOT)): sorted(m for m in _imports(p)
                                                if m.startswith(f"artconv.{other}"))
                for p in modules}
    assert {k: v for k, v in crossing.items() if v} == {}


def test_the_import_check_sees_an_import_across() -> None:
    fake = ROOT / "artconv" / "readers" / "markdown.py"
    assert "artconv.mdform" in _imports(fake)
    assert "artconv.mdform.parser" in _imports(fake)


def test_metadata_names_come_from_the_model() -> None:
    from artconv.jsonform import V2_KEYS
    from artconv.mdform import FRONT_MATTER_NAMES, FRONT_MATTER_ORDER, META_FIELDS
    from artconv.model import Meta
    from artconv.records import fields

    assert (*META_FIELDS, "extra") == fields(Meta)
    assert FRONT_MATTER_ORDER == tuple(f for f in fields(Meta) if f not in ("title", "extra"))
    assert set(FRONT_MATTER_NAMES.values()) == set(META_FIELDS)
    assert set(V2_KEYS[Meta]) <= set(fields(Meta))
