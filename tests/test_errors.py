"""Every error code the app answers with gets the Danish DKFDS error page and a request id.

tests/test_security.py covers the real paths to 400 (CSRF), 403, 404, 405 and 500; this file
checks the whole table, including 429, through a test-only route on a fresh app."""

from __future__ import annotations

import pytest
from flask import abort

from indsatsteam import create_app
from indsatsteam.errors import ERROR_TEXTS
from indsatsteam.extensions import db

from helpers import text_of


@pytest.fixture
def failing_app(app):
    other = create_app("test", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                                "PROPAGATE_EXCEPTIONS": False})

    @other.get("/fejl/<int:code>")
    def fail(code):
        if code == 500:
            raise RuntimeError("Traceback: hemmelig detalje")
        abort(code)

    yield other
    with other.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("code", sorted(ERROR_TEXTS))
def test_each_error_code_has_a_danish_design_system_page(failing_app, code):
    response = failing_app.test_client().get(f"/fejl/{code}")
    assert response.status_code == code
    title, message = ERROR_TEXTS[code]
    page = response.get_data(as_text=True)
    assert '<html lang="da"' in page
    assert 'class="header"' in page  # the DKFDS page frame, not a bare error text
    assert title in text_of(response)
    assert message in text_of(response)
    assert "Traceback" not in page and "hemmelig" not in page
    assert response.headers["X-Request-ID"]
