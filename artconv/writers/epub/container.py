"""The zip around an EPUB, made reproducible: ebooklib stamps every entry with the current
time (epub-notes 2), so the package is re-packed with fixed timestamps and attributes,
``mimetype`` first and stored, the other entries sorted."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

ZIP_EPOCH = dt.datetime(1980, 1, 1)  # the range of a zip entry's DOS date and time
ZIP_END = dt.datetime(2107, 12, 31, 23, 59, 58)
COMPRESS_LEVEL = 9


def repack(data: bytes, when: dt.datetime) -> bytes:
    """The same zip with fixed timestamps and attributes (see the module docstring)."""
    stamp = min(max(when, ZIP_EPOCH), ZIP_END)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(n for n in source.namelist() if n != "mimetype")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ["mimetype", *names]:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                target.writestr(info, b"application/epub+zip")
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(info, source.read(name), compresslevel=COMPRESS_LEVEL)
    return out.getvalue()
