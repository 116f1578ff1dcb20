"""The options of ``artconv convert``, as data: the click command and the fast parser are both
built from :data:`OPTIONS` (a test checks that they read every option the same way), and
:func:`settings` turns parsed values into the records the library takes."""

from __future__ import annotations

from .. import formats
from ..errors import UsageError
from ..options import DEFAULT_MAX_INPUT_BYTES, MediaOptions, ReadOptions, WriteOptions
from ..records import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ..batch import Settings


@record
class Option:
    dest: str
    flags: tuple[str, ...]
    kind: str  # "text", "flag", "multiple", "int", "choice", "from", "to", "encoding"
    help: str
    default: object = None
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    minimum: int | None = None


_READ_NAMES = ", ".join(f.name for f in formats.FORMATS if f.reader)
_WRITE_NAMES = ", ".join(f.name for f in formats.FORMATS if f.writer)

OPTIONS: tuple[Option, ...] = (
    Option("from_", ("-f", "--from"), "from", f"Input format: {_READ_NAMES} (and pandoc's "
           "names for them). Default: from the extension, else guessed from the content.",
           metavar="FMT"),
    Option("to", ("-t", "--to"), "to", f"Output format: {_WRITE_NAMES} (md, commonmark, html5, "
           "plain also work). Default: from the extension of --output.", metavar="FMT"),
    Option("output", ("-o", "--output"), "text", "A file (several inputs make one document), "
           "a folder (ending in / or existing: a file each), or - for stdout.",
           metavar="PATH"),
    Option("encoding", ("--encoding",), "encoding", "Read the input in this encoding.",
           metavar="NAME"),
    Option("encoding_errors", ("--encoding-errors",), "choice", "What to do with bytes that do "
           "not decode.", default="strict", choices=("strict", "replace")),
    Option("lang", ("--lang",), "text", "The article's language (BCP 47), over any other.",
           metavar="TAG"),
    Option("related_headings", ("--related-heading",), "multiple", "Another phrase that starts "
           "a related-articles section (repeatable).", metavar="PHRASE"),
    Option("base_url", ("--base-url",), "text", "Make links and image sources absolute.",
           metavar="URL"),
    Option("comments", ("--comments",), "flag", "Web pages: keep the comment thread, as an "
           "article of its own after the page's article (titled \"Comments: TITLE\")."),
    Option("fragment", ("--fragment",), "flag", "HTML: write only the <article>."),
    Option("css", ("--css",), "text", "HTML: link this stylesheet; EPUB: embed this CSS file.",
           metavar="URL|FILE"),
    Option("no_front_matter", ("--no-front-matter",), "flag",
           "Markdown: no YAML front matter (the metadata is written as text instead)."),
    Option("wrap", ("--wrap",), "int", "Markdown and text: wrap lines at N columns.",
           metavar="N", minimum=20),
    Option("assets", ("--assets",), "multiple", "EPUB: a folder to find pictures in, remote "
           "ones as DIR/host/path (a wget mirror); repeatable.", metavar="DIR"),
    Option("fetch_images", ("--fetch-images",), "flag", "Fetch remote pictures over http(s) "
           "(timeouts, size caps, the type checked from the bytes, no loopback or private "
           "address); nothing else touches the network."),
    Option("fetch_private", ("--fetch-private",), "flag", "With --fetch-images: allow "
           "loopback, private and link-local addresses (a server on your own network)."),
    Option("fetch_cache", ("--fetch-cache",), "text", "With --fetch-images: keep fetched "
           "pictures in DIR and read them from there next time.", metavar="DIR"),
    Option("extract_media", ("--extract-media",), "text", "Markdown, HTML, text, JSON: write "
           "the pictures found (an input book's, files next to the input, --assets) into DIR, "
           "which is relative to the output's folder (the working folder for standard "
           "output); the output refers to them relative to itself.", metavar="DIR"),
    Option("cover", ("--cover",), "text", "EPUB: the cover picture.", metavar="FILE"),
    Option("no_cover", ("--no-cover",), "flag", "EPUB: no cover, even from the lead picture."),
    Option("identifier", ("--identifier",), "text", "EPUB: the book's identifier.",
           metavar="ID"),
    Option("title", ("--title",), "text", "The title of a document of several articles.",
           metavar="TEXT"),
    Option("authors", ("--author",), "multiple", "The author of a document of several "
           "articles (repeatable).", metavar="NAME"),
    Option("max_picture_bytes", ("--max-picture-bytes",), "int", "EPUB: refuse picture files "
           "larger than this.", default=MediaOptions().max_picture_bytes, minimum=1),
    Option("max_media_bytes", ("--max-media-bytes",), "int", "EPUB: embed at most this many "
           "bytes of pictures in all.", default=MediaOptions().max_media_bytes, minimum=0),
    Option("jobs", ("-j", "--jobs"), "int", "Convert a batch in N processes (0: one per CPU; "
           "never more than the CPUs).", default=1, minimum=0),
    Option("max_input_bytes", ("--max-input-bytes",), "int", "Refuse inputs larger than this.",
           default=DEFAULT_MAX_INPUT_BYTES, minimum=1),
    Option("strict", ("--strict",), "flag", "Fail an input on any loss (dropped content, a "
           "missing local picture, a guess): no output for it, exit 3."),
    Option("quiet", ("-q", "--quiet"), "flag", "No warnings, progress or summary."),
    Option("verbose", ("-v", "--verbose"), "flag", "Also say what was detected, and every "
           "warning in full."),
    Option("debug", ("--debug",), "flag", "Show a traceback for internal errors."),
)
BY_FLAG = {flag: option for option in OPTIONS for flag in option.flags}


