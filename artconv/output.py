"""Writing outputs whole or not at all, and never onto an input.

A regular file is written to a temporary file in the same folder, flushed, synced and renamed
over the target; on any failure (a signal included: the command line turns SIGTERM, SIGINT and
SIGHUP into exceptions) the temporary file is removed and the old target is untouched.
Devices and FIFOs (``/dev/null``, ``/dev/stdout``, a named pipe) are written through, never
replaced. An output path that is a symbolic link to a file is replaced by the output (the link
goes), never written through. click's ``File(atomic=True)`` is not used: it renames a partial
file over the target after a failed write, and replaces FIFOs.

:class:`InputFiles` knows the files a run reads (by device and inode, so that ``./a.txt``, a
symbolic link, a hard link and ``/proc/self/fd/N`` are all the same file): no output is ever
written where one of them is.
"""

from __future__ import annotations

import os
import stat

from .errors import OutputError, Terminated

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

_TEMPORARY_ATTEMPTS = 100


class InputFiles:
    """The identities (device, inode) of the regular files a run reads."""

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self.identities: dict[tuple[int, int], str] = {}
        for path in paths:
            self.add(path)

    def add(self, path: str) -> None:
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return  # reported when the input is read
        if stat.S_ISREG(st.st_mode):
            self.identities.setdefault((st.st_dev, st.st_ino), path)

    def which(self, st: os.stat_result) -> str | None:
        """The input that ``st`` describes, or None."""
        return self.identities.get((st.st_dev, st.st_ino))

    def check_stdout(self) -> None:
        """Refuse to run when standard output is redirected into one of the inputs."""
        try:
            st = os.fstat(1)
        except (OSError, ValueError):
            return
        name = self.which(st) if stat.S_ISREG(st.st_mode) else None
        if name is not None:
            raise OutputError(f"standard output is the input {name}; refusing to write over it")


def write_file(path: str | os.PathLike[str], data: bytes,
               inputs: InputFiles | None = None) -> None:
    """Write ``data`` to ``path`` atomically (see the module docstring)."""
    path = os.fspath(path)
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        link = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        st = os.stat(path) if link is not None else None  # what the path leads to
    except OSError:
        st = None  # a dangling symbolic link: replaced like any link
    if st is not None and inputs is not None and (name := inputs.which(st)) is not None:
        same = os.path.abspath(name) == os.path.abspath(path)
        raise OutputError(f"{path} is {'this input' if same else 'the input ' + name}; "
                          "refusing to write over it")
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {path}: it is a directory")
    if st is not None and (not stat.S_ISREG(st.st_mode) or _system_path(path)):
        _write_through(path, data)  # /dev/null, /dev/stdout, /proc/self/fd/1, a FIFO
        return
    is_link = link is not None and stat.S_ISLNK(link.st_mode)
    keep_mode = stat.S_IMODE(st.st_mode) if st is not None and not is_link else None
    _replace(path, data, keep_mode)


def _system_path(path: str) -> bool:
    """A path the system makes (``/dev/stdout`` is a link to ``/proc/self/fd/1``, which leads
    to whatever standard output is): written through, never replaced."""
    return os.path.abspath(path).startswith(("/dev/", "/proc/"))


def _replace(path: str, data: bytes, mode: int | None) -> None:
    parent = os.path.dirname(path) or "."
    if not os.path.isdir(parent):
        reason = "is not a directory" if os.path.exists(parent) else "does not exist"
        raise OutputError(f"cannot write {path}: folder {parent} {reason}")
    if CATCH_SIGNALS:
        _install_signal_handlers()
    fd, tmp = _temporary(path, parent)
    TEMPORARY_FILES.add(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        _remove(tmp)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        raise
    finally:
        TEMPORARY_FILES.discard(tmp)


# Temporary files being written, removed by :func:`remove_temporary_files` when a signal ends
# the process in a way that skips the ``except`` above (a second signal, say).
TEMPORARY_FILES: set[str] = set()
# The command line sets this: SIGTERM and SIGHUP then raise Terminated (installed when the first
# temporary file is made, so that a run that writes none does not import signal), and a write
# in progress removes its temporary file on the way out. A library caller's own signal
# handling is left alone.
CATCH_SIGNALS = False
_HANDLERS_INSTALLED = False


def _terminate(signum: int, frame: object) -> None:
    raise Terminated(signum)


def _install_signal_handlers() -> None:
    global _HANDLERS_INSTALLED
    if _HANDLERS_INSTALLED:
        return
    _HANDLERS_INSTALLED = True
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is not None:
            try:
                signal.signal(signum, _terminate)
            except (ValueError, OSError):  # not the main thread
                pass


def remove_temporary_files() -> None:
    for tmp in list(TEMPORARY_FILES):
        _remove(tmp)
    TEMPORARY_FILES.clear()


def _temporary(path: str, parent: str) -> tuple[int, str]:
    """A new file beside ``path``, created with mode 0666 so that the kernel applies the umask
    (no process-wide ``os.umask`` call to read it)."""
    base = os.path.basename(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_TEMPORARY_ATTEMPTS):
        tmp = os.path.join(parent, f".{base}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    raise OutputError(f"cannot write {path}: no free temporary name in {parent}")


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def _write_through(path: str, data: bytes) -> None:
    try:
        with open(path, "wb") as handle:
            handle.write(data)
            handle.flush()
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None


def make_dirs(path: str) -> None:
    try:
        os.makedirs(path, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"cannot make folder {path}: a file of that name exists") from None
    except OSError as exc:
        raise OutputError(f"cannot make folder {path}: {exc.strerror}") from None
