"""``artconv convert``: paths and ``-``, batches, outputs and exit codes, without click.

The options are a table (:data:`OPTIONS`) that :mod:`artconv.cli` turns into click options; a
plain ``artconv convert FILE -t md`` is parsed here from the same table and never imports click,
so a one-liner starts in a few tens of milliseconds. Anything this parser is not sure about
(``--help``, a typo, a bad value) goes to click, which reports it in its own words.

Standard output carries nothing but converted documents; every diagnostic is one line on
standard error: ``artconv: INPUT: what went wrong``. Exit status: 0 all converted, 1 an input
failed (the others are still written), 2 a usage error, 3 ``--strict`` and a warning.
"""

from __future__ import annotations

import os
import sys
import time

from . import formats
from .errors import ArtconvError, BinaryInputError, LimitError, Log, OutputError, UsageError
from .options import DEFAULT_MAX_INPUT_BYTES, ReadOptions, WriteOptions
from .records import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_STRICT = 0, 1, 2, 3
PROGRESS_MIN_INPUTS = 20
STDIN = "-"


# ---------------------------------------------------------------------------------------------
# The options, as data


@record
class Option:
    dest: str
    flags: tuple[str, ...]
    kind: str  # "text", "flag", "multiple", "int", "choice", "from", "to"
    help: str
    default: object = None
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None


OPTIONS: tuple[Option, ...] = (
    Option("from_", ("-f", "--from"), "from", "Input format: text, html, markdown, json, jsonl, "
           "epub. Default: from the extension, else guessed from the content.", metavar="FMT"),
    Option("to", ("-t", "--to"), "to", "Output format: html, markdown (md), gfm, json, jsonl, "
           "epub, text. Default: from the extension of --output.", metavar="FMT"),
    Option("output", ("-o", "--output"), "text", "A file for one input, a folder for several; "
           "- or nothing for stdout.", metavar="PATH"),
    Option("encoding", ("--encoding",), "text", "Read the input in this encoding.",
           metavar="NAME"),
    Option("encoding_errors", ("--encoding-errors",), "choice", "What to do with bytes that do "
           "not decode.", default="strict", choices=("strict", "replace")),
    Option("lang", ("--lang",), "text", "The article's language (BCP 47), over any other.",
           metavar="TAG"),
    Option("related_headings", ("--related-heading",), "multiple", "Another phrase that starts "
           "a related-articles section (repeatable).", metavar="PHRASE"),
    Option("base_url", ("--base-url",), "text", "Make links and image sources absolute.",
           metavar="URL"),
    Option("fragment", ("--fragment",), "flag", "HTML: write only the <article>."),
    Option("css", ("--css",), "text", "HTML: link this stylesheet; EPUB: embed this CSS file.",
           metavar="URL|FILE"),
    Option("no_front_matter", ("--no-front-matter",), "flag",
           "Markdown: no YAML front matter."),
    Option("wrap", ("--wrap",), "int", "Markdown and text: wrap lines at N columns.",
           metavar="N", minimum=20),
    Option("assets", ("--assets",), "multiple", "EPUB: a folder to find image files in "
           "(repeatable).", metavar="DIR"),
    Option("cover", ("--cover",), "text", "EPUB: the cover image.", metavar="FILE"),
    Option("no_cover", ("--no-cover",), "flag", "EPUB: no cover, even from the lead image."),
    Option("identifier", ("--identifier",), "text", "EPUB: the book's identifier.",
           metavar="ID"),
    Option("title", ("--title",), "text", "EPUB: the book's title.", metavar="TEXT"),
    Option("authors", ("--author",), "multiple", "EPUB: the book's author (repeatable).",
           metavar="NAME"),
    Option("jobs", ("-j", "--jobs"), "int", "Convert a batch in N processes (0: one per CPU).",
           default=1, minimum=0),
    Option("max_input_bytes", ("--max-input-bytes",), "int", "Refuse inputs larger than this.",
           default=DEFAULT_MAX_INPUT_BYTES, minimum=1),
    Option("strict", ("--strict",), "flag",
           "Treat warnings as errors: no output for that input, exit 3."),
    Option("quiet", ("-q", "--quiet"), "flag", "No warnings, progress or summary."),
    Option("verbose", ("-v", "--verbose"), "flag", "Also say what was detected."),
    Option("debug", ("--debug",), "flag", "Show a traceback for internal errors."),
)
_BY_FLAG = {flag: option for option in OPTIONS for flag in option.flags}


