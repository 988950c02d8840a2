"""The public pages: the front page's round cards in a DKFDS grid, what a forløb gives, the
themes and the ansøgningsvejledning; the main menu marks one item."""

from __future__ import annotations

import re

from sqlalchemy import select

from indsatsteam import clock
from indsatsteam.extensions import db
from indsatsteam.models import Role, Theme

from helpers import aware, text_of

NOW = aware(2026, 11, 20, 9, 0)
BENEFITS = (
    "Et indblik i egne styrker og udviklingsmuligheder",
    "Styrkede kompetencer til at skabe vellykkede forandringer",
    "En styrket fælles faglig forståelse af recoveryorienteret rehabilitering",
    "Mere systematik i indsatsen",
)


def themes() -> list[str]:
    return list(db.session.execute(
        select(Theme.name).where(Theme.active.is_(True)).order_by(Theme.position)).scalars())


def test_round_cards_sit_in_a_card_row(client, make_round):
    """DKFDS' card height rule (100% of its column) needs the card inside a grid column."""
    clock.freeze(NOW)
    make_round(name="Runde A")
    make_round(name="Runde B")
    page = client.get("/").get_data(as_text=True)
    row = re.search(r'<ul class="card-row row">(.*?)</ul>', page, re.S)
    assert row, "the cards are in a DKFDS card row"
    cards = re.findall(r'<li class="col-12 col-md-6">\s*<div class="card">.*?'
                       r'<h3 class="card-heading">([^<]+)</h3>', row.group(1), re.S)
    assert cards == ["Runde A", "Runde B"]
    assert page.count('class="card') == 2 + page.count('class="card-')  # no card outside


def test_front_page_says_what_a_forloeb_gives_and_lists_the_themes(client):
    page = text_of(client.get("/"))
    for benefit in BENEFITS:
        assert benefit in page
    assert "Temaer, et forløb kan arbejde med" in page
    for name in themes():
        assert name in page
    assert 'href="/ansoegningsvejledning"' in client.get("/").get_data(as_text=True)


def test_the_guide_answers_the_applicants_questions(client, make_round):
    clock.freeze(NOW)
    make_round(name="Vinterrunden", closes_at=aware(2026, 12, 16, 11, 0))
    response = client.get("/ansoegningsvejledning")
    assert response.status_code == 200
    page = text_of(response)
    for heading in ("Hvem kan søge?", "Hvad koster det?", "Hvor længe varer et forløb?",
                    "Hvad sker der efter fristen?", "Sådan beslutter indsatsteamet"):
        assert heading in page
    assert "Ingenting. Rådgivningsforløbene er gratis for tilbuddene." in page
    assert "Fra 4 til 12 måneder" in page
    assert "Botilbud efter §§ 107 og 108" in page
    assert "godkendt, afslået eller sat på venteliste" in page
    assert "Vinterrunden: frist 16. december 2026 kl. 12.00." in page
    for criterion in ("Passer til temaerne", "Parathed og ressourcer",
                      "Ledelsesmæssig forankring"):
        assert criterion in page
    for name in themes():
        assert name in page


def _menu(page: str) -> str:
    return re.search(r'<nav class="nav" aria-label="Hovedmenu">(.*?)</nav>', page, re.S).group(1)


def test_the_manager_menu_marks_only_the_page_shown(client, login, make_user):
    login(client, make_user(Role.MANAGER))
    menu = _menu(client.get("/leder/overblik").get_data(as_text=True))
    marked = re.findall(r'<li class="active[^"]*">\s*<a[^>]*><span>([^<]+)</span>', menu)
    assert marked == ["Overblik"]
    menu = _menu(client.get("/mit-overblik").get_data(as_text=True))
    assert re.findall(r'<li class="active[^"]*">\s*<a[^>]*><span>([^<]+)</span>', menu) == [
        "Mit overblik"]
    # A list behind a figure belongs to "Overblik".
    menu = _menu(client.get("/leder/overblik/liste?liste=forloeb").get_data(as_text=True))
    assert re.findall(r'<li class="active[^"]*">\s*<a[^>]*><span>([^<]+)</span>', menu) == [
        "Overblik"]
