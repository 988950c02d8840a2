"""`flask bench`, files part: the time to render each document for a forløb of the data set,
and the upload and download throughput of a 20 MB file through the real routes."""

from __future__ import annotations

import io
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable

from flask import Flask
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from ..attachments.services import delete_attachment
from ..domain.documents import DocumentKind
from ..domain.phases import Phase
from ..extensions import db
from ..models import Attachment, Engagement, Meeting, Task
from . import services

MB = 1024 * 1024
BASE_URL = "https://localhost"  # as ..bench logs in: the session cookie is Secure
_CSRF_FIELD = 'name="csrf_token"'


def richest_engagement(open_only: bool = False) -> Engagement | None:
    """The forløb with the most tasks and meetings (optionally one still open for files), so
    the timing is for a large document."""
    size = (select(func.count()).select_from(Task).where(Task.engagement_id == Engagement.id)
            .scalar_subquery()
            + select(func.count()).select_from(Meeting)
            .where(Meeting.engagement_id == Engagement.id).scalar_subquery())
    query = select(Engagement).order_by(size.desc(), Engagement.id).limit(1)
    if open_only:
        query = query.where(Engagement.phase.not_in((Phase.COMPLETED, Phase.CANCELLED)))
    return db.session.execute(query).scalar_one_or_none()


def time_documents(repeat: int, echo: Callable[[str], None]) -> None:
    """Render each document `repeat` times for the richest forløb; nothing is stored."""
    engagement = richest_engagement()
    if engagement is None:
        echo("(springer over dokumenterne: ingen forløb i databasen)")
        return
    echo(f"Dokumenter for forløb {engagement.id} ({len(engagement.tasks)} opgaver, "
         f"{len(engagement.meetings)} møder, {len(engagement.themes)} temaer):")
    echo(f"{'dokument':<44} {'p50 ms':>9} {'max ms':>9} {'kB':>8}")
    for kind in DocumentKind:
        times, size = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            _, _, pdf = services.render(kind, engagement.application, engagement, None, 1)
            times.append((time.perf_counter() - started) * 1000)
            size = len(pdf)
        db.session.rollback()
        echo(f"{kind.label:<44} {statistics.median(times):>9.0f} {max(times):>9.0f} "
             f"{size / 1024:>8.0f}")


def _csrf(client, path: str) -> str:
    html = client.get(path, base_url=BASE_URL).get_data(as_text=True)
    start = html.index(_CSRF_FIELD)
    value = html.index('value="', start) + len('value="')
    return html[value:html.index('"', value)]


def time_transfer(app: Flask, client, echo: Callable[[str], None],
                  megabytes: int = 20) -> None:
    """As the (logged-in) manager, POST a file of `megabytes` MB to an open forløb's files
    page and download it again; the file is deleted afterwards."""
    engagement = richest_engagement(open_only=True)
    if engagement is None:
        echo("(springer over filerne: ingen åbne forløb)")
        return
    path = f"/forloeb/{engagement.id}/filer"
    size = megabytes * MB - 1  # just under the limit: the form's own fields take a little
    with tempfile.TemporaryFile() as body:
        # Over https Flask-WTF also wants a same-site Referer, as a browser sends.
        environ = EnvironBuilder(path=path, method="POST", base_url=BASE_URL,
                                 headers={"Referer": BASE_URL + path}, data={
            "csrf_token": _csrf(client, path), "description": "Måling af overførsel",
            "file": (io.BytesIO(b"%PDF-1.7\n" + os.urandom(size - 9)), "bench.pdf")},
        ).get_environ()
        body.write(environ["wsgi.input"].read())
        length = body.tell()
        body.seek(0)
        environ.update({"wsgi.input": body, "CONTENT_LENGTH": str(length)})
        started = time.perf_counter()
        response = client.open(environ)
        upload_s = time.perf_counter() - started
    if response.status_code != 302:
        errors = re.findall(r'class="form-error-message"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]+)',
                            response.get_data(as_text=True))
        echo(f"(upload svarede {response.status_code}: {'; '.join(errors) or 'ingen besked'})")
        return
    attachment = db.session.execute(
        select(Attachment).where(Attachment.engagement_id == engagement.id)
        .order_by(Attachment.id.desc()).limit(1)).scalar_one()
    started = time.perf_counter()
    download = client.get(f"/filer/{attachment.id}", base_url=BASE_URL, buffered=False)
    received = sum(len(chunk) for chunk in download.response)
    download.close()
    download_s = time.perf_counter() - started
    delete_attachment(attachment)
    db.session.commit()
    echo(f"Fil på {size / MB:.0f} MB: upload {upload_s:.2f} s ({size / MB / upload_s:.0f} MB/s), "
         f"download {download_s:.2f} s ({received / MB / download_s:.0f} MB/s)")


def run_files_bench(app: Flask, repeat: int, echo: Callable[[str], None]) -> None:
    from ..demo.bench import MANAGER_EMAIL, login  # that module imports this one

    time_documents(repeat, echo)
    client = app.test_client()
    login(client, MANAGER_EMAIL)
    time_transfer(app, client, echo)
