"""Deleting an attachment asks once, even while a chosen file waits on the same page (it asked
"verwijderen?" and then the browser's "leave this page?" as well)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect
from pytest_django import Settings
from pytest_django.live_server_helper import LiveServer

from applications.aanvragen.models import Aanvraag, Bijlage
from applications.aanvragen.services import bijlage_add
from applications.accounts.models import User

from ..aanvraag_helpers import pdf_bytes, pdf_upload
from .conftest import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_deleting_an_attachment_asks_once(
    page: Page,
    live_server: LiveServer,
    regisseur: User,
    aanvraag: Aanvraag,
    settings: Settings,
    tmp_path: Path,
) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "applications.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "prive"},
        },
    }
    lso = aanvraag.oproep.bijlagetypes.get(code="lso-vdab")
    bijlage_add(aanvraag=aanvraag, by=regisseur, bijlagetype=lso, upload=pdf_upload("oud.pdf"))
    log_in(page, live_server.url, regisseur.email, "geheim-wachtwoord-123")
    page.goto(f"{live_server.url}/aanvragen/{aanvraag.pk}/bijlagen/")
    gekozen = tmp_path / "nieuw.pdf"
    gekozen.write_bytes(pdf_bytes())
    page.locator("input[type=file]").set_input_files(str(gekozen))  # chosen, not uploaded

    vragen: list[tuple[str, str]] = []

    def antwoord(dialog: Dialog) -> None:
        vragen.append((dialog.type, dialog.message))
        dialog.accept()

    page.on("dialog", antwoord)
    page.get_by_role("button", name="Verwijderen").click()
    expect(page.get_by_text("Bijlage 'oud.pdf' verwijderd.")).to_be_visible()
    assert vragen == [
        (
            "confirm",
            "Deze bijlage verwijderen? Wat u op deze pagina nog niet opsloeg, gaat dan verloren.",
        )
    ]
    assert not Bijlage.objects.filter(aanvraag=aanvraag).exists()
