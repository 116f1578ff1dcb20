"""Batches: the inputs of a run, converted here or in a pool of processes, their outcomes in
input order, and their outputs named and written. Errors are data (an :class:`Outcome`'s
``error``), so that the command line and the scale-out recipes report them their own way.

Where outputs go (:func:`plan`):

- nothing or ``-o -``: standard output; several inputs need a writer that puts several articles
  in one document (every writer but JSON; ``jsonl`` streams them as they come);
- ``-o DIR/``, an existing folder, or for several inputs a name without an extension: a file
  per input named after its stem, a file per article for an input that holds several (named
  from its title, collision-safe);
- ``-o FILE``: one document with every article of every input.

No output ever lands on an input of the run (:class:`artconv.output.InputFiles`).
"""

from __future__ import annotations

import os
import sys

from . import formats, output, pipeline
from .errors import (
    ArtconvError,
    InputError,
    LimitError,
    Log,
    OutputError,
    UsageError,
    Warning_,
)
from .options import MediaOptions, ReadOptions, WriteOptions
from .output import InputFiles, make_dirs
from .records import record
from .textutil import LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from typing import Any

    from .media import Picture
    from .model import Article

STDIN = "-"
# A stream yields every outcome as soon as it and those before it are done; a worker takes a few
# tasks at a time so that a long batch does not pay a round trip per small input.
STREAM_CHUNK_MAX = 4
STREAM_CHUNKS_PER_WORKER = 8


@record
class Settings:
    """What every input of a batch shares."""

    to_name: str
    from_name: str | None = None
    read_options: ReadOptions = ReadOptions()
    media_options: MediaOptions = MediaOptions()
    write_options: WriteOptions = WriteOptions()
    strict: bool = False
    debug: bool = False


@record
class Task:
    index: int
    label: str
    """How the input is named in messages (its path, or ``-``)."""
    path: str | None
    data: bytes | None
    settings: Settings
    collect: bool = False
    """Return the articles (they go into one combined output) instead of written bytes."""
    target: str | None = None
    """Write the output to this file here (in the worker), rather than returning it."""
    folder: str | None = None
    """In a folder output: an input that holds several articles returns a document each, and
    the batch names them (:meth:`Batch.write_articles`)."""
    inputs: InputFiles | None = None


class Outcome:
    """What became of one input: its output (bytes, or the articles for a combined output),
    its warnings and notes, or the one-line error that stopped it."""

    __slots__ = ("index", "label", "data", "articles", "pictures", "warnings", "notes",
                 "error", "strict_failure", "written")

    def __init__(self, index: int, label: str) -> None:
        self.index, self.label = index, label
        self.data: bytes | list[tuple[str, bytes]] | None = None
        self.articles: list[Article] | None = None
        self.pictures: tuple[Mapping[str, Picture], ...] = ()
        self.warnings: list[Warning_] = []
        self.notes: list[str] = []
        self.error: str | None = None
        self.strict_failure = False
        self.written: list[str] = []

    @property
    def ok(self) -> bool:
        return self.error is None and not self.strict_failure

    def __reduce__(self) -> tuple[Any, ...]:  # sent back from worker processes
        return (_rebuild_outcome, (self.index, self.label, self.data, self.articles,
                                   self.pictures, self.warnings, self.notes, self.error,
                                   self.strict_failure, self.written))


def _rebuild_outcome(index: int, label: str, *state: Any) -> Outcome:
    outcome = Outcome(index, label)
    (outcome.data, outcome.articles, outcome.pictures, outcome.warnings, outcome.notes,
     outcome.error, outcome.strict_failure, outcome.written) = state
    return outcome


# ---------------------------------------------------------------------------------------------
# One input


def convert_task(task: Task) -> Outcome:
    """Read, gather pictures, convert and (unless collecting) write one input."""
    outcome = Outcome(task.index, task.label)
    log = Log()
    settings = task.settings
    try:
        articles, pictures = _read(task, log)
        target = formats.get(settings.to_name, writing=True)
        if task.collect:
            outcome.articles, outcome.pictures = articles, pictures
        elif len(articles) > 1 and task.folder is not None:
            outcome.data = [(_article_name(a), _write(target, [a], [p], settings, log,
                                                      task.inputs, task.folder))
                            for a, p in zip(articles, _aligned(pictures, len(articles)),
                                            strict=True)]
        else:
            outcome.data = _write(target, articles, pictures, settings, log, task.inputs,
                                  os.path.dirname(task.target) if task.target else None)
    except ArtconvError as exc:
        outcome.error = str(exc)
    except RecursionError:
        outcome.error = "input nested too deeply to process"
    except MemoryError:
        outcome.error = "out of memory"
    except Exception as exc:  # a bug: one line, never a traceback (unless --debug)
        if settings.debug:
            raise
        outcome.error = (f"internal error: {type(exc).__name__}: {exc} "
                         "(run with --debug for a traceback)")
    outcome.warnings = list(log.warnings)
    outcome.notes = list(log.notes)
    if outcome.error is None and settings.strict and log.losses:
        outcome.strict_failure = True
        outcome.data = outcome.articles = None
        outcome.pictures = ()
    if isinstance(outcome.data, bytes) and task.target is not None:
        try:
            output.write_file(task.target, outcome.data, task.inputs)
            outcome.written = [task.target]
            outcome.data = None
        except ArtconvError as exc:
            outcome.error = str(exc)
            outcome.data = None
    return outcome


