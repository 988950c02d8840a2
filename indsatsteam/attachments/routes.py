"""Uploading, downloading and deleting attachments.

Only the views marked `accepts_files` take multipart bodies with files; every other route
still refuses them (errors._refuse_uploads). Their body limit is MAX_ATTACHMENT_MB plus a
little room for the form around the file.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required

from ..access import get_application_for, get_engagement_for
from ..audit import log_access
from ..domain.files import ascii_fallback, format_size
from ..forms import domain_errors, render_form
from ..models import Application, Attachment, Engagement, Role
from ..portal.services import get_engagement_for_provider_user
from ..security import role_required
from . import access, services
from .forms import DeleteForm, UploadForm

bp = Blueprint("attachments", __name__)
FORM_ROOM_BYTES = 256 * 1024


def accepts_files(view: Callable) -> Callable:
    view.accepts_files = True
    return view


def max_bytes() -> int:
    return current_app.config["MAX_ATTACHMENT_MB"] * 1024 * 1024


@bp.url_value_preprocessor
def _upload_limit(endpoint, values) -> None:
    # Runs before every before_request hook (CSRF reads the form first), so the limit is in
    # place when the body is parsed. A body beyond it is a 413, answered below.
    view = current_app.view_functions.get(endpoint)
    if getattr(view, "accepts_files", False):
        request.max_content_length = max_bytes() + FORM_ROOM_BYTES


def file_size(size: int) -> str:
    return format_size(size)


def max_attachment_bytes() -> int:
    return max_bytes()


def _upload(form: UploadForm) -> services.Upload:
    data = form.file.data
    return services.Upload(stream=data.stream if data else None,
                           filename=data.filename if data else None,
                           description=form.description.data or "")


def _page(template_context: dict, form: UploadForm, status: int | None = None):
    body, code = render_form("attachments/page.html", form, delete_form=DeleteForm(),
                             max_size=format_size(max_bytes()), **template_context)
    return body, status or code


# --- the pages with the upload form -------------------------------------------------------------

@bp.route("/ansoegninger/<int:application_id>/bilag", methods=["GET", "POST"])
@accepts_files
@role_required(Role.APPLICANT)
def application_files(application_id: int):
    application = get_application_for(current_user, application_id)
    context = _application_context(application)
    form = UploadForm()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            attachment = services.add_to_application(application, current_user, _upload(form),
                                                     max_bytes())
        if done.ok:
            flash(f"{attachment.filename} er vedhæftet ansøgningen.", "success")
            return redirect(url_for(".application_files", application_id=application.id))
        context = _application_context(application)
    return _page(context, form)


def _application_context(application: Application) -> dict:
    attachments = services.for_application(application.id)
    return dict(owner_kind="application", application=application, attachments=attachments,
                can_upload=application.status == "draft",
                room=max(0, 5 - len(attachments)),
                heading=f"Bilag til ansøgningen {application.round.name}",
                back_url=url_for("applications.check", application_id=application.id)
                if application.status == "draft"
                else url_for("applications.view", application_id=application.id))


@bp.route("/forloeb/<int:engagement_id>/filer", methods=["GET", "POST"])
@accepts_files
@role_required(Role.CONSULTANT, Role.MANAGER)
def engagement_files(engagement_id: int):
    engagement = get_engagement_for(current_user, engagement_id)
    return _engagement_page(engagement, ".engagement_files",
                            url_for("engagements.view", engagement_id=engagement.id))


@bp.route("/vores-forloeb/<int:engagement_id>/filer", methods=["GET", "POST"])
@accepts_files
@role_required(Role.APPLICANT)
def portal_files(engagement_id: int):
    engagement = get_engagement_for_provider_user(current_user, engagement_id)
    if engagement is None:
        abort(404)
    return _engagement_page(engagement, ".portal_files",
                            url_for("portal.view", engagement_id=engagement.id))


def _engagement_page(engagement: Engagement, endpoint: str, back_url: str):
    form = UploadForm()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            attachment = services.add_to_engagement(
                engagement, current_user, access.side_of(current_user), _upload(form),
                max_bytes())
        if done.ok:
            flash(f"{attachment.filename} er vedhæftet forløbet.", "success")
            return redirect(url_for(endpoint, engagement_id=engagement.id))
    return _page(dict(owner_kind="engagement", engagement=engagement,
                      attachments=services.for_engagement(engagement.id),
                      can_upload=engagement.phase not in services.CLOSED_PHASES,
                      heading=f"Filer i forløbet med {engagement.provider.name}",
                      back_url=back_url), form)


# --- one attachment -----------------------------------------------------------------------------

def _attachment(attachment_id: int) -> Attachment:
    attachment = access.attachment_for(current_user, attachment_id)
    if attachment is None:
        abort(404)
    return attachment


def content_disposition(name: str) -> str:
    return (f'attachment; filename="{ascii_fallback(name)}"; '
            f"filename*=UTF-8''{quote(name, safe='')}")


def stream_response(chunks, *, name: str, content_type: str, size: int) -> Response:
    """The bytes chunk by chunk, as a download of the stored type that nobody sniffs."""
    response = Response(stream_with_context(chunks), mimetype=content_type,
                        direct_passthrough=True)
    response.headers["Content-Disposition"] = content_disposition(name)
    response.headers["Content-Length"] = str(size)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/filer/<int:attachment_id>")
@login_required
def download(attachment_id: int):
    attachment = _attachment(attachment_id)
    log_access("attachment", attachment.id, f"Fil {attachment.filename}",
               provider_id=attachment.provider_id, action="download")
    return stream_response(services.chunks(attachment), name=attachment.filename,
                           content_type=attachment.content_type, size=attachment.size)


@bp.post("/filer/<int:attachment_id>/slet")
@login_required
def delete(attachment_id: int):
    attachment = _attachment(attachment_id)
    if not access.may_delete(current_user, attachment):
        abort(403)
    back = _owner_page(attachment)
    name = attachment.filename
    form = DeleteForm()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            services.delete_attachment(attachment)
        if done.ok:
            flash(f"{name} er slettet.", "success")
    return redirect(back)


def _owner_page(attachment: Attachment) -> str:
    if attachment.application_id is not None:
        return url_for(".application_files", application_id=attachment.application_id)
    if current_user.role == Role.APPLICANT:
        return url_for(".portal_files", engagement_id=attachment.engagement_id)
    return url_for(".engagement_files", engagement_id=attachment.engagement_id)


def may_delete_attachment(attachment: Attachment) -> bool:
    return access.may_delete(current_user, attachment)


def application_attachments(application_id: int) -> list[Attachment]:
    return services.for_application(application_id)


def engagement_attachments(engagement_id: int) -> list[Attachment]:
    return services.for_engagement(engagement_id)
