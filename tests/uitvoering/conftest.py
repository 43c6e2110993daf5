"""A granted aanvraag of alice's verband (EUR 50.000 a year, 2030-2032), its decision recorded
without a letter, for the tests of what follows the decision."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import aanvraag_seal, aanvraag_submit
from applications.accounts.models import User
from applications.beoordeling.services import aanvraag_decide, aanvraag_take
from applications.besturen.models import Regieverband
from applications.oproepen.models import Oproep
from applications.uitvoering.constants import Boekingssoort, Realisatie
from applications.uitvoering.models import Opvolgtermijn, Planwijziging
from applications.uitvoering.opvolging import (
    Rapportinvoer,
    acties_van_jaar,
    opvolgmoment_beoordelen,
    opvolgmoment_bewaren,
)
from applications.uitvoering.selectors import toegekend_per_jaar
from applications.uitvoering.services import boeking_maken
from applications.uitvoering.wijzigingen import (
    Actiegegevens,
    actie_voorstellen,
    planwijziging_starten,
)

from ..aanvraag_helpers import fill_everything, worker_maakt_pdfs
from ..factories import BRUSSELS, AanvraagFactory, ActieFactory, BeslissingFactory, OproepFactory


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


def afronden(
    aanvraag: Aanvraag, *, regisseur: User, beoordelaar: User, beheerder: User
) -> Aanvraag:
    """Every opvolgmoment of the call submitted and accepted, every year paid in full: the
    dossier may be closed (the call's years must be over)."""
    toegekend = toegekend_per_jaar(aanvraag)
    for jaar in aanvraag.oproep.jaren:
        if Opvolgtermijn.objects.filter(oproep=aanvraag.oproep, jaar=jaar).exists():
            moment = opvolgmoment_bewaren(
                aanvraag=aanvraag,
                jaar=jaar,
                by=regisseur,
                invoer=volledig(aanvraag, jaar),
                indienen=True,
            )
            opvolgmoment_beoordelen(moment=moment, by=beoordelaar, aanvaarden=True)
        boeking_maken(
            aanvraag=aanvraag,
            by=beheerder,
            soort=Boekingssoort.BETALING,
            jaar=jaar,
            datum=datetime.date(jaar, 12, 1),
            bedrag=toegekend[jaar],
            referentie=f"FIN-{jaar}",
        )
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


@pytest.fixture
def afsluitbaar(lopend: Aanvraag, regisseur: User, beoordelaar: User, beheerder: User) -> Aanvraag:
    """`lopend` with every opvolgmoment accepted and every year paid: ready to be closed."""
    return afronden(lopend, regisseur=regisseur, beoordelaar=beoordelaar, beheerder=beheerder)


@pytest.fixture
def echt_dossier(
    verband: Regieverband, regisseur: User, beoordelaar: User, beheerder: User
) -> Aanvraag:
    """A 2023-2025 aanvraag taken through the real services: submitted (its sealed PDF made by
    the worker), decided with its letter rendered, every opvolgmoment accepted and every year
    paid. Ready to be closed; its files are real PDFs."""
    oproep = OproepFactory.create(slug="echt-2023", eerste_jaar=2023, laatste_jaar=2025)
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep)
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur, now=_brussel(2023, 1, 10))
    worker_maakt_pdfs(aanvraag)
    aanvraag_take(aanvraag=aanvraag, by=beoordelaar, now=_brussel(2023, 2, 1))
    aanvraag_decide(
        aanvraag=aanvraag,
        by=beoordelaar,
        uitkomst=AanvraagStatus.GOEDGEKEURD,
        motivatie="Verzonnen motivatie.",
        bedragen={jaar: Decimal("40000") for jaar in oproep.jaren},
        now=_brussel(2023, 3, 1),
    )
    aanvraag.refresh_from_db()
    for jaar in oproep.jaren:
        Opvolgtermijn.objects.create(
            oproep=oproep, jaar=jaar, uiterlijk=datetime.date(jaar + 1, 6, 30)
        )
    return afronden(aanvraag, regisseur=regisseur, beoordelaar=beoordelaar, beheerder=beheerder)


def _brussel(jaar: int, maand: int, dag: int) -> datetime.datetime:
    return datetime.datetime(jaar, maand, dag, 10, 0, tzinfo=BRUSSELS)
