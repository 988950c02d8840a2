"""The GDPR access log: who looked at or exported someone else's personal data."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from .. import clock
from ..extensions import db
from ..models import AccessLogEntry
from ..request_id import current_request_id


def log_access(object_type: str, object_id: int | None, description: str, *,
               subject_user_id: int | None = None, provider_id: int | None = None,
               action: str = "view") -> None:
    """Record that the current user saw (or exported) personal data of a user or of the
    people of a provider. Looking at one's own data is not logged. Commits with the
    request's transaction, or on its own when the page only reads."""
    viewer = current_user if has_request_context() else None
    viewer_id = viewer.id if viewer is not None and viewer.is_authenticated else None
    if viewer_id is not None:
        if subject_user_id is not None and subject_user_id == viewer_id:
            return
        if provider_id is not None and subject_user_id is None \
                and provider_id in viewer.provider_ids:
            return
    db.session.add(AccessLogEntry(
        at=clock.now(), viewer_id=viewer_id, subject_user_id=subject_user_id,
        provider_id=provider_id, action=action, object_type=object_type, object_id=object_id,
        description=description[:300],
        path=(request.full_path.rstrip("?") if has_request_context() else "")[:500],
        request_id=current_request_id(),
    ))
    # Keep what the page has loaded: expiring it would make the template load it all again.
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire
