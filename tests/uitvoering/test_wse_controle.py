"""The call setting "apart rapport per jaar": on, the regisseurs report and submit (the tests of
test_opvolging.py); off, the opvolgmoment is WSE's own check of the BBC data, filled in and
accepted by a reviewer, read by the regisseurs, and nobody is reminded."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications.aanvragen.models import Aanvraag
from applications.uitvoering.constants import Opvolgstatus, Realisatie, Schijfmoment
from applications.uitvoering.herinneringen import send_opvolg_herinneringen
from applications.uitvoering.models import Betalingsschijf, Opvolgwijziging
from applications.uitvoering.opvolging import (
    Rapportinvoer,
    acties_van_jaar,
    opvolgmoment_beoordelen,
    opvolgmoment_bewaren,
)
from applications.uitvoering.permissions import can_report_opvolging
from applications.uitvoering.selectors import grootboek

from ..conftest import client_for
from ..factories import UserFactory
from .conftest import volledig

pytestmark = pytest.mark.django_db

NA_2023 = datetime.datetime(2024, 3, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def controle(lopend: Aanvraag) -> Aanvraag:
    """`lopend` of a call that asks no separate report."""
    lopend.oproep.aparte_rapportering = False
    lopend.oproep.save()
    return Aanvraag.objects.select_related("oproep").get(pk=lopend.pk)


def test_a_call_asks_a_separate_report_unless_a_beheerder_says_not(lopend, regisseur, beoordelaar):
    assert lopend.oproep.aparte_rapportering is True
    assert can_report_opvolging(regisseur, lopend)
    assert not can_report_opvolging(beoordelaar, lopend)


def test_without_a_separate_report_only_a_reviewer_fills_it_in(
    controle, regisseur, collega, beoordelaar, beheerder
):
    for wie in (regisseur, collega, beheerder):
        assert not can_report_opvolging(wie, controle)
        with pytest.raises(PermissionDenied):
            opvolgmoment_bewaren(
                aanvraag=controle, jaar=2023, by=wie, invoer={}, indienen=False, now=NA_2023
            )
    assert can_report_opvolging(beoordelaar, controle)
    # A reviewer who is a regisseur of the verband does not check it.
    dubbel = UserFactory.create(regisseur_van=[controle.regieverband], beoordelaar=True)
    assert not can_report_opvolging(dubbel, controle)


def test_the_wse_check_lists_what_is_missing_then_is_accepted_in_one_step(controle, beoordelaar):
    acties = acties_van_jaar(controle, 2023)
    with pytest.raises(ValidationError) as refused:
        opvolgmoment_bewaren(
            aanvraag=controle,
            jaar=2023,
            by=beoordelaar,
            invoer={acties[0].pk: Rapportinvoer(Realisatie.GEREALISEERD, "", "AC1", True)},
            indienen=True,
            now=NA_2023,
        )
    assert refused.value.messages == [f"WSE-LR2 {acties[1].titel}: kies hoe ver de actie staat."]
    moment = opvolgmoment_bewaren(
        aanvraag=controle,
        jaar=2023,
        by=beoordelaar,
        invoer=volledig(controle, 2023),
        indienen=True,
        now=NA_2023,
    )
    assert (moment.status, moment.ingediend_door, moment.beoordeeld_door) == (
        Opvolgstatus.AANVAARD,
        beoordelaar,
        beoordelaar,
    )
    assert list(Opvolgwijziging.objects.filter(opvolgmoment=moment).values_list("van", "naar")) == [
        ("in_opmaak", "aanvaard")
    ]
    with pytest.raises(ValidationError, match="aanvaard en kan niet meer gewijzigd"):
        opvolgmoment_bewaren(
            aanvraag=controle, jaar=2023, by=beoordelaar, invoer={}, indienen=True, now=NA_2023
        )


def test_the_balance_falls_due_once_wse_accepted_its_own_check(controle, beoordelaar):
    Betalingsschijf.objects.create(
        oproep=controle.oproep,
        naam="Saldo",
        percentage=Decimal(40),
        moment=Schijfmoment.NA_OPVOLGMOMENT,
    )
    opvolgmoment_bewaren(
        aanvraag=controle,
        jaar=2023,
        by=beoordelaar,
        invoer=volledig(controle, 2023),
        indienen=True,
        now=NA_2023,
    )
    assert grootboek(controle).jaren[0].schijven[0].verschuldigd


def test_a_report_submitted_before_the_setting_changed_is_still_judged(
    lopend, regisseur, beoordelaar
):
    moment = opvolgmoment_bewaren(
        aanvraag=lopend,
        jaar=2023,
        by=regisseur,
        invoer=volledig(lopend, 2023),
        indienen=True,
        now=NA_2023,
    )
    lopend.oproep.aparte_rapportering = False
    lopend.oproep.save()
    moment = opvolgmoment_beoordelen(moment=moment, by=beoordelaar, aanvaarden=True)
    assert moment.status == Opvolgstatus.AANVAARD


def test_without_a_separate_report_nobody_is_reminded(
    controle, django_capture_on_commit_callbacks, mailoutbox
):
    for dag in (datetime.date(2024, 6, 16), datetime.date(2024, 7, 1)):
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                send_opvolg_herinneringen(
                    now=datetime.datetime.combine(dag, datetime.time(8), tzinfo=datetime.UTC)
                )
                == []
            )
    assert mailoutbox == []


def test_the_pages_per_role_without_a_separate_report(
    controle, regisseur, collega, beoordelaar, beheerder
):
    url = f"/aanvragen/{controle.pk}/uitvoering/opvolging/2023/"
    acties = acties_van_jaar(controle, 2023)
    data = {
        **{f"a{a.pk}-realisatie": "gerealiseerd" for a in acties},
        **{f"a{a.pk}-bbc_actie": f"AC{a.pk}" for a in acties},
        "actie": "indienen",
    }
    # The regisseur reads it, without a form, and may not post.
    regie = client_for(regisseur)
    pagina = regie.get(url).content.decode()
    assert "eigen controle van WSE op de BBC-gegevens" in pagina
    assert 'name="actie"' not in pagina
    assert regie.post(url, data).status_code == 403
    assert client_for(beheerder).post(url, data).status_code == 403
    assert client_for(collega).get(url).status_code == 404
    # The reviewer fills it in and accepts it.
    wse = client_for(beoordelaar)
    assert "Controle vastleggen en aanvaarden" in wse.get(url).content.decode()
    antwoord = wse.post(url, data)
    assert antwoord.status_code == 302
    assert controle.opvolgmomenten.get(jaar=2023).status == Opvolgstatus.AANVAARD
    pagina = regie.get(url).content.decode()
    assert "vastgelegd op" in pagina and "aanvaard" in pagina
    uitvoering = regie.get(f"/aanvragen/{controle.pk}/uitvoering/").content.decode()
    assert "vraagt geen apart rapport per jaar" in uitvoering


def test_the_setting_is_a_field_of_the_call_in_beheer(controle, beheerder):
    pagina = client_for(beheerder).get(
        reverse("beheer:oproepen_oproep_change", args=[controle.oproep.pk])
    )
    assert pagina.status_code == 200
    html = pagina.content.decode()
    assert 'name="aparte_rapportering"' in html
    assert "Apart rapport per jaar" in html
