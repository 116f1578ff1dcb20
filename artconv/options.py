"""Options for reading, gathering pictures and writing: explicit records with defaults. Only
the command line builds them from flags; the Python API builds them from keyword arguments."""

from __future__ import annotations

from .records import record

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
    comments: bool = False
    """A web page's comment thread as an article of its own after the page's article (by
    default comments are page furniture, left out)."""


@record
class MediaOptions:
    """Where the pipeline may look for the pictures an output embeds (EPUB)."""

    assets: tuple[str, ...] = ()
    """Folders to find pictures in, besides each input's own folder; a remote picture is
    looked up there as ``DIR/host/path`` (a ``wget -x`` mirror)."""
    cover: str | None = None
    """A picture file for the cover."""
    stylesheet: str | None = None
    """A CSS file to embed instead of the built-in stylesheet."""
    max_picture_bytes: int = 30 * 1024 * 1024
    max_media_bytes: int = 200 * 1024 * 1024
    fetch_images: bool = False
    """Fetch remote pictures over http(s) (never on by default; :mod:`artconv.fetch`)."""
    fetch_private: bool = False
    """Let fetching reach loopback, private and link-local addresses."""
    fetch_cache: str | None = None
    """A folder that keeps fetched pictures between runs."""
    fetch_timeout: float = 10.0
    extract_media: str | None = None
    """Markdown, HTML, text, JSON: write the pictures found (an input book's, files next to
    the input, --assets, fetched ones) into this folder and refer to them there (pandoc's
    ``--extract-media``)."""


@record
class WriteOptions:
    fragment: bool = False
    """HTML: only the ``<article>``, no page around it."""
    css: str | None = None
    """HTML: a stylesheet URL to link (EPUB embeds a file: :attr:`MediaOptions.stylesheet`)."""
    front_matter: bool = True
    """Markdown: YAML front matter with the metadata."""
    wrap: int | None = None
    """Markdown and text: wrap lines at this width (no wrapping by default)."""
    gfm: bool = False
    """Markdown: GitHub tables and strikethrough."""
    no_cover: bool = False
    identifier: str | None = None
    title: str | None = None
    """EPUB: the book's title when it holds several articles."""
    authors: tuple[str, ...] = ()
    """EPUB: the book's authors when it holds several articles."""
