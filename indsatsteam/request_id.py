"""A request id on every request and response.

Every request gets an id (``g.request_id``, sent back as ``X-Request-ID``). The 500 page
shows it as "Fejl-id", the log line for the exception carries it, and the audit trail and
the access log store it, so a user's report can be matched to the traceback and the rows.
"""

from __future__ import annotations

import uuid

from flask import Flask, Response, g, has_request_context

REQUEST_ID_HEADER = "X-Request-ID"


def init_app(app: Flask) -> None:
    app.before_request(_assign_request_id)
    app.after_request(_send_request_id)


def current_request_id() -> str:
    """The id of the current request ("" outside a request), made on first use if the
    before_request hook has not run (an error raised by an earlier hook)."""
    if not has_request_context():
        return ""
    if "request_id" not in g:
        g.request_id = uuid.uuid4().hex
    return g.request_id


def _assign_request_id() -> None:
    current_request_id()  # a before_request hook that returned the id would be the response


def _send_request_id(response: Response) -> Response:
    response.headers[REQUEST_ID_HEADER] = current_request_id()
    return response