def option_value(option: Option, value: str) -> object:
    """A value of ``option`` from the command line; ValueError when it is not one."""
    if option.kind in ("from", "to"):
        return formats.get(value, reading=option.kind == "from",
                           writing=option.kind == "to").name
    if option.kind == "int":
        number = int(value)
        if option.minimum is not None and number < option.minimum:
            raise ValueError(value)
        return number
    if option.kind == "choice" and value not in option.choices:
        raise ValueError(value)
    return value


def parse_fast(argv: list[str]) -> dict[str, Any] | None:
    """The options of a plain ``convert`` command line, or None to let click handle it."""
    if not argv or argv[0] != "convert":
        return None
    values: dict[str, Any] = {o.dest: [] if o.kind == "multiple" else
                              (False if o.kind == "flag" else o.default) for o in OPTIONS}
    inputs: list[str] = []
    args = iter(argv[1:])
    only_inputs = False
    for arg in args:
        if only_inputs or arg == STDIN or not arg.startswith("-"):
            inputs.append(arg)
            continue
        if arg == "--":
            only_inputs = True
            continue
        name, equals, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        option = _BY_FLAG.get(name)
        if option is None and not arg.startswith("--") and len(arg) > 2:
            option = _BY_FLAG.get(arg[:2])  # "-tmd"
            if option is None or option.kind == "flag":
                return None
            equals, value = "=", arg[2:]
        if option is None:
            return None
        if option.kind == "flag":
            if equals:
                return None
            values[option.dest] = True
            continue
        if not equals:
            value = next(args, None)  # type: ignore[arg-type,assignment]
            if value is None:
                return None
        try:
            converted = option_value(option, value)
        except (ValueError, UsageError):
            return None
        if option.kind == "multiple":
            values[option.dest].append(converted)
        else:
            values[option.dest] = converted
    if not inputs:
        return None
    values["inputs"] = tuple(inputs)
    for option in OPTIONS:
        if option.kind == "multiple":
            values[option.dest] = tuple(values[option.dest])
    return values


# ---------------------------------------------------------------------------------------------
# Converting one input (in this process or a worker)


@record
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
    target: str | None = None
    """Write the output to this file here (in the worker), rather than returning it."""


class Outcome:
    __slots__ = ("index", "label", "data", "articles", "warnings", "notes", "error",
                 "strict_failure")

    def __init__(self, index: int, label: str) -> None:
        self.index, self.label = index, label
        self.data: bytes | None = None
        self.articles: list[Any] | None = None
        self.warnings: list[str] = []
        self.notes: list[str] = []
        self.error: str | None = None
        self.strict_failure = False

    def __reduce__(self) -> tuple[Any, ...]:  # sent back from worker processes
        return (_rebuild_outcome, (self.index, self.label, self.data, self.articles,
                                   self.warnings, self.notes, self.error, self.strict_failure))


def _rebuild_outcome(index: int, label: str, *state: Any) -> Outcome:
    outcome = Outcome(index, label)
    (outcome.data, outcome.articles, outcome.warnings, outcome.notes, outcome.error,
     outcome.strict_failure) = state
    return outcome


def convert_one(task: Task) -> Outcome:
    """Read, convert and (unless collecting) write one input to bytes."""
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
    except Exception as exc:  # a bug: one line, never a traceback (unless --debug)
        if task.debug:
            raise
        outcome.error = (f"internal error: {type(exc).__name__}: {exc} "
                         "(run with --debug for a traceback)")
    outcome.warnings = [w.message for w in log.warnings]
    outcome.notes = list(log.notes)
    if outcome.error is None and task.strict and outcome.warnings:
        outcome.strict_failure = True
        outcome.data = outcome.articles = None
    if outcome.data is not None and task.target is not None:
        try:
            _write_target(task, outcome.data)
            outcome.data = None
        except ArtconvError as exc:
            outcome.error = str(exc)
    return outcome


def _write_target(task: Task, data: bytes) -> None:
    from .output import write_file

    assert task.target is not None
    if task.path is not None and _same_file(task.path, task.target):
        raise OutputError(f"{task.target} is this input; refusing to write over it")
    write_file(task.target, data)


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
    if fmt.name != "epub":
        from .encoding import sniff_binary

        binary = sniff_binary(data)
        if binary:
            raise BinaryInputError(f"expected text, got {binary}")
    log.warn("guessed-format", f"read as {fmt.name}, guessed from its content ({why}); "
                               "say --from to be sure")
    return fmt


