"""The queue of account e-mails (confirmation, reset, "already registered", invitations to a
tilbud): rendered and stored in the request's transaction, sent by the scheduler's
`mail_queue` job every MAIL_QUEUE_SECONDS. A request never waits on SMTP (nor takes longer
for an existing account than for an unknown one), and a failed send is retried with the
outbox's backoff. Claiming works like the notification outbox (see sender.py): a
conditional UPDATE, so two schedulers never send one mail twice.
"""

from __future__ import annotations

from datetime import datetime

from flask import g
from sqlalchemy import and_, or_, select, update

from .. import clock, mail
from ..extensions import db
from ..models import OutgoingMail
from .sender import SMTP_ERRORS, SendResult, claim_timeout, error_text, max_attempts, retry_delay


def queue_mail(to: str, subject: str, template: str, **context) -> OutgoingMail:
    """Render the mail now (links need the request's context) and queue it. Does not
    commit: the caller's transaction decides."""
    msg = mail.build_message(to, subject, template, **context)
    row = OutgoingMail(to_address=to, subject=subject[:300],
                       body_text=msg.get_body(("plain",)).get_content(),
                       body_html=msg.get_body(("html",)).get_content(),
                       status="pending", attempts=0, next_attempt_at=clock.now(),
                       last_error="")
    db.session.add(row)
    db.session.flush()
    g.queued_mail = True  # lets the test client send the queue only when there is something
    return row


def _claimable(now: datetime):
    return or_(
        and_(OutgoingMail.status == "pending", OutgoingMail.next_attempt_at <= now),
        and_(OutgoingMail.status == "sending", OutgoingMail.claimed_at <= now - claim_timeout()),
    )


def send_queued(now: datetime | None = None, limit: int = 100) -> SendResult:
    """Send the queued mails that are due; safe to run in parallel."""
    now = now or clock.now()
    result = SendResult()
    ids = list(db.session.execute(
        select(OutgoingMail.id).where(_claimable(now))
        .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id).limit(limit)).scalars())
    db.session.commit()
    for mail_id in ids:
        claimed = db.session.execute(
            update(OutgoingMail).where(OutgoingMail.id == mail_id, _claimable(now))
            .values(status="sending", claimed_at=now)
            .execution_options(synchronize_session=False))
        db.session.commit()
        if claimed.rowcount != 1:
            continue
        row = db.session.get(OutgoingMail, mail_id)
        db.session.refresh(row)
        try:
            mail.deliver(mail.message_from_parts(row.to_address, row.subject, row.body_text,
                                                 row.body_html))
        except SMTP_ERRORS as err:
            row.attempts += 1
            row.last_error = error_text(err)
            if row.attempts >= max_attempts():
                row.status, row.next_attempt_at = "failed", None
                result.failed += 1
            else:
                row.status, row.next_attempt_at = "pending", now + retry_delay(row.attempts)
                result.retried += 1
        else:
            row.status, row.sent_at, row.last_error = "sent", now, ""
            # The body holds a login link; once sent it need not stay in the database.
            row.body_text = row.body_html = ""
            result.sent += 1
        db.session.commit()
    return result
