"""Fetching remote pictures (``--fetch-images``): the only part of artconv that touches the
network, and only when asked.

- http and https only; a protocol-relative ``//host/x`` is fetched over https.
- Every address a host name resolves to is checked before connecting, and the connection goes
  to the checked address (a second lookup could answer otherwise): loopback, private,
  link-local, shared, reserved and documentation addresses (anything not global), multicast
  and unspecified ones are refused, the first group unless
  ``--fetch-private`` allows them (the tests serve pictures from 127.0.0.1 that way).
- Redirects are followed by hand, at most :data:`MAX_REDIRECTS`, each hop checked again.
- A timeout per connection and per read; a size cap per picture (``--max-picture-bytes``) and
  in all (``--max-media-bytes``), counted while reading, so a lying ``Content-Length`` costs
  nothing; the type is taken from the bytes (JPEG, PNG, GIF), never from the headers.
- At most :data:`WORKERS` fetches at a time; each URL once per run; with ``--fetch-cache DIR``
  a picture fetched once is read from there afterwards (file names are the URL's SHA-256).

A picture that cannot be fetched stays a linked figure, with a warning that says why; that is
not a loss under ``--strict`` (the reference is kept).
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import threading

from .errors import Log
from .media import Picture, as_picture

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

    from .options import MediaOptions

MAX_REDIRECTS = 5
WORKERS = 4
USER_AGENT = "artconv (+https://github.com/artconv/artconv; --fetch-images)"


class FetchRefused(Exception):
    """A picture not fetched; the message says why."""


def address_allowed(address: str, *, private: bool = False) -> bool:
    """Whether artconv may connect to ``address`` (an IP address)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_unspecified or ip.is_multicast:
        return False
    return private or ip.is_global


