"""Bytes to text: BOMs, a forced codec, UTF-8, a declared charset, then detection.

Precedence: BOM > ``--encoding`` > valid UTF-8 > the input's own declaration > detection.
Detection never takes "decodes without error" for an answer: KOI8-R bytes decode as
windows-1251 without error. Cyrillic single-byte codecs are told apart by the shape of the
words they produce (letter case inside words, letter frequencies, stray symbols), which works
on two-letter texts where statistical detectors pick cp1125 or shift_jis. Other single-byte
text goes to charset-normalizer.
"""

from __future__ import annotations

import codecs

from .errors import BinaryInputError, DecodeError, Log, UsageError
from .records import record
from .textutil import LazyPattern

BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive"),
    (b"PK\x05\x06", "a zip archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 document (old Office format)"),
    (b"\x7fELF", "an executable"),
    (b"AT&TFORM", "a DjVu document"),
    (b"\x00asm", "a WebAssembly module"),
)

# Fewer bytes past ASCII than this make a detected encoding a guess (a warning, a loss under
# --strict); detection reads the first GUESS_SAMPLE bytes.
GUESS_MIN_HIGH_BYTES = 32
GUESS_SAMPLE = 1_000_000

# A few NUL bytes in a text (one in NUL_NOISE bytes at most) are noise from an old crawl: they
# are dropped with a warning. More make the input binary.
NUL_NOISE = 500

# Codecs that detection chooses between for Cyrillic text.
CYRILLIC_CODECS = ("cp1251", "koi8_r")

_UTF8_SEQUENCE = LazyPattern(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTE = LazyPattern(rb"[\x80-\xff]")
_CONTROL_BYTE = LazyPattern(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_WORD = LazyPattern(r"[^\W\d_]+")

# The 150 most common letter pairs inside Russian words (news prose).
_COMMON_PAIRS = frozenset("""
ст ов ра ти но ни на ко ро то ен ет ан те ит та пр по ор ре ат ны не ин он ал об ем во ой ле за
ри тр ес ть ла го ос им ег ме ер ас ве се ел нт ди ад ед до ик ся ва ив ли вн ир от де ру од ол
ло со ам ка нс ут ви ом ск ие ил вл ми ог уч ые тс ту ия ль аб мо тв чи оц ду ав га кт ют бе ча
ги ьн ых ля ма да ры иа ый аю оп бл ки цс че аз бо ук ба ак па чт ей му нн св гр уд ур ци вы ая
ис сп дн сл жа ке ар мн лы бу ай зв рн ио вр аг бщ ще ку ап ид пу
""".split())
_VOWELS = frozenset("аеёиоуыэюяіїєў")


@record
class Decoded:
    text: str
    encoding: str
    how: str  # "bom", "forced", "utf-8", "declared", "detected"


# Codecs Python knows that are not text encodings a document is written in (punycode and idna
# name host names; the escape codecs read Python literals); bytes-to-bytes codecs (base64, zlib,
# rot13) are refused by lookup's own flag.
_NOT_DOCUMENT_ENCODINGS = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape",
                                     "undefined", "unicode-internal"})


def check_codec(name: str) -> str:
    """The Python codec for an encoding name (a WHATWG label such as ``latin1`` or
    ``x-mac-cyrillic``, or a Python codec name), or a usage error for anything else."""
    label = _whatwg_codec(name)
    if label is not None:
        return label
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        raise UsageError(f"unknown encoding {name[:40]!r}") from None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_DOCUMENT_ENCODINGS:
        raise UsageError(f"{name[:40]!r} is not a text encoding (it is a Python codec for "
                         "something else); name the encoding the input is written in")
    return info.name


