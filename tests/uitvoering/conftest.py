"""A granted aanvraag of alice's verband (EUR 50.000 a year, 2030-2032), its decision recorded
without a letter, for the tests of what follows the decision."""

from __future__ import annotations

import datetime

import pytest

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.besturen.models import Regieverband
from applications.oproepen.models import Oproep
from applications.uitvoering.constants import Realisatie
from applications.uitvoering.models import Opvolgtermijn
from applications.uitvoering.opvolging import Rapportinvoer, acties_van_jaar

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
