"""The manager's drill-down list behind the dashboard's figures, and its exports."""

from __future__ import annotations

from itertools import chain

from flask import Response, abort, request, stream_with_context

from .. import clock
from ..audit import log_access
from ..forms import render_form
from ..models import Role
from ..pagination import page_arg
from ..security import role_required
from . import exports, list_headings, lists
from .blueprint import bp
from .filters import read_filters

# The access log names what was exported; the objects are those of the list's kind.
OBJECT_TYPES = {"ansoegninger": "application", "forloeb": "engagement", "opgaver": "task"}


@bp.get("/leder/overblik/liste")
@role_required(Role.MANAGER)
def manager_list():
    form, filters = read_filters(request.args)
    try:
        drill = lists.drill_down(request.args.get("liste") or lists.DEFAULT_LIST,
                                 request.args, filters, clock.today())
        consultant = dict(form.konsulent.choices).get(filters.consultant_id)
        narrowing = list_headings.narrowing(drill, consultant)
    except lists.UnknownList:
        abort(404)
    page = lists.page_of(drill, page_arg(request.args))
    return render_form("dashboards/list.html", form, filters=filters, drill=drill,
                       kind=drill.kind, page=page, heading=list_headings.heading(drill),
                       narrowing=narrowing, lists=lists)


@bp.get("/leder/eksport/<kind>.<fmt>")
@role_required(Role.MANAGER)
def export(kind: str, fmt: str):
    if fmt not in exports.MIME_TYPES:
        abort(404)
    form, filters = read_filters(request.args)
    try:
        drill = lists.export_drill_down(kind, request.args, filters, clock.today())
    except lists.UnknownList:
        abort(404)
    if form.errors:
        # The page shows what is wrong; an export must not quietly leave a filter out.
        abort(400)
    log_access(OBJECT_TYPES[kind], None,
               f"Eksport ({fmt.upper()}): {list_headings.heading(drill)}", action="export")
    if fmt == "csv":
        chunks = exports.csv_chunks(drill)
        first = next(chunks)  # runs the query: an error now is a whole error page
        body = stream_with_context(chain([first], chunks))
    else:
        body = exports.file_chunks(exports.xlsx_file(drill))
    filename = f"indsatsteam-{kind}-{drill.today.isoformat()}.{fmt}"
    return Response(body, content_type=exports.MIME_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })
