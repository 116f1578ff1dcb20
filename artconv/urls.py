"""Which URLs may reach an output: http, https, mailto (links only) and relative references.

The scheme is read the way a browser reads it: leading and trailing controls and white space are
ignored, tabs and newlines anywhere are removed (WHATWG URL), so ``java&#x09;script:`` and
``\\u2028javascript:`` are both ``javascript:``.
"""

from __future__ import annotations

import re

from .textutil import LazyPattern

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\t\n\r]")
_LEADING = ("".join(chr(c) for c in range(0x21)) + "\u00a0\u1680\u2000\u2001\u2002\u2003"
            "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000"
            "\ufeff")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url`` (lower case), or None for a relative URL."""
    cleaned = _INVISIBLE.sub("", url)
    cleaned = cleaned.lstrip(_LEADING)
    match = _SCHEME.match(cleaned)
    if match and (len(match.group(1)) > 1 or cleaned[2:3] != "\\"):
        # "C:\\x" is a Windows path (a dump's picture placeholder may be one); "a:", "a:b"
        # and "c:/x" have a scheme, as browsers and the sanitiser read them
        return match.group(1).lower()
    # "javascript&colon;" and friends only become schemes after entity decoding, which has
    # happened before a URL reaches the model; a colon-like character that is not ':' makes the
    # URL relative, which is harmless
    return None


def is_safe_link(url: str) -> bool:
    scheme = url_scheme(url)
    return scheme is None or scheme in LINK_SCHEMES


def is_safe_image(url: str) -> bool:
    scheme = url_scheme(url)
    return bool(url.strip()) and (scheme is None or scheme in IMAGE_SCHEMES)


def is_remote(url: str) -> bool:
    """True for URLs that name another host (``http:``, ``//host/...``)."""
    stripped = url.strip()
    return url_scheme(stripped) is not None or stripped.startswith("//")


def join_url(base: str, url: str) -> str:
    """``url`` resolved against ``base``; kept as written when either will not parse (a
    bracketed host that is not an IP address, say), since a link's text must not cost the
    conversion."""
    from urllib.parse import urljoin

    try:
        return urljoin(base, url)
    except ValueError:
        return url


def url_key(url: str) -> str:
    """Host, path and query of ``url``, to match two spellings of one page's address."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    query = "?" + parts.query if parts.query else ""
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}{query}"


_HOST = LazyPattern(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
                   r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?")
_BAD_PERCENT = LazyPattern(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/%!$&'()*+,;=:@-._~"


def ascii_host(host: str) -> str | None:
    """A host name as a URL carries it: IDNA 2008 (UTS #46) through the ``idna`` package
    (``straße.de`` is ``xn--strae-oqa.de``, not ``strasse.de`` as Python's IDNA 2003 codec
    has it); None when it is not a valid host name."""
    if host.isascii():
        return host if _HOST.fullmatch(host) else None
    import idna

    try:
        encoded = idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    return encoded if _HOST.fullmatch(encoded) else None


def valid_url(url: str) -> str | None:
    """``url`` as a strict validator (EPUBCheck) accepts it in an ``href``: the host checked
    (and IDNA-encoded), the path, query and fragment percent-encoded where they hold characters
    a URL may not; None when no valid URL says the same (the link's text then stays, without
    the link)."""
    from urllib.parse import quote, urlsplit, urlunsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None

    def encode(value: str, safe: str) -> str:
        return quote(_BAD_PERCENT.sub("%25", value), safe=safe)

    netloc = ""
    if parts.scheme in ("http", "https"):
        host = parts.hostname or ""
        if not parts.netloc.startswith("[") and "[" not in parts.netloc:
            found = ascii_host(host)
            if found is None:
                return None
            host = found
        elif not host:
            return None
        else:
            host = f"[{host}]"
        netloc = host + (f":{port}" if port is not None else "")
    elif parts.netloc:
        return None
    return urlunsplit((parts.scheme, netloc, encode(parts.path, _PATH_SAFE),
                       encode(parts.query, _PATH_SAFE + "?"),
                       encode(parts.fragment, _PATH_SAFE + "?")))
