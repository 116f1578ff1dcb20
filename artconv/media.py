"""The media bag (pandoc's idea): the pictures an output embeds, gathered by the pipeline and
handed to writers as bytes, so that no writer opens a file.

A picture named by an article is looked up, in order (docs/formats.md, "Pictures"):

1. among the pictures its own input carried (an EPUB's);
2. a relative path beside the input (its own folder, never another input's), then under each
   ``--assets`` folder; a picture ``--base-url`` made absolute is looked up where its relative
   path would be, beside the input, first;
3. an absolute or root-relative URL (``/img/x.jpg``, its host from ``--base-url``, else the
   page's own URL, its canonical or ``og:url``) under each ``--assets`` folder as
   ``DIR/host/path``, the layout ``wget -x`` and ``wget --mirror`` save;
4. only when asked, on the network (:mod:`artconv.fetch`).

A relative picture found nowhere is a loss in every format (``--strict`` fails on it); a remote
or root-relative one not found is kept as a link, which is not. Formats that do not embed
pictures only check that the file is there (its first bytes, for its type).

Only regular files qualify, each read once, with one link (a hard link could name a file
anywhere), inside the folder they were looked up in (no ``..``, no absolute path, no
``file:`` URL, no symbolic link that leaves the folder), within a size cap per picture and in
total, and only when their bytes are a picture an EPUB may hold.
"""

from __future__ import annotations

import os
import re
import stat

from .errors import ArtconvError, Log
from .model import Article, Image, RelatedItem, walk
from .records import record
from .urls import is_remote, url_scheme

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from pathlib import Path

MAX_PICTURE_BYTES = 30 * 1024 * 1024
MAX_MEDIA_BYTES = 200 * 1024 * 1024
MAX_STYLESHEET_BYTES = 1024 * 1024
# Picture types an EPUB 3 may hold as core media (SVG is left out: it can carry scripts).
_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
)


@record
class Picture:
    """A picture's bytes and what its bytes say it is."""

    data: bytes
    media_type: str
    extension: str

    @property
    def digest(self) -> str:
        import hashlib

        return hashlib.sha256(self.data).hexdigest()


@record
class MediaLimits:
    per_picture: int = MAX_PICTURE_BYTES
    total: int = MAX_MEDIA_BYTES


@record
class MediaBag:
    """What writers embed: for each article, its picture sources (as written) and their bytes;
    the cover; a stylesheet that replaces the built-in one."""

    pictures: tuple[Mapping[str, Picture], ...] = ()
    cover: Picture | None = None
    stylesheet: str | None = None

    def for_article(self, index: int) -> Mapping[str, Picture]:
        return self.pictures[index] if index < len(self.pictures) else {}


EMPTY = MediaBag()


def picture_type(data: bytes) -> tuple[str, str] | None:
    """(media type, extension) of a picture an EPUB may hold, from its bytes alone."""
    for magic, media_type, extension in _SIGNATURES:
        if data.startswith(magic):
            return media_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    return None


def as_picture(data: bytes) -> Picture | None:
    kind = picture_type(data)
    return Picture(data, *kind) if kind else None


def picture_sources(article: Article) -> list[tuple[str, bool]]:
    """Every picture an article names, in order, once: (source, is a related thumbnail)."""
    seen: dict[str, bool] = {}
    for node in walk(article):
        if isinstance(node, Image) and node.src:
            seen.setdefault(node.src, False)
        elif isinstance(node, RelatedItem) and node.image:
            seen.setdefault(node.image, True)
    return list(seen.items())


# ---------------------------------------------------------------------------------------------
# Paths


_DRIVE = re.compile(r"[A-Za-z]:")
# a relative path of plain names (no scheme, no "..", no "%", no query): safe as it is
_PLAIN_PATH = re.compile(r"(?:[\w-][\w.-]*/)*[\w-][\w.-]*\Z")


def safe_relative_path(src: str) -> str | None:
    """The relative path a picture reference names, or None when it could leave its folder:
    absolute paths, ``file:`` and other URLs, ``..`` (also percent- or double-encoded),
    backslashes and drive letters are refused."""
    value = src.strip()
    if not value or url_scheme(value) is not None or value.startswith(("//", "\\")):
        return None
    path = value.split("#", 1)[0].split("?", 1)[0]  # a URL path's query and fragment
    if "%" in path:
        from urllib.parse import unquote  # (pathlib and urllib cost a one-liner 4 ms)
    for _ in range(3 if "%" in path else 0):  # undo percent-encoding, twice-encoded included
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    if "\\" in path or "\x00" in path or _DRIVE.match(path) or path.startswith("/"):
        return None
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return os.path.join(*parts)


