"""The GDPR access log: a row for every page that shows someone else's personal data (who,
when, what), none for one's own; searchable by admins."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import AccessLogEntry, Notification, Review, Role

from helpers import aware, field_error, text_of


def entries() -> list[AccessLogEntry]:
    db.session.expire_all()
    return list(db.session.execute(select(AccessLogEntry).order_by(AccessLogEntry.id)).scalars())


@pytest.fixture
def case(make_user, make_provider, make_round, make_application, make_engagement):
    clock.freeze(aware(2026, 11, 20, 13, 3))
    provider = make_provider(name="Bostedet Lyngen", kind="sel108")
    round_ = make_round(opens_at=aware(2026, 8, 1, 6, 0), closes_at=aware(2026, 11, 1, 11, 0))
    past = make_round(opens_at=aware(2026, 3, 1, 6, 0), closes_at=aware(2026, 5, 1, 10, 0))
    consultant = make_user(Role.CONSULTANT, name="Lea Konsulent")
    manager = make_user(Role.MANAGER, name="Mona Leder")
    submitted = make_application(round_, provider, status=ApplicationStatus.IN_REVIEW)
    db.session.add(Review(application=submitted, reviewer=consultant))
    engagement = make_engagement(provider=provider, round_=past, lead=consultant,
                                 manager=manager)
    return dict(provider=provider, submitted=submitted, engagement=engagement,
                consultant=consultant, manager=manager,
                applicant=make_user(Role.APPLICANT, provider=provider, name="Sofie Ansøger"),
                admin=make_user(Role.ADMIN, name="Adam Admin"))


@pytest.mark.parametrize(("who", "suffix", "words"), [
    ("consultant", "", "kontaktperson"),
    ("manager", "", "kontaktperson"),
    ("consultant", "/vurdering", "Vurdering af ansøgning"),
    ("manager", "/afgoerelse", "Afgørelse på ansøgning"),
])
def test_staff_application_pages_are_logged(client, login, case, who, suffix, words):
    login(client, case[who])
    application = case["submitted"]
    assert client.get(f"/sagsbehandling/ansoegninger/{application.id}{suffix}"
                      ).status_code == 200
    [entry] = entries()
    assert entry.viewer_id == case[who].id
    assert entry.provider_id == case["provider"].id
    assert (entry.object_type, entry.object_id, entry.action) == (
        "application", application.id, "view")
    assert words in entry.description and application.reference in entry.description
    assert entry.path == f"/sagsbehandling/ansoegninger/{application.id}{suffix}"
    assert entry.at == clock.now() and entry.request_id


def test_staff_engagement_page_is_logged(client, login, case):
    login(client, case["consultant"])
    assert client.get(f"/forloeb/{case['engagement'].id}").status_code == 200
    [entry] = entries()
    assert (entry.object_type, entry.object_id) == ("engagement", case["engagement"].id)
    assert entry.provider_id == case["provider"].id and "Bostedet Lyngen" in entry.description


def test_admin_page_listing_recipients_e_mails_is_logged(client, login, case):
    login(client, case["admin"])
    client.get("/admin/")
    assert entries() == []  # no failed e-mails, so no addresses shown
    db.session.add(Notification(recipient=case["applicant"], category="task_due", subject="Frist",
                                body="", url="/", dedupe_key="x", attempts=5,
                                last_error="550", email_status="failed"))
    db.session.commit()
    page = client.get("/admin/")
    assert case["applicant"].email in page.get_data(as_text=True)
    [entry] = entries()
    assert entry.viewer_id == case["admin"].id and "e-mailadresser" in entry.description


def test_ones_own_data_is_not_logged(client, login, case):
    login(client, case["applicant"])
    for url in (f"/ansoegninger/{case['submitted'].id}", "/mit-tilbud/",
                f"/mit-tilbud/{case['provider'].id}/rediger",
                f"/vores-forloeb/{case['engagement'].id}", "/ansoegninger"):
        assert client.get(url).status_code == 200, url
    assert entries() == []


def test_lists_without_personal_data_are_not_logged(client, login, case):
    login(client, case["manager"])
    for url in ("/sagsbehandling/ansoegninger", "/forloeb/"):
        assert client.get(url).status_code == 200
    assert entries() == []


def test_admin_searches_the_access_log(app, client, login, case):
    for who, url in (("consultant", f"/sagsbehandling/ansoegninger/{case['submitted'].id}"),
                     ("manager", f"/forloeb/{case['engagement'].id}")):
        other = app.test_client()
        login(other, case[who])
        assert other.get(url).status_code == 200
    login(client, case["admin"])

    def results(url: str) -> str:
        return text_of(client.get(url)).split("nyeste først", 1)[-1]

    text = results(f"/admin/adgangslog?bruger={case['consultant'].id}")
    assert "1 opslag" in text_of(client.get(f"/admin/adgangslog?bruger={case['consultant'].id}"))
    assert "Lea Konsulent" in text and "Mona Leder" not in text
    assert "20. november 2026 kl. 14.03" in text and "Bostedet Lyngen" in text
    text = results(f"/admin/adgangslog?tilbud={case['provider'].id}")
    assert "Lea Konsulent" in text and "Mona Leder" in text
    assert "Ingen opslag" in text_of(client.get("/admin/adgangslog?fra=2026-11-21"))
    response = client.get("/admin/adgangslog?fra=2026-11-21&til=2026-11-01")
    assert response.status_code == 400
    assert field_error(response, "til") == \
        "Til-datoen skal være samme dag som fra-datoen eller senere"
