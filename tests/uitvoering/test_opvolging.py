"""The opvolgmoment of a year: the regisseur reports per action and submits, a reviewer asks for
more or accepts; the status table; the call's due dates; the balance tranche falls due once the
year is accepted."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.uitvoering.constants import Opvolgstatus, Realisatie, Schijfmoment
from applications.uitvoering.models import Betalingsschijf, Opvolgtermijn, Opvolgwijziging
from applications.uitvoering.opvolging import (
    Rapportinvoer,
    acties_van_jaar,
    opvolgmoment_beoordelen,
    opvolgmoment_bewaren,
)
from applications.uitvoering.selectors import grootboek, opvolgstanden

from ..conftest import client_for
from .conftest import volledig

pytestmark = pytest.mark.django_db

NA_2023 = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)


def test_submitting_lists_what_is_missing_and_keeps_what_was_typed(lopend, regisseur):
    acties = acties_van_jaar(lopend, 2023)
    invoer = {
        acties[0].pk: Rapportinvoer(Realisatie.UITGESTELD, "", "", False),
        acties[1].pk: Rapportinvoer("", "", "AC2", True),
    }
    with pytest.raises(ValidationError) as refused:
        opvolgmoment_bewaren(
            aanvraag=lopend, jaar=2023, by=regisseur, invoer=invoer, indienen=True, now=NA_2023
        )
    assert refused.value.messages == [
        f"WSE-LR1 {acties[0].titel}: geef de actie in het BBC-meerjarenplan (nummer of naam).",
        f"WSE-LR1 {acties[0].titel}: licht toe waarom de actie uitgesteld is.",
        f"WSE-LR2 {acties[1].titel}: kies hoe ver de actie staat.",
    ]
    # Saving without submitting keeps the draft.
    moment = opvolgmoment_bewaren(
        aanvraag=lopend, jaar=2023, by=regisseur, invoer=invoer, indienen=False, now=NA_2023
    )
    assert moment.status == Opvolgstatus.IN_OPMAAK
    assert moment.rapporten.get(actie=acties[0]).realisatie == Realisatie.UITGESTELD


def test_submit_ask_more_resubmit_accept(lopend, regisseur, beoordelaar):
    moment = opvolgmoment_bewaren(
        aanvraag=lopend,
        jaar=2023,
        by=regisseur,
        invoer=volledig(lopend, 2023),
        indienen=True,
        now=NA_2023,
    )
    assert (moment.status, moment.ingediend_door) == (Opvolgstatus.INGEDIEND, regisseur)
    with pytest.raises(ValidationError, match="ingediend en kan niet meer gewijzigd"):
        opvolgmoment_bewaren(
            aanvraag=lopend, jaar=2023, by=regisseur, invoer={}, indienen=False, now=NA_2023
        )
    with pytest.raises(ValidationError):
        opvolgmoment_beoordelen(moment=moment, by=beoordelaar, aanvaarden=False, reden=" ")
    moment = opvolgmoment_beoordelen(
        moment=moment, by=beoordelaar, aanvaarden=False, reden="Welke BBC-actie is AC001?"
    )
    assert (moment.status, moment.meer_gevraagd) == (
        Opvolgstatus.MEER_GEVRAAGD,
        "Welke BBC-actie is AC001?",
    )
    moment = opvolgmoment_bewaren(
        aanvraag=lopend,
        jaar=2023,
        by=regisseur,
        invoer=volledig(lopend, 2023, Realisatie.LOPEND, "Loopt door in 2024."),
        indienen=True,
        now=NA_2023,
    )
    moment = opvolgmoment_beoordelen(moment=moment, by=beoordelaar, aanvaarden=True)
    assert moment.status == Opvolgstatus.AANVAARD
    wijzigingen = Opvolgwijziging.objects.filter(opvolgmoment=moment).order_by("pk")
    assert list(wijzigingen.values_list("van", "naar")) == [
        ("in_opmaak", "ingediend"),
        ("ingediend", "meer_gevraagd"),
        ("meer_gevraagd", "ingediend"),
        ("ingediend", "aanvaard"),
    ]
    # Accepted is final.
    with pytest.raises(ValidationError, match="aanvaard: dat kan nu niet"):
        opvolgmoment_beoordelen(moment=moment, by=beoordelaar, aanvaarden=True)


def test_a_year_is_reported_once_it_is_over_and_only_where_the_call_sets_a_due_date(
    lopend, regisseur
):
    with pytest.raises(ValidationError, match="vanaf 01/01/2024"):
        opvolgmoment_bewaren(
            aanvraag=lopend,
            jaar=2023,
            by=regisseur,
            invoer={},
            indienen=False,
            now=datetime.datetime(2023, 12, 31, 12, tzinfo=datetime.UTC),
        )
    Opvolgtermijn.objects.filter(oproep=lopend.oproep, jaar=2025).delete()
    with pytest.raises(ValidationError, match="geen opvolgmoment voor 2025"):
        opvolgmoment_bewaren(aanvraag=lopend, jaar=2025, by=regisseur, invoer={}, indienen=False)
    pagina = client_for(regisseur).get(f"/aanvragen/{lopend.pk}/uitvoering/opvolging/2025/")
    assert pagina.status_code == 404


def test_only_regisseurs_report_and_only_reviewers_judge(
    lopend, regisseur, collega, beoordelaar, beheerder
):
    for wie in (collega, beoordelaar, beheerder):
        with pytest.raises(PermissionDenied):
            opvolgmoment_bewaren(
                aanvraag=lopend, jaar=2023, by=wie, invoer={}, indienen=False, now=NA_2023
            )
    moment = opvolgmoment_bewaren(
        aanvraag=lopend,
        jaar=2023,
        by=regisseur,
        invoer=volledig(lopend, 2023),
        indienen=True,
        now=NA_2023,
    )
    for wie in (regisseur, beheerder):
        with pytest.raises(PermissionDenied):
            opvolgmoment_beoordelen(moment=moment, by=wie, aanvaarden=True)


def test_the_balance_falls_due_once_the_years_opvolgmoment_is_accepted(
    lopend, regisseur, beoordelaar
):
    Betalingsschijf.objects.create(
        oproep=lopend.oproep,
        naam="Saldo",
        percentage=Decimal(40),
        moment=Schijfmoment.NA_OPVOLGMOMENT,
    )
    assert not grootboek(lopend).jaren[0].schijven[0].verschuldigd
    moment = opvolgmoment_bewaren(
        aanvraag=lopend,
        jaar=2023,
        by=regisseur,
        invoer=volledig(lopend, 2023),
        indienen=True,
        now=NA_2023,
    )
    opvolgmoment_beoordelen(moment=moment, by=beoordelaar, aanvaarden=True)
    jaren = grootboek(lopend).jaren
    assert jaren[0].schijven[0].verschuldigd
    assert not jaren[1].schijven[0].verschuldigd


def test_a_due_date_passed_without_submission_is_late(lopend, regisseur):
    standen = opvolgstanden(lopend, vandaag=datetime.date(2024, 7, 1))
    assert [(s.jaar, s.te_laat) for s in standen] == [(2023, True), (2024, False), (2025, False)]
    opvolgmoment_bewaren(
        aanvraag=lopend,
        jaar=2023,
        by=regisseur,
        invoer=volledig(lopend, 2023),
        indienen=True,
        now=NA_2023,
    )
    assert not opvolgstanden(lopend, vandaag=datetime.date(2024, 7, 1))[0].te_laat


def test_a_due_date_is_after_its_year_and_within_the_call(lopend):
    for jaar, uiterlijk, veld in (
        (2023, datetime.date(2023, 12, 31), "uiterlijk"),
        (2026, datetime.date(2027, 6, 30), "jaar"),
    ):
        with pytest.raises(ValidationError) as refused:
            Opvolgtermijn(oproep=lopend.oproep, jaar=jaar, uiterlijk=uiterlijk).clean()
        assert veld in refused.value.message_dict


def test_the_page_flow_in_the_browsers_terms(lopend, regisseur, beoordelaar):
    """Through the views: save, submit with something missing (kept, listed), submit, accept."""
    url = f"/aanvragen/{lopend.pk}/uitvoering/opvolging/2023/"
    acties = acties_van_jaar(lopend, 2023)
    regie = client_for(regisseur)
    data = {
        f"a{acties[0].pk}-realisatie": "geschrapt",
        f"a{acties[0].pk}-bbc_actie": "AC7 Jobbeurs",
        f"a{acties[0].pk}-toelichting": "",
        f"a{acties[1].pk}-realisatie": "gerealiseerd",
        f"a{acties[1].pk}-bbc_actie": "AC8 Netwerk",
        f"a{acties[1].pk}-code_toegepast": "on",
        "actie": "indienen",
    }
    refused = regie.post(url, data)
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "licht toe waarom de actie geschrapt is" in html
    assert 'value="AC7 Jobbeurs"' in html
    ok = regie.post(url, {**data, f"a{acties[0].pk}-toelichting": "Geen partner gevonden."})
    assert ok.status_code == 302
    overzicht = regie.get(f"/aanvragen/{lopend.pk}/uitvoering/").content.decode()
    assert "Opvolgmoment 2023</a>:\n      ingediend" in overzicht
    wse = client_for(beoordelaar)
    assert "Opvolgmoment beoordelen" in wse.get(url).content.decode()
    wse.post(f"{url}beoordelen/", {"besluit": "aanvaarden"})
    pagina = regie.get(url).content.decode()
    assert "aanvaard" in pagina and "Geen partner gevonden." in pagina
    overzicht = regie.get(f"/aanvragen/{lopend.pk}/uitvoering/").content.decode()
    assert "Opvolgmoment 2023: aanvaard" in overzicht  # the timeline


def test_every_save_and_judgement_sets_the_time_of_change(lopend, regisseur, beoordelaar):
    """The API's `gewijzigd_sinds` and Last-Modified rest on it: the reports carry no time."""
    opgeslagen = NA_2023 + datetime.timedelta(hours=1)
    moment = opvolgmoment_bewaren(
        aanvraag=lopend,
        jaar=2023,
        by=regisseur,
        invoer=volledig(lopend, 2023),
        indienen=False,
        now=opgeslagen,
    )
    moment.refresh_from_db()
    assert moment.gewijzigd_op == opgeslagen
    ingediend = opgeslagen + datetime.timedelta(hours=1)
    opvolgmoment_bewaren(
        aanvraag=lopend, jaar=2023, by=regisseur, invoer={}, indienen=True, now=ingediend
    )
    moment.refresh_from_db()
    assert moment.gewijzigd_op == ingediend
    aanvaard = ingediend + datetime.timedelta(days=2)
    opvolgmoment_beoordelen(moment=moment, by=beoordelaar, aanvaarden=True, now=aanvaard)
    moment.refresh_from_db()
    assert moment.gewijzigd_op == aanvaard
