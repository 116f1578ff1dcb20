"""Writing outputs whole or not at all.

A regular file is written to a temporary file in the same folder, flushed, synced and renamed
over the target; on any failure the temporary file is removed and the old target is untouched.
Devices and FIFOs (``/dev/null``, ``/dev/stdout``, a named pipe) are written through, never
replaced. click's ``File(atomic=True)`` is not used: it renames a partial file over the target
after a failed write, and replaces FIFOs.
"""

from __future__ import annotations

import os
import stat

from .errors import OutputError

_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0)
        os.umask(_UMASK)
    return _UMASK


def write_file(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see the module docstring)."""
    path = os.fspath(path)
    try:
        st: os.stat_result | None = os.stat(path)  # follows links: what would be written
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {path}: it is a directory")
    if st is not None and not stat.S_ISREG(st.st_mode):
        _write_through(path, path, data)  # /dev/null, /dev/stdout, a FIFO
        return
    # a symlink to a regular file: replace the file it points to, not the link
    target = os.path.realpath(path) if os.path.islink(path) else path
    parent = os.path.dirname(target) or "."
    if not os.path.isdir(parent):
        reason = "is not a directory" if os.path.exists(parent) else "does not exist"
        raise OutputError(f"cannot write {path}: folder {parent} {reason}")
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp",
                                   dir=parent)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, stat.S_IMODE(st.st_mode) if st else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {path}: {exc.strerror}") from None
        raise


def _write_through(path: str, target: str, data: bytes) -> None:
    try:
        with open(target, "wb") as handle:
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
