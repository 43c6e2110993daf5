"""Submitting in Chromium: the answer comes at once, the PDF shows "wordt verzegeld" with the
snapshot's hash, and the download link takes its place when the worker has made it, announced to
a screen reader, without a reload."""

from __future__ import annotations

import re

import pytest
from django_q.models import OrmQ
from playwright.sync_api import Page, expect

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.verzegeling import pdf_maken
from applications.accounts.models import User

from ..aanvraag_helpers import PASSWORD, fill_everything
from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    # The worker does not run: the task waits in the queue until the test plays the worker.
    pytest.mark.echte_wachtrij,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize("breedte", [375, 1280])
def test_the_pdf_link_replaces_wordt_verzegeld_when_the_worker_is_done(
    page: Page, live_server, aanvraag: Aanvraag, regisseur: User, breedte: int
):
    page.set_viewport_size({"width": breedte, "height": 900})
    fill_everything(aanvraag, regisseur)
    log_in(page, live_server.url, regisseur.email, PASSWORD)
    page.goto(f"{live_server.url}/aanvragen/{aanvraag.pk}/indienen/")
    page.get_by_role("checkbox").check()
    page.get_by_role("button", name="Definitief indienen").click()

    expect(page.get_by_text("Uw aanvraag is ingediend")).to_be_visible()
    indiening = aanvraag.indieningen.get()
    assert not indiening.pdf_klaar
    assert OrmQ.objects.count() >= 1  # the PDF (and the e-mail) wait for the worker
    cel = page.locator(f"#pdf-versie-{indiening.nummer}")
    expect(cel).to_contain_text("Wordt verzegeld")
    expect(page.get_by_text(indiening.inhoud_sha256)).to_be_visible()
    assert_accessible(page)

    assert pdf_maken(indiening.pk)  # the worker's turn
    link = page.get_by_role("link", name=re.compile("Versie 1 downloaden"))
    expect(link).to_be_visible(timeout=15_000)
    expect(page.locator("#pdf-status-melding")).to_have_text(
        "De verzegelde PDF van versie 1 is klaar om te downloaden."
    )
    expect(cel).not_to_contain_text("Wordt verzegeld")
    link.focus()
    expect(link).to_be_focused()
    assert_accessible(page)
