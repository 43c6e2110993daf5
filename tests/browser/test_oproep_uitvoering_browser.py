"""The uitvoering of a call in Chromium: a reviewer goes from the follow-up overview to the
figures, reads the actions by realisation and the money per verband (an amount to recover after
a later decision), downloads the finance export; the page fits a phone (375 px) and a desktop
(1280 px) without scrolling sideways, the keyboard reaches its links, and axe-core finds no WCAG
2.1 AA violation. Screenshots of both widths go to test-artifacts/."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from applications.accounts.models import User
from applications.uitvoering.constants import Boekingssoort, Opvolgstatus, Realisatie
from applications.uitvoering.models import Actierapport, Opvolgmoment
from applications.uitvoering.services import bedragen_herzien, boeking_maken

from ..aanvraag_helpers import PASSWORD
from ..factories import (
    AanvraagFactory,
    ActieFactory,
    BeslissingFactory,
    OproepFactory,
    RegieverbandFactory,
)
from .conftest import ARTIFACTS, assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reviewer_reads_the_figures_of_a_call(
    page: Page, live_server: LiveServer, beoordelaar: User, beheerder: User
) -> None:
    oproep = OproepFactory.create(slug="cijfers-test", eerste_jaar=2023, laatste_jaar=2025)
    prioriteiten = list(oproep.prioriteiten.all())
    for n, naam in enumerate(("Welzijnsband Meetjesland (test)", "Werkkracht10 (test)")):
        aanvraag = AanvraagFactory.create(
            regieverband=RegieverbandFactory.create(naam=naam), oproep=oproep, goedgekeurd=True
        )
        BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
        moment = Opvolgmoment.objects.create(
            aanvraag=aanvraag, jaar=2023, status=Opvolgstatus.AANVAARD
        )
        for p, realisatie in zip(prioriteiten, Realisatie.values, strict=True):
            actie = ActieFactory.create(aanvraag=aanvraag, prioriteit=p, jaar=2023)
            Actierapport.objects.create(opvolgmoment=moment, actie=actie, realisatie=realisatie)
            ActieFactory.create(aanvraag=aanvraag, prioriteit=p, jaar=2024)
        boeking_maken(
            aanvraag=aanvraag,
            by=beheerder,
            soort=Boekingssoort.BETALING,
            jaar=2023,
            datum=datetime.date(2026, 2, 1),
            bedrag=Decimal(50000),
            referentie=f"FIN-{n}",
        )
        if n == 0:
            bedragen_herzien(
                aanvraag=aanvraag,
                by=beoordelaar,
                bedragen={2023: Decimal(42000), 2024: Decimal(50000), 2025: Decimal(50000)},
                motivatie="Een deel van 2023 werd niet besteed.",
            )
    base = live_server.url

    log_in(page, base, beoordelaar.email, PASSWORD)
    page.goto(f"{base}/opvolging/{oproep.slug}/")
    page.get_by_role("link", name="Uitvoering in cijfers").click()
    expect(page.get_by_role("heading", name="Uitvoering van de oproep")).to_be_visible()

    tellingen = page.get_by_role("table", name="Acties per beleidsprioriteit, jaar en realisatie")
    totaal = tellingen.locator("tfoot tr")
    # Two of each realisation in 2023, the eight actions of 2024 not reported yet.
    expect(totaal).to_have_text("Totaal 2 2 2 2 8 16", use_inner_text=True)
    expect(page.get_by_role("img", name="Per jaar en per beleidsprioriteit")).to_be_visible()

    geld = page.get_by_role("table", name="2 regieverbanden met een toekenning of betalingen")
    meetjesland = geld.get_by_role("row", name="Welzijnsband Meetjesland")
    expect(meetjesland).to_contain_text("142.000,00")
    expect(meetjesland).to_contain_text("8.000,00")  # paid beyond the new 2023 amount
    expect(meetjesland).to_contain_text("na een nieuwe beslissing over de bedragen")
    expect(geld.locator("tfoot")).to_contain_text("292.000,00")
    expect(page.get_by_role("img", name="Per regieverband")).to_be_visible()

    ARTIFACTS.mkdir(exist_ok=True)
    for breedte in (1280, 375):
        page.set_viewport_size({"width": breedte, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= breedte
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"oproep-uitvoering-{breedte}.png"), full_page=True)

    # By keyboard to the finance export, which opens with the right total.
    page.set_viewport_size({"width": 1280, "height": 900})
    export = page.get_by_role("link", name="Excel (XLSX) per regieverband")
    for _i in range(80):
        page.keyboard.press("Tab")
        if export.evaluate("e => e === document.activeElement"):
            break
    else:
        pytest.fail("the keyboard never reached the export")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "regierol-cijfers-test-uitvoering.xlsx"
    blad = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    laatste = list(blad.iter_rows(values_only=True))[-1]
    assert laatste[0] == "Totaal"
    assert laatste[4:] == (292000, 100000, 200000, 8000)