def mirrored_paths(url: str) -> list[str]:
    """Where a mirror made with ``wget -x``/``--mirror`` keeps a remote picture, relative to
    the mirror's folder: ``host/path`` (and ``host:port/path``, and the query kept in the
    file name)."""
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url.strip() if not url.strip().startswith("//")
                         else "http:" + url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return []
    if parts.scheme not in ("http", "https") or not host or "/" in host or ".." in host:
        return []
    hosts = [host] + ([f"{host}:{port}"] if port else [])
    paths = [parts.path + ("?" + parts.query if parts.query else ""), parts.path]
    out: list[str] = []
    for name in hosts:
        for path in paths:
            for candidate in (path, unquote(path)):
                relative = safe_relative_path(candidate.lstrip("/"))
                if relative is not None:
                    found = os.path.join(name, relative)
                    if found not in out:
                        out.append(found)
    return out


# ---------------------------------------------------------------------------------------------
# Reading files


class FileRefused(Exception):
    """A picture file that exists but may not be read (its reason is the message)."""


def read_regular_file(path: str | Path, limit: int, what: str,
                      option: str = "--max-picture-bytes", *, head: bool = False) -> bytes:
    """A regular file's bytes, at most ``limit`` of them: no device, FIFO or directory is ever
    opened for reading (``--cover /dev/zero`` and a FIFO are refused, not read forever).
    ``head``: its first ``limit`` bytes, whatever its size."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise ArtconvError(f"{what} {path}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ArtconvError(f"{what} {path}: not a regular file")
        if info.st_size > limit and not head:
            raise ArtconvError(f"{what} {path}: {info.st_size:,} bytes, over the limit of "
                               f"{limit:,} bytes ({option})")
        with os.fdopen(fd, "rb", closefd=True) as handle:
            fd = -1
            data = handle.read(limit + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > limit:
        if head:
            return data[:limit]
        raise ArtconvError(f"{what} {path}: over the limit of {limit:,} bytes ({option})")
    return data


class Gatherer:
    """Finds the pictures of the articles of one input (see the module docstring)."""

    def __init__(self, log: Log, *, folder: str | None, assets: Sequence[str] = (),
                 limits: MediaLimits | None = None,
                 carried: Mapping[str, Picture] | None = None,
                 fetch: Callable[[str], Picture | None] | None = None,
                 base_url: str | None = None, check_only: bool = False) -> None:
        self.log = log
        self.base_url = base_url
        self.page_url: str | None = base_url  # the article's own URL when there is no base
        self.check_only = check_only
        self.has_folder = folder is not None
        self.folders = [folder] if folder else []
        self.assets = list(assets)
        self.roots: dict[str, str | None] = {}
        self.limits = limits or MediaLimits()
        self.carried = carried or {}
        self.fetch = fetch
        self.used = 0
        self.by_file: dict[tuple[int, int], Picture | None] = {}
        self.done: dict[str, Picture | None] = {}
        self.mirrors: dict[str, Picture | None] = {}

    def gather(self, articles: Iterable[Article]) -> tuple[dict[str, Picture], ...]:
        return tuple(self.article(a) for a in articles)

    def article(self, article: Article) -> dict[str, Picture]:
        found: dict[str, Picture] = {}
        self.page_url = self.base_url or (article.meta.url if article.meta.url and url_scheme(
            article.meta.url) in ("http", "https") else None)
        for src, thumbnail in picture_sources(article):
            picture = self.lookup(src, thumbnail=thumbnail)
            if picture is not None:
                found[src] = picture
        return found

    def lookup(self, src: str, *, thumbnail: bool = False) -> Picture | None:
        if src in self.done:
            return self.done[src]
        if self.carried and src in self.carried:
            self.done[src] = self.carried[src]
            return self.carried[src]
        what = "a related item's thumbnail" if thumbnail else "picture"
        plain = _PLAIN_PATH.match(src) is not None  # a relative path of plain names: most
        remote = not plain and is_remote(src)
        try:
            picture = self._local(src) if plain else self._find(src, remote)
        except FileRefused as exc:
            self.log.warn("missing-image", f"{what} {src[:120]!r}: {exc}; kept as a placeholder")
            picture = None
        else:
            local = not remote and not (src.startswith("/") and self.page_url)
            if picture is None and local and not self.has_folder and not self.assets:
                self.log.warn("missing-image", f"{what} {src[:120]!r}: not looked up (standard "
                              "input has no folder: give --assets or --base-url)", loss=False)
            elif picture is None and local:
                self.log.warn("missing-image", f"{what} {src[:120]!r}: no such file next to "
                              "the input or under --assets; kept as a placeholder")
            elif picture is None and self.fetch is None and not self.check_only:
                # (the fetcher says why itself; an output that does not embed pictures keeps
                # every remote one as the link it is)
                self.log.warn("remote-image", f"{what} {src[:120]!r} is not found under "
                              "--assets nor fetched (--fetch-images); kept as a link",
                              loss=False)
        self.done[src] = picture
        return picture

    def _find(self, src: str, remote: bool) -> Picture | None:
        if src in self.carried:
            return self.carried[src]
        if remote or src.startswith("/") and self.page_url is not None:
            absolute = src
            if not remote and self.page_url:  # root-relative: the page's host
                from .urls import join_url

                absolute = join_url(self.page_url, src)
            beside = self._beside_base(absolute)
            picture = self._local(beside) if beside is not None else None
            if picture is None:
                picture = self.mirrored(absolute)
            if picture is None and self.fetch is not None:
                picture = self.fetch(absolute)
            return picture
        found = safe_relative_path(src)
        if found is None:
            raise FileRefused("refused, the path leaves the input's folder")
        return self._local(found)

    def _local(self, relative: str) -> Picture | None:
        for root in (*self.folders, *self.assets):
            picture = self._from_folder(root, relative)
            if picture is not None:
                return picture
        return None

    def _beside_base(self, url: str) -> str | None:
        """The relative path ``--base-url`` turned into ``url`` (the page's own picture,
        beside it), or None."""
        if not self.base_url:
            return None
        from urllib.parse import urljoin

        try:
            folder = urljoin(self.base_url, "./")
        except ValueError:
            return None
        if not url.startswith(folder) or len(url) == len(folder):
            return None
        return safe_relative_path(url[len(folder):])

    def mirrored(self, src: str) -> Picture | None:
        """A remote picture as a mirror under ``--assets`` keeps it (``DIR/host/path``)."""
        if src not in self.mirrors:
            found = None
            for root in self.assets:
                for relative in mirrored_paths(src):
                    found = self._from_folder(root, relative)
                    if found is not None:
                        break
                if found is not None:
                    break
            self.mirrors[src] = found
        return self.mirrors[src]

    def _root(self, folder: str) -> str | None:
        if folder not in self.roots:
            try:
                self.roots[folder] = os.path.realpath(folder, strict=True)
            except (OSError, RuntimeError, ValueError):
                self.roots[folder] = None
        return self.roots[folder]

    def _from_folder(self, folder: str, relative: str) -> Picture | None:
        # (os.path, not pathlib: a one-liner does not pay pathlib's import; a missing file
        # costs one stat, a folder's real path is resolved once)
        root = self._root(folder)
        if root is None:
            return None
        try:
            os.stat(os.path.join(root, relative))
            candidate = os.path.realpath(os.path.join(root, relative), strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if root != candidate and not candidate.startswith(root.rstrip(os.sep) + os.sep):
            raise FileRefused("refused, it leads outside its folder (a symbolic link?)")
        try:
            info = os.stat(candidate)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        key = (info.st_dev, info.st_ino)
        if key in self.by_file:
            return self.by_file[key]
        if info.st_nlink > 1:
            raise FileRefused(f"refused, the file has {info.st_nlink} hard links (one of "
                              "them may lie outside the folder)")
        if self.check_only:  # the output refers to it: that it is a picture is enough
            data = read_regular_file(candidate, 64, "picture", head=True) \
                if info.st_size else b""
            picture = as_picture(data) if data else None
            if picture is None:
                raise FileRefused("not a JPEG, PNG, GIF or WebP picture")
            self.by_file[key] = picture
            return picture
        if self.used + info.st_size > self.limits.total:
            raise FileRefused(f"the pictures would pass {self.limits.total:,} bytes in all "
                              "(--max-media-bytes)")
        try:
            data = read_regular_file(candidate, self.limits.per_picture, "picture")
        except ArtconvError as exc:
            raise FileRefused(str(exc).rpartition(": ")[2]) from None
        self.used += len(data)
        picture = as_picture(data)
        if picture is None:
            raise FileRefused("not a JPEG, PNG, GIF or WebP picture")
        self.by_file[key] = picture
        return picture


def read_cover(path: str, limits: MediaLimits) -> Picture:
    data = read_regular_file(path, limits.per_picture, "--cover")
    picture = as_picture(data)
    if picture is None:
        raise ArtconvError(f"--cover {path}: not a JPEG, PNG, GIF or WebP picture")
    return picture


def read_stylesheet(path: str) -> str:
    data = read_regular_file(path, MAX_STYLESHEET_BYTES, "--css", "a stylesheet's limit")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ArtconvError(f"--css {path}: not UTF-8 text") from None
