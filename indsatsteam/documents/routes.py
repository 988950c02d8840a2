"""Reading issued documents (the PDF and the print-friendly page) and issuing a new version."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from ..access import get_application_for, get_engagement_for
from ..attachments.routes import stream_response
from ..audit import log_access
from ..domain.documents import BY_SLUG, ENGAGEMENT_KINDS, DocumentKind
from ..forms import Form, domain_errors
from ..models import IssuedDocument, Role
from ..security import role_required
from . import services
from .access import document_for
from .templating import render_page

bp = Blueprint("documents", __name__)


def _document(document_id: int) -> IssuedDocument:
    document = document_for(current_user, document_id)
    if document is None:
        abort(404)
    return document


def _log(document: IssuedDocument, action: str) -> None:
    # Staff reading a tilbud's document is logged; the tilbud reading its own is not.
    log_access("document", document.id, f"{document.title} (version {document.version})",
               provider_id=document.provider_id, action=action)


def _back_url(document: IssuedDocument) -> str:
    if current_user.role == Role.APPLICANT:
        if document.engagement_id is not None:
            return url_for("portal.view", engagement_id=document.engagement_id) + "#dokumenter"
        return url_for("applications.view", application_id=document.application_id)
    if document.engagement_id is not None:
        return url_for("engagements.view", engagement_id=document.engagement_id) + \
            "#dokumenter"
    return url_for("staff.application", application_id=document.application_id)


@bp.get("/dokumenter/<int:document_id>")
@login_required
def view(document_id: int):
    document = _document(document_id)
    _log(document, "view")
    return render_page(document.html, title=document.title, web=True,
                       kind=DocumentKind(document.kind), version=document.version,
                       issued_at=document.issued_at, application=document.application,
                       size=document.size, back_url=_back_url(document),
                       pdf_url=url_for(".pdf", document_id=document.id))


@bp.get("/dokumenter/<int:document_id>.pdf")
@login_required
def pdf(document_id: int):
    document = _document(document_id)
    _log(document, "download")
    response = stream_response(services.chunks(document), name=services.filename_of(document),
                               content_type="application/pdf", size=document.size)
    response.headers["X-Document-SHA256"] = document.sha256
    return response


@bp.post("/forloeb/<int:engagement_id>/dokumenter/<kind>")
@role_required(Role.CONSULTANT, Role.MANAGER)
def reissue(engagement_id: int, kind: str):
    engagement = get_engagement_for(current_user, engagement_id)
    document_kind_ = BY_SLUG.get(kind)
    if document_kind_ is None or document_kind_ not in ENGAGEMENT_KINDS:
        abort(404)
    return _reissue(document_kind_, engagement.application, engagement,
                    url_for("engagements.view", engagement_id=engagement.id) + "#dokumenter")


@bp.post("/sagsbehandling/ansoegninger/<int:application_id>/afgoerelsesbrev")
@role_required(Role.MANAGER)
def reissue_decision_letter(application_id: int):
    application = get_application_for(current_user, application_id)
    engagement = services.engagement_of(application)
    return _reissue(DocumentKind.DECISION_LETTER, application, engagement,
                    url_for("staff.application", application_id=application.id))


def _reissue(kind, application, engagement, back: str):
    form = Form()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            document = services.reissue(kind, application, engagement, current_user)
        if done.ok:
            flash(f"{kind.label} er udstedt igen som version {document.version}. Den "
                  "tidligere version er gemt uændret.", "success")
        else:
            for message in form.form_errors:
                flash(message, "error")
    return redirect(back)


def document_section(application_id: int, engagement_id: int | None, staff: bool):
    """The documents section of a page: every issued version, and the re-issue buttons for
    staff (templates/documents/_section.html)."""
    # Rendered (and escaped) by Jinja already: Markup, or the page would show it as text.
    return Markup(render_template(
        "documents/_section.html",
        groups=services.grouped(services.for_application(application_id)),
        engagement_id=engagement_id, staff=staff, application_id=application_id))
