"""Writers: the model (and the pictures of the media bag) to the bytes of one output."""

from __future__ import annotations

from ..errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..model import Article


def only_article(articles: Sequence[Article], what: str) -> Article:
    if len(articles) != 1:
        raise InputError(f"the input holds {len(articles)} articles and {what} holds one; "
                         "write jsonl or epub, or -o DIR/ for a file each")
    return articles[0]
