"""Administration of the recommendation catalogues and the phase template (admins only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..audit import log_access
from ..development import services as work
from ..development.forms import LibraryForm
from ..development.inputs import method_inputs_from
from ..domain.catalogues import CATALOGUE_TITLES
from ..domain.phases import WORK_PHASES
from ..extensions import db
from ..forms import domain_errors, first_submission, form_status, render_form
from ..models import PhaseTemplate, Role, TaskTemplate
from ..notifications.services import failed_notifications
from ..security import role_required
from ..themes import services as theme_services
from . import indicator_services as indicators
from . import services
from .forms import (
    CatalogueForm,
    DeleteForm,
    IndicatorForm,
    SharesForm,
    TaskTemplateForm,
    reminder_rules_form_class,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    failed = failed_notifications()
    if failed:
        log_access("notification", None,
                   f"Mislykkede e-mails med modtagernes navne og e-mailadresser ({len(failed)})")
    return render_template("admin/index.html", catalogues=services.current_catalogues(),
                           templates=services.phase_templates(), shares_form=_shares_form(),
                           delete_form=DeleteForm(), failed_mails=failed)


def _shares_form() -> SharesForm:
    form = SharesForm()
    if request.method == "GET":
        for template in services.phase_templates():
            form[template.phase].data = template.share_percent
    return form


@bp.route("/kataloger/<code>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def catalogue(code: str):
    current = services.get_current_catalogue(code)
    if current is None:
        abort(404)
    if request.method == "GET":
        form = CatalogueForm(data={"title": current.title, "items": [
            {"title": r.title, "text": r.text} for r in current.recommendations]})
        form.items.append_entry()  # room for one more
    else:
        form = CatalogueForm()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            version = services.new_catalogue_version(
                current, form.title.data, [(i.form.title.data or "", i.form.text.data or "")
                                           for i in form.items])
        if done.ok:
            flash(f"{version.title} er gemt som version {version.version}. Igangværende forløb "
                  f"beholder den version, de startede med.", "success")
            return redirect(url_for("admin.index"))
    return render_form("admin/catalogue.html", form, catalogue=current,
                       versions=services.catalogue_versions(code),
                       heading=CATALOGUE_TITLES[code])


@bp.post("/faseskabelon/andele")
@role_required(Role.ADMIN)
def shares():
    form = SharesForm()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            services.save_shares({name: form[name].data
                                  for name in WORK_PHASES})
        if done.ok:
            flash("Fasernes andele er gemt. De gælder for nye forløb og ved omplanlægning.",
                  "success")
            return redirect(url_for("admin.index"))
    return render_template("admin/index.html", catalogues=services.current_catalogues(),
                           templates=services.phase_templates(), shares_form=form,
                           delete_form=DeleteForm(),
                           failed_mails=failed_notifications()), form_status(form)


@bp.route("/faseskabelon/<int:phase_template_id>/opgaver/ny", methods=["GET", "POST"],
          defaults={"task_template_id": None})
@bp.route("/faseskabelon/<int:phase_template_id>/opgaver/<int:task_template_id>",
          methods=["GET", "POST"])
@role_required(Role.ADMIN)
def task_template(phase_template_id: int, task_template_id: int | None):
    phase_template = db.get_or_404(PhaseTemplate, phase_template_id)
    existing = None
    if task_template_id is not None:
        existing = db.get_or_404(TaskTemplate, task_template_id)
        if existing.phase_template_id != phase_template.id:
            abort(404)
    form = TaskTemplateForm(obj=existing)
    if form.validate_on_submit():
        with domain_errors(form, default_field="owner_type") as done:
            services.save_task_template(existing, phase_template, title=form.title.data,
                                        description=form.description.data or "",
                                        offset_days=form.offset_days.data,
                                        owner_type=form.owner_type.data,
                                        gate_key=form.gate_key.data or None)
        if done.ok:
            flash("Standardopgaven er gemt. Den kommer med i nye forløb.", "success")
            return redirect(url_for("admin.index"))
    return render_form("admin/task_template.html", form, phase=phase_template,
                       task_template=existing)


@bp.post("/faseskabelon/opgaver/<int:task_template_id>/slet")
@role_required(Role.ADMIN)
def delete_task_template(task_template_id: int):
    template = db.get_or_404(TaskTemplate, task_template_id)
    if DeleteForm().validate_on_submit():
        with domain_errors() as done:
            services.delete_task_template(template)
        if done.ok:
            flash("Standardopgaven er fjernet fra skabelonen.", "success")
    return redirect(url_for("admin.index"))


@bp.route("/paamindelser", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def reminders():
    rules = services.reminder_rules()
    data = {}
    for rule in rules:
        data[f"enabled_{rule.code}"], data[f"days_{rule.code}"] = rule.enabled, rule.days
    form_class = reminder_rules_form_class(rules)
    # Stored values only prefill the page; a POST must carry every field itself.
    form = form_class(data=data) if request.method == "GET" else form_class()
    if form.validate_on_submit():
        with domain_errors(form) as done:
            services.save_reminder_rules({
                rule.code: (form[f"enabled_{rule.code}"].data, form[f"days_{rule.code}"].data)
                for rule in rules})
        if done.ok:
            flash("Påmindelsesreglerne er gemt. De gælder fra næste gennemgang.", "success")
            return redirect(url_for("admin.index"))
    return render_form("admin/reminders.html", form, rules=rules)


# --- the library of methods and tools ----------------------------------------------------------

def _library_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    themes = [(t.code, t.name) for t in theme_services.themes()]
    short = {"botilbud": "Botilbud", "bostotte": "Bostøtte"}
    recommendations = [
        (f"{c.code}:{r.number}", f"{short.get(c.code, c.code)} {r.number}. {r.title}")
        for c in services.current_catalogues() for r in c.recommendations]
    return themes, recommendations


@bp.route("/metoder", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def method_library():
    current = work.current_library()
    if request.method == "GET":
        form = LibraryForm(data={
            "title": current.title if current else "Metoder og redskaber",
            "items": [{"title": m.title, "description": m.description,
                       "theme_codes": [c for c in m.theme_codes.split(",") if c],
                       "recommendation_refs": [r for r in m.recommendation_refs.split(",") if r],
                       "links": m.links} for m in (current.methods if current else [])]})
        form.items.append_entry()  # room for one more
    else:
        form = LibraryForm()
    form.set_choices(*_library_choices())
    if form.validate_on_submit():
        with domain_errors(form) as done:
            version = work.new_library_version(current, form.title.data,
                                               method_inputs_from(form))
        if done.ok:
            flash(f"{version.title} er gemt som version {version.version}. Forløb beholder de "
                  "metoder, de har fået foreslået.", "success")
            return redirect(url_for("admin.index"))
    return render_form("admin/method_library.html", form, library=current,
                       versions=work.library_versions())


# --- the indicator catalogue ----------------------------------------------------------------

@bp.get("/indikatorer")
@role_required(Role.ADMIN)
def indicator_catalogue():
    current = indicators.current_catalogue()
    return render_template("admin/indicators.html", catalogue=current,
                           areas=indicators.by_area(current.indicators if current else []),
                           versions=indicators.catalogue_versions(), delete_form=DeleteForm())


@bp.get("/indikatorer/versioner/<int:version>")
@role_required(Role.ADMIN)
def indicator_version(version: int):
    catalogue = indicators.catalogue_version(version)
    if catalogue is None:
        abort(404)
    return render_template("admin/indicator_version.html", catalogue=catalogue,
                           areas=indicators.by_area(catalogue.indicators))


@bp.route("/indikatorer/ny", methods=["GET", "POST"], defaults={"indicator_number": None})
@bp.route("/indikatorer/<int:indicator_number>/ret", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def indicator(indicator_number: int | None):
    existing = None
    if indicator_number is not None:
        existing = indicators.current_indicator(indicator_number)
        if existing is None:
            abort(404)
    form = IndicatorForm(obj=existing)
    if form.validate_on_submit():
        values = indicators.IndicatorInput(
            outcome_area=form.outcome_area.data, name=form.name.data or "",
            definition=form.definition.data or "", unit=form.unit.data,
            direction=form.direction.data)
        version = None
        with domain_errors(form) as done:
            if existing is not None:
                version = indicators.edit_indicator(existing.number, values)
            elif first_submission(form):
                version = indicators.add_indicator(values)
        if done.ok:
            if version is not None:
                flash(f"{values.name.strip()} er gemt i kataloget som version "
                      f"{version.version}. Forløb, der allerede har aftalt indikatoren, "
                      "beholder den definition, de aftalte.", "success")
            return redirect(url_for("admin.indicator_catalogue"))
    return render_form("admin/indicator.html", form, indicator=existing)


@bp.post("/indikatorer/<int:indicator_number>/traek-tilbage")
@role_required(Role.ADMIN)
def withdraw_indicator(indicator_number: int):
    existing = indicators.current_indicator(indicator_number)
    if existing is None:
        abort(404)
    if DeleteForm().validate_on_submit():
        name = existing.name
        with domain_errors() as done:
            version = indicators.withdraw_indicator(existing.number)
        if done.ok:
            flash(f"{name} er trukket tilbage i version {version.version}. Forløb, der har "
                  "aftalt indikatoren, beholder den.", "success")
    return redirect(url_for("admin.indicator_catalogue"))
