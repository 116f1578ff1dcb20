"""Options for readers and writers: explicit records with defaults. Only the CLI builds them
from flags; the Python API builds them from keyword arguments."""

from __future__ import annotations

from .records import fields, record

DEFAULT_MAX_INPUT_BYTES = 64 * 1024 * 1024


@record
class ReadOptions:
    encoding: str | None = None
    """Force this codec instead of detecting one."""
    encoding_errors: str = "strict"
    """``strict``: undecodable bytes are an error; ``replace``: U+FFFD and a warning."""
    lang: str | None = None
    """Overrides the detected or declared language."""
    related_headings: tuple[str, ...] = ()
    """More phrases that begin a related-articles section."""
    base_url: str | None = None
    """Make links and image sources absolute against this URL."""
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES


@record
class WriteOptions:
    fragment: bool = False
    """HTML: only the ``<article>``, no page around it."""
    css: str | None = None
    """HTML: a stylesheet URL to link; EPUB: a CSS file to embed instead of ours."""
    front_matter: bool = True
    """Markdown: YAML front matter with the metadata."""
    wrap: int | None = None
    """Markdown and text: wrap lines at this width (no wrapping by default)."""
    gfm: bool = False
    """Markdown: GitHub tables and strikethrough."""
    resource_dirs: tuple[str, ...] = ()
    """EPUB: folders where image files may be found (the inputs' folders and --assets)."""
    cover: str | None = None
    no_cover: bool = False
    identifier: str | None = None
    title: str | None = None
    """EPUB: the book's title when it holds several articles."""
    authors: tuple[str, ...] = ()
    """EPUB: the book's authors when it holds several articles."""


def options_from_kwargs(cls: type, kwargs: dict[str, object]) -> object:
    """Build an options record from keyword arguments, refusing unknown names."""
    names = set(fields(cls))
    unknown = set(kwargs) - names
    if unknown:
        raise TypeError(f"unknown {cls.__name__} option(s): {', '.join(sorted(unknown))}")
    return cls(**kwargs)
