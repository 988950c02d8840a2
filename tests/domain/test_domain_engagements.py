from datetime import date

import pytest

from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.domain.engagements import (
    RUBRIC,
    RUBRIC_SCORES,
    SELF_ASSESSMENT_MAX,
    SELF_ASSESSMENT_MIN,
    MeetingType,
    ReviewRecommendation,
    TaskOwner,
    TaskStatus,
    can_assign_reviewers,
    can_decide,
    check_capacity,
    check_self_assessment,
    is_overdue,
)
from indsatsteam.domain.errors import DomainError

DKFDS_BADGES = {"", "badge-info", "badge-success", "badge-warning", "badge-error"}

# --- Tasks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "label", "tag_class"),
    [("not_started", "Ikke startet", ""), ("in_progress", "I gang", "badge-info"),
     ("done", "Gennemført", "badge-success")],
)
def test_task_status(status, label, tag_class):
    assert TaskStatus(status).label == label
    assert TaskStatus(status).tag_class == tag_class
    assert TaskStatus(status).tag_class in DKFDS_BADGES


@pytest.mark.parametrize(
    ("owner", "label"), [("consultant", "Konsulent"), ("provider", "Tilbuddet")]
)
def test_task_owner(owner, label):
    assert TaskOwner(owner).label == label


TODAY = date(2026, 9, 15)


@pytest.mark.parametrize(
    ("due_date", "status", "overdue"),
    [
        (date(2026, 9, 14), "not_started", True),
        (date(2026, 9, 14), "in_progress", True),
        (date(2026, 9, 14), "done", False),
        (date(2026, 1, 1), TaskStatus.IN_PROGRESS, True),
        (date(2026, 1, 1), TaskStatus.DONE, False),
        (date(2026, 9, 15), "not_started", False),  # due today is not overdue yet
        (date(2026, 9, 16), "not_started", False),
        (None, "not_started", False),
    ],
)
def test_is_overdue(due_date, status, overdue):
    assert is_overdue(due_date, status, TODAY) is overdue


# --- Meetings and self-assessment -------------------------------------------------------


@pytest.mark.parametrize(
    ("meeting_type", "label"),
    [("kickoff", "Opstartsmøde"), ("analysis_workshop", "Analyseworkshop"),
     ("follow_up", "Opfølgning"), ("closing", "Afslutning")],
)
def test_meeting_types(meeting_type, label):
    assert MeetingType(meeting_type).label == label


@pytest.mark.parametrize(("score", "value"), [(1, 1), (3, 3), (5, 5), ("4", 4), (" 2 ", 2)])
def test_self_assessment_in_range(score, value):
    assert check_self_assessment(score) == value
    assert type(check_self_assessment(score)) is int


@pytest.mark.parametrize("score", [0, 6, -1, None, "", "x", "3.5", 2.0, True, "٣"])
def test_self_assessment_out_of_range(score):
    with pytest.raises(DomainError) as caught:
        check_self_assessment(score)
    assert caught.value.message == "Vælg en vurdering fra 1 til 5"
    assert caught.value.field == "score"


def test_self_assessment_error_names_the_given_field():
    with pytest.raises(DomainError) as caught:
        check_self_assessment(None, field="score_12")
    assert caught.value.field == "score_12"
    assert (SELF_ASSESSMENT_MIN, SELF_ASSESSMENT_MAX) == (1, 5)


# --- The default phase template ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "label"), [("approve", "Godkend"), ("reject", "Afslå"), ("waitlist", "Venteliste")]
)
def test_review_recommendations(value, label):
    assert ReviewRecommendation(value).label == label


def test_rubric():
    assert RUBRIC == (
        ("fit", "Passer til temaerne"),
        ("readiness", "Parathed og ressourcer"),
        ("anchoring", "Ledelsesmæssig forankring"),
    )
    assert [criterion.key for criterion in RUBRIC] == ["fit", "readiness", "anchoring"]
    assert RUBRIC[0].label == "Passer til temaerne"
    assert all(criterion.description.endswith("?") for criterion in RUBRIC)
    assert RUBRIC_SCORES == ((1, "1 – Lav"), (2, "2"), (3, "3"), (4, "4 – Høj"))


FULL = (
    "Runden har kun 3 forløb, og de er alle godkendt. "
    "Angiv en begrundelse for at godkende flere."
)


@pytest.mark.parametrize("reason", [None, "", "Særlig indsats"])
@pytest.mark.parametrize("approved", [0, 1, 2])
def test_capacity_left_needs_no_override(approved, reason):
    assert check_capacity(approved, 3, reason) is False


@pytest.mark.parametrize("approved", [3, 4, 10])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_full_round_needs_a_reason(approved, reason):
    with pytest.raises(DomainError) as caught:
        check_capacity(approved, 3, reason)
    assert caught.value.message == FULL
    assert caught.value.field == "override_reason"


@pytest.mark.parametrize("approved", [3, 4])
def test_full_round_with_a_reason_uses_the_override(approved):
    assert check_capacity(approved, 3, "Ekstra midler fra puljen") is True


def test_round_with_one_programme():
    assert check_capacity(0, 1, None) is False
    with pytest.raises(DomainError, match="^Runden har kun 1 forløb, og de er alle godkendt"):
        check_capacity(1, 1, None)


def test_round_offering_no_programmes():
    with pytest.raises(DomainError) as caught:
        check_capacity(0, 0, "")
    assert caught.value.message == (
        "Runden tilbyder ingen forløb. Angiv en begrundelse for at godkende alligevel."
    )
    assert check_capacity(0, 0, "Pilotforløb") is True


@pytest.mark.parametrize(
    ("status", "decidable", "assignable"),
    [
        ("draft", False, False),
        ("submitted", True, True),
        ("in_review", True, True),
        ("waitlisted", True, False),
        ("approved", False, False),
        ("rejected", False, False),
        ("withdrawn", False, False),
        ("archived", False, False),
    ],
)
def test_decide_and_assign_by_status(status, decidable, assignable):
    assert can_decide(status) is decidable
    assert can_assign_reviewers(status) is assignable
    if status in {member.value for member in ApplicationStatus}:
        assert can_decide(ApplicationStatus(status)) is decidable
