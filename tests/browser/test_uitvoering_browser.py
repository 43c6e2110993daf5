"""The uitvoering in Chromium: a beheerder books a payment (one beyond the grant refused first,
the input kept), a reviewer lowers the grant below what was paid, the regisseur reads what is to
be recovered; a regisseur fills in and submits an opvolgmoment, a reviewer accepts it. axe-core
finds no WCAG 2.1 AA violation on these pages, at 1280 and 375 px."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import FilePayload, Page, expect
from pytest_django.live_server_helper import LiveServer

from applications.accounts.models import User
from applications.besturen.models import Regieverband
from applications.oproepen.constants import Bijlagemoment
from applications.oproepen.models import BijlageType, Oproep
from applications.uitvoering.models import Opvolgtermijn

from ..aanvraag_helpers import PASSWORD, pdf_bytes
from ..factories import AanvraagFactory, ActieFactory, BeslissingFactory, OproepFactory
from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_payment_new_decision_and_recovery_in_the_browser(
    browser,
    page: Page,
    live_server: LiveServer,
    verband: Regieverband,
    oproep: Oproep,
    regisseur: User,
    beoordelaar: User,
    beheerder: User,
) -> None:
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, goedgekeurd=True)
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    base = live_server.url
    url = f"{base}/aanvragen/{aanvraag.pk}/uitvoering/"

    log_in(page, base, beheerder.email, PASSWORD)
    page.goto(url)
    expect(page.get_by_role("heading", name="Toegekend en betaald per jaar")).to_be_visible()
    assert_accessible(page)
    formulier = page.get_by_role("region", name="Een betaling boeken")
    formulier.get_by_label("Jaar van de toekenning").select_option("2031")
    formulier.get_by_label("Datum").fill("2026-02-03")
    formulier.get_by_label("Bedrag (EUR)").fill("60.000")
    formulier.get_by_label("Referentie").fill("FIN-2026-7")
    formulier.get_by_role("button", name="Boeken").click()
    expect(page.get_by_text("Er kan nog EUR 50.000,00 betaald worden.")).to_be_visible()
    expect(formulier.get_by_label("Referentie")).to_have_value("FIN-2026-7")
    assert_accessible(page)
    formulier.get_by_label("Bedrag (EUR)").fill("50.000")
    formulier.get_by_role("button", name="Boeken").click()
    expect(page.get_by_text("Betaling voor 2031 geboekt.")).to_be_visible()
    expect(page.get_by_role("cell", name="FIN-2026-7")).to_be_visible()

    wse = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels").new_page()
    log_in(wse, base, beoordelaar.email, PASSWORD)
    wse.goto(url)
    herzien = wse.get_by_role("region", name="Nieuwe beslissing over de bedragen")
    herzien.get_by_label("Toegekend 2031 (EUR)").fill("35.000")
    herzien.get_by_label("Motivatie van de nieuwe beslissing").fill("Een actie werd geschrapt.")
    herzien.get_by_role("button", name="Nieuwe bedragen vastleggen").click()
    expect(wse.get_by_text("Er is te veel betaald")).to_be_visible()
    wse.context.close()

    regie = browser.new_context(
        locale="nl-BE", timezone_id="Europe/Brussels", viewport={"width": 375, "height": 800}
    ).new_page()
    log_in(regie, base, regisseur.email, PASSWORD)
    regie.goto(f"{base}/aanvragen/{aanvraag.pk}/opvolging/")
    regie.get_by_role("navigation", name="Onderdelen van de aanvraag").get_by_role(
        "link", name="Uitvoering"
    ).click()
    terug = regie.get_by_role("region", name="Terugvorderingen")
    expect(terug.get_by_text("2031: EUR 15.000,00 terug te vorderen")).to_be_visible()
    expect(regie.get_by_role("region", name="Een betaling boeken")).to_have_count(0)
    assert_accessible(regie)
    regie.context.close()


def test_an_opvolgmoment_is_filled_in_submitted_and_accepted_in_the_browser(
    browser,
    page: Page,
    live_server: LiveServer,
    verband: Regieverband,
    regisseur: User,
    beoordelaar: User,
) -> None:
    oproep = OproepFactory.create(slug="opvolging-browser", eerste_jaar=2023, laatste_jaar=2025)
    aanvraag = AanvraagFactory.create(
        regieverband=verband,
        oproep=oproep,
        goedgekeurd=True,
        ingediend_op=oproep.deadline - datetime.timedelta(days=1),
    )
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    actie = ActieFactory.create(aanvraag=aanvraag, jaar=2023, titel="Jobbeurs")
    Opvolgtermijn.objects.create(oproep=oproep, jaar=2023, uiterlijk=datetime.date(2024, 6, 30))
    BijlageType.objects.create(
        oproep=oproep,
        code="jaarrekening",
        naam="Jaarrekening van de trekker",
        voor=Bijlagemoment.OPVOLGMOMENT,
    )
    base = live_server.url

    log_in(page, base, regisseur.email, PASSWORD)
    page.goto(f"{base}/aanvragen/{aanvraag.pk}/uitvoering/")
    expect(page.get_by_text("te laat")).to_be_visible()
    page.get_by_role("link", name="Opvolgmoment 2023").click()
    groep = page.get_by_role("group", name=f"WSE-LR1 · {actie.titel}")
    groep.get_by_label("Realisatie").select_option("uitgesteld")
    groep.get_by_label("Actie in het BBC-meerjarenplan van de trekker (nummer of naam)").fill(
        "AC2301 Jobbeurs"
    )
    page.get_by_role("button", name="Indienen bij WSE").click()
    expect(page.get_by_text("licht toe waarom de actie uitgesteld is")).to_be_visible()
    assert_accessible(page)
    expect(
        page.get_by_text("Bijlage 'Jaarrekening van de trekker' ontbreekt: laad ze op als PDF.")
    ).to_be_visible()
    groep.get_by_label("Toelichting").fill("Verschoven naar het voorjaar.")
    page.get_by_role("button", name="Bewaren").click()
    bijlagen = page.get_by_role("region", name="Bijlagen bij dit opvolgmoment")
    bijlagen.get_by_label("Soort bijlage").select_option(label="Jaarrekening van de trekker")
    bijlagen.get_by_label("Bestand (PDF, hoogstens 10 MB)").set_input_files(
        files=FilePayload(
            name="jaarrekening 2023.pdf", mimeType="application/pdf", buffer=pdf_bytes()
        )
    )
    bijlagen.get_by_role("button", name="Opladen").click()
    expect(page.get_by_text("Bijlage 'jaarrekening 2023.pdf' opgeladen.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Indienen bij WSE").click()
    expect(page.get_by_text("Het opvolgmoment is ingediend bij WSE.")).to_be_visible()

    wse = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels").new_page()
    log_in(wse, base, beoordelaar.email, PASSWORD)
    wse.goto(f"{base}/aanvragen/{aanvraag.pk}/uitvoering/opvolging/2023/")
    expect(wse.get_by_role("cell", name="AC2301 Jobbeurs")).to_be_visible()
    expect(wse.get_by_role("link", name="jaarrekening 2023.pdf")).to_be_visible()
    assert_accessible(wse)
    wse.get_by_label("Aanvaarden").check()
    wse.get_by_role("button", name="Bevestigen").click()
    expect(wse.get_by_text("Het opvolgmoment is aanvaard.")).to_be_visible()
    wse.context.close()


def test_wse_checks_the_bbc_data_itself_when_the_call_asks_no_report(
    browser,
    page: Page,
    live_server: LiveServer,
    verband: Regieverband,
    regisseur: User,
    beoordelaar: User,
) -> None:
    """A call without a separate report: the reviewer fills in and accepts WSE's own check (at
    phone width), the regisseur reads it without a form."""
    oproep = OproepFactory.create(
        slug="controle-browser", eerste_jaar=2023, laatste_jaar=2025, aparte_rapportering=False
    )
    aanvraag = AanvraagFactory.create(
        regieverband=verband,
        oproep=oproep,
        goedgekeurd=True,
        ingediend_op=oproep.deadline - datetime.timedelta(days=1),
    )
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    actie = ActieFactory.create(aanvraag=aanvraag, jaar=2023, titel="Jobbeurs")
    Opvolgtermijn.objects.create(oproep=oproep, jaar=2023, uiterlijk=datetime.date(2024, 6, 30))
    base = live_server.url
    url = f"{base}/aanvragen/{aanvraag.pk}/uitvoering/opvolging/2023/"

    wse = browser.new_context(
        locale="nl-BE", timezone_id="Europe/Brussels", viewport={"width": 375, "height": 800}
    ).new_page()
    log_in(wse, base, beoordelaar.email, PASSWORD)
    wse.goto(url)
    expect(wse.get_by_text("eigen controle van WSE op de BBC-gegevens")).to_be_visible()
    groep = wse.get_by_role("group", name=f"WSE-LR1 · {actie.titel}")
    groep.get_by_label("Realisatie").select_option("gerealiseerd")
    wse.get_by_role("button", name="Controle vastleggen en aanvaarden").click()
    expect(wse.get_by_text("De controle is bewaard, maar nog niet aanvaard:")).to_be_visible()
    assert_accessible(wse)
    groep.get_by_label("Actie in het BBC-meerjarenplan van de trekker (nummer of naam)").fill(
        "AC2301 Jobbeurs"
    )
    wse.get_by_role("button", name="Controle vastleggen en aanvaarden").click()
    expect(
        wse.get_by_text("De controle van de BBC-gegevens is vastgelegd en aanvaard.")
    ).to_be_visible()
    wse.context.close()

    log_in(page, base, regisseur.email, PASSWORD)
    page.goto(url)
    expect(page.get_by_role("cell", name="AC2301 Jobbeurs")).to_be_visible()
    expect(page.get_by_role("button", name="Controle vastleggen en aanvaarden")).to_have_count(0)
    assert_accessible(page)


def test_wse_follows_up_a_call_in_the_overview(
    browser,
    page: Page,
    live_server: LiveServer,
    verband: Regieverband,
    beoordelaar: User,
) -> None:
    """The overview of the follow-up of a call, filtered, at 1280 and 375 px, and a link to one
    opvolgmoment."""
    oproep = OproepFactory.create(slug="overzicht-browser", eerste_jaar=2023, laatste_jaar=2025)
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, goedgekeurd=True)
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    for jaar in oproep.jaren:
        Opvolgtermijn.objects.create(
            oproep=oproep, jaar=jaar, uiterlijk=datetime.date(jaar + 1, 6, 30)
        )
    base = live_server.url
    log_in(page, base, beoordelaar.email, PASSWORD)
    page.goto(f"{base}/budget/{oproep.slug}/")
    page.get_by_role("link", name="Opvolging: hoe ver de opvolgmomenten").click()
    expect(page.get_by_role("heading", name="Opvolging van de oproep")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Jaar").select_option("2023")
    page.get_by_label("Staat").select_option("te_laat")
    page.get_by_role("button", name="Filteren").click()
    expect(page.get_by_text("1 goedgekeurde aanvraag")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(page)
    page.get_by_role("link", name=f"opvolgmoment 2023 van {verband.naam}").click()
    expect(page.get_by_role("heading", name="Opvolgmoment 2023")).to_be_visible()
