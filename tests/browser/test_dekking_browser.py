"""The coverage and budget pages in Chromium: a WSE-beoordelaar finds the uncovered gemeenten of
Limburg, sees the overlap, downloads the filtered export, and looks at the budget; axe-core finds
no WCAG 2.1 AA violation on either page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from applications.accounts.models import User
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.besturen.reference import import_besturen
from applications.oproepen.models import Oproep

from ..aanvraag_helpers import PASSWORD
from ..factories import AanvraagFactory, ActieFactory, LidmaatschapFactory
from .conftest import assert_accessible, log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_reviewer_finds_the_gaps_in_coverage_and_the_budget(
    page: Page,
    live_server: LiveServer,
    verband: Regieverband,
    ander_verband: Regieverband,
    oproep: Oproep,
    beoordelaar: User,
) -> None:
    # The territory as `migrate` loads it. A transactional test only gets it back from the
    # serialized copy when no fixture wrote first, so load it here (idempotent).
    import_besturen(LokaalBestuur)
    lanaken = LokaalBestuur.objects.get(nis_code="73042")
    LidmaatschapFactory.create(regieverband=verband, bestuur=lanaken)
    LidmaatschapFactory.create(regieverband=ander_verband, bestuur=lanaken)
    eerste = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)
    AanvraagFactory.create(regieverband=ander_verband, oproep=oproep, ingediend=True)
    ActieFactory.create(aanvraag=eerste, budget=Decimal("42000"))
    base = live_server.url
    log_in(page, base, beoordelaar.email, PASSWORD)

    nav = page.get_by_role("navigation", name="Hoofdnavigatie")
    nav.get_by_role("link", name="Dekking", exact=True).click()
    expect(page.get_by_role("heading", name="Dekking van Vlaanderen")).to_be_visible()
    expect(page.get_by_text("2 / 285")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Provincie", exact=True).select_option(label="Limburg")
    page.get_by_label("Toon", exact=True).select_option(label="Alleen niet gedekte")
    page.get_by_role("button", name="Toon", exact=True).click()
    expect(page.get_by_text("36 gemeenten", exact=True)).to_be_visible()
    rows = page.locator("table.dekking-tabel tbody tr")
    expect(rows).to_have_count(36)
    expect(rows.filter(has_text="Lanaken")).to_have_count(0)
    expect(rows.first).to_contain_text("Niet gedekt")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    content = Path(download.value.path()).read_bytes().decode("utf-8-sig")
    exported = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(exported) == 37
    assert {row[2] for row in exported[1:]} == {"Limburg"}

    page.get_by_label("Toon", exact=True).select_option(label="Alleen overlappen")
    page.get_by_label("Provincie", exact=True).select_option(label="Alle")
    page.get_by_role("button", name="Toon", exact=True).click()
    overlap = page.locator("table.dekking-tabel tbody tr")
    expect(overlap).to_have_count(1)
    expect(overlap).to_contain_text("Lanaken")
    expect(overlap).to_contain_text("Overlap")
    expect(overlap.get_by_role("link")).to_have_count(2)

    nav.get_by_role("link", name="Budget", exact=True).click()
    expect(page.get_by_role("heading", name="Budget van de oproep")).to_be_visible()
    expect(page.get_by_text("De formule van deze oproep is niet gekend")).to_be_visible()
    expect(page.locator("table.budget-tabel")).to_contain_text("42.000")
    assert_accessible(page)
