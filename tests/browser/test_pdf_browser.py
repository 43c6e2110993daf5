"""The sealed PDF as users reach it in Chromium: download from the overview, verify by upload."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.submission import aanvraag_submit, indiening_filename
from applications.accounts.models import User

from ..aanvraag_helpers import PASSWORD, fill_everything
from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_download_the_sealed_pdf_and_verify_it(
    page: Page, live_server, aanvraag: Aanvraag, regisseur: User, beoordelaar: User, tmp_path: Path
):
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    indiening = aanvraag.indieningen.get()

    log_in(page, live_server.url, regisseur.email, PASSWORD)
    page.goto(f"{live_server.url}/aanvragen/{aanvraag.pk}/")
    expect(page.get_by_role("heading", name="De aanvraag als PDF")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Versie 1 downloaden").click()
    download = download_info.value
    assert download.suggested_filename == indiening_filename(indiening)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == indiening.pdf_sha256

    page.get_by_role("link", name="PDF controleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("PDF controleren")
    assert_accessible(page)
    page.get_by_label("PDF-bestand").set_input_files(str(saved))
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_text("Dit is een ingediende versie.")).to_be_visible()
    expect(page.get_by_text(f"Versie 1 van aanvraag {aanvraag.referentie}")).to_be_visible()
    assert_accessible(page)

    # A pasted hash that matches nothing is answered just as clearly.
    page.get_by_label("Of plak de SHA-256 van het bestand").fill("0" * 64)
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_text("Geen ingediende versie heeft deze SHA-256.")).to_be_visible()
    assert_accessible(page)


def test_wse_downloads_the_zip_of_a_call(
    page: Page, live_server, aanvraag: Aanvraag, regisseur: User, beoordelaar: User, tmp_path: Path
):
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    log_in(page, live_server.url, beoordelaar.email, PASSWORD)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"ZIP {aanvraag.oproep.slug}").click()
    assert download_info.value.suggested_filename == f"aanvragen-{aanvraag.oproep.slug}.zip"
    assert_accessible(page)
