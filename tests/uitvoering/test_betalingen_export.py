"""The finance department's export of a call's payments (CSV and XLSX, read back), and the totals
of granted and paid against the budget on the budget page."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.uitvoering.constants import Boekingssoort
from applications.uitvoering.services import boeking_maken

from ..conftest import client_for
from ..libreoffice import calc_leest

pytestmark = pytest.mark.django_db


@pytest.fixture
def geboekt(toegekend, beheerder):
    for soort, jaar, bedrag, ref in (
        (Boekingssoort.BETALING, 2030, "30000", "FIN-1"),
        (Boekingssoort.BETALING, 2031, "12500.50", "=HYPERLINK(1)"),
        (Boekingssoort.CORRECTIE, 2030, "500", "FIN-3"),
    ):
        boeking_maken(
            aanvraag=toegekend,
            by=beheerder,
            soort=soort,
            jaar=jaar,
            datum=datetime.date(2026, 2, 1),
            bedrag=Decimal(bedrag),
            referentie=ref,
        )
    return toegekend


def test_the_xlsx_has_one_row_per_booking_whose_sum_is_what_was_paid(geboekt, beoordelaar):
    response = client_for(beoordelaar).get(f"/export/{geboekt.oproep.slug}/betalingen.xlsx")
    assert response.status_code == 200
    assert 'filename="regierol-open-test-betalingen.xlsx"' in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rijen = list(sheet.iter_rows(values_only=True))
    kop = rijen[0]
    assert kop[:7] == (
        "Referentie aanvraag",
        "Regieverband",
        "Trekker",
        "Jaar van de toekenning",
        "Soort",
        "Datum",
        "Bedrag (EUR)",
    )
    bedragen = [rij[6] for rij in rijen[1:]]
    assert sorted(bedragen) == [-500, 12500.5, 30000]
    assert sum(bedragen) == 42000.5
    assert rijen[1][5] == datetime.datetime(2026, 2, 1)  # a date, not text
    # A reference that a spreadsheet would run as a formula stays text.
    cel = next(c for c in sheet["H"] if c.value == "=HYPERLINK(1)")
    assert cel.data_type == "s"


def test_libreoffice_calc_opens_the_xlsx_with_the_amounts_as_numbers(geboekt, beoordelaar):
    response = client_for(beoordelaar).get(f"/export/{geboekt.oproep.slug}/betalingen.xlsx")
    kop, *rijen = calc_leest(response.content)
    assert kop[6] == "Bedrag (EUR)"
    assert sorted(Decimal(rij[6]) for rij in rijen) == [-500, Decimal("12500.5"), 30000]
    assert sum(Decimal(rij[6]) for rij in rijen) == Decimal("42000.5")
    assert "=HYPERLINK(1)" in [rij[7] for rij in rijen]  # text, not run as a formula


def test_the_csv_is_for_excel_in_belgium(geboekt, beheerder):
    response = client_for(beheerder).get(f"/export/{geboekt.oproep.slug}/betalingen.csv")
    inhoud = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rijen = list(csv.reader(io.StringIO(inhoud), delimiter=";"))
    assert len(rijen) == 4
    assert {rij[6] for rij in rijen[1:]} == {"30000,00", "12500,50", "-500,00"}
    assert "'=HYPERLINK(1)" in {rij[7] for rij in rijen[1:]}


def test_the_export_reads_no_call_per_booking(geboekt, beheerder):
    """The same queries for 3 bookings as for 13 (found by `make bench`: a query per row)."""
    client = client_for(beheerder)
    pad = f"/export/{geboekt.oproep.slug}/betalingen.csv"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get(pad).streaming_content)  # type: ignore[attr-defined]
        return len(captured)

    weinig = queries()
    for _i in range(10):
        boeking_maken(
            aanvraag=geboekt,
            by=beheerder,
            soort=Boekingssoort.BETALING,
            jaar=2032,
            datum=datetime.date(2026, 2, 1),
            bedrag=Decimal(1),
            referentie="FIN-x",
        )
    assert queries() == weinig


def test_regisseurs_get_no_export(geboekt, regisseur):
    assert (
        client_for(regisseur).get(f"/export/{geboekt.oproep.slug}/betalingen.csv").status_code
        == 404
    )


def test_the_budget_page_sets_granted_and_paid_against_the_budget(geboekt, beoordelaar):
    html = client_for(beoordelaar).get(f"/budget/{geboekt.oproep.slug}/").content.decode()
    deel = html[html.index('id="betalingen"') : html.index('id="per-aanvraag"')]
    assert "3.000.000,00" in deel  # a year's budget
    assert "9.000.000,00" in deel  # the period's
    assert "29.500,00" in deel and "20.500,00" in deel  # 2030 paid and still to pay
    assert "42.000,50" in deel and "107.999,50" in deel  # in total
    assert f"/export/{geboekt.oproep.slug}/betalingen.xlsx" in deel
