"""The forløb of the synthetic data set: phase plans, transitions, tasks, meetings,
recommendations with self-assessment, agreements, final evaluations, indicators with their
measurements and benefit ratings (see demo.large and demo.large_effect)."""

from __future__ import annotations

from datetime import date, timedelta

from ..domain.catalogues import catalogue_code_for
from ..domain.engagements import MeetingType, TaskOwner, TaskStatus
from ..domain.phases import WORK_PHASES, Phase
from ..models import (
    CollaborationAgreement,
    Engagement,
    EngagementRecommendation,
    FinalEvaluation,
    Meeting,
    PhasePlan,
    PhaseTransition,
    Task,
)
from ..models.engagement import engagement_themes
from .large_effect import EffectRows

PHASE_SHARES = (0.2, 0.3, 0.5)
TASK_TITLES = ("Sundhedstjek", "Skadesreduktion", "Meningsfulde aktiviteter",
               "Brobygning til samfundet", "Hjemlighed", "Borgersammensat teamstruktur",
               "Fysiske rammer", "Borgere der sætter mål", "Peer-medarbejdere")


class EngagementRows(EffectRows):
    """Mixin for large.Generator: one forløb per approved application."""

    def engagements(self) -> None:
        per_engagement = max(1, round(self.n("tasks") / max(1, len(self.approved))))
        for application in self.approved:
            self._engagement(application, per_engagement)

    def _engagement(self, application: dict, task_count: int) -> None:
        rng = self.rng
        engagement_id = self.ids.take(Engagement)
        start = application["decided_at"].date() + timedelta(days=rng.randint(10, 60))
        months = application["duration_months"]
        end = start + timedelta(days=round(months * 30.4))
        kind = self.provider_kind[application["provider_id"]]
        catalogue_id, recommendation_ids = self.catalogues[catalogue_code_for(kind)]
        lead, second = rng.sample(self.consultants, 2)
        # Where the plan says it should be today, with some running late or early.
        bounds, day = [], start
        for share in PHASE_SHARES:
            length = max(7, round((end - start).days * share))
            bounds.append((day, day + timedelta(days=length)))
            day += timedelta(days=length)
        drift = timedelta(days=rng.randint(-20, 40))
        reached = sum(1 for s, _ in bounds if s + drift <= self.today)
        phase = WORK_PHASES[max(0, reached - 1)] if reached < 3 or \
            bounds[2][1] + drift > self.today else Phase.COMPLETED
        roll = rng.random()
        if phase != Phase.COMPLETED and roll < 0.05:
            phase = Phase.PAUSED
        elif roll > 0.96:
            phase = Phase.CANCELLED
        worked = max(1, reached)
        self.add(Engagement, {
            "id": engagement_id, "application_id": application["id"],
            "provider_id": application["provider_id"], "lead_consultant_id": lead,
            "second_consultant_id": second if rng.random() < 0.6 else None,
            "catalogue_id": catalogue_id, "phase": phase.value,
            "resume_phase": WORK_PHASES[min(worked, 3) - 1].value
            if phase in (Phase.PAUSED, Phase.CANCELLED) else None,
            "planned_start": start, "duration_months": months, "planned_end": end,
            "actual_end": (bounds[2][1] + drift) if phase == Phase.COMPLETED else None,
            "follow_up_due": self.follow_up_due(engagement_id, bounds[2][1] + drift)
            if phase == Phase.COMPLETED else None,
            "created_at": self.at(start - timedelta(days=5))})
        for theme_id in rng.sample(self.theme_ids, rng.randint(1, 3)):
            self.add(engagement_themes, {"engagement_id": engagement_id, "theme_id": theme_id})
        previous = None
        for position, (work_phase, (p_start, p_end)) in enumerate(
                zip(WORK_PHASES, bounds, strict=True)):
            started = position < worked
            finished = position < worked - 1 or (phase == Phase.COMPLETED)
            self.add(PhasePlan, {
                "id": self.ids.take(PhasePlan), "engagement_id": engagement_id,
                "phase": work_phase.value, "position": position, "planned_start": p_start,
                "planned_end": p_end, "actual_start": p_start + drift if started else None,
                "actual_end": p_end + drift if finished else None})
            if started:
                self._transition(engagement_id, previous, work_phase.value, p_start + drift, lead)
                previous = work_phase.value
        if phase in (Phase.COMPLETED, Phase.PAUSED, Phase.CANCELLED):
            self._transition(engagement_id, previous, phase.value,
                             min(self.today, bounds[2][1] + drift), lead)
        self._tasks(engagement_id, bounds, drift, worked, phase, lead, task_count)
        self._meetings(engagement_id, start, end)
        self._recommendations(engagement_id, recommendation_ids, worked, phase, lead, bounds)
        self.effect(engagement_id, phase, bounds[2][1] + drift, lead)
        self.add(CollaborationAgreement, {
            "id": self.ids.take(CollaborationAgreement), "engagement_id": engagement_id,
            "goals": "Systematisk opfølgning", "participants": "Ledelse",
            "meeting_cadence": "Hver 14. dag", "time_commitment": "Fire timer om måneden",
            "leadership_involvement": "Lederen deltager", "contact_person": "Tovholderen",
            "risks": "Ingen kendte", "meaning_systematics": "Faste rutiner",
            "agreed_at": self.at(start + timedelta(days=14)),
            "updated_at": self.at(start + timedelta(days=14))})
        if phase == Phase.COMPLETED:
            self.add(FinalEvaluation, {
                "id": self.ids.take(FinalEvaluation), "engagement_id": engagement_id,
                "summary": "Forløbet er afsluttet.", "achievements": "Fælles tilgang",
                "next_steps": "Fortsat opfølgning",
                "completed_at": self.at(bounds[2][1] + drift), "completed_by_id": lead})

    def _transition(self, engagement_id: int, from_phase, to_phase: str, day: date,
                    actor: int) -> None:
        self.add(PhaseTransition, {
            "id": self.ids.take(PhaseTransition), "engagement_id": engagement_id,
            "from_phase": from_phase, "to_phase": to_phase, "actor_id": actor,
            "at": self.at(min(day, self.today), 12), "comment": ""})

    def _tasks(self, engagement_id, bounds, drift, worked, phase, lead, count) -> None:
        rng = self.rng
        for index in range(count):
            position = index * 3 // count
            p_start, p_end = bounds[position]
            due = p_start + timedelta(days=rng.randint(0, max(1, (p_end - p_start).days)))
            if phase == Phase.COMPLETED or position < worked - 1:
                status = TaskStatus.DONE
            elif position == worked - 1:
                status = rng.choice(list(TaskStatus))
            else:
                status = TaskStatus.NOT_STARTED
            owner = rng.choice(list(TaskOwner))
            done = status == TaskStatus.DONE
            self.add(Task, {
                "id": self.ids.take(Task), "engagement_id": engagement_id,
                "phase": WORK_PHASES[position].value,
                "title": f"{TASK_TITLES[index % len(TASK_TITLES)]} ({index + 1})",
                "description": "", "owner_type": owner.value,
                "owner_user_id": lead if owner == TaskOwner.CONSULTANT else None,
                "due_date": due + drift // 2, "offset_days": None, "status": status.value,
                "theme_id": rng.choice(self.theme_ids), "engagement_recommendation_id": None,
                "completed_at": self.at(min(self.today, due + drift)) if done else None,
                "completed_by_id": lead if done else None,
                "created_at": self.at(p_start - timedelta(days=3))})

    def _meetings(self, engagement_id: int, start: date, end: date) -> None:
        rng = self.rng
        types = list(MeetingType)
        for index in range(rng.randint(3, 6)):
            day = start + timedelta(days=rng.randint(0, max(1, (end - start).days)))
            self.add(Meeting, {
                "id": self.ids.take(Meeting), "engagement_id": engagement_id,
                "meeting_type": types[min(index, len(types) - 1)].value,
                "starts_at": self.at(day, rng.randint(7, 13)), "location": "Tilbuddet",
                "participants": "Ledelse og konsulenter", "minutes": "",
                "held": day < self.today, "created_at": self.at(start)})

    def _recommendations(self, engagement_id, recommendation_ids, worked, phase, lead,
                         bounds) -> None:
        if worked < 2:
            return
        rng = self.rng
        analysed = self.at(bounds[1][1])
        for recommendation_id in rng.sample(recommendation_ids, rng.randint(2, 4)):
            chosen = worked >= 3 or phase == Phase.COMPLETED
            baseline = self.self_assessment_baseline(recommendation_id) if chosen else None
            final, follow_up = self.self_assessment_after(recommendation_id, baseline) \
                if phase == Phase.COMPLETED and baseline else (None, None)
            self.add(EngagementRecommendation, {
                "id": self.ids.take(EngagementRecommendation), "engagement_id": engagement_id,
                "recommendation_id": recommendation_id, "proposed_by_id": lead,
                "proposed_at": analysed, "chosen_by_id": None,
                "chosen_at": analysed + timedelta(days=7) if chosen else None,
                "baseline_score": baseline, "final_score": final,
                "follow_up_score": follow_up if self.followed_up(engagement_id) else None})