# ---------------------------------------------------------------------------------------------
# Messages


def err(line: str) -> None:
    """One line on standard error, as UTF-8 whatever the locale says."""
    data = (line + "\n").encode("utf-8", "replace")
    stream = sys.stderr
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is not None:
            stream.flush()
            buffer.write(data)
            buffer.flush()
        else:
            stream.write(data.decode("utf-8"))
            stream.flush()
    except (OSError, ValueError):
        pass


class Reporter:
    def __init__(self, *, quiet: bool, verbose: bool, total: int) -> None:
        self.quiet, self.verbose, self.total = quiet, verbose, total
        self.done = 0
        self.progress = not quiet and total >= PROGRESS_MIN_INPUTS and _isatty(sys.stderr)
        self._last_draw = 0.0

    def line(self, text: str) -> None:
        self._clear()
        err(f"artconv: {text}")

    def error(self, label: str, message: str) -> None:
        self.line(f"{label}: {message}")

    def warning(self, label: str, message: str) -> None:
        if not self.quiet:
            self.line(f"{label}: warning: {message}")

    def outcome(self, outcome: Outcome) -> None:
        for warning in outcome.warnings:
            self.warning(outcome.label, warning)
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


class PipeClosed(Exception):
    """The reader of standard output went away (``artconv ... | head -1``)."""


def stdout_write(data: bytes) -> None:
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise PipeClosed() from None


