"""The type of a file from its content: magic bytes (the `filetype` library) and, for the
ZIP-based office formats, the parts inside the archive."""

from __future__ import annotations

import zipfile
from typing import BinaryIO

import filetype

HEAD_BYTES = 8192
_MAGIC = {"pdf": "pdf", "png": "png", "jpg": "jpeg"}
# The part that makes a ZIP an OOXML document of each kind.
_OOXML = (("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"),
          ("ppt/presentation.xml", "pptx"))
_ODF = {"application/vnd.oasis.opendocument.text": "odt",
        "application/vnd.oasis.opendocument.spreadsheet": "ods"}


def detect(stream: BinaryIO) -> str | None:
    """The allowed type code ("pdf", "docx", …) the content is, or None. Reads the head of
    the (seekable) stream, or the ZIP directory, and rewinds it."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    try:
        if head.startswith(b"PK\x03\x04"):
            return _zip_type(stream)
        kind = filetype.guess(head)
        return _MAGIC.get(kind.extension) if kind is not None else None
    finally:
        stream.seek(0)


def _zip_type(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names:
                for part, code in _OOXML:
                    if part in names:
                        return code
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    return _ODF.get(archive.read("mimetype").decode("ascii", "replace").strip())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None