class Fetcher:
    """Fetches the remote pictures of a run (see the module docstring); call it with a URL."""

    def __init__(self, options: MediaOptions, log: Log) -> None:
        self.private = options.fetch_private
        self.cache = options.fetch_cache
        self.timeout = options.fetch_timeout
        self.per_picture = options.max_picture_bytes
        self.total = options.max_media_bytes
        self.log = log
        self.used = 0
        self.done: dict[str, Picture | None] = {}
        self.lock = threading.Lock()

    def __call__(self, url: str) -> Picture | None:
        if url not in self.done:
            self.prefetch([url])
        return self.done.get(url)

    def prefetch(self, urls: Iterable[str]) -> None:
        """Fetch these URLs, :data:`WORKERS` at a time (each once)."""
        todo = list(dict.fromkeys(u for u in urls if u not in self.done))
        if not todo:
            return
        if len(todo) == 1:
            self._one(todo[0])
            return
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=min(WORKERS, len(todo))) as pool:
            list(pool.map(self._one, todo))

    def _one(self, url: str) -> None:
        try:
            picture = self._cached(url)
            if picture is None:
                picture = self._fetch(url)
                self._keep(url, picture)
        except FetchRefused as exc:
            with self.lock:
                self.log.warn("remote-image", f"picture {url[:120]!r} not fetched: {exc}; "
                              "kept as a link", loss=False)
            picture = None
        with self.lock:
            self.done[url] = picture

    # -- the cache ---------------------------------------------------------------------------

    def _cache_path(self, url: str) -> str | None:
        if not self.cache:
            return None
        return os.path.join(self.cache, hashlib.sha256(url.encode("utf-8")).hexdigest())

    def _cached(self, url: str) -> Picture | None:
        path = self._cache_path(url)
        if path is None:
            return None
        try:
            with open(path, "rb") as handle:
                data = handle.read(self.per_picture + 1)
        except OSError:
            return None
        return as_picture(data) if len(data) <= self.per_picture else None

    def _keep(self, url: str, picture: Picture) -> None:
        path = self._cache_path(url)
        if path is None:
            return
        from .output import make_dirs, write_file

        try:
            make_dirs(self.cache or ".")
            write_file(path, picture.data)
        except Exception as exc:  # a cache that cannot be written is not a failure
            with self.lock:
                self.log.note(f"fetch cache: {exc}")

    # -- the network -------------------------------------------------------------------------

    def _fetch(self, url: str) -> Picture:
        from urllib.parse import urljoin, urlsplit

        current = "https:" + url.strip() if url.strip().startswith("//") else url.strip()
        for _ in range(MAX_REDIRECTS + 1):
            parts = urlsplit(current)
            if parts.scheme not in ("http", "https"):
                raise FetchRefused(f"only http and https are fetched, not {parts.scheme!r}")
            try:
                host, port = parts.hostname, parts.port
            except ValueError:
                raise FetchRefused("its port is not a number") from None
            if not host:
                raise FetchRefused("no host")
            port = port or (443 if parts.scheme == "https" else 80)
            address = self._address(host, port)
            status, location, data = self._get(parts.scheme, host, address, port,
                                               (parts.path or "/") + (
                                                   "?" + parts.query if parts.query else ""))
            if status in (301, 302, 303, 307, 308):
                if not location:
                    raise FetchRefused(f"a redirect ({status}) with no Location")
                current = urljoin(current, location)
                continue
            if status != 200:
                raise FetchRefused(f"the server answered {status}")
            picture = as_picture(data)
            if picture is None:
                raise FetchRefused("what came back is not a JPEG, PNG or GIF")
            return picture
        raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")

    def _address(self, host: str, port: int) -> str:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise FetchRefused(f"cannot resolve {host[:80]!r} ({exc})") from None
        addresses = [str(info[4][0]) for info in found]
        if not addresses:
            raise FetchRefused(f"cannot resolve {host[:80]!r}")
        refused = [a for a in addresses if not address_allowed(a, private=self.private)]
        if refused:
            raise FetchRefused(f"{host[:80]!r} is at {refused[0]}, a loopback, private or "
                               "link-local address (--fetch-private allows it)")
        return addresses[0]

    def _get(self, scheme: str, host: str, address: str, port: int,
             target: str) -> tuple[int, str | None, bytes]:
        import http.client
        import ssl

        timeout = self.timeout

        class Pinned(http.client.HTTPConnection):
            def connect(self) -> None:  # to the checked address, not a second lookup
                self.sock = socket.create_connection((address, port), timeout)

        class PinnedTLS(http.client.HTTPSConnection):
            def connect(self) -> None:
                raw = socket.create_connection((address, port), timeout)
                self.sock = context.wrap_socket(raw, server_hostname=host)

        context = ssl.create_default_context()
        connection = (PinnedTLS(host, port, timeout=timeout, context=context)
                      if scheme == "https" else Pinned(host, port, timeout=timeout))
        try:
            connection.request("GET", target, headers={"User-Agent": USER_AGENT,
                                                       "Accept": "image/*"})
            response = connection.getresponse()
            if response.status != 200:
                return response.status, response.getheader("Location"), b""
            data = self._body(response)
            return response.status, None, data
        except (OSError, http.client.HTTPException) as exc:
            raise FetchRefused(f"{type(exc).__name__}: {str(exc)[:120]}") from None
        finally:
            connection.close()

    def _body(self, response: object) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = response.read(65536)  # type: ignore[attr-defined]
            if not chunk:
                break
            size += len(chunk)
            if size > self.per_picture:
                raise FetchRefused(f"over {self.per_picture:,} bytes (--max-picture-bytes)")
            chunks.append(chunk)
        with self.lock:
            if self.used + size > self.total:
                raise FetchRefused(f"the pictures would pass {self.total:,} bytes in all "
                                   "(--max-media-bytes)")
            self.used += size
        return b"".join(chunks)


def fetcher(options: MediaOptions, log: Log) -> Fetcher:
    return Fetcher(options, log)
