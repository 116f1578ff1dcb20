"""The ``artconv`` command: flags to options, paths and ``-``, batches, exit codes.

This is the only module that prints. Standard output carries nothing but converted documents;
every diagnostic is one line on standard error: ``artconv: INPUT: what went wrong``.
Exit status: 0 all converted, 1 an input failed (the others are still written), 2 a usage
error, 3 ``--strict`` and a warning.
"""

from __future__ import annotations

import os
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import click

from . import __version__, formats
from .encoding import sniff_binary
from .errors import ArtconvError, BinaryInputError, LimitError, Log, OutputError, UsageError
from .options import DEFAULT_MAX_INPUT_BYTES, ReadOptions, WriteOptions

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STRICT = 0, 1, 2, 3
PROGRESS_MIN_INPUTS = 20
STDIN = "-"


class _PipeClosed(Exception):
    """The reader of standard output went away (``artconv ... | head -1``)."""


# ---------------------------------------------------------------------------------------------
# The plan: what to read, how, and where each output goes


@dataclass(frozen=True)
class Task:
    index: int
    label: str
    path: str | None
    data: bytes | None
    from_name: str | None
    to_name: str
    read_options: ReadOptions
    write_options: WriteOptions
    collect: bool
    """Return the articles (they go into one combined output) instead of written bytes."""
    strict: bool
    debug: bool


@dataclass
class Outcome:
    index: int
    label: str
    data: bytes | None = None
    articles: list[Any] | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str | None = None
    strict_failure: bool = False


def convert_one(task: Task) -> Outcome:
    """Read, convert and (unless collecting) write one input to bytes. Runs in a worker."""
    from .api import read_articles, write_articles

    outcome = Outcome(task.index, task.label)
    log = Log()
    try:
        data = task.data if task.data is not None else _read_input(task)
        if task.from_name:
            fmt = formats.get(task.from_name, reading=True)
        else:
            fmt = _guess_format(task, data, log)
        articles = read_articles(data, fmt, task.read_options, log)
        if task.collect:
            outcome.articles = articles
        else:
            target = formats.get(task.to_name, writing=True)
            outcome.data = write_articles(articles, target, task.write_options, log)
    except ArtconvError as exc:
        outcome.error = str(exc)
    except RecursionError:
        outcome.error = "input nested too deeply to process"
    except MemoryError:
        outcome.error = "out of memory"
    except Exception as exc:  # a bug: report it in one line, never a traceback
        if task.debug:
            raise
        outcome.error = (f"internal error: {type(exc).__name__}: {exc} "
                         "(run with --debug for a traceback)")
    outcome.warnings = [w.message for w in log.warnings]
    outcome.notes = list(log.notes)
    if outcome.error is None and task.strict and outcome.warnings:
        outcome.strict_failure = True
        outcome.data = outcome.articles = None
    return outcome


