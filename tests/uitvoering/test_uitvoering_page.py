"""The uitvoering page: only for a granted aanvraag, shown to its regisseurs and WSE, with the
amounts per year, the payments and the timeline; the tab next to "Vragen en antwoorden"."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from applications.uitvoering.constants import Boekingssoort
from applications.uitvoering.models import Boeking
from applications.uitvoering.services import boeking_maken

from ..conftest import client_for
from ..factories import AanvraagFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_page_shows_granted_paid_and_outstanding_per_year(toegekend, beheerder, regisseur):
    boeking_maken(
        aanvraag=toegekend,
        by=beheerder,
        soort=Boekingssoort.BETALING,
        jaar=2030,
        datum=datetime.date(2026, 2, 3),
        bedrag=Decimal("12500.50"),
        referentie="FIN-2026-0042",
    )
    page = client_for(regisseur).get(f"/aanvragen/{toegekend.pk}/uitvoering/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Toegekend en betaald per jaar" in html
    assert "12.500,50" in html and "37.499,50" in html  # paid, still to pay in 2030
    assert "150.000,00" in html  # granted in all
    assert "FIN-2026-0042" in html
    assert "Betaling voor 2030: EUR 12.500,50" in html  # the timeline
    # The regisseur reads the ledger; the forms are WSE's.
    assert "Een betaling boeken" not in html
    assert "Nieuwe beslissing over de bedragen" not in html


def test_beheerder_gets_the_booking_form_and_reviewer_the_amounts_form(
    toegekend, beheerder, beoordelaar
):
    beheer = client_for(beheerder).get(f"/aanvragen/{toegekend.pk}/uitvoering/").content.decode()
    assert "Een betaling boeken" in beheer and "Nieuwe beslissing over de bedragen" not in beheer
    wse = client_for(beoordelaar).get(f"/aanvragen/{toegekend.pk}/uitvoering/").content.decode()
    assert "Nieuwe beslissing over de bedragen" in wse and "Een betaling boeken" not in wse


def test_booking_through_the_page_and_a_refusal_keeps_the_input(toegekend, beheerder):
    client = client_for(beheerder)
    data = {
        "soort": "betaling",
        "jaar": "2030",
        "datum": "03/02/2026",
        "bedrag": "50.000,01",
        "referentie": "FIN-1",
    }
    refused = client.post(f"/aanvragen/{toegekend.pk}/uitvoering/boekingen/", data)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "meer dan de EUR 50.000,00 die toegekend is" in html
    assert 'value="FIN-1"' in html and 'value="50.000,01"' in html
    assert not Boeking.objects.exists()
    ok = client.post(
        f"/aanvragen/{toegekend.pk}/uitvoering/boekingen/", {**data, "bedrag": "50.000,00"}
    )
    assert ok.status_code == 302
    boeking = Boeking.objects.get()
    assert (boeking.bedrag, boeking.datum, boeking.geboekt_door) == (
        Decimal("50000.00"),
        datetime.date(2026, 2, 3),
        beheerder,
    )


def test_a_new_decision_through_the_page_names_the_terugvordering(
    toegekend, beheerder, beoordelaar
):
    boeking_maken(
        aanvraag=toegekend,
        by=beheerder,
        soort=Boekingssoort.BETALING,
        jaar=2031,
        datum=datetime.date(2026, 2, 3),
        bedrag=Decimal("50000"),
        referentie="FIN-2",
    )
    client = client_for(beoordelaar)
    response = client.post(
        f"/aanvragen/{toegekend.pk}/uitvoering/bedragen/",
        {
            "bedrag_2030": "50.000",
            "bedrag_2031": "30.000",
            "bedrag_2032": "50.000",
            "motivatie": "Een actie in 2031 werd geschrapt.",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Er is te veel betaald" in html
    assert "2031: EUR 20.000,00 terug te vorderen" in html


def test_no_uitvoering_before_a_grant(verband, oproep, regisseur, beoordelaar):
    ingediend = AanvraagFactory.create(regieverband=verband, oproep=oproep, in_behandeling=True)
    assert client_for(regisseur).get(f"/aanvragen/{ingediend.pk}/uitvoering/").status_code == 404
    page = client_for(beoordelaar).get(f"/aanvragen/{ingediend.pk}/opvolging/")
    html = page.content.decode()
    assert "Vragen en antwoorden" in html
    assert f"/aanvragen/{ingediend.pk}/uitvoering/" not in html


def test_the_tab_leads_to_the_uitvoering_of_a_granted_aanvraag(toegekend, regisseur):
    html = client_for(regisseur).get(f"/aanvragen/{toegekend.pk}/opvolging/").content.decode()
    assert f'href="/aanvragen/{toegekend.pk}/uitvoering/"' in html
    assert "Opvolging door WSE" not in html


def test_a_regisseur_of_another_verband_learns_nothing(toegekend, collega):
    assert client_for(collega).get(f"/aanvragen/{toegekend.pk}/uitvoering/").status_code == 404


def test_a_beheerder_who_is_regisseur_of_the_verband_sees_no_booking_form(toegekend):
    beide = UserFactory.create(beheerder=True, regisseur_van=[toegekend.regieverband])
    client = client_for(beide)
    html = client.get(f"/aanvragen/{toegekend.pk}/uitvoering/").content.decode()
    assert "Een betaling boeken" not in html
    assert client.post(f"/aanvragen/{toegekend.pk}/uitvoering/boekingen/").status_code == 403
