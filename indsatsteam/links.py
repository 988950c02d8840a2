"""Links to the app's own pages, built without a request: for e-mails, notifications and
the calendar feed, written by routes, CLI commands and scheduler jobs alike. Services build
their links here, so they need no Flask import themselves."""

from __future__ import annotations

from flask import current_app


def path_for(endpoint: str, **values) -> str:
    """The path of a view (e.g. /forloeb/3), for links stored in notifications that the
    sender later makes absolute."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def absolute_url(path: str) -> str:
    """PUBLIC_BASE_URL in front of a path: the form links take in e-mails."""
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def absolute_url_for(endpoint: str, **values) -> str:
    return absolute_url(path_for(endpoint, **values))
