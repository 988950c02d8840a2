"""Danish error pages. A 500 page shows the request id (request_id.py) as "Fejl-id", and the
log line for the exception carries it, so a user's report can be matched to the traceback.
Error pages never show exception details.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import BadRequest, Conflict, HTTPException, InternalServerError

from .request_id import current_request_id

logger = logging.getLogger(__name__)

# status code -> (page heading, explanation)
ERROR_TEXTS: dict[int, tuple[str, str]] = {
    400: (
        "Forkert forespørgsel",
        "Vi kunne ikke forstå forespørgslen. Gå tilbage, og prøv igen.",
    ),
    403: (
        "Du har ikke adgang til siden",
        "Din bruger har ikke adgang til denne side. Kontakt indsatsteamet, hvis du mener, "
        "at du burde have adgang.",
    ),
    404: (
        "Siden findes ikke",
        "Tjek, at adressen er skrevet rigtigt. Hvis du har fulgt et link, kan siden være "
        "flyttet eller slettet.",
    ),
    405: (
        "Handlingen er ikke tilladt",
        "Siden kan ikke bruges på den måde. Gå tilbage til siden, og prøv igen derfra.",
    ),
    413: (
        "Filen er for stor",
        "Det, der blev sendt, er større, end systemet tager imod. Gå tilbage, og vælg en "
        "mindre fil (se grænsen ved feltet).",
    ),
    429: (
        "For mange forsøg – prøv igen senere",
        "Du har prøvet for mange gange på kort tid. Vent lidt, og prøv så igen.",
    ),
    500: (
        "Der opstod en fejl",
        "Der skete en fejl hos os, og vi har registreret den. Prøv igen om lidt.",
    ),
}

UPLOAD_TITLE = "Filer kan ikke sendes"
UPLOAD_MESSAGE = (
    "Systemet tager ikke imod filer på denne side. Skriv oplysningerne i formularens "
    "felter, og vedhæft filer under Bilag (ansøgningen) eller Filer (forløbet)."
)

CONFLICT_TITLE = "Det er allerede gemt"
CONFLICT_MESSAGE = (
    "Det, du prøvede at gemme, findes allerede. Måske blev formularen sendt to gange (et "
    "dobbeltklik), eller en kollega gjorde det samme i samme øjeblik. Gå tilbage, og genindlæs "
    "siden for at se, hvordan det står nu."
)

CSRF_TITLE = "Formularen kunne ikke sendes"
CSRF_MESSAGE = (
    "Formularen er udløbet eller mangler sikkerhedsnøglen. "
    "Gå tilbage, genindlæs siden og prøv igen."
)


def init_app(app: Flask) -> None:
    app.before_request(_refuse_uploads)
    app.before_request(_refuse_nul_bytes)
    app.register_error_handler(CSRFError, _handle_csrf_error)
    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, _handle_http_error)
    app.register_error_handler(IntegrityError, _handle_integrity_error)
    app.register_error_handler(InternalServerError, _handle_server_error)


def _refuse_uploads():
    """Files are taken only by the upload views (marked `accepts_files`, see
    attachments/routes.py); any other request carrying a file is refused."""
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "accepts_files", False):
        return None
    if request.mimetype == "multipart/form-data" and request.files:
        return _error_page(BadRequest(), 400, UPLOAD_TITLE, UPLOAD_MESSAGE)
    return None


def _refuse_nul_bytes():
    """No text in the system holds a NUL character (PostgreSQL cannot even store one), so a
    query value with one is a malformed link, refused before any route sees it. Form values
    are left to the forms, which say so next to the field and keep what was typed."""
    if any("\x00" in value for value in (*request.args.values(), *request.args.keys())):
        return _error_page(BadRequest(), 400, *ERROR_TEXTS[400])
    return None


def _handle_http_error(error: HTTPException):
    code = error.code or 500
    title, message = ERROR_TEXTS.get(code, ERROR_TEXTS[500])
    return _error_page(error, code, title, message)


def _handle_csrf_error(error: CSRFError):
    return _error_page(error, 400, CSRF_TITLE, CSRF_MESSAGE)


def _handle_integrity_error(error: IntegrityError):
    """A unique row inserted twice at the same instant (two clicks, two colleagues): the
    database kept one. The state changes that matter are decided before they insert (see
    `claims`); this is the net under the rest, so a race is a 409 with a way on, not a 500."""
    from .extensions import db

    db.session.rollback()
    logger.warning("409 on %s %s (request id %s): %s", request.method, request.path,
                   current_request_id(), error.orig)
    return _error_page(Conflict(), 409, CONFLICT_TITLE, CONFLICT_MESSAGE)


def _handle_server_error(error: InternalServerError):
    request_id = current_request_id()
    original = error.original_exception
    logger.error(
        "500 on %s %s (request id %s)",
        request.method,
        request.path,
        request_id,
        exc_info=(type(original), original, original.__traceback__) if original else None,
    )
    title, message = ERROR_TEXTS[500]
    return _error_page(error, 500, title, message, request_id=request_id)


def _error_page(
    error: HTTPException, code: int, title: str, message: str, request_id: str | None = None
):
    # Keep the headers the exception carries (Allow on 405, Retry-After on 429).
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    try:
        body = render_template(
            "errors/error.html", code=code, title=title, message=message, request_id=request_id
        )
    except Exception:
        # The page frame needs the database (current_user); when that is what failed, a
        # plain page is better than Flask's English default. The failure is logged.
        logger.exception("Could not render the error page (request id %s)", current_request_id())
        lines = [f"{title}\n\n{message}"]
        if request_id:
            lines.append(f"Fejl-id: {request_id}")
        body = "\n\n".join(lines) + "\n"
        headers.append(("Content-Type", "text/plain; charset=utf-8"))
    return body, code, headers