def silence_stdout() -> None:
    """After EPIPE, point stdout at /dev/null so that the interpreter's final flush is quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _output_name(label: str, fmt: formats.Format) -> str:
    if label == STDIN:
        return "stdin" + fmt.output_extension
    base = os.path.basename(label.rstrip("/")) or label
    return (os.path.splitext(base)[0] or base) + fmt.output_extension


# ---------------------------------------------------------------------------------------------
# The command


def run_command(values: dict[str, Any]) -> int:
    """``artconv convert`` with parsed options: every failure becomes a line and a status."""
    try:
        return run_convert(**values)
    except UsageError as exc:
        err(f"artconv: {exc}")
        return EXIT_USAGE
    except ArtconvError as exc:
        err(f"artconv: {exc}")
        return exc.exit_code
    except PipeClosed:
        silence_stdout()
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if values.get("debug"):
            raise
        err(f"artconv: internal error: {type(exc).__name__}: {exc} "
            "(run with --debug for a traceback)")
        return EXIT_FAILED


def run_convert(**kw: Any) -> int:
    inputs: tuple[str, ...] = kw["inputs"]
    if inputs.count(STDIN) > 1:
        raise UsageError("standard input (-) can be read only once")
    output: str | None = kw["output"]
    out_path = output if output not in (None, STDIN) else None
    to_name = kw["to"]
    if to_name is None:
        by_ext = formats.by_extension(out_path) if out_path else None
        if by_ext is None or not by_ext.writer:
            raise UsageError("say which format to write with --to (for example -t md); "
                             "artconv formats lists them")
        to_name = by_ext.name
    target = formats.get(to_name, writing=True)

    several = len(inputs) > 1
    if out_path is None:
        if target.binary and (output != STDIN or _isatty(sys.stdout)):
            raise UsageError(f"{target.name} is binary: write it to a file with -o FILE"
                             f"{target.output_extension}, or to a pipe with -o -")
        if several and not target.many:
            raise UsageError("several inputs need --output DIR (one file each), "
                             "or --to jsonl to stream them")
        mode = "stream" if target.many and target.name == "jsonl" else (
            "combined" if several else "stdout")
    elif target.many and os.path.splitext(out_path)[1].lower() in target.extensions \
            and not os.path.isdir(out_path):
        mode = "combined"
    elif several or os.path.isdir(out_path) or out_path.endswith(("/", os.sep)):
        mode = "folder"
    else:
        mode = "file"

    if kw["encoding"]:
        from .encoding import check_codec

        check_codec(kw["encoding"])
    resource_dirs = list(kw["assets"])
    for folder in resource_dirs:
        if not os.path.isdir(folder):
            raise UsageError(f"--assets {folder}: no such folder")
    for label in inputs:
        if label != STDIN:
            parent = os.path.dirname(label) or "."
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
        cover=kw["cover"], no_cover=kw["no_cover"], identifier=kw["identifier"],
        title=kw["title"], authors=tuple(kw["authors"]),
    )

    targets: dict[int, str] = {}
    if mode in ("file", "combined") and out_path is not None:
        for label in inputs:
            if label != STDIN and _same_file(label, out_path):
                raise ArtconvError(f"{output}: is one of the inputs; refusing to write over it")
        targets[0] = out_path
    elif mode == "folder":
        assert out_path is not None
        seen: dict[str, str] = {}
        for i, label in enumerate(inputs):
            path = os.path.join(out_path, _output_name(label, target))
            if path in seen:
                raise UsageError(f"{seen[path]} and {label} would both write {path}; "
                                 "convert them in separate runs or rename one")
            seen[path] = label
            targets[i] = path

    stdin_data = None
    if STDIN in inputs:
        stdin_data = sys.stdin.buffer.read(read_options.max_input_bytes + 1)
    collect = mode == "combined"
    tasks = [
        Task(i, label, None if label == STDIN else label,
             stdin_data if label == STDIN else None, kw["from_"], target.name,
             read_options, write_options, collect, kw["strict"], kw["debug"],
             targets.get(0 if mode == "file" else i) if mode in ("file", "folder") else None)
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
        for outcome in _run(tasks, kw["jobs"], streaming=mode in ("stdout", "stream")):
            if outcome.error is None and not outcome.strict_failure:
                try:
                    _deliver(outcome, mode, collected)
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
                reporter.error(out_path or STDIN, str(exc))
                failed += 1
    except PipeClosed:
        silence_stdout()
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


def _run(tasks: list[Task], jobs: int, *, streaming: bool = True) -> Iterator[Outcome]:
    """Outcomes in input order, converted here or in ``jobs`` worker processes. Streaming,
    each is yielded as soon as it and those before it are done; otherwise the largest inputs
    are started first, so that no worker is left alone with a big page at the end."""
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(tasks) <= 1:
        yield from map(convert_one, tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _preload(tasks)
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=context) as pool:
        if streaming:
            chunk = max(1, min(4, len(tasks) // (workers * 8)))
            yield from pool.map(convert_one, tasks, chunksize=chunk)
            return
        order = sorted(range(len(tasks)), key=lambda i: -_input_size(tasks[i]))
        futures = {i: pool.submit(convert_one, tasks[i]) for i in order}
        for i in range(len(tasks)):
            yield futures.pop(i).result()


def _input_size(task: Task) -> int:
    if task.data is not None:
        return len(task.data)
    try:
        return os.stat(task.path).st_size if task.path else 0
    except OSError:
        return 0  # reported by the conversion itself


def _preload(tasks: list[Task]) -> None:
    """Import the readers and writer a batch needs before the workers fork, so that each
    worker does not import them again."""
    names = {t.from_name for t in tasks if t.from_name}
    names.update(f.name for t in tasks if t.path and (f := formats.by_extension(t.path)))
    for name in names:
        formats.get(name, reading=True).load_reader()
    formats.get(tasks[0].to_name, writing=True).load_writer()


def _deliver(outcome: Outcome, mode: str, collected: list[Any]) -> None:
    """Hand an outcome to where it goes: the book being collected, or stdout (files were
    written by the worker that converted them)."""
    if mode == "combined":
        collected.extend(outcome.articles or [])
        return
    if mode in ("stdout", "stream"):
        assert outcome.data is not None
        stdout_write(outcome.data)


def _write_combined(articles: list[Any], target: formats.Format, options: WriteOptions,
                    out_path: str | None, reporter: Reporter, strict: bool) -> bool:
    """Write the one output of a book or a JSON Lines file; False when ``--strict`` refused
    it because of a warning."""
    from .api import write_articles
    from .output import write_file

    log = Log()
    label = out_path or STDIN
    data = write_articles(articles, target, options, log)
    for warning in log.warnings:
        reporter.warning(label, warning.message)
    if strict and log.warnings:
        reporter.error(label, "warnings are errors under --strict; nothing written")
        return False
    if out_path is None:
        stdout_write(data)
    else:
        write_file(out_path, data)
    return True


def main() -> None:
    """The console script and ``python -m artconv``: a plain ``convert`` is run here; all
    else (and every usage error, in click's words) goes through :mod:`artconv.cli`."""
    argv = sys.argv[1:]
    values = parse_fast(argv)
    if values is not None:
        sys.exit(run_command(values))
    from .cli import cli

    cli.main(argv, prog_name="artconv")
