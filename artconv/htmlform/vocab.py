"""The names of artconv's HTML: classes the writers put on elements that the model has a field
for, and the ``data-artconv-*`` attributes in which the EPUB writer keeps values a package cannot
carry as they are (a picture's placeholder, a link that would break the book). Readers trust
those attributes only in a document artconv wrote (:data:`GENERATOR`); every other page is
cleaned of them before it is read."""

from __future__ import annotations

GENERATOR = "artconv"
"""``<meta name="generator" content="artconv ...">``: the document is artconv's own."""

# classes
SUBTITLE = "subtitle"
BYLINE = "byline"
AUTHOR = "author"
SECTION = "section"
SITE = "site"
SOURCE = "source"
QUOTE = "quote"
RELATED = "related"
RELATED_ITEM = "item"
RELATED_TITLE = "title"
RELATED_SUMMARY = "summary"
MISSING_IMAGE = "missing-image"
PLACEHOLDER = "placeholder"
THUMBNAIL = "thumbnail"
LANGUAGE_PREFIX = "language-"
ALIGN_PREFIX = "align-"
ALIGNMENTS = ("left", "center", "right")
FOOTNOTES = "footnotes"
NOTE_REF = "footnote-ref"
NOTE_BACK = "footnote-back"
# ids: a note is ``fn1``, the place that refers to it ``fnref1`` (pandoc's names)
NOTE_ID = "fn"
NOTE_REF_ID = "fnref"

# ``<meta itemprop content>`` in the article's header: the metadata a reader does not see
# (schema.org names where schema.org has one)
PROP_DESCRIPTION = "description"
PROP_CATEGORY = "articleSection"
PROP_TAG = "keywords"
PROP_IMAGE = "image"
PROP_MODIFIED = "dateModified"
PROP_LICENSE = "license"
PROP_HOSTNAME = "artconv-hostname"
PROP_EXTRA = "artconv-extra"
"""A field the model has no name for: its content is a JSON array, ``[name, value]``."""

# attributes
DATA_PREFIX = "data-artconv-"
DATA_SRC = DATA_PREFIX + "src"
"""On ``<img>`` and a missing picture's ``<figure>``: the placeholder as the input wrote it."""
DATA_ALT = DATA_PREFIX + "alt"
DATA_HREF = DATA_PREFIX + "href"
DATA_LINK = DATA_PREFIX + "link"
"""On a missing picture's ``<figure>``: where the picture links to."""
"""A link as the input wrote it, where the book holds another target (or none)."""
DATA_URL = DATA_PREFIX + "url"
DATA_IMAGE = DATA_PREFIX + "image"
DATA_POSITION = DATA_PREFIX + "position"
"""Where a related block stood among the article's blocks (the EPUB gathers them at the end)."""
DATA_CLASS = DATA_PREFIX + "class"
"""Internal to the HTML reader: the class of a wrapper the article search removed."""
DATA_PARAGRAPH = DATA_PREFIX + "paragraph"
"""Internal to the HTML reader: a paragraph that ``<br><br>`` runs split into paragraphs (a
``<div>`` now), cleaned as the paragraph it was."""
