"""The applicant's whole journey through the test client: register, confirm, register the
tilbud, fill every step, submit before the deadline, see the receipt."""

import re
from datetime import timedelta

from sqlalchemy import select

from indsatsteam import clock, mail
from indsatsteam.extensions import db
from indsatsteam.models import Application, Provider, Theme, User

from helpers import PASSWORD, aware, text_of


def _link_in_last_mail() -> str:
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_full_journey(client, post, make_round):
    clock.freeze(aware(2026, 11, 20, 9, 0))
    round_ = make_round(opens_at=aware(2026, 10, 1, 6, 0), closes_at=aware(2026, 11, 27, 11, 0),
                        name="Vinterrunden")

    front = client.get("/")
    assert "Frist: 27. november 2026 kl. 12.00" in text_of(front)
    assert "7 dage tilbage" in text_of(front)

    response = post(client, "/opret-bruger", {
        "name": "Sofie Leder", "email": "Sofie@Tilbud.dk", "password": PASSWORD,
        "password_repeat": PASSWORD, "accept_terms": "y"})
    assert response.status_code == 302
    user = db.session.execute(select(User)).scalar_one()
    assert user.email == "sofie@tilbud.dk" and user.email_confirmed_at is None
    assert user.password_hash.startswith("$argon2")

    # Not confirmed yet: login is refused with a new link sent.
    response = post(client, "/log-ind", {"email": "sofie@tilbud.dk", "password": PASSWORD})
    assert "Du skal bekræfte din e-mailadresse" in text_of(response)
    assert client.get(_link_in_last_mail()).status_code == 302
    response = post(client, "/log-ind", {"email": "sofie@tilbud.dk", "password": PASSWORD})
    assert response.headers["Location"] == "/mit-tilbud/"

    response = post(client, "/mit-tilbud/registrer", {
        "name": "Bostedet Lyngen", "cvr": "1000 0009", "p_number": "", "kind": "sel107",
        "owner_type": "kommune", "municipality_code": "101", "address": "Lyngvej 1",
        "postal_code": "2100", "city": "København Ø", "contact_name": "Sofie Leder",
        "contact_email": "sofie@tilbud.dk", "contact_phone": "12 34 56 78"})
    assert response.status_code == 302, text_of(response)
    provider = db.session.execute(select(Provider)).scalar_one()
    assert (provider.cvr, provider.region) == ("10000009", "Region Hovedstaden")

    response = post(client, f"/runder/{round_.id}/ansoeg", {"provider_id": provider.id})
    application = db.session.execute(select(Application)).scalar_one()
    assert response.headers["Location"] == f"/ansoegninger/{application.id}/trin/1"
    page = text_of(client.get(f"/ansoegninger/{application.id}/trin/1"))
    assert "Sofie Leder" in client.get(f"/ansoegninger/{application.id}/trin/1").get_data(
        as_text=True)
    assert "Trin 1 af 5" in page

    base = f"/ansoegninger/{application.id}/trin"
    assert post(client, f"{base}/1", {"contact_name": "Sofie Leder",
                                      "contact_email": "sofie@tilbud.dk",
                                      "contact_phone": "12345678"}).status_code == 302
    themes = db.session.execute(select(Theme).order_by(Theme.position)).scalars().all()
    response = post(client, f"{base}/2", {"themes": [themes[0].id, themes[3].id],
                                          "duration_months": "8",
                                          "desired_start": "2027-01-04"})
    assert response.headers["Location"].endswith("/trin/3"), text_of(response)
    assert post(client, f"{base}/3", {"participants": "Leder og 6 medarbejdere",
                                      "participant_count": "7", "hours_per_month": "12",
                                      "management_anchoring": "Forstanderen"}).status_code == 302
    response = post(client, f"{base}/4", {"motivation": "Recovery", "challenges": "Mål",
                                          "hoped_outcomes": "Fælles tilgang"})
    assert response.headers["Location"] == f"/ansoegninger/{application.id}/tjek"

    check = text_of(client.get(f"/ansoegninger/{application.id}/tjek"))
    for expected in ("Ledelse og organisation, Sundhed", "8 måneder", "4. januar 2027",
                     "Leder og 6 medarbejdere", "Fælles tilgang"):
        assert expected in check

    clock.freeze(round_.closes_at - timedelta(seconds=1))
    response = post(client, f"/ansoegninger/{application.id}/indsend")
    assert response.headers["Location"] == f"/ansoegninger/{application.id}/kvittering"
    db.session.refresh(application)
    assert application.status == "submitted"
    assert application.reference == "IT-2026-0001"
    receipt = text_of(client.get(response.headers["Location"]))
    assert "IT-2026-0001" in receipt and "27. november 2026 kl. 11.59" in receipt
    assert mail.outbox[-1]["Subject"] == "Kvittering for ansøgning IT-2026-0001"

    mine = text_of(client.get("/ansoegninger"))
    assert "IT-2026-0001" in mine and "Indsendt" in mine