def _read_input(task: Task) -> bytes:
    assert task.path is not None
    limit = task.read_options.max_input_bytes
    try:
        with open(task.path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                raise LimitError(f"input is over the limit of {limit:,} bytes "
                                 "(--max-input-bytes)")
            return handle.read(limit + 1)
    except IsADirectoryError:
        raise ArtconvError("is a directory, not a file") from None
    except FileNotFoundError:
        raise ArtconvError("no such file") from None
    except PermissionError:
        raise ArtconvError("permission denied") from None
    except OSError as exc:
        raise ArtconvError(f"cannot read: {exc.strerror}") from None


def _guess_format(task: Task, data: bytes, log: Log) -> formats.Format:
    if task.path is not None and (fmt := formats.by_extension(task.path)):
        return fmt
    fmt, why = formats.sniff(data)
    if fmt.name != "epub" and (binary := sniff_binary(data)):
        raise BinaryInputError(f"expected text, got {binary}")
    log.warn("guessed-format", f"read as {fmt.name}, guessed from its content ({why}); "
                               "say --from to be sure")
    return fmt


# ---------------------------------------------------------------------------------------------
# Messages


class Reporter:
    def __init__(self, *, quiet: bool, verbose: bool, total: int) -> None:
        self.quiet, self.verbose, self.total = quiet, verbose, total
        self.done = 0
        self.progress = (not quiet and total >= PROGRESS_MIN_INPUTS and _isatty(sys.stderr))
        self._last_draw = 0.0

    def line(self, text: str) -> None:
        self._clear()
        click.echo(f"artconv: {text}", err=True)

    def error(self, label: str, message: str) -> None:
        self.line(f"{label}: {message}")

    def outcome(self, outcome: Outcome) -> None:
        if not self.quiet:
            for warning in outcome.warnings:
                self.line(f"{outcome.label}: warning: {warning}")
        if self.verbose:
            for note in outcome.notes:
                self.line(f"{outcome.label}: {note}")
        if outcome.error is not None:
            self.error(outcome.label, outcome.error)
        elif outcome.strict_failure:
            self.error(outcome.label, "warnings are errors under --strict; nothing written")
        self.done += 1
        self._draw()

    def _draw(self) -> None:
        if not self.progress:
            return
        now = time.monotonic()
        if now - self._last_draw < 0.1 and self.done < self.total:
            return
        self._last_draw = now
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\rartconv: [{bar}] {self.done}/{self.total}")
        sys.stderr.flush()

    def _clear(self) -> None:
        if self.progress and self._last_draw:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self._last_draw = 0.0

    def finish(self) -> None:
        self._clear()


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# ---------------------------------------------------------------------------------------------
# Output


def _stdout_write(data: bytes) -> None:
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise _PipeClosed() from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _output_name(label: str, fmt: formats.Format) -> str:
    stem = "stdin" if label == STDIN else Path(label).stem or Path(label).name
    return stem + fmt.output_extension


# ---------------------------------------------------------------------------------------------
# The commands


class ArtconvGroup(click.Group):
    """A click group whose ``main`` turns every failure into one line on stderr and an exit
    status: click's usage errors (2), artconv's errors, internal errors (1) and a closed pipe
    (1, silently). ``CliRunner`` and the console script both come through here."""

    def main(self, args: Any = None, prog_name: str | None = None,  # type: ignore[override]
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> NoReturn:
        argv = list(args) if args is not None else sys.argv[1:]
        sys.exit(_run_cli(self, argv, prog_name or "artconv", extra))


def _run_cli(group: click.Group, argv: list[str], prog_name: str, extra: dict[str, Any]) -> int:
    try:
        status = click.Group.main(group, args=argv, prog_name=prog_name,
                                  standalone_mode=False, **extra)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc), err=True)
        return EXIT_USAGE
    except click.UsageError as exc:
        command = exc.ctx.command_path if exc.ctx else "artconv"
        click.echo(f"artconv: {exc.format_message()} (see: {command} --help)", err=True)
        return EXIT_USAGE
    except ArtconvError as exc:
        click.echo(f"artconv: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo("artconv: aborted", err=True)
        return EXIT_FAILED
    except _PipeClosed:
        _silence_stdout()
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if "--debug" in argv:
            traceback.print_exc()
        else:
            click.echo(f"artconv: internal error: {type(exc).__name__}: {exc} "
                       "(run with --debug for a traceback)", err=True)
        return EXIT_FAILED
    return status if isinstance(status, int) else EXIT_OK


def _resolve_format(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return formats.get(value, reading=param.name == "from_",
                           writing=param.name == "to").name
    except UsageError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group(cls=ArtconvGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="artconv",
                      message="%(prog)s %(version)s")
def cli() -> None:
    """Convert news and blog articles between text dumps, HTML, Markdown, JSON and EPUB."""


@cli.command("formats")
def formats_command() -> None:
    """List the formats artconv reads and writes, one a line."""
    for fmt in formats.FORMATS:
        modes = ("read" if fmt.reader else "    ") + " " + ("write" if fmt.writer else "     ")
        exts = " ".join(fmt.extensions) or "-"
        aliases = f" (also: {', '.join(fmt.aliases)})" if fmt.aliases else ""
        click.echo(f"{fmt.name:<9} {modes}  {exts:<28} {fmt.description}{aliases}")


@cli.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of artconv's JSON document."""
    import json

    from .schema import json_schema

    _stdout_write((json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n").encode())


@cli.command("convert")
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("-f", "--from", "from_", metavar="FMT", callback=_resolve_format,
              help="Input format: text, html, markdown, json, jsonl, epub. "
                   "Default: from the extension, else guessed from the content.")
@click.option("-t", "--to", "to", metavar="FMT", callback=_resolve_format,
              help="Output format: html, markdown (md), gfm, json, jsonl, epub, text. "
                   "Default: from the extension of --output.")
@click.option("-o", "--output", metavar="PATH",
              help="A file for one input, a folder for several; - or nothing for stdout.")
@click.option("--encoding", metavar="NAME", help="Read the input in this encoding.")
@click.option("--encoding-errors", type=click.Choice(["strict", "replace"]), default="strict",
              show_default=True, help="What to do with bytes that do not decode.")
@click.option("--lang", metavar="TAG", help="The article's language (BCP 47), over any other.")
@click.option("--related-heading", "related_headings", multiple=True, metavar="PHRASE",
              help="Another phrase that starts a related-articles section (repeatable).")
@click.option("--base-url", metavar="URL", help="Make links and image sources absolute.")
@click.option("--fragment", is_flag=True, help="HTML: write only the <article>.")
@click.option("--css", metavar="URL|FILE",
              help="HTML: link this stylesheet; EPUB: embed this CSS file.")
@click.option("--no-front-matter", is_flag=True, help="Markdown: no YAML front matter.")
@click.option("--wrap", type=click.IntRange(min=20), metavar="N",
              help="Markdown and text: wrap lines at N columns.")
@click.option("--assets", multiple=True, metavar="DIR",
              help="EPUB: a folder to find image files in (repeatable).")
@click.option("--cover", metavar="FILE", help="EPUB: the cover image.")
@click.option("--no-cover", is_flag=True, help="EPUB: no cover, even from the lead image.")
@click.option("--identifier", metavar="ID", help="EPUB: the book's identifier.")
@click.option("--title", metavar="TEXT", help="EPUB: the book's title.")
@click.option("--author", "authors", multiple=True, metavar="NAME",
              help="EPUB: the book's author (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=1, show_default=True,
              help="Convert a batch in N processes (0: one per CPU).")
@click.option("--max-input-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_INPUT_BYTES,
              show_default=True, help="Refuse inputs larger than this.")
@click.option("--strict", is_flag=True,
              help="Treat warnings as errors: no output for that input, exit 3.")
@click.option("-q", "--quiet", is_flag=True, help="No warnings, progress or summary.")
@click.option("-v", "--verbose", is_flag=True, help="Also say what was detected.")
@click.option("--debug", is_flag=True, help="Show a traceback for internal errors.")
def convert_command(**kw: Any) -> int:
    """Convert INPUT files (or - for standard input) from one format to another."""
    return run_convert(**kw)


def run_convert(**kw: Any) -> int:
    inputs: tuple[str, ...] = kw["inputs"]
    if inputs.count(STDIN) > 1:
        raise UsageError("standard input (-) can be read only once")
    output: str | None = kw["output"]
    to_output = output not in (None, STDIN)
    to_name = kw["to"]
    if to_name is None:
        by_ext = formats.by_extension(output) if to_output else None
        if by_ext is None or not by_ext.writer:
            raise UsageError("say which format to write with --to (for example -t md); "
                             "artconv formats lists them")
        to_name = by_ext.name
    target = formats.get(to_name, writing=True)

    out_path = Path(output) if to_output else None
    several = len(inputs) > 1
    combined = target.many and out_path is not None and (
        out_path.suffix.lower() in target.extensions and not out_path.is_dir())
    if out_path is None:
        if target.binary and (output != STDIN or _isatty(sys.stdout)):
            raise UsageError(f"{target.name} is binary: write it to a file with -o FILE"
                             f"{target.output_extension}, or to a pipe with -o -")
        if several and not target.many:
            raise UsageError("several inputs need --output DIR (one file each), "
                             "or --to jsonl to stream them")
        mode = "stream" if target.many and target.name == "jsonl" else (
            "combined" if several else "stdout")
    elif combined:
        mode = "combined"
    elif several or out_path.is_dir() or output.endswith(("/", os.sep)):  # type: ignore[union-attr]
        mode = "folder"
    else:
        mode = "file"

    if kw["encoding"]:
        from .encoding import check_codec

        check_codec(kw["encoding"])
    resource_dirs = [Path(a) for a in kw["assets"]]
    for folder in resource_dirs:
        if not folder.is_dir():
            raise UsageError(f"--assets {folder}: no such folder")
    for label in inputs:
        if label != STDIN:
            parent = Path(label).parent
            if parent not in resource_dirs:
                resource_dirs.append(parent)
    read_options = ReadOptions(
        encoding=kw["encoding"], encoding_errors=kw["encoding_errors"], lang=kw["lang"],
        related_headings=tuple(kw["related_headings"]), base_url=kw["base_url"],
        max_input_bytes=kw["max_input_bytes"],
    )
    write_options = WriteOptions(
        fragment=kw["fragment"], css=kw["css"], front_matter=not kw["no_front_matter"],
        wrap=kw["wrap"], gfm=target.name == "gfm", resource_dirs=tuple(resource_dirs),
        cover=Path(kw["cover"]) if kw["cover"] else None, no_cover=kw["no_cover"],
        identifier=kw["identifier"], title=kw["title"], authors=tuple(kw["authors"]),
    )

    targets: dict[int, Path] = {}
    if mode == "file":
        assert out_path is not None
        for label in inputs:
            if label != STDIN and _same_file(Path(label), out_path):
                raise ArtconvError(f"{output}: is one of the inputs; refusing to write over it")
        targets[0] = out_path
    elif mode == "folder":
        assert out_path is not None
        seen: dict[Path, str] = {}
        for i, label in enumerate(inputs):
            path = out_path / _output_name(label, target)
            if path in seen:
                raise UsageError(f"{seen[path]} and {label} would both write {path}; "
                                 "convert them in separate runs or rename one")
            seen[path] = label
            targets[i] = path
    elif mode == "combined" and out_path is not None:
        for label in inputs:
            if label != STDIN and _same_file(Path(label), out_path):
                raise ArtconvError(f"{output}: is one of the inputs; refusing to write over it")

    stdin_data = None
    if STDIN in inputs:
        stdin_data = sys.stdin.buffer.read(read_options.max_input_bytes + 1)
    collect = mode == "combined"
    tasks = [
        Task(i, label, None if label == STDIN else label,
             stdin_data if label == STDIN else None, kw["from_"], target.name,
             read_options, write_options, collect, kw["strict"], kw["debug"])
        for i, label in enumerate(inputs)
    ]
    reporter = Reporter(quiet=kw["quiet"], verbose=kw["verbose"], total=len(tasks))
    failed = strict_failed = converted = 0
    collected: list[Any] = []
    if mode == "folder":
        assert out_path is not None
        from .output import make_dirs

        make_dirs(out_path)
    try:
        for outcome in _run(tasks, kw["jobs"]):
            if outcome.error is None and not outcome.strict_failure:
                try:
                    _deliver(outcome, mode, targets, inputs, collected)
                except ArtconvError as exc:
                    outcome.error = str(exc)
            reporter.outcome(outcome)
            if outcome.error is not None:
                failed += 1
            elif outcome.strict_failure:
                strict_failed += 1
            else:
                converted += 1
        if mode == "combined" and collected:
            try:
                if not _write_combined(collected, target, write_options, out_path, reporter,
                                       kw["strict"]):
                    strict_failed += 1
            except ArtconvError as exc:
                reporter.error(str(out_path or STDIN), str(exc))
                failed += 1
    except _PipeClosed:
        _silence_stdout()
        return EXIT_FAILED
    finally:
        reporter.finish()
    if len(tasks) > 1 and not kw["quiet"]:
        summary = f"converted {converted}, failed {failed}"
        if strict_failed:
            summary += f", refused under --strict {strict_failed}"
        reporter.line(summary)
    if failed:
        return EXIT_FAILED
    return EXIT_STRICT if strict_failed else EXIT_OK


def _run(tasks: list[Task], jobs: int) -> Iterator[Outcome]:
    """Outcomes in input order, converted here or in ``jobs`` worker processes."""
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(tasks) <= 1:
        yield from map(convert_one, tasks)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        chunk = max(1, min(16, len(tasks) // (workers * 8)))
        yield from pool.map(convert_one, tasks, chunksize=chunk)


def _deliver(outcome: Outcome, mode: str, targets: dict[int, Path],
             inputs: tuple[str, ...], collected: list[Any]) -> None:
    if mode == "combined":
        collected.extend(outcome.articles or [])
        return
    assert outcome.data is not None
    if mode in ("stdout", "stream"):
        _stdout_write(outcome.data)
        return
    from .output import write_file

    path = targets[0] if mode == "file" else targets[outcome.index]
    label = inputs[outcome.index]
    if label != STDIN and _same_file(Path(label), path):
        raise OutputError(f"{path} is this input; refusing to write over it")
    write_file(path, outcome.data)


def _write_combined(articles: list[Any], target: formats.Format, options: WriteOptions,
                    out_path: Path | None, reporter: Reporter, strict: bool) -> bool:
    """Write the one output of a book or a JSON Lines file; False when ``--strict`` refused
    it because of a warning."""
    from .api import write_articles
    from .output import write_file

    log = Log()
    label = str(out_path) if out_path else STDIN
    data = write_articles(articles, target, options, log)
    if not reporter.quiet:
        for warning in log.warnings:
            reporter.line(f"{label}: warning: {warning.message}")
    if strict and log.warnings:
        reporter.error(label, "warnings are errors under --strict; nothing written")
        return False
    if out_path is None:
        _stdout_write(data)
    else:
        write_file(out_path, data)
    return True


def _silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so that the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# ---------------------------------------------------------------------------------------------
# Entry point


def main() -> NoReturn:
    """The console script and ``python -m artconv``."""
    cli.main()
