"""The pages of documented effect, the same for the team (engagements) and the tilbud
(portal): only the side that edits and the forløb page to go back to differ."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_login import current_user

from .. import clock
from ..admin.indicator_services import by_area
from ..development.values import agreement_is_agreed, chosen_rows
from ..domain.errors import DomainError
from ..domain.expectations import BENEFITS, Side, may_edit_expectations
from ..domain.indicators import MAX_INDICATORS, MeasurementStage, check_may_measure
from ..forms import domain_errors, render_form
from ..models import Engagement
from . import services
from .forms import BenefitForm, baseline_form_class, measurement_form_class
from .services import Measurement, indicator_prefix, score_field

ANCHOR = "#effekt"


def _back_url(engagement: Engagement, view_endpoint: str) -> str:
    return url_for(view_endpoint, engagement_id=engagement.id) + ANCHOR


def _refused(text: str):
    flash(text, "error")
    return redirect(request.path)


def baseline_page(engagement: Engagement, side: Side, *, view_endpoint: str, back_text: str):
    """Choose the indicators of the samarbejdsaftale, with baseline and target."""
    back_url = _back_url(engagement, view_endpoint)
    choices = services.indicator_choices(engagement)
    form_class = baseline_form_class(choices)
    rows = {r.indicator_id: r for r in engagement.indicators}
    if request.method == "GET":
        form = form_class(data={
            key: value for indicator_id, row in rows.items()
            for key, value in ((f"{indicator_prefix(indicator_id)}chosen", True),
                               (f"{indicator_prefix(indicator_id)}value", row.baseline_value),
                               (f"{indicator_prefix(indicator_id)}on", row.baseline_date),
                               (f"{indicator_prefix(indicator_id)}target", row.target_value))})
    else:
        form = form_class()
    editable = may_edit_expectations(side, engagement.phase, agreement_is_agreed(engagement))
    if request.method == "POST":
        if not editable:
            return _refused(locked_text(engagement, side))
        if form.validate_on_submit():
            chosen = [i.id for i in choices if form[f"{indicator_prefix(i.id)}chosen"].data]
            first = f"{indicator_prefix(choices[0].id)}chosen" if choices else None
            with domain_errors(form, default_field=first) as done:
                services.choose_indicators(engagement, side, chosen)
                services.save_baselines(engagement, side, {
                    i: Measurement(form[f"{p}value"].data, form[f"{p}on"].data,
                                   form[f"{p}target"].data, field=p)
                    for i in chosen for p in (indicator_prefix(i),)}, today=clock.today())
            if done.ok:
                flash("Indikatorerne er gemt.", "success")
                return redirect(back_url)
    return render_form("measurements/baseline.html", form, engagement=engagement,
                       areas=by_area(choices),
                       editable=editable, locked_text=locked_text(engagement, side),
                       back_url=back_url, back_text=back_text, prefix=indicator_prefix,
                       max_indicators=MAX_INDICATORS)


def measurement_page(engagement: Engagement, side: Side, stage: MeasurementStage, *,
                     view_endpoint: str, back_text: str):
    """The end measurement or the follow-up of every agreed indicator."""
    back_url = _back_url(engagement, view_endpoint)
    rows = services.agreed_indicators(engagement)
    assessed = [r for r in chosen_rows(engagement) if r.final_score is not None]
    form_class = measurement_form_class(stage, rows, assessed)
    if request.method == "GET":
        data = {}
        for row in rows:
            p = indicator_prefix(row.indicator_id)
            data[f"{p}value"], data[f"{p}on"] = (
                (row.end_value, row.end_date) if stage == MeasurementStage.END
                else (row.follow_up_value, row.follow_up_date))
        if stage == MeasurementStage.FOLLOW_UP:
            data.update({score_field(r): r.follow_up_score for r in assessed})
        form = form_class(data=data)
    else:
        form = form_class()
    today = clock.today()
    refusal = measure_refusal(engagement, stage, bool(rows or assessed), today)
    editable = not refusal
    if request.method == "POST":
        if not editable:
            return _refused(refusal)
        if form.validate_on_submit():
            with domain_errors(form) as done:
                services.save_measurements(
                    engagement, side, stage,
                    {r.indicator_id: Measurement(form[f"{p}value"].data, form[f"{p}on"].data,
                                                 field=p)
                     for r in rows for p in (indicator_prefix(r.indicator_id),)},
                    today=today,
                    scores={r.id: form[score_field(r)].data for r in assessed}
                    if stage == MeasurementStage.FOLLOW_UP else None)
            if done.ok:
                flash("Slutmålingen er gemt." if stage == MeasurementStage.END
                      else "Tak. Opfølgningen er gemt.", "success")
                return redirect(back_url)
    return render_form("measurements/measure.html", form, engagement=engagement, rows=rows,
                       assessed=assessed, stage=stage, editable=editable,
                       locked_text=refusal,
                       back_url=back_url, back_text=back_text, prefix=indicator_prefix,
                       score_field=score_field)


def benefits_page(engagement: Engagement, side: Side, *, view_endpoint: str, back_text: str):
    """The tilbud's rating of the four benefits a forløb promises."""
    back_url = _back_url(engagement, view_endpoint)
    existing = services.benefit_ratings(engagement)
    if request.method == "GET":
        form = BenefitForm(data={
            key: value for code, r in existing.items()
            for key, value in ((f"benefit_{code}", r.score), (f"comment_{code}", r.comment))})
    else:
        form = BenefitForm()
    editable = services.may_rate_benefits(engagement)
    if request.method == "POST":
        if not editable:
            return _refused(services.BENEFITS_REFUSAL)
        if form.validate_on_submit():
            with domain_errors(form) as done:
                services.save_benefit_ratings(
                    engagement, side,
                    {b.code: (form[f"benefit_{b.code}"].data, form[f"comment_{b.code}"].data)
                     for b in BENEFITS}, current_user)
            if done.ok:
                flash("Vurderingen af forløbets udbytte er gemt.", "success")
                return redirect(back_url)
    return render_form("measurements/benefits.html", form, engagement=engagement,
                       benefits=BENEFITS, editable=editable,
                       locked_text=services.BENEFITS_REFUSAL, back_url=back_url,
                       back_text=back_text)


def locked_text(engagement: Engagement, side: Side) -> str:
    if engagement.phase in ("completed", "cancelled"):
        return "Forløbet er afsluttet, så indikatorerne i samarbejdsaftalen kan ikke ændres."
    if side == Side.TILBUD and engagement.phase == "paused":
        return "Forløbet er sat på pause, så indikatorerne kan ikke ændres nu."
    return ("Samarbejdsaftalen er aftalt, så indikatorerne kan ikke længere ændres her. Tal "
            "med jeres konsulent, hvis noget skal ændres.")


def measure_refusal(engagement: Engagement, stage: MeasurementStage, has_rows: bool,
                    today) -> str:
    """Why the measurement cannot be given now (the domain rule's words); "" when it can."""
    if not has_rows:
        return "Forløbet har ingen aftalte indikatorer at måle."
    try:
        check_may_measure(stage, engagement.phase, follow_up_due=engagement.follow_up_due,
                          today=today)
    except DomainError as err:
        return err.message
    return ""
