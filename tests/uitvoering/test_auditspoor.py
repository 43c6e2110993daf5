"""Every step of the uitvoering that changes a dossier is in the audit log (kind `dossier`), with
who, the aanvraag and what changed: a booking, a later decision on the amounts, each status
step of an opvolgmoment and of a change to the plan (closing: tests/uitvoering/test_afsluiting)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.audit.models import Auditregel
from applications.uitvoering.constants import Boekingssoort
from applications.uitvoering.models import Planwijziging
from applications.uitvoering.opvolging import opvolgmoment_beoordelen, opvolgmoment_bewaren
from applications.uitvoering.selectors import toegekend_per_jaar
from applications.uitvoering.services import bedragen_herzien, boeking_maken
from applications.uitvoering.wijzigingen import planwijziging_beoordelen, planwijziging_bewaren

from .conftest import volledig

pytestmark = pytest.mark.django_db


def _regels(aanvraag: Aanvraag) -> list[tuple[str, str, str]]:
    return list(
        Auditregel.objects.filter(soort=Auditregel.Soort.DOSSIER, onderwerp_id=aanvraag.pk)
        .order_by("pk")
        .values_list("actie", "gebruiker__email", "omschrijving")
    )


def test_a_booking_and_a_later_decision_are_in_the_audit_log(
    lopend: Aanvraag, beheerder: User, beoordelaar: User
) -> None:
    boeking_maken(
        aanvraag=lopend,
        by=beheerder,
        soort=Boekingssoort.BETALING,
        jaar=2023,
        datum=datetime.date(2023, 3, 1),
        bedrag=Decimal("12000"),
        referentie="FIN-77",
    )
    bedragen_herzien(
        aanvraag=lopend,
        by=beoordelaar,
        bedragen={jaar: Decimal("10000") for jaar in lopend.oproep.jaren},
        motivatie="Verzonnen.",
    )
    [boeking, herzien] = _regels(lopend)
    assert boeking[:2] == ("boeking", beheerder.email)
    assert "EUR 12.000,00" in boeking[2] and "2023" in boeking[2] and "FIN-77" in boeking[2]
    assert herzien[:2] == ("bedragen herzien", beoordelaar.email)
    regel = Auditregel.objects.filter(actie="boeking").get()
    assert (regel.gegevens["bedrag"], regel.gegevens["referentie"]) == ("12000.00", "FIN-77")
    assert regel.pad == f"/aanvragen/{lopend.pk}/uitvoering/boekingen/"
    assert toegekend_per_jaar(lopend)[2023] == 10000  # the decision took effect as logged


def test_each_step_of_an_opvolgmoment_is_in_the_audit_log(
    lopend: Aanvraag, regisseur: User, beoordelaar: User
) -> None:
    moment = opvolgmoment_bewaren(
        aanvraag=lopend, jaar=2023, by=regisseur, invoer=volledig(lopend, 2023), indienen=True
    )
    opvolgmoment_beoordelen(moment=moment, by=beoordelaar, aanvaarden=True)
    regels = _regels(lopend)
    assert [(actie, wie) for actie, wie, _ in regels] == [
        ("opvolgmoment ingediend", regisseur.email),
        ("opvolgmoment aanvaard", beoordelaar.email),
    ]
    assert all("Opvolgmoment 2023" in tekst for _, _, tekst in regels)


def test_each_step_of_a_change_to_the_plan_is_in_the_audit_log(
    nu_lopend: Aanvraag, concept_wijziging: Planwijziging, regisseur: User, beoordelaar: User
) -> None:
    planwijziging_bewaren(
        wijziging=concept_wijziging, by=regisseur, motivatie="Verzonnen.", indienen=True
    )
    planwijziging_beoordelen(
        wijziging=concept_wijziging, by=beoordelaar, goedkeuren=False, reden="Niet onderbouwd."
    )
    regels = _regels(nu_lopend)
    assert [(actie, wie) for actie, wie, _ in regels] == [
        ("planwijziging ingediend", regisseur.email),
        ("planwijziging geweigerd", beoordelaar.email),
    ]
    laatste = Auditregel.objects.filter(actie="planwijziging geweigerd").get()
    assert laatste.gegevens["reden"] == "Niet onderbouwd."
    assert "Wijziging 1 van het plan" in laatste.omschrijving
