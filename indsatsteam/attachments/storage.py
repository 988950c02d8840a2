"""Where the bytes of attachments and issued documents live, behind one small interface.

The database is the default (and so far only) store: it works on SQLite and PostgreSQL and
every web host sees it. A file is written and read as numbered chunks, each its own row and
its own statement, so neither direction holds a whole file in memory. An object store can be
added later as another class with the same three methods, chosen by FILE_STORAGE.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from sqlalchemy import delete, func, insert, select, update

from ..extensions import db
from ..models import StoredFile, StoredFileChunk

DEFAULT_CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class StoredBlob:
    key: str
    size: int
    sha256: str


class FileStore(Protocol):
    def save(self, stream: BinaryIO) -> StoredBlob: ...

    def chunks(self, key: str) -> Iterator[bytes]: ...

    def delete(self, key: str) -> None: ...


class DatabaseStore:
    """Files as rows of `stored_file_chunks`; the key is "db:<stored file id>"."""

    def __init__(self, chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> None:
        self.chunk_bytes = chunk_bytes

    def save(self, stream: BinaryIO) -> StoredBlob:
        """Copy the stream into the database chunk by chunk, in the caller's transaction."""
        file_id = db.session.execute(
            insert(StoredFile).values(size=0, sha256="").returning(StoredFile.id)).scalar_one()
        digest, size, seq = hashlib.sha256(), 0, 0
        while chunk := stream.read(self.chunk_bytes):
            digest.update(chunk)
            size += len(chunk)
            # Core statements: an ORM object per chunk would keep every chunk in the session.
            db.session.execute(insert(StoredFileChunk).values(file_id=file_id, seq=seq,
                                                              data=chunk))
            seq += 1
            del chunk
        db.session.execute(update(StoredFile).where(StoredFile.id == file_id)
                           .values(size=size, sha256=digest.hexdigest()))
        return StoredBlob(key=f"db:{file_id}", size=size, sha256=digest.hexdigest())

    def chunks(self, key: str) -> Iterator[bytes]:
        """The file's bytes, one chunk (one query) at a time."""
        file_id = _file_id(key)
        count = db.session.execute(
            select(func.count()).select_from(StoredFileChunk)
            .where(StoredFileChunk.file_id == file_id)).scalar_one()
        for seq in range(count):
            yield db.session.execute(
                select(StoredFileChunk.data).where(StoredFileChunk.file_id == file_id,
                                                   StoredFileChunk.seq == seq)).scalar_one()

    def delete(self, key: str) -> None:
        file_id = _file_id(key)
        db.session.execute(delete(StoredFileChunk).where(StoredFileChunk.file_id == file_id))
        db.session.execute(delete(StoredFile).where(StoredFile.id == file_id))


def _file_id(key: str) -> int:
    scheme, _, value = key.partition(":")
    if scheme != "db" or not value.isdigit():
        raise ValueError(f"not a database storage key: {key!r}")
    return int(value)


STORES = {"database": DatabaseStore}
_store: FileStore = DatabaseStore()


def configure(name: str, chunk_bytes: int = DEFAULT_CHUNK_BYTES) -> None:
    """Choose the store at app start (FILE_STORAGE, FILE_CHUNK_KB)."""
    global _store
    if name not in STORES:
        raise ValueError(f"FILE_STORAGE must be one of {sorted(STORES)}, not {name!r}")
    _store = STORES[name](chunk_bytes=chunk_bytes)


def file_store() -> FileStore:
    return _store


def read_all(key: str) -> bytes:
    """A small file whole (an issued PDF for a mail attachment)."""
    return b"".join(file_store().chunks(key))
