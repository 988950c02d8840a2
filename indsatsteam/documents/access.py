"""Who may see an issued document: the tilbud's own users, and the staff who may see its
application (the decision letter) or its forløb. None for everyone else (404)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..attachments.access import may_see_application, on_team
from ..extensions import db
from ..models import IssuedDocument, Role, User


def document_for(user: User, document_id: int) -> IssuedDocument | None:
    document = db.session.execute(
        select(IssuedDocument).options(selectinload(IssuedDocument.application),
                                       selectinload(IssuedDocument.engagement),
                                       selectinload(IssuedDocument.issued_by))
        .where(IssuedDocument.id == document_id)).scalar_one_or_none()
    if document is None or not user.is_authenticated:
        return None
    if user.role == Role.APPLICANT or document.engagement is None:
        visible = may_see_application(user, document.application)
    else:
        # A forløb's documents: its consultants and the managers (as the forløb page).
        visible = on_team(user, document.engagement)
    return document if visible else None