def _read(task: Task, log: Log) -> tuple[list[Article], tuple[Mapping[str, Picture], ...]]:
    settings = task.settings
    data = task.data if task.data is not None else read_input(task.path or "",
                                                               settings.read_options)
    fmt = pipeline.reader_format(data, name=task.path, from_name=settings.from_name, log=log)
    document = pipeline.read(data, fmt, settings.read_options, log)
    # every format looks its pictures up (a missing local one is a loss in all of them);
    # those that embed or extract them read them
    embeds = formats.get(settings.to_name, writing=True).embeds_media \
        or bool(settings.media_options.extract_media)
    folder = os.path.dirname(task.path) or "." if task.path else None
    pictures = pipeline.gather(document, folder=folder, options=settings.media_options,
                               log=log, base_url=settings.read_options.base_url,
                               check_only=not embeds)
    if not embeds and folder is None and not settings.media_options.assets:
        pictures = ()  # nowhere to look: a writer cannot tell a missing picture from another
    return list(document.articles), pictures


def _aligned(pictures: Sequence[Mapping[str, Picture]], count: int) -> list[Mapping[str, Any]]:
    return [pictures[i] if i < len(pictures) else {} for i in range(count)]


def _write(target: formats.Format, articles: Sequence[Article],
           pictures: Sequence[Mapping[str, Picture]], settings: Settings, log: Log,
           inputs: output.InputFiles | None = None, out_dir: str | None = None) -> bytes:
    """``out_dir``: the folder the output is written in (None: standard output, the working
    folder), which ``--extract-media DIR`` is relative to, and its links."""
    given = settings.media_options.extract_media
    files: dict[str, bytes] = {}
    folder = os.path.join(out_dir or "", given) if given else None
    if given and folder and not target.embeds_media:
        articles, files = pipeline.extract_media(articles, pictures, folder, given)
    # every writer gets the pictures found: those that embed them read their bytes, the HTML
    # writer names the local ones that were not found
    media = pipeline.media_bag(pictures, settings.media_options, log) \
        if target.embeds_media or pictures else None
    data = pipeline.write(articles, target, settings.write_options, log, media)
    if files:
        output.make_dirs(folder or ".")
        for path, picture in files.items():
            output.write_file(path, picture, inputs)
        log.note(f"wrote {len(files)} picture(s) into {folder}")
    return data


_SLUG_DROP = LazyPattern(r"[^\w\s-]")
_SLUG_GAPS = LazyPattern(r"[\s_-]+")
SLUG_MAX = 60


def _article_name(article: Article) -> str:
    """A file name from an article's title: lower case words joined by dashes (any script)."""
    slug = _SLUG_GAPS.sub("-", _SLUG_DROP.sub("", article.meta.title.lower())).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


def read_input(path: str, options: ReadOptions) -> bytes:
    """An input file's bytes, refusing what is over the size limit before reading it all."""
    limit = options.max_input_bytes
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                raise LimitError(f"input is over the limit of {limit:,} bytes "
                                 "(--max-input-bytes)")
            data = handle.read(limit + 1)
    except IsADirectoryError:
        raise InputError("is a directory, not a file") from None
    except FileNotFoundError:
        raise InputError("no such file") from None
    except PermissionError:
        raise InputError("permission denied") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}") from None
    if len(data) > limit:
        raise LimitError(f"input is over the limit of {limit:,} bytes (--max-input-bytes)")
    return data


def read_stdin(options: ReadOptions) -> bytes:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError("standard input is closed")
    try:
        data: bytes = stream.read(options.max_input_bytes + 1)
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read standard input: {exc}") from None
    if len(data) > options.max_input_bytes:
        raise LimitError(f"input is over the limit of {options.max_input_bytes:,} bytes "
                         "(--max-input-bytes)")
    return data


