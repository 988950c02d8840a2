"""Attachments in a real browser: the tilbud attaches a file to its draft (the progress
script sends it), sees it listed, is refused a disguised file with the description kept,
and the forløb's staff page lists a shared file. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from indsatsteam import clock
from indsatsteam.models import Role

from helpers import aware, log_in

pytestmark = pytest.mark.browser


def test_the_tilbud_attaches_a_file_and_sees_it_listed(page, audit, live_server, tmp_path,
                                                        make_user, make_provider, make_round,
                                                        make_application):
    now = clock.now()
    provider = make_provider(name="Bostedet Lyngen", kind="sel108")
    from datetime import timedelta
    round_ = make_round(name="Vinterrunden", opens_at=now - timedelta(days=5),
                        closes_at=now + timedelta(days=20))
    application = make_application(round_, provider)
    applicant = make_user(Role.APPLICANT, provider=provider, name="Ejer Andersen")
    good = tmp_path / "Årsberetning for tilbuddet.pdf"
    good.write_bytes(b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n")
    bad = tmp_path / "billede.png"
    bad.write_bytes(b"<!DOCTYPE html><html><body>ikke et billede</body></html>")

    log_in(page, audit, applicant)
    page.goto(f"/ansoegninger/{application.id}/tjek")
    audit.check("tjek-med-bilag")
    page.get_by_role("link", name="Vedhæft eller slet bilag").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bilag til ansøgningen")
    audit.check("bilag-tom")

    page.get_by_label("Fil", exact=True).set_input_files(str(good))
    page.get_by_label("Kort beskrivelse").fill("Vores årsberetning")
    page.get_by_role("button", name="Vedhæft fil").click()
    expect(page.locator("main .alert-success")).to_contain_text(
        "Årsberetning for tilbuddet.pdf er vedhæftet")
    row = page.locator("table tbody tr").filter(has_text="Årsberetning for tilbuddet.pdf")
    expect(row).to_contain_text("Vores årsberetning")
    expect(row).to_contain_text("PDF")
    audit.check("bilag-vedhaeftet")

    audit.allow_console(r"status of 400")  # a refused file answers 400
    page.get_by_label("Fil", exact=True).set_input_files(str(bad))
    page.get_by_label("Kort beskrivelse").fill("Et diagram")
    page.get_by_role("button", name="Vedhæft fil").click()
    expect(page.locator("#file-error")).to_contain_text("passer ikke til endelsen")
    expect(page.get_by_label("Kort beskrivelse")).to_have_value("Et diagram")
    audit.check("bilag-afvist")

    with page.expect_download() as download:
        page.get_by_role("link", name="Årsberetning for tilbuddet.pdf").click()
    assert download.value.suggested_filename == "Årsberetning for tilbuddet.pdf"
    audit.assert_clean()


def test_staff_see_the_forloebs_files(page, audit, live_server, tmp_path, make_user,
                                      make_provider, make_round, make_application):
    from datetime import date

    from sqlalchemy import select

    from indsatsteam.domain.applications import ApplicationStatus
    from indsatsteam.engagements.planning import create_engagement
    from indsatsteam.extensions import db
    from indsatsteam.models import Theme

    clock.freeze(None)
    provider = make_provider(name="Bostedet Lyngen", kind="sel108")
    round_ = make_round(opens_at=aware(2026, 1, 1, 8, 0), closes_at=aware(2026, 2, 1, 11, 0))
    application = make_application(round_, provider, status=ApplicationStatus.APPROVED)
    lead = make_user(Role.CONSULTANT, name="Lea Konsulent")
    theme = db.session.execute(select(Theme).limit(1)).scalar_one()
    engagement = create_engagement(application, lead_consultant_id=lead.id,
                                   second_consultant_id=None, planned_start=date(2026, 3, 2),
                                   duration_months=6, theme_ids=[theme.id],
                                   actor=make_user(Role.MANAGER))
    db.session.commit()
    slides = tmp_path / "Oplæg.pptx"
    import zipfile
    with zipfile.ZipFile(slides, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("ppt/presentation.xml", "<x/>")

    log_in(page, audit, lead)
    page.goto(f"/forloeb/{engagement.id}")
    page.get_by_role("link", name="Vedhæft eller slet filer").click()
    audit.check("forloeb-filer")
    page.get_by_label("Fil", exact=True).set_input_files(str(slides))
    page.get_by_label("Kort beskrivelse").fill("Slides fra opstartsmødet")
    page.get_by_role("button", name="Vedhæft fil").click()
    expect(page.locator("main .alert-success")).to_contain_text("Oplæg.pptx er vedhæftet")
    audit.check("forloeb-filer-vedhaeftet")
    page.goto(f"/forloeb/{engagement.id}")
    expect(page.locator("#filer + div table")).to_contain_text("Slides fra opstartsmødet")
    audit.check("forloeb-med-filer")
    audit.assert_clean()
