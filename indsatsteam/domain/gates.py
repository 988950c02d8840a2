"""Standard tasks that stand for a gate of the phase machine.

Such a task (its template carries a gate key) is done exactly when its gate is met: it
completes itself when the fact is recorded and reopens when the fact is undone, so neither
the task list nor the reminders ever contradict the gates.
"""

from __future__ import annotations

from enum import StrEnum

from .phases import GateFacts


class GateKey(StrEnum):
    KICKOFF_HELD = "kickoff_held"
    AGREEMENT_AGREED = "agreement_agreed"
    ANALYSIS_RECORDED = "analysis_recorded"
    RECOMMENDATIONS_CHOSEN = "recommendations_chosen"
    BASELINE_ASSESSED = "baseline_assessed"
    FINAL_ASSESSED = "final_assessed"
    PLANS_MADE = "plans_made"
    FINAL_EVALUATION_DONE = "final_evaluation_done"

    @property
    def label(self) -> str:
        """What was recorded, for the timeline ("… fordi opstartsmødet er afholdt")."""
        return _LABELS[self]


_LABELS = {
    GateKey.KICKOFF_HELD: "opstartsmødet er registreret som afholdt",
    GateKey.AGREEMENT_AGREED: "samarbejdsaftalen er aftalt",
    GateKey.ANALYSIS_RECORDED: "analysen er registreret for alle temaer",
    GateKey.RECOMMENDATIONS_CHOSEN: "tilbuddet har valgt anbefalinger",
    GateKey.BASELINE_ASSESSED: "tilbuddet har givet den første selvevaluering",
    GateKey.FINAL_ASSESSED: "tilbuddet har givet den afsluttende selvevaluering",
    GateKey.PLANS_MADE: "hver valgt anbefaling har en udviklingsplan",
    GateKey.FINAL_EVALUATION_DONE: "den afsluttende evaluering er færdig",
}

GATE_CHOICES: list[tuple[str, str]] = [("", "Ingen (almindelig opgave)")] + [
    (k.value, k.label[:1].upper() + k.label[1:]) for k in GateKey]


def gate_met(key: GateKey | str, facts: GateFacts) -> bool:
    key = GateKey(key)
    if key == GateKey.KICKOFF_HELD:
        return facts.kickoff_meeting_held
    if key == GateKey.AGREEMENT_AGREED:
        return facts.agreement_agreed
    if key == GateKey.ANALYSIS_RECORDED:
        return facts.analysis_recorded and not facts.themes_without_analysis
    if key == GateKey.RECOMMENDATIONS_CHOSEN:
        return facts.chosen_recommendations > 0
    if key == GateKey.BASELINE_ASSESSED:
        return facts.baseline_assessed
    if key == GateKey.FINAL_ASSESSED:
        return facts.final_assessed
    if key == GateKey.PLANS_MADE:
        return facts.chosen_recommendations > 0 and not facts.recommendations_without_plan
    return facts.final_evaluation_done


def is_gate_key(value: str | None) -> bool:
    return value in {k.value for k in GateKey}
