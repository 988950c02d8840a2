"""The programme effect report (/leder/effekt) and its CSV and XLSX exports: managers, and
consultants to read."""

from __future__ import annotations

from flask import Response, abort, current_app, request

from .. import clock
from ..domain.effect import MIN_FORLOEB
from ..forms import render_form
from ..models import Role
from ..security import role_required
from . import effect, effect_exports, exports
from .blueprint import bp
from .filters import read_filters


@bp.get("/leder/effekt")
@role_required(Role.CONSULTANT, Role.MANAGER)
def effect_report():
    form, filters = read_filters(request.args)
    grouping = effect.Grouping.read(request.args.get("vis"))
    return render_form("dashboards/effect.html", form, filters=filters, grouping=grouping,
                       groupings=list(effect.Grouping),
                       report=effect.effect_report(grouping, filters),
                       follow_up_months=current_app.config["FOLLOW_UP_MONTHS"],
                       min_forloeb=MIN_FORLOEB)


@bp.get("/leder/effekt.<fmt>")
@role_required(Role.CONSULTANT, Role.MANAGER)
def effect_export(fmt: str):
    if fmt not in exports.MIME_TYPES:
        abort(404)
    form, filters = read_filters(request.args)
    if form.errors:
        # The page shows what is wrong; an export must not quietly leave a filter out.
        abort(400)
    grouping = effect.Grouping.read(request.args.get("vis"))
    report = effect.effect_report(grouping, filters)
    if fmt == "csv":
        body = effect_exports.csv_bytes(report)
    else:
        body = exports.file_chunks(effect_exports.xlsx_file(report))
    filename = f"indsatsteam-effekt-{grouping.value}-{clock.today().isoformat()}.{fmt}"
    return Response(body, content_type=exports.MIME_TYPES[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })
