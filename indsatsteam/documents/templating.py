"""Rendering a document: its Jinja template to HTML, and that HTML to a tagged PDF.

The body (templates/documents/<kind>.html) is rendered once and kept with the issued
version; the PDF and the print-friendly page both wrap that same body, so they say the same.
WeasyPrint makes a PDF/UA-1 file (tagged, with the language and the title from the HTML),
A4 with the team's header and page numbers from static/css/documents.css.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import render_template
from weasyprint import CSS, HTML

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "css" / "documents.css"
_css: CSS | None = None
# WeasyPrint reports each rendering step at INFO; the app logs at INFO.
for _name in ("weasyprint", "weasyprint.progress"):
    logging.getLogger(_name).setLevel(logging.WARNING)


def render_body(template: str, **context) -> str:
    return render_template(f"documents/{template}.html", **context)


def render_page(body: str, *, title: str, web: bool, **context) -> str:
    """The whole HTML document around a body: for WeasyPrint, or for the browser (web)."""
    return render_template("documents/_page.html", body=body, title=title, web=web, **context)


def _stylesheet() -> CSS:
    global _css
    if _css is None:  # parsed once per process; WeasyPrint's CSS objects are reusable
        _css = CSS(filename=str(STYLESHEET))
    return _css


def render_pdf(page_html: str) -> bytes:
    return HTML(string=page_html, base_url=str(STYLESHEET.parent)).write_pdf(
        stylesheets=[_stylesheet()], pdf_variant="pdf/ua-1")
