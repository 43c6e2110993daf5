"""Closing the demo's granted aanvraag in Chromium: the uitvoering page says what is still
missing; the reviewer accepts the 2025 opvolgmoment, the beheerder books the balance, closes
the dossier through its confirmation step and downloads the final bundle. axe-core finds no
WCAG 2.1 AA violation on these pages, at 1280 and 375 px."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from applications.aanvragen.models import Aanvraag
from applications.core.forms import format_euro
from applications.oproepen.models import Oproep
from applications.uitvoering.models import Afsluiting
from applications.uitvoering.selectors import grootboek

from .conftest import ARTIFACTS, assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DEMO_WACHTWOORD = "regierol-demo"


def _beide_breedtes(page: Page, naam: str) -> None:
    """axe-core at 1280 px and at 375 px (a phone), with a screenshot of each."""
    ARTIFACTS.mkdir(exist_ok=True)
    for breedte in (1280, 375):
        page.set_viewport_size({"width": breedte, "height": 900})
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"afsluiting-{naam}-{breedte}.png"), full_page=True)
        # Nothing wider than the screen: no sideways scrolling of the whole page on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= breedte
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_demo_dossier_is_closed_and_its_bundle_downloaded(
    browser, page: Page, live_server: LiveServer
) -> None:
    with override_settings(DEBUG=True):
        call_command("seed_demo")
    aanvraag = Aanvraag.objects.get(
        regieverband__naam="Welzijnsband Meetjesland", oproep__slug="2023-2025"
    )
    base = live_server.url
    uitvoering = f"{base}/aanvragen/{aanvraag.pk}/uitvoering/"

    # The reviewer sees why it cannot be closed yet, and accepts the 2025 opvolgmoment.
    log_in(page, base, "beoordelaar@example.org", DEMO_WACHTWOORD)
    page.goto(uitvoering)
    sectie = page.get_by_role("region", name="Dossier afsluiten")
    expect(sectie.get_by_text("Het opvolgmoment van 2025 is nog niet aanvaard")).to_be_visible()
    expect(sectie.get_by_text("Voor 2025 is nog EUR")).to_be_visible()
    page.goto(f"{uitvoering}opvolging/2025/")
    page.get_by_label("Aanvaarden").check()
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_text("Het opvolgmoment is aanvaard.")).to_be_visible()
    page.context.clear_cookies()

    # The beheerder books the balance of 2025.
    log_in(page, base, "beheerder@example.org", DEMO_WACHTWOORD)
    page.goto(uitvoering)
    saldo = grootboek(aanvraag).jaren[-1].openstaand
    formulier = page.get_by_role("region", name="Een betaling boeken")
    formulier.get_by_label("Jaar van de toekenning").select_option("2025")
    formulier.get_by_label("Betalingsschijf").select_option(label="Demo: saldo (40.00%)")
    formulier.get_by_label("Datum").fill("2026-09-10")
    formulier.get_by_label("Bedrag (EUR)").fill(format_euro(saldo))
    formulier.get_by_label("Referentie").fill("DEMO-2026-SALDO")
    formulier.get_by_role("button", name="Boeken").click()
    expect(page.get_by_text("Betaling voor 2025 geboekt.")).to_be_visible()
    sectie = page.get_by_role("region", name="Dossier afsluiten")
    expect(sectie.get_by_text("het dossier kan afgesloten worden")).to_be_visible()
    _beide_breedtes(page, "klaar")

    # The confirmation step: the box first, then closed.
    sectie.get_by_role("link", name="Dossier afsluiten…").click()
    expect(page.get_by_role("heading", name="Bevestigen")).to_be_visible()
    _beide_breedtes(page, "bevestigen")
    page.get_by_role("button", name="Dossier afsluiten").click()
    expect(page.get_by_text("Vink aan dat u het dossier wilt afsluiten.")).to_be_visible()
    assert not Afsluiting.objects.exists()
    page.get_by_label("Ik heb nagekeken").check()
    page.get_by_role("button", name="Dossier afsluiten").click()
    expect(page.get_by_text("Het dossier is afgesloten.")).to_be_visible()
    afgesloten = page.get_by_role("region", name="Dossier afgesloten")
    expect(afgesloten.get_by_text("door Bea Beheerder (demo)")).to_be_visible()
    expect(page.get_by_role("region", name="Een betaling boeken")).to_have_count(0)
    _beide_breedtes(page, "afgesloten")

    # The final bundle: every file as its manifest says.
    with page.expect_download() as download_info:
        afgesloten.get_by_role("link", name="Eindbundel downloaden (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename == "dossier-2023-2025-welzijnsband-meetjesland.zip"
    zf = zipfile.ZipFile(Path(download.path()))
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["dossier"] == aanvraag.referentie
    namen = [b["naam"] for b in manifest["bestanden"]]
    assert any(n.startswith("aanvraag/") for n in namen)
    assert any(n.startswith("beslissing/") for n in namen)
    assert {"opvolgmomenten.csv", "grootboek.csv", "bedragen_per_jaar.csv"} <= set(namen)
    for b in manifest["bestanden"]:
        assert hashlib.sha256(zf.read(b["naam"])).hexdigest() == b["sha256"]
    assert "DEMO-2026-SALDO" in zf.read("grootboek.csv").decode("utf-8-sig")

    # Ten years on, the beheerder's preview of the retention run lists this dossier.
    Afsluiting.objects.update(
        afgesloten_op=Afsluiting.objects.get().afgesloten_op.replace(year=2016)
    )
    Oproep.objects.filter(slug="2023-2025").update(bewaartermijn_jaren=5, archieftermijn_jaren=8)
    page.goto(f"{base}/beheer/bewaring/")
    expect(
        page.get_by_role("heading", name="Bewaartermijnen van afgesloten dossiers")
    ).to_be_visible()
    expect(page.get_by_text("De contactpersoon wordt geanonimiseerd")).to_be_visible()
    _beide_breedtes(page, "bewaring")
