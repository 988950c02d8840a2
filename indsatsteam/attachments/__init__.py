"""Files people attach to an application or a forløb."""

from __future__ import annotations

from flask import Flask

from . import storage


def init_app(app: Flask) -> None:
    storage.configure(app.config["FILE_STORAGE"], app.config["FILE_CHUNK_KB"] * 1024)
