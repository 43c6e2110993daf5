"""The whole journey of a regisseur through an aanvraag, in Chromium, with axe-core on every page:
start it, fill the six sections (autosave included, and a colleague's save meanwhile), upload real
PDFs and submit it."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.mail import EmailMessage
from playwright.sync_api import Page, expect
from pypdf import PdfWriter
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.services import aanvraag_update
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User
from applications.besturen.models import Regieverband

from ..factories import OproepFactory, UserFactory
from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.pdf_controle_apart,  # the uploads go through the child, as in production
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "geheim-wachtwoord-123"
SAVED = re.compile(r"Opgeslagen om \d{2}:\d{2}")


def make_pdf(path: Path) -> Path:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def test_regisseur_fills_in_and_submits_an_aanvraag(
    page: Page,
    live_server: LiveServer,
    regisseur: User,
    verband: Regieverband,
    mailoutbox: list[EmailMessage],
    settings: Settings,
    tmp_path: Path,
) -> None:
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "applications.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": media},
        },
    }
    settings.WSE_EMAIL = ""
    oproep = OproepFactory.create()
    base = live_server.url
    server_errors: list[str] = []
    page.on(
        "response",
        lambda r: (
            server_errors.append(f"{r.status} {r.request.method} {r.url}")
            if r.status >= 500
            else None
        ),
    )

    # The list of aanvragen offers to start one for the verband and the open call.
    log_in(page, base, regisseur.email, PASSWORD)
    page.goto(f"{base}/aanvragen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aanvragen")
    assert_accessible(page)
    page.get_by_role("button", name=f"Aanvraag starten voor {verband.naam}, {oproep.naam}").click()

    # 1. Regieverband en contact.
    expect(page.get_by_role("heading", name="1. Regieverband en contact")).to_be_visible()
    expect(page.get_by_text("is gestart")).to_be_visible()
    aanvraag = Aanvraag.objects.get(regieverband=verband, oproep=oproep)
    assert page.url == f"{base}/aanvragen/{aanvraag.pk}/verband/"
    leden = page.get_by_role("table").filter(has_text="NIS-code")
    expect(leden.get_by_role("cell", name="Maasmechelen")).to_be_visible()
    expect(leden.get_by_role("cell", name="73107")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Naam contactpersoon").fill("An Peeters")
    page.get_by_label("E-mailadres contactpersoon").fill("an.peeters@example.org")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    expect(page.get_by_label("Naam contactpersoon")).to_have_value("An Peeters")
    assert_accessible(page)

    # While incomplete, the submit button is disabled and says why; each missing item links to
    # the page where it is filled in.
    page.get_by_role("link", name="6. Overzicht en indienen").click()
    expect(page.get_by_role("button", name="Aanvraag indienen")).to_be_disabled()
    expect(page.get_by_text(re.compile(r"Indienen kan nog niet: \d+ punten"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Omgevingsanalyse", exact=True).click()
    expect(page.get_by_role("heading", name="2. Omgevingsanalyse en visie")).to_be_visible()

    # 2. Omgevingsanalyse en visie: a long text is saved while typing, without the button.
    assert_accessible(page)
    analyse = page.get_by_label("Omgevingsanalyse", exact=True)
    visie = page.get_by_label("Visie en beleidsplanning", exact=True)
    status = page.locator("#autosave-status")
    expect(status).to_have_text("Lange teksten worden automatisch opgeslagen terwijl u typt.")
    analyse.press_sequentially("Veel werkzoekenden in het Maasland.", delay=5)
    expect(status).to_have_text(SAVED, timeout=5_000)
    assert_accessible(page)
    page.reload()
    expect(analyse).to_have_value("Veel werkzoekenden in het Maasland.")
    analyse.fill("Veel werkzoekenden in het Maasland; sterke sociale economie.")
    visie.fill("Samen met VDAB en de lokale besturen een regierol opnemen.")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    expect(visie).to_have_value("Samen met VDAB en de lokale besturen een regierol opnemen.")
    expect(analyse).to_have_value("Veel werkzoekenden in het Maasland; sterke sociale economie.")

    # The counter beside a long text; a text over the limit is refused and stays in the field.
    teller = page.locator("#id_visie_teller")
    zichtbaar = teller.locator("span[aria-hidden=true]")
    expect(zichtbaar).to_have_text("58 / 20.000 tekens")
    te_lang = "x" * 20_001
    visie.fill(te_lang)
    expect(zichtbaar).to_have_text("20.001 / 20.000 tekens: 1 teken te veel")
    expect(teller).to_have_class(re.compile("tekstteller-te-lang"))
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(
        page.get_by_text("20.001 / 20.000 tekens: 1 teken te veel. Maak de tekst korter")
    ).to_be_visible()
    expect(visie).to_have_value(te_lang)
    assert_accessible(page)
    visie.fill("Samen met VDAB en de lokale besturen een regierol opnemen.")
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()

    # A colleague saves the vision while this page is open: the autosave is refused and says
    # how to go on; the save shows what differs, word by word, on a phone too, and one choice.
    collega = UserFactory.create(regisseur_van=[verband], first_name="Tom", last_name="Claes")
    aanvraag.refresh_from_db()
    aanvraag_update(
        aanvraag=aanvraag,
        by=collega,
        versie=aanvraag.versie,
        changes={"visie": "Samen met VDAB en OCMW een regierol opnemen."},
    )
    visie.fill("Samen met VDAB en de maatwerkbedrijven een regierol opnemen.")
    expect(status).to_contain_text(
        "Niet automatisch opgeslagen: Tom Claes heeft deze tekst intussen gewijzigd.",
        timeout=5_000,
    )
    page.set_viewport_size({"width": 375, "height": 800})
    page.get_by_role("button", name="Opslaan als concept").click()
    conflict = page.get_by_role("region", name="Niet opgeslagen: Tom Claes heeft dit intussen")
    expect(conflict).to_be_focused()
    diff = conflict.get_by_role("region", name="Verschillen in Visie en beleidsplanning")
    expect(diff.locator("del")).to_have_text(["verwijderd: OCMW einde verwijderd"])
    expect(diff.locator("ins")).to_have_text(["toegevoegd: de maatwerkbedrijven einde toegevoegd"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    # Zelf samenvoegen: the keyboard lands in the field, the stored text is under it to copy.
    conflict.get_by_role("button", name="Zelf samenvoegen").press("Enter")
    expect(visie).to_be_focused()
    expect(visie).to_have_value("Samen met VDAB en de maatwerkbedrijven een regierol opnemen.")
    expect(page.get_by_label("Visie en beleidsplanning: nu opgeslagen")).to_have_value(
        "Samen met VDAB en OCMW een regierol opnemen."
    )
    assert_accessible(page)
    samen = "Samen met VDAB, OCMW en de maatwerkbedrijven een regierol opnemen."
    visie.fill(samen)
    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("status").filter(has_text=SAVED)).to_be_visible()
    expect(visie).to_have_value(samen)
    expect(page.locator("#lokaal-conflict")).to_be_hidden()
    aanvraag.refresh_from_db()
    assert aanvraag.visie == samen

    # On the verband page too; there Enter in a one-line field, on the conflict screen, chooses
    # nothing (the browser would press "Mijn versie bewaren"); "Hun versie overnemen" does.
    page.get_by_role("link", name="1. Regieverband en contact").click()
    aanvraag.refresh_from_db()
    aanvraag_update(
        aanvraag=aanvraag,
        by=collega,
        versie=aanvraag.versie,
        changes={"contact_functie": "Coördinator (Tom)"},
    )
    functie = page.get_by_role("textbox", name="Functie", exact=True)
    functie.fill("Regisseur")
    page.get_by_role("button", name="Opslaan als concept").click()
    conflict = page.get_by_role("region", name="Niet opgeslagen: Tom Claes heeft dit intussen")
    expect(conflict).to_be_visible()
    assert_accessible(page)
    functie.press("Enter")
    expect(conflict).to_be_visible()
    aanvraag.refresh_from_db()
    assert aanvraag.contact_functie == "Coördinator (Tom)"
    conflict.get_by_role("button", name="Hun versie overnemen").click()
    expect(functie).to_have_value("Coördinator (Tom)")
    aanvraag.refresh_from_db()
    assert aanvraag.contact_functie == "Coördinator (Tom)"

    # 3. Meerjarenplan: one action in each of the 4 x 3 cells, added from the cell's own link.
    page.get_by_role("link", name="3. Meerjarenplan").click()
    expect(page.get_by_role("heading", name="3. Meerjarenplan")).to_be_visible()
    expect(page.get_by_text("Nog geen actie")).to_have_count(12)
    assert_accessible(page)
    total = Decimal(0)
    checked_form = False
    for i in range(1, 5):
        for jaar in (2030, 2031, 2032):
            code = f"WSE-LR{i}"
            page.get_by_role("link", name=f"Actie toevoegen voor {code} in {jaar}").click()
            expect(
                page.get_by_role("heading", name="3. Meerjarenplan: actie toevoegen")
            ).to_be_visible()
            expect(page.get_by_label("Jaar")).to_have_value(str(jaar))
            if not checked_form:
                expect(page.get_by_label("Beleidsprioriteit")).to_contain_text(code)
                assert_accessible(page)
                checked_form = True
            if (i, jaar) == (2, 2031):
                budget, amount = "1.250,50", Decimal("1250.50")
            else:
                budget, amount = "1000", Decimal("1000")
            total += amount
            page.get_by_label("Titel").fill(f"Actie {code} {jaar}")
            page.get_by_label("Budget (EUR)").fill(budget)
            with page.expect_response(lambda r: r.request.method == "POST") as response:
                page.get_by_role("button", name="Actie opslaan").click()
            assert response.value.status == 302, (
                f"Actie opslaan ({code}, {jaar}, budget {budget}) answered "
                f"HTTP {response.value.status}"
            )
            expect(page.get_by_text(f"Actie 'Actie {code} {jaar}' opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Nog geen actie")).to_have_count(0)
    expect(page.get_by_role("link", name="Actie WSE-LR2 2031")).to_be_visible()
    expect(page.get_by_text("EUR 1.250,50")).to_be_visible()
    assert_accessible(page)

    # 4. Begroting: the sum of the budgets, in Dutch notation.
    assert total == Decimal("12250.50")
    page.get_by_role("link", name="4. Begroting").click()
    expect(page.get_by_role("heading", name="4. Begroting")).to_be_visible()
    footer = page.locator("tfoot")
    expect(footer.get_by_role("cell", name="EUR 12.250,50")).to_be_visible()
    expect(footer.get_by_role("cell", name="EUR 4.250,50")).to_be_visible()  # 2031
    assert_accessible(page)

    # 5. Bijlagen: a real PDF per required type; the decision is the one of Maasmechelen.
    page.get_by_role("link", name="5. Bijlagen").click()
    expect(page.get_by_role("heading", name="5. Bijlagen")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Soort bijlage").select_option(label="Beslissing van elk lid")
    page.get_by_label("Voor lid").select_option(label="Maasmechelen (73107)")
    page.get_by_label("Bestand (PDF, hoogstens 10 MB)").set_input_files(
        make_pdf(tmp_path / "beslissing-maasmechelen.pdf")
    )
    page.get_by_role("button", name="Opladen").click()
    expect(page.get_by_text("Bijlage 'beslissing-maasmechelen.pdf' opgeladen.")).to_be_visible()
    page.get_by_label("Soort bijlage").select_option(label="LSO met VDAB")
    page.get_by_label("Bestand (PDF, hoogstens 10 MB)").set_input_files(
        make_pdf(tmp_path / "lso-vdab.pdf")
    )
    page.get_by_role("button", name="Opladen").click()
    expect(page.get_by_text("Bijlage 'lso-vdab.pdf' opgeladen.")).to_be_visible()
    uploaded = page.get_by_role("table", name="Opgeladen bijlagen")
    expect(uploaded.get_by_role("link", name="beslissing-maasmechelen.pdf")).to_be_visible()
    expect(uploaded.get_by_role("link", name="lso-vdab.pdf")).to_be_visible()
    assert_accessible(page)

    # 6. Overzicht en indienen.
    page.get_by_role("link", name="6. Overzicht en indienen").click()
    expect(page.get_by_role("heading", name="6. Overzicht en indienen")).to_be_visible()
    expect(page.get_by_text("De aanvraag is volledig.")).to_be_visible()
    assert_accessible(page)
    # The confirmation step: what will be sent, that it cannot be changed, and the mandate.
    page.get_by_role("link", name="Aanvraag indienen").click()
    expect(page.get_by_text("Na het indienen kunt u niets meer wijzigen.")).to_be_visible()
    expect(page.get_by_role("table", name="Budget in euro per beleidsprioriteit")).to_be_visible()
    assert_accessible(page)
    # Without the mandate confirmed nothing is sent, and the keyboard lands on the box.
    page.get_by_role("button", name="Definitief indienen").click()
    mandaat = page.get_by_role("checkbox", name=re.compile("met het mandaat van het bestuur"))
    expect(mandaat).to_be_focused()
    expect(page.get_by_text("Bevestig dat u indient met het mandaat")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Space")
    expect(mandaat).to_be_checked()
    # A double click sends one submission; the page says it is working meanwhile.
    indieningen: list[str] = []
    page.on(
        "request",
        lambda r: (
            indieningen.append(r.url)
            if r.method == "POST" and r.url.endswith("/indienen/")
            else None
        ),
    )
    page.get_by_role("button", name="Definitief indienen").dblclick()
    expect(page.get_by_text("Uw aanvraag is ingediend")).to_be_visible()
    # The focus is on the message that says so (role status), not at the top of the page.
    expect(page.locator("main .messages")).to_be_focused()
    assert len(indieningen) == 1, indieningen
    expect(page.locator(".badge")).to_have_text("Ingediend")
    expect(page.get_by_role("link", name="Aanvraag indienen")).to_have_count(0)
    expect(
        page.get_by_text("Deze aanvraag is ingediend en kan niet gewijzigd worden.")
    ).to_be_visible()
    assert_accessible(page)

    # Frozen: section 1 shows its fields disabled and offers no save.
    page.get_by_role("link", name="1. Regieverband en contact").click()
    expect(page.get_by_label("Naam contactpersoon")).to_be_disabled()
    expect(page.get_by_label("E-mailadres contactpersoon")).to_be_disabled()
    expect(page.get_by_label("Naam contactpersoon")).to_have_value("An Peeters")
    expect(page.get_by_role("button", name="Opslaan als concept")).to_have_count(0)
    assert_accessible(page)

    assert server_errors == []
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.INGEDIEND
    assert aanvraag.ingediend_door == regisseur
    assert aanvraag.acties.count() == 12
    assert aanvraag.bijlagen.count() == 2
    assert len(mailoutbox) == 1
    # The verband's regisseurs: the colleague of the conflict is one of them.
    assert sorted(mailoutbox[0].to) == sorted([regisseur.email, collega.email])
