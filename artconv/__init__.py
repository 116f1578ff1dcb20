"""artconv: convert news and blog articles between text dumps, HTML, Markdown, JSON and EPUB.

    >>> import artconv
    >>> article = artconv.read(b"Title\\n\\nLead\\n\\nx.jpg\\n\\nBody.\\n", from_="text")
    >>> artconv.write(article, "md")[:3]
    b'---'
"""

from __future__ import annotations

from .api import ArtconvWarning, convert, read, read_all, write
from .errors import ArtconvError, InputError, Log
from .model import Article, Meta, walk

__version__ = "0.1.0"

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
