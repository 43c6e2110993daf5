"""A merger carried over, in Chromium: the regisseur's verband page and the aanvraag's members
show "Wachtebeke (sinds 1 januari 2025 deel van Lochristi)" and the likely members marked so,
at 1280 and at 375 px (no sideways scrolling of the page); the beheerder's page of the verband
shows the ended membership in the history, and the dry run as a page. axe-core finds no
WCAG 2.1 AA violation."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from applications.accounts.models import User
from applications.besturen.fusies import fusies_doorvoeren
from applications.besturen.models import LokaalBestuur
from applications.besturen.reference import import_besturen, read_fusies

from ..aanvraag_helpers import PASSWORD
from ..factories import (
    AanvraagFactory,
    LidmaatschapFactory,
    OproepFactory,
    RegieverbandFactory,
    UserFactory,
)
from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FUSIEBESTAND = (
    Path(__file__).resolve().parents[2] / "applications/besturen/data/fusie-lochristi-2025.csv"
)
TEKST = "Wachtebeke (sinds 1 januari 2025 deel van Lochristi)"


def test_pages_show_a_merged_member_as_part_of_its_successor(
    page: Page, live_server: LiveServer, beheerder: User
) -> None:
    with FUSIEBESTAND.open("rb") as bestand:
        import_besturen(LokaalBestuur, fusies=read_fusies(bestand))
    verband = RegieverbandFactory.create(naam="Meetjesland (browser)")
    for nis in ("44073", "43005"):
        LidmaatschapFactory.create(
            regieverband=verband,
            bestuur=LokaalBestuur.objects.get(nis_code=nis),
            van=datetime.date(2023, 1, 1),
            waarschijnlijk=True,
        )
    regisseur = UserFactory.create(regisseur_van=[verband])
    oproep = OproepFactory.create(slug="fusie-browser", eerste_jaar=2023, laatste_jaar=2025)
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)
    fusies_doorvoeren(by=beheerder)
    base = live_server.url

    log_in(page, base, regisseur.email, PASSWORD)
    page.goto(f"{base}/regieverbanden/{verband.pk}/")
    leden = page.get_by_role("table")
    expect(leden.get_by_role("row").filter(has_text=TEKST)).to_contain_text("31 december 2024")
    expect(leden.get_by_role("row").filter(has_text="Lochristi")).to_have_count(2)
    expect(leden.get_by_text("waarschijnlijk, niet bevestigd")).to_have_count(3)
    assert_accessible(page)

    page.goto(f"{base}/aanvragen/{aanvraag.pk}/verband/")
    expect(page.get_by_role("heading", name="Leden op 1 januari 2023")).to_be_visible()
    expect(page.get_by_role("cell", name=TEKST)).to_be_visible()
    assert_accessible(page)

    page.set_viewport_size({"width": 375, "height": 800})
    for pad in (f"/regieverbanden/{verband.pk}/", f"/aanvragen/{aanvraag.pk}/verband/"):
        page.goto(f"{base}{pad}")
        expect(page.get_by_text(TEKST)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, pad
        assert_accessible(page)

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, base, beheerder.email, PASSWORD)
    page.goto(f"{base}/beheer/regieverbanden/{verband.pk}/")
    geschiedenis = page.get_by_role("table", name="Elk lidmaatschap met zijn periode")
    expect(geschiedenis.get_by_role("row").filter(has_text=TEKST)).to_contain_text("beëindigd")
    assert_accessible(page)

    # The dry run as a page: after the run nothing is left to carry over.
    page.get_by_role("link", name="Regieverbanden", exact=True).click()
    page.get_by_role("link", name="Fusies doorvoeren").click()
    expect(page.get_by_role("heading", name="0 lidmaatschappen door te voeren")).to_be_visible()
    expect(page.get_by_text("fusies_doorvoeren --uitvoeren --door")).to_be_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
