"""artconv: convert news and blog articles between text dumps, HTML, Markdown, JSON and EPUB.

    >>> import artconv
    >>> article = artconv.read(b"Title\\n\\nLead\\n\\nx.jpg\\n\\nBody.\\n", from_="text")
    >>> artconv.write(article, "md")[:3]
    b'---'
"""

from __future__ import annotations

from .errors import ArtconvError, InputError, Log
from .model import Article, Meta, walk

__version__ = "0.1.0"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .api import ArtconvWarning, convert, read, read_all, write

_API = ("ArtconvWarning", "convert", "read", "read_all", "write")


def __getattr__(name: str) -> object:
    """The API functions, imported when first used: the command line does not need them, and
    a one-liner should not pay for importing them."""
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'artconv' has no attribute {name!r}")

__all__ = [
    "Article",
    "ArtconvError",
    "ArtconvWarning",
    "InputError",
    "Log",
    "Meta",
    "__version__",
    "convert",
    "read",
    "read_all",
    "walk",
    "write",
]