# ---------------------------------------------------------------------------------------------
# Many inputs


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run_tasks(tasks: list[Task], jobs: int, *, streaming: bool = True) -> Iterator[Outcome]:
    """Outcomes in input order, converted here or in ``jobs`` worker processes. Streaming,
    each is yielded as soon as it and those before it are done; otherwise the largest inputs
    are started first, so that no worker is left alone with a big page at the end."""
    workers = min(jobs or cpu_count(), cpu_count(), len(tasks))
    if workers <= 1:
        yield from map(convert_task, tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _preload(tasks)
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=tune_gc) as pool:
        if streaming:
            chunk = max(1, min(STREAM_CHUNK_MAX, len(tasks) // (workers *
                                                               STREAM_CHUNKS_PER_WORKER)))
            yield from pool.map(convert_task, tasks, chunksize=chunk)
            return
        order = sorted(range(len(tasks)), key=lambda i: -_input_size(tasks[i]))
        futures = {i: pool.submit(convert_task, tasks[i]) for i in order}
        for i in range(len(tasks)):
            yield futures.pop(i).result()


# The collector's thresholds for a conversion process: the model makes no reference cycles, and
# with the default (700, 10, 10) a node-dense input spends up to half its time in collections
# that free nothing (20 MB of emphasis to Markdown: 7.3 s -> 4.8 s a MB; pages: level;
# docs/benchmarks.md). Set by the command line and its workers, never by the library.
GC_THRESHOLD = (10_000, 10, 10)


def tune_gc() -> None:
    import gc

    gc.set_threshold(*GC_THRESHOLD)


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
    settings = tasks[0].settings
    names = {settings.from_name} if settings.from_name else set()
    names.update(f.name for t in tasks if t.path and (f := formats.by_extension(t.path)))
    for name in names:
        fmt = formats.get(name, reading=True)
        if fmt.reader:
            fmt.load_reader()
    formats.get(settings.to_name, writing=True).load_writer()


# ---------------------------------------------------------------------------------------------
# Where the outputs go


@record
class Plan:
    mode: str
    """``stdout`` (one document), ``stream`` (JSON Lines as they come), ``file`` (one input,
    one file), ``combined`` (every article in one document), ``folder`` (a file each)."""
    out_path: str | None = None
    targets: tuple[str | None, ...] = ()


def plan(inputs: Sequence[str], output: str | None, target: formats.Format, *,
         stdout_is_terminal: bool = False) -> Plan:
    """Where each input's output goes (see the module docstring); a usage error when nothing
    sensible can be done."""
    if inputs.count(STDIN) > 1:
        raise UsageError("standard input (-) can be read only once")
    several = len(inputs) > 1
    if output in (None, STDIN):
        if target.binary and (output != STDIN or stdout_is_terminal):
            raise UsageError(f"{target.name} is binary: write it to a file with -o FILE"
                             f"{target.output_extension}, or to a pipe with -o -")
        if several and not target.many:
            raise UsageError(f"several inputs make several articles and {target.name} holds "
                             "one; write jsonl (a line an article), or -o DIR/ for a file each")
        if target.name == "jsonl":
            return Plan("stream")
        return Plan("combined" if several else "stdout")
    assert output is not None
    if output.endswith(("/", os.sep)) or os.path.isdir(output) or (
            several and not os.path.splitext(os.path.basename(output))[1]):
        # a folder: named so, existing, or a name without an extension for several inputs
        folder = output if output.endswith(("/", os.sep)) else output + os.sep
        return Plan("folder", folder, _folder_targets(inputs, folder, target))
    if several:
        if not target.many:
            raise UsageError(f"several inputs make several articles and {target.name} holds "
                             f"one; write jsonl, or -o {output}/ for a file each")
        return Plan("combined", output)
    return Plan("file", output, (output,))


def _folder_targets(inputs: Sequence[str], folder: str,
                    target: formats.Format) -> tuple[str | None, ...]:
    seen: dict[str, str] = {}
    targets = []
    for label in inputs:
        path = os.path.join(folder, _stem(label) + target.output_extension)
        if path in seen:
            raise UsageError(f"{seen[path]} and {label} would both write {path}; "
                             "convert them in separate runs or rename one")
        seen[path] = label
        targets.append(path)
    return tuple(targets)


def _stem(label: str) -> str:
    if label == STDIN:
        return "stdin"
    base = os.path.basename(label.rstrip("/")) or label
    return os.path.splitext(base)[0] or base


# ---------------------------------------------------------------------------------------------
# The run


@record
class Summary:
    converted: int = 0
    failed: int = 0
    refused: int = 0
    """Inputs that converted with a warning and were refused under ``--strict``."""

    def counted(self, converted: int = 0, failed: int = 0, refused: int = 0) -> Summary:
        return Summary(self.converted + converted, self.failed + failed,
                       self.refused + refused)