def _whatwg_codec(label: str) -> str | None:
    """The Python codec for a WHATWG encoding label (the labels pages declare), or None."""
    import webencodings

    found = webencodings.lookup(label.strip().strip("'\""))
    if found is None or found.name in ("x-user-defined", "replacement"):
        return None
    name: str = found.codec_info.name
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def sniff_binary(data: bytes) -> str | None:
    """What binary data this is (``"a PNG image"``), or None when it may be text."""
    head = data[:16]
    for magic, what in SIGNATURES:
        if head.startswith(magic):
            return what
    sample = data[:65536]
    nuls = sample.count(b"\x00")
    if nuls * NUL_NOISE > len(sample) and _utf16_without_bom(sample) is None:
        return "binary data (NUL bytes)"
    controls = len(_CONTROL_BYTE.findall(sample))
    if sample and controls > max(2, len(sample) // 100):
        return "binary data (control bytes)"
    return None


def decode_bytes(
    data: bytes,
    *,
    encoding: str | None = None,
    errors: str = "strict",
    declared: str | None = None,
    log: Log | None = None,
) -> Decoded:
    """Decode an input's bytes to text, following the precedence in the module docstring."""
    log = log if log is not None else Log()
    for bom, codec in BOMS:
        if data.startswith(bom):
            return Decoded(_decode(data[len(bom):], codec, errors, log), codec, "bom")
    if encoding:
        codec = check_codec(encoding)
        return Decoded(_decode(data, codec, errors, log), codec, "forced")
    what = sniff_binary(data)
    if what:
        raise BinaryInputError(f"expected text, got {what}")
    utf16 = _utf16_without_bom(data[:65536])
    if utf16 is None and b"\x00" in data:
        nuls = data.count(b"\x00")
        log.warn("nul-bytes", f"dropped {nuls} NUL byte(s): noise in a text input, not text")
        data = data.replace(b"\x00", b"")
    if utf16:
        return Decoded(_decode(data, utf16, errors, log), utf16, "detected")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    declared_codec = _known_codec(declared)
    if declared_codec and declared_codec not in ("utf-8", *CYRILLIC_CODECS):
        try:
            return Decoded(data.decode(declared_codec), declared_codec, "declared")
        except UnicodeDecodeError:
            pass
    if _mostly_utf8(data):
        # UTF-8 with a few bad bytes: an error, unless asked to replace them
        return Decoded(_decode(data, "utf-8", errors, log), "utf-8", "utf-8")
    codec = detect_single_byte(data, prefer=declared_codec)
    how = "declared" if codec == declared_codec else "detected"
    high = len(_HIGH_BYTE.findall(data[:GUESS_SAMPLE]))
    if how == "detected" and high < GUESS_MIN_HIGH_BYTES:
        # a few bytes past ASCII say little about their encoding: a guess, said as a loss
        first = next(i for i, b in enumerate(data) if b >= 0x80)
        log.warn("guessed-encoding", f"the input is not UTF-8 (byte {first} is "
                 f"0x{data[first]:02X}) and {high} such byte(s) are too few to tell the "
                 f"encoding: read as {codec}, a guess; name it with --encoding")
    else:
        log.note(f"decoded as {codec} ({how})")
    return Decoded(_decode(data, codec, errors, log), codec, how)


def detect_single_byte(data: bytes, *, prefer: str | None = None) -> str:
    """The most likely single-byte codec for bytes that are not UTF-8.

    Between the Cyrillic codecs, the shape of the words decides: the wrong codec flips case
    inside capitalised words ("Да" becomes "дЮ"), glues Cyrillic to symbols and produces
    letter pairs that Russian does not use. Text too short to tell is refused, not guessed.
    """
    shapes: dict[str, CyrillicShape] = {}
    for codec in CYRILLIC_CODECS:
        try:
            shapes[codec] = cyrillic_shape(data.decode(codec))
        except UnicodeDecodeError:
            continue
    plausible = {c: s for c, s in shapes.items() if s.letters and s.bad * 4 < s.letters}
    if not plausible:
        return _detect_other(data)
    ranked = sorted(plausible, key=lambda c: (plausible[c].score, c == prefer), reverse=True)
    if len(ranked) == 1:
        return ranked[0]
    best, second = plausible[ranked[0]], plausible[ranked[1]]
    if prefer in plausible and best.score - plausible[prefer].score < 2:
        return prefer
    if best.score - second.score < 3:
        raise DecodeError("cannot tell windows-1251 from KOI8-R in so little text; "
                          "name the encoding with --encoding")
    return ranked[0]


@record
class CyrillicShape:
    letters: int
    """Cyrillic letters in well-formed words."""
    bad: int
    """Letters in words that real text does not have: case flipping inside a word, Cyrillic
    glued to Latin, no vowel at all; box-drawing symbols count too."""
    pairs: int
    """Letter pairs inside well-formed words that are among Russian's most common."""

    @property
    def score(self) -> float:
        return self.pairs - 2 * self.bad


def cyrillic_shape(text: str) -> CyrillicShape:
    letters = bad = pairs = 0
    for word in _WORD.findall(text):
        cyr = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
        if not cyr:
            continue
        lower = word.lower()
        if (cyr != len(word) or not (word.islower() or word.isupper() or word.istitle())
                or (len(word) > 1 and not any(ch in _VOWELS for ch in lower))):
            bad += len(word)
            continue
        letters += len(word)
        pairs += sum(1 for i in range(len(lower) - 1) if lower[i:i + 2] in _COMMON_PAIRS)
    bad += 3 * sum(1 for ch in text if "\u2500" <= ch <= "\u25ff" or ch in "\u2320\u2321")
    return CyrillicShape(letters, bad, pairs)


def _detect_other(data: bytes) -> str:
    from charset_normalizer import from_bytes

    match = from_bytes(
        data[:200_000],
        cp_isolation=["cp1252", "iso8859_15", "cp1250", "iso8859_2", "cp1257", "cp1254",
                      "cp1253", "cp1255", "cp1256", "cp1251", "koi8_r", "mac_roman"],
    ).best()
    return match.encoding if match else "cp1252"


def _decode(data: bytes, codec: str, errors: str, log: Log) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if errors != "replace":
            raise DecodeError(_describe(exc, data, codec)) from None
        text = data.decode(codec, errors="replace")
        count = text.count("\ufffd")
        log.warn("encoding-replaced",
                 f"replaced {count} undecodable byte sequence(s) with U+FFFD "
                 f"(first at byte {exc.start}, as {codec})")
        return text


def _describe(exc: UnicodeDecodeError, data: bytes, codec: str) -> str:
    name = "UTF-8" if codec.replace("_", "-") == "utf-8" else codec
    bad = data[exc.start:exc.end]
    hint = "name the encoding with --encoding, or go on with --encoding-errors replace"
    if exc.end >= len(data) and "end of data" in str(exc.reason):
        return f"truncated {name} sequence at byte {exc.start} (end of input); {hint}"
    return f"invalid {name} at byte {exc.start} (0x{bad[:1].hex().upper()}); {hint}"


def _mostly_utf8(data: bytes) -> bool:
    """True when the non-ASCII bytes are mostly well-formed UTF-8 sequences."""
    high = len(_HIGH_BYTE.findall(data[:1_000_000]))
    if not high:
        return True
    in_sequences = sum(len(m) for m in _UTF8_SEQUENCE.findall(data[:1_000_000]))
    return in_sequences * 2 >= high


def _utf16_without_bom(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` for BOM-less UTF-16 of mostly ASCII text, else None."""
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _known_codec(name: str | None) -> str | None:
    """The Python codec for a charset a page declares (WHATWG labels: ``latin1`` and ``ascii``
    mean windows-1252 on the web, ``koi8-u`` is KOI8-U), or None when it names none. A page
    that declares UTF-16 in its own bytes is not UTF-16 (HTML reads it as UTF-8)."""
    if not name:
        return None
    codec = _whatwg_codec(name)
    if codec is None:
        return None
    if codec.replace("_", "-") in ("utf-8", "utf-16-le", "utf-16-be"):
        return "utf-8"
    return codec.replace("-", "_")
