"""What the portal publishes of a call: the subsidies granted by its decisions, once WSE has
published them (`Oproep.beslissingen_gepubliceerd`).

Only approved aanvragen with their decision: the verband's name, its trekker and members on the
call's peildatum, each by the NIS code valid on the date of the decision (a member that merged
before the decision is named by its successor, one that merged after it by its own code: what
was published never changes when a merger is carried over), the amount granted per year and
what the ledger says was paid per year (payments less corrections and repayments). Nothing else
of the aanvraag leaves here: no contact persons, no reviews or scores, no internal notes, no
motivation, no single bookings.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.selectors import met_leden_op_peildatum
from applications.aanvragen.statuses import AanvraagStatus
from applications.besturen.models import LokaalBestuur, Trekkerwissel
from applications.besturen.services import geldende_wissels, trekker_volgens_wissels
from applications.oproepen.models import Oproep
from applications.uitvoering.selectors import Betaald, betaald_in_oproep, herzien_in_oproep


def gepubliceerde_oproepen() -> QuerySet[Oproep]:
    """The calls whose decisions WSE has published, newest first."""
    return Oproep.objects.filter(beslissingen_gepubliceerd=True).order_by(
        "-eerste_jaar", "-deadline"
    )


def gepubliceerde_oproep(slug: str) -> Oproep:
    """The call with this slug if its decisions are published; 404 otherwise, for everyone (an
    unpublished call is not announced, not even by a 403)."""
    oproep = gepubliceerde_oproepen().filter(slug=slug).first()
    if oproep is None:
        raise Http404
    return oproep


@dataclass(frozen=True)
class Toekenning:
    """One approved aanvraag as published: who, with whom, and how much per year."""

    aanvraag: Aanvraag
    # on the call's peildatum, by name, as they were on the decision date (`op_beslisdatum`)
    leden: list[LokaalBestuur]
    trekker: LokaalBestuur | None  # on the peildatum; None: the vereniging itself leads
    # year -> granted now (the newest later decision on the amounts, else the decision), every
    # year of the call's period
    bedragen: dict[int, Decimal]
    beslist_op: datetime.date
    ingediend_op: datetime.date | None
    # year -> paid, only the years of the call's period in which the ledger holds more than 0
    betalingen: dict[int, Betaald]

    @property
    def totaal(self) -> Decimal:
        return sum(self.bedragen.values(), Decimal(0))

    @property
    def betaald(self) -> dict[int, Decimal]:
        """Year -> paid, every year of the call's period (0 where nothing is paid)."""
        return {
            jaar: self.betalingen[jaar].bedrag if jaar in self.betalingen else Decimal(0)
            for jaar in self.bedragen
        }

    @property
    def totaal_betaald(self) -> Decimal:
        return sum(self.betaald.values(), Decimal(0))

    @property
    def per_jaar(self) -> list[tuple[int, Decimal, Decimal]]:
        """(year, granted, paid) for every year of the call's period."""
        betaald = self.betaald
        return [(jaar, bedrag, betaald[jaar]) for jaar, bedrag in self.bedragen.items()]


def _trekker_op(aanvraag: Aanvraag, dag: datetime.date) -> LokaalBestuur | None:
    verband = aanvraag.regieverband
    in_voege = trekker_volgens_wissels(geldende_wissels(verband.trekkerwissels.all()), dag)
    return in_voege.trekker if in_voege is not None else verband.trekker


def bestuur_op(bestuur: LokaalBestuur, dag: datetime.date) -> LokaalBestuur:
    """The bestuur that stands for `bestuur` on `dag`: itself while it exists, else its successor
    (through a chain of mergers, if any) valid on that day."""
    gezien = {bestuur.pk}
    while not bestuur.is_geldig_op(dag) and bestuur.opvolger is not None:
        if bestuur.opvolger.geldig_vanaf and bestuur.opvolger.geldig_vanaf > dag:
            break
        bestuur = bestuur.opvolger
        if bestuur.pk in gezien:  # a cycle in the data: stop rather than loop
            break
        gezien.add(bestuur.pk)
    return bestuur


def op_beslisdatum(leden: list[LokaalBestuur], dag: datetime.date) -> list[LokaalBestuur]:
    """The members, each as the bestuur (and NIS code) valid on the decision date; two members
    that merged into one before that date are one member then. By name."""
    per_pk = {b.pk: b for b in (bestuur_op(lid, dag) for lid in leden)}
    return sorted(per_pk.values(), key=lambda b: (b.naam, b.nis_code))


def toekenningen(oproep: Oproep) -> list[Toekenning]:
    """The call's approved aanvragen with their granted amounts, by verband name, in a fixed
    number of queries."""
    qs = (
        Aanvraag.objects.filter(
            oproep=oproep, status=AanvraagStatus.GOEDGEKEURD, beslissing__isnull=False
        )
        .select_related("regieverband__trekker__opvolger", "beslissing", "oproep")
        .prefetch_related(
            Prefetch(
                "regieverband__trekkerwissels",
                queryset=Trekkerwissel.objects.select_related("trekker__opvolger"),
            )
        )
        .order_by("regieverband__naam")
    )
    betaald = betaald_in_oproep(oproep)
    # What is granted now: the newest later decision on the amounts, else the decision.
    herzien = herzien_in_oproep(oproep)
    rijen = []
    for rij in met_leden_op_peildatum(qs, oproep):
        aanvraag = rij.aanvraag
        beslissing = herzien.get(aanvraag.pk) or aanvraag.beslissing
        gegeven = beslissing.bedragen_per_jaar
        besloten = timezone.localdate(aanvraag.beslissing.op)
        trekker = _trekker_op(aanvraag, oproep.peildatum)
        rijen.append(
            Toekenning(
                aanvraag=aanvraag,
                leden=op_beslisdatum(rij.leden, besloten),
                trekker=bestuur_op(trekker, besloten) if trekker is not None else None,
                bedragen={jaar: gegeven.get(jaar, Decimal(0)) for jaar in oproep.jaren},
                beslist_op=timezone.localdate(beslissing.op),
                ingediend_op=(
                    timezone.localdate(aanvraag.ingediend_op) if aanvraag.ingediend_op else None
                ),
                betalingen={
                    jaar: betaald[(aanvraag.pk, jaar)]
                    for jaar in oproep.jaren
                    if (aanvraag.pk, jaar) in betaald
                },
            )
        )
    return rijen


def totaal_per_jaar(oproep: Oproep, rijen: list[Toekenning]) -> dict[int, Decimal]:
    """The amounts granted per year over all verbanden."""
    return {jaar: sum((r.bedragen[jaar] for r in rijen), Decimal(0)) for jaar in oproep.jaren}


def betaald_per_jaar(oproep: Oproep, rijen: list[Toekenning]) -> dict[int, Decimal]:
    """What was paid per year over all verbanden."""
    return {jaar: sum((r.betaald[jaar] for r in rijen), Decimal(0)) for jaar in oproep.jaren}