def option_value(option: Option, value: str) -> object:
    """A value of ``option`` from the command line; ValueError or a usage error when it is not
    one."""
    if option.kind in ("from", "to"):
        return formats.get(value, reading=option.kind == "from",
                           writing=option.kind == "to").name
    if option.kind == "encoding":
        from ..encoding import check_codec

        check_codec(value)
        return value
    if option.kind == "int":
        number = int(value)
        if option.minimum is not None and number < option.minimum:
            raise ValueError(value)
        return number
    if option.kind == "choice" and value not in option.choices:
        raise ValueError(value)
    return value


def defaults() -> dict[str, Any]:
    """Every option's value when it is not given."""
    return {o.dest: () if o.kind == "multiple" else (False if o.kind == "flag" else o.default)
            for o in OPTIONS}


def output_format(values: dict[str, Any]) -> formats.Format:
    """``--to``, else the format the extension of ``--output`` names."""
    output = values["output"]
    if output == "":
        raise UsageError("-o/--output: an empty name (say a file or folder, or - for standard "
                         "output)")
    if values["to"] is not None:
        return formats.get(values["to"], writing=True)
    found = formats.by_extension(output) if output not in (None, "-") else None
    if found is None or not found.writer:
        import os

        extension = os.path.splitext(output)[1] if output not in (None, "-") else ""
        if extension:
            raise UsageError(f"-o {output}: artconv writes no format with the extension "
                             f"{extension!r}; say which with --to (artconv formats lists them)")
        raise UsageError("say which format to write with --to (for example -t md); "
                         "artconv formats lists them")
    return found


def settings(values: dict[str, Any], target: formats.Format) -> Settings:
    """The batch settings that parsed option values ask for."""
    import os

    from ..batch import Settings

    base_url = values["base_url"]
    if base_url is not None:
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(base_url)
        except ValueError:
            parts = urlsplit("")
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname \
                or any(c.isspace() for c in base_url):
            raise UsageError(f"--base-url {base_url!r}: not an absolute http(s) URL "
                             "(for example https://example.com/news/)")
    for folder in values["assets"]:
        if not os.path.isdir(folder):
            raise UsageError(f"--assets {folder}: no such folder")
    embeds = target.embeds_media
    return Settings(
        to_name=target.name,
        from_name=values["from_"],
        read_options=ReadOptions(
            encoding=values["encoding"], encoding_errors=values["encoding_errors"],
            lang=values["lang"], related_headings=tuple(values["related_headings"]),
            base_url=values["base_url"], max_input_bytes=values["max_input_bytes"],
            comments=values["comments"]),
        media_options=MediaOptions(
            assets=tuple(values["assets"]), cover=values["cover"],
            stylesheet=values["css"] if embeds else None,
            max_picture_bytes=values["max_picture_bytes"],
            max_media_bytes=values["max_media_bytes"],
            extract_media=None if embeds else values["extract_media"],
            fetch_images=values["fetch_images"], fetch_private=values["fetch_private"],
            fetch_cache=values["fetch_cache"]),
        write_options=WriteOptions(
            fragment=values["fragment"], css=None if embeds else values["css"],
            front_matter=not values["no_front_matter"], wrap=values["wrap"],
            gfm=target.name == "gfm", no_cover=values["no_cover"],
            identifier=values["identifier"], title=values["title"],
            authors=tuple(values["authors"])),
        strict=values["strict"],
        debug=values["debug"],
    )
