"""A granted aanvraag of alice's verband (EUR 50.000 a year, 2030-2032), its decision recorded
without a letter, for the tests of what follows the decision."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.submission import aanvraag_seal
from applications.accounts.models import User
from applications.besturen.models import Regieverband
from applications.oproepen.models import Oproep
from applications.uitvoering.constants import Realisatie
from applications.uitvoering.models import Opvolgtermijn, Planwijziging
from applications.uitvoering.opvolging import Rapportinvoer, acties_van_jaar
from applications.uitvoering.wijzigingen import (
    Actiegegevens,
    actie_voorstellen,
    planwijziging_starten,
)

from ..factories import AanvraagFactory, ActieFactory, BeslissingFactory, OproepFactory


@pytest.fixture
def toegekend(verband: Regieverband, oproep: Oproep, beoordelaar: User) -> Aanvraag:
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, goedgekeurd=True)
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    return aanvraag


@pytest.fixture
def lopend(verband: Regieverband, beoordelaar: User) -> Aanvraag:
    """A granted aanvraag of a call that ran 2023-2025 (so every year can be reported now): two
    actions a year, and the call's due dates on 30 June of the next year."""
    oproep = OproepFactory.create(slug="lopend-test", eerste_jaar=2023, laatste_jaar=2025)
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, goedgekeurd=True)
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    prioriteiten = list(oproep.prioriteiten.all()[:2])
    for jaar in oproep.jaren:
        for p in prioriteiten:
            ActieFactory.create(aanvraag=aanvraag, prioriteit=p, jaar=jaar)
        Opvolgtermijn.objects.create(
            oproep=oproep, jaar=jaar, uiterlijk=datetime.date(jaar + 1, 6, 30)
        )
    return aanvraag


def volledig(
    aanvraag: Aanvraag, jaar: int, realisatie: str = Realisatie.GEREALISEERD, toelichting: str = ""
) -> dict[int, Rapportinvoer]:
    """A report of every action of the year, complete: a realisation, a BBC action, the code."""
    return {
        a.pk: Rapportinvoer(
            realisatie=realisatie,
            toelichting=toelichting,
            bbc_actie=f"AC{a.pk:03d}",
            code_toegepast=True,
        )
        for a in acties_van_jaar(aanvraag, jaar)
    }


@pytest.fixture
def nu_lopend(verband: Regieverband, regisseur: User, beoordelaar: User) -> Aanvraag:
    """A granted aanvraag of a call whose period runs today (last year to next year), so that
    its plan can change now: two actions a year, its decided version sealed."""
    jaar = timezone.localdate().year
    oproep = OproepFactory.create(slug="nu-lopend", eerste_jaar=jaar - 1, laatste_jaar=jaar + 1)
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, goedgekeurd=True)
    BeslissingFactory.create(aanvraag=aanvraag, door=beoordelaar)
    for j in oproep.jaren:
        for p in list(oproep.prioriteiten.all()[:2]):
            ActieFactory.create(aanvraag=aanvraag, prioriteit=p, jaar=j)
    aanvraag_seal(aanvraag=aanvraag, by=regisseur, now=timezone.now())
    return aanvraag


@pytest.fixture
def concept_wijziging(nu_lopend: Aanvraag, regisseur: User) -> Planwijziging:
    """A draft change to `nu_lopend`'s plan holding one new action of next year."""
    wijziging = planwijziging_starten(aanvraag=nu_lopend, by=regisseur)
    actie_voorstellen(
        wijziging=wijziging,
        by=regisseur,
        gegevens=Actiegegevens(
            prioriteit=nu_lopend.oproep.prioriteiten.order_by("volgorde")[0],
            jaar=nu_lopend.oproep.laatste_jaar,
            titel="Verzonnen nieuwe actie",
            budget=Decimal("1500.00"),
        ),
    )
    return wijziging