class Batch:
    """One run of ``artconv convert``: plans the outputs, runs the tasks, delivers each outcome
    (``report`` sees them in input order, ``sink`` takes what goes to standard output) and
    writes a combined output at the end."""

    def __init__(self, inputs: Sequence[str], output: str | None, settings: Settings, *,
                 jobs: int = 1, report: Callable[[Outcome], None] = lambda outcome: None,
                 sink: Callable[[bytes], None] | None = None,
                 stdout_is_terminal: bool = False) -> None:
        self.inputs = list(inputs)
        self.settings = settings
        self.target = formats.get(settings.to_name, writing=True)
        self.plan = plan(self.inputs, output, self.target,
                         stdout_is_terminal=stdout_is_terminal)
        self.jobs = jobs
        self.report = report
        self.sink = sink
        self.guard = InputFiles(label for label in self.inputs if label != STDIN)
        self.taken = {t for t in self.plan.targets if t}

    def tasks(self) -> list[Task]:
        mode = self.plan.mode
        stdin_data = read_stdin(self.settings.read_options) if STDIN in self.inputs else None
        return [Task(i, label, None if label == STDIN else label,
                     stdin_data if label == STDIN else None, self.settings,
                     collect=mode == "combined",
                     target=self.plan.targets[i] if mode in ("file", "folder") else None,
                     folder=self.plan.out_path if mode == "folder" else None,
                     inputs=self.guard)
                for i, label in enumerate(self.inputs)]

    def run(self) -> Summary:
        if self.plan.mode in ("stdout", "stream", "combined") and self.plan.out_path is None:
            self.guard.check_stdout()
        if self.plan.mode == "folder":
            make_dirs(self.plan.out_path or ".")
        summary = Summary()
        collected: list[Outcome] = []
        missing: list[str] = []  # inputs a combined output would lack
        streaming = self.plan.mode in ("stdout", "stream")
        for outcome in run_tasks(self.tasks(), self.jobs, streaming=streaming):
            if outcome.ok and self.plan.mode == "combined":
                collected.append(outcome)
            elif outcome.ok and isinstance(outcome.data, bytes):
                self._deliver(outcome.data)
            elif outcome.ok and isinstance(outcome.data, list):
                self.write_articles(outcome)
            self.report(outcome)
            if outcome.error is not None:
                summary = summary.counted(failed=1)
            elif outcome.strict_failure:
                summary = summary.counted(refused=1)
            else:
                summary = summary.counted(converted=1)
            if not outcome.ok or outcome.strict_failure:
                missing.append(outcome.label)
        if self.plan.mode == "combined" and missing:
            # one output is whole or absent: a book without one of its inputs is not written
            names = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more"
                                              if len(missing) > 3 else "")
            whole = Outcome(len(self.inputs), self.plan.out_path or STDIN)
            whole.error = (f"nothing written: {names} could not be converted (one output is "
                           "written whole or not at all)")
            self.report(whole)
        elif self.plan.mode == "combined" and collected:
            combined = self._combined(collected)
            self.report(combined)
            if combined.error is not None:
                summary = summary.counted(failed=1)
            elif combined.strict_failure:
                summary = summary.counted(refused=1)
        return summary

    def write_articles(self, outcome: Outcome) -> None:
        """The documents of an input that holds several articles, a file each in the output
        folder, named from their titles (or the input's name and the article's number) and
        never over another output of the run."""
        assert isinstance(outcome.data, list)
        stem = _stem(outcome.label)
        extension = self.target.output_extension
        try:
            for n, (name, data) in enumerate(outcome.data, start=1):
                base = name or f"{stem}-{n}"
                candidate, suffix = base, 2
                while os.path.join(self.plan.out_path or "", candidate + extension) \
                        in self.taken:
                    candidate, suffix = f"{base}-{suffix}", suffix + 1
                path = os.path.join(self.plan.out_path or "", candidate + extension)
                self.taken.add(path)
                output.write_file(path, data, self.guard)
                outcome.written.append(path)
        except ArtconvError as exc:
            outcome.error = str(exc)
        outcome.data = None

    def _deliver(self, data: bytes) -> None:
        if self.sink is None:
            raise OutputError("no standard output to write to")
        self.sink(data)

    def _combined(self, collected: list[Outcome]) -> Outcome:
        """The one output of a book, a combined document or a JSON Lines file."""
        label = self.plan.out_path or STDIN
        outcome = Outcome(len(self.inputs), label)
        log = Log()
        articles = [a for o in collected for a in (o.articles or [])]
        pictures = [p for o in collected
                    for p in _aligned(o.pictures, len(o.articles or []))]
        try:
            data = _write(self.target, articles, pictures, self.settings, log, self.guard,
                          os.path.dirname(self.plan.out_path) if self.plan.out_path else None)
            outcome.warnings = list(log.warnings)
            if self.settings.strict and log.losses:
                outcome.strict_failure = True
            elif self.plan.out_path is None:
                self._deliver(data)
            else:
                output.write_file(self.plan.out_path, data, self.guard)
                outcome.written = [self.plan.out_path]
        except ArtconvError as exc:
            outcome.warnings = list(log.warnings)
            outcome.error = str(exc)
        return outcome
