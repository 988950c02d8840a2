"""Rules for attached files: which types, how large, and what a file name may be.

The type is decided from the content (see attachments/detect.py) and must agree with the
name's extension. Names are shown to people but never used as a path, so anything that
looks like one is refused rather than silently rewritten.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import DomainError


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


FILE_TYPES = {t.code: t for t in (
    FileType("pdf", "PDF", "application/pdf", (".pdf",)),
    FileType("docx", "Word (DOCX)",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             (".docx",)),
    FileType("xlsx", "Excel (XLSX)",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    FileType("pptx", "PowerPoint (PPTX)",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation",
             (".pptx",)),
    FileType("odt", "ODT", "application/vnd.oasis.opendocument.text", (".odt",)),
    FileType("ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet", (".ods",)),
    FileType("png", "PNG", "image/png", (".png",)),
    FileType("jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg")),
)}
BY_EXTENSION = {ext: t for t in FILE_TYPES.values() for ext in t.extensions}
ACCEPT = ",".join(BY_EXTENSION)  # for <input type="file" accept="…">
TYPE_LIST = "PDF, Word (DOCX), Excel (XLSX), PowerPoint (PPTX), ODT, ODS, PNG eller JPEG"

MAX_NAME_LENGTH = 150
MAX_APPLICATION_ATTACHMENTS = 5
FIELD = "file"

# C0/C1 control characters, and the invisible direction overrides that can disguise
# "fil.exe" as "fil.pdf" on screen.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_filename(raw: str | None) -> str:
    """The name to show and store, or DomainError with the Danish reason. Unicode is kept
    (æøå), normalised to NFC, and runs of spaces become one."""
    name = unicodedata.normalize("NFC", raw or "").strip()
    if not name:
        raise DomainError("Vælg en fil", field=FIELD)
    if _CONTROL.search(name) or "/" in name or "\\" in name or ".." in name:
        raise DomainError("Filnavnet må ikke indeholde skråstreger, to punktummer i træk "
                          "eller usynlige tegn. Omdøb filen, og prøv igen.", field=FIELD)
    name = re.sub(r"\s+", " ", name)
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(f"Filnavnet er for langt. Det må højst være {MAX_NAME_LENGTH} tegn "
                          "inklusive endelsen.", field=FIELD)
    return name


def type_for_name(name: str) -> FileType:
    """The allowed type the name's extension claims, or DomainError."""
    _, dot, ext = name.rpartition(".")
    extension = f".{ext.lower()}" if dot else ""
    file_type = BY_EXTENSION.get(extension)
    if file_type is None:
        shown = f"Filtypen {extension}" if extension else "En fil uden endelse"
        raise DomainError(f"{shown} kan ikke vedhæftes. Vælg en fil af typen {TYPE_LIST}.",
                          field=FIELD)
    return file_type


def check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise DomainError("Filen er tom. Vælg en fil med indhold.", field=FIELD)
    if size > max_bytes:
        raise DomainError(f"Filen er for stor. Den må højst fylde {format_size(max_bytes)}.",
                          field=FIELD)


def check_content(claimed: FileType, detected: str | None) -> None:
    """The content must be of the type the extension names."""
    if detected == claimed.code:
        return
    if detected in FILE_TYPES:
        actual = f"en {FILE_TYPES[detected].label}-fil"
    else:
        actual = "ikke en af de tilladte filtyper"
    raise DomainError(f"Filens indhold passer ikke til endelsen: navnet siger {claimed.label}, "
                      f"men indholdet er {actual}. Vælg den rigtige fil, eller gem den i "
                      "det rigtige format.", field=FIELD)


def check_room(existing: int, limit: int = MAX_APPLICATION_ATTACHMENTS) -> None:
    if existing >= limit:
        raise DomainError(f"En ansøgning kan have højst {limit} bilag. Slet et bilag for at "
                          "vedhæfte et nyt.", field=FIELD)


def format_size(size: int) -> str:
    """1536 → "1,5 kB"; 20 971 520 → "20 MB" (Danish decimal comma, powers of 1024)."""
    for unit, factor in (("MB", 1024 ** 2), ("kB", 1024)):
        if size >= factor:
            value = size / factor
            text = f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{text.replace('.', ',')} {unit}"
    return f"{size} byte"


def ascii_fallback(name: str) -> str:
    """A plain-ASCII version of a name for the old `filename=` parameter ("Årsplan.pdf" →
    "Arsplan.pdf"); modern clients use the UTF-8 `filename*`."""
    for danish, plain in (("æ", "ae"), ("Æ", "Ae"), ("ø", "oe"), ("Ø", "Oe"), ("å", "aa"),
                          ("Å", "Aa")):
        name = name.replace(danish, plain)
    folded = name
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    folded = re.sub(r'[^A-Za-z0-9._ -]', "_", folded).strip() or "fil"
    return folded
