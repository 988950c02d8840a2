"""From a posted form to the plain values the services take."""

from __future__ import annotations

from ..domain.expectations import BENEFIT_COLUMNS, CONDITION_COLUMNS, Expectations
from .services import MethodInput, MilestoneInput, PlanInput


def expectations_from(form) -> Expectations:
    def text(name: str) -> str:
        return form[name].data or ""

    return Expectations(
        meanings={column: text(column) for column in BENEFIT_COLUMNS}, goals=text("goals"),
        participants=text("participants"), time_commitment=text("time_commitment"),
        leadership_involvement=text("leadership_involvement"),
        meeting_cadence=text("meeting_cadence"), contact_person=text("contact_person"),
        risks=text("risks"))


def plan_input_from(form) -> PlanInput:
    return PlanInput(
        changes=form.changes.data or "",
        conditions={column: form[column].data or "" for column, _ in CONDITION_COLUMNS},
        responsible=form.responsible.data or "", method_ids=list(form.method_ids.data or []),
        milestones=[MilestoneInput(entry.form.title.data or "", entry.form.due_date.data,
                                   entry.form.due_date.name)
                    for entry in form.milestones])


def method_inputs_from(form) -> list[MethodInput]:
    return [MethodInput(entry.form.title.data or "", entry.form.description.data or "",
                        list(entry.form.theme_codes.data or []),
                        list(entry.form.recommendation_refs.data or []),
                        entry.form.links.data or "")
            for entry in form.items]


def plan_form_data(plan) -> dict:
    """What the plan form starts from: the stored plan and one empty milestone row."""
    if plan is None:
        return {"milestones": [{}]}
    data = {name: getattr(plan, name) for name in (
        "changes", "responsible", *(column for column, _ in CONDITION_COLUMNS))}
    data["method_ids"] = [m.id for m in plan.methods]
    data["milestones"] = [{"title": m.title, "due_date": m.due_date} for m in plan.milestones]
    data["milestones"].append({})
    return data
