"""The figures of a call's uitvoering for WSE: how far the actions of every granted aanvraag got,
per beleidsprioriteit and year, and the money per verband (granted now, paid, outstanding, to
recover). Each in a fixed number of queries, however many aanvragen: the page, the finance
export and the analysts' export read them.

What counts as reported: the opvolgmoment of the action's year once it is submitted or accepted
(`GERAPPORTEERD`). An action of a year whose opvolgmoment is still being written, or was sent back
for more, counts as "niet gerapporteerd" until it comes in again: the rows of such a moment may
hold what nobody stands behind yet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from applications.aanvragen.models import Aanvraag, Actie
from applications.aanvragen.statuses import AanvraagStatus
from applications.oproepen.models import Beleidsprioriteit, Oproep
from applications.uitvoering.constants import Opvolgstatus, Realisatie
from applications.uitvoering.models import Actierapport, Boeking, Herbeslissing
from applications.uitvoering.selectors import NUL, Totalen, is_toegekend, jaarstanden

# The opvolgmoment statuses whose reports count: the verband (or WSE's own check) stands by them.
GERAPPORTEERD = (Opvolgstatus.INGEDIEND, Opvolgstatus.AANVAARD)

# An action without a report that counts: its own column, after the four realisations.
NIET_GERAPPORTEERD = "niet_gerapporteerd"
NIET_GERAPPORTEERD_LABEL = _("niet gerapporteerd")

# The columns of the count, in their order: the realisations, then not reported.
REALISATIESTATUSSEN: tuple[str, ...] = (*Realisatie.values, NIET_GERAPPORTEERD)


def realisatiestatus_label(status: str) -> str:
    if status == NIET_GERAPPORTEERD:
        return str(NIET_GERAPPORTEERD_LABEL)
    return str(Realisatie(status).label)


@dataclass
class Realisatierij:
    """The actions of one priority in one year, over every granted aanvraag, by status."""

    jaar: int
    prioriteit: Beleidsprioriteit | None  # None: the year's total over the priorities
    aantallen: dict[str, int] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.prioriteit.code if self.prioriteit else ""

    @property
    def titel(self) -> str:
        return self.prioriteit.titel if self.prioriteit else ""

    def aantal(self, status: str) -> int:
        return self.aantallen.get(status, 0)

    @property
    def per_status(self) -> list[tuple[str, int]]:
        """(status, count) in the columns' order."""
        return [(s, self.aantal(s)) for s in REALISATIESTATUSSEN]

    @property
    def totaal(self) -> int:
        return sum(self.aantallen.values())

    def optellen(self, andere: Iterable[Realisatierij]) -> None:
        for rij in andere:
            for status, n in rij.aantallen.items():
                self.aantallen[status] = self.aantal(status) + n


@dataclass
class Realisatiejaar:
    jaar: int
    rijen: list[Realisatierij]  # one per priority of the call, in the call's order
    totaal: Realisatierij


@dataclass
class Realisaties:
    """Per year of the call its priorities' rows and the year's total, and the call's total."""

    jaren: list[Realisatiejaar]
    totaal: Realisatierij

    @property
    def rijen(self) -> list[Realisatierij]:
        """Every priority row of every year (no totals): for the export and the chart."""
        return [rij for jaar in self.jaren for rij in jaar.rijen]


def realisaties(oproep: Oproep) -> Realisaties:
    """How far the actions of the call's granted aanvragen got, per priority and year. Two
    queries: the priorities, and the actions counted by priority, year and the realisation of
    their report (a subquery: the report of the action in the opvolgmoment of its year, once
    that counts, see `GERAPPORTEERD`)."""
    prioriteiten = list(
        Beleidsprioriteit.objects.filter(oproep=oproep).order_by("volgorde", "code")
    )
    rapport = Actierapport.objects.filter(
        actie=OuterRef("pk"),
        opvolgmoment__aanvraag=OuterRef("aanvraag"),
        opvolgmoment__jaar=OuterRef("jaar"),
        opvolgmoment__status__in=GERAPPORTEERD,
    ).values("realisatie")[:1]
    telling = (
        Actie.objects.filter(aanvraag__oproep=oproep, aanvraag__status=AanvraagStatus.GOEDGEKEURD)
        .annotate(realisatie=Subquery(rapport))
        .values("prioriteit_id", "jaar", "realisatie")
        .annotate(n=Count("pk"))
        .order_by()
    )
    aantallen: dict[tuple[int, int], dict[str, int]] = {}
    for rij in telling:
        # No report, or one without a realisation (it cannot be submitted so): not reported.
        status = rij["realisatie"] or NIET_GERAPPORTEERD
        cel = aantallen.setdefault((rij["prioriteit_id"], rij["jaar"]), {})
        cel[status] = cel.get(status, 0) + rij["n"]
    jaren = []
    for jaar in oproep.jaren:
        rijen = [
            Realisatierij(jaar, p, dict(aantallen.get((p.pk, jaar), {}))) for p in prioriteiten
        ]
        totaal = Realisatierij(jaar, None)
        totaal.optellen(rijen)
        jaren.append(Realisatiejaar(jaar, rijen, totaal))
    alles = Realisatierij(0, None)
    alles.optellen(j.totaal for j in jaren)
    return Realisaties(jaren, alles)


@dataclass(frozen=True)
class Verbandgeld:
    """The money of one verband's aanvraag in the call, as its ledger says it (summed over the
    years: outstanding and to recover are summed per year, as `Grootboek` does)."""

    aanvraag: Aanvraag
    toegekend: Decimal  # now: the newest later decision, else the decision
    betaald: Decimal  # payments less corrections and repayments
    openstaand: Decimal
    terug_te_vorderen: Decimal
    herzien: bool  # a later decision changed the amounts

    @property
    def goedgekeurd(self) -> bool:
        """False for an aanvraag that is here only for the money in its ledger."""
        return is_toegekend(self.aanvraag)


@dataclass
class Geld(Totalen):
    rijen: list[Verbandgeld]

    def _rijen(self) -> Iterable[Verbandgeld]:
        return self.rijen

    @property
    def grootste(self) -> Decimal:
        """The longest bar of the chart: what is granted plus what was paid beyond it (a year
        paid too much and another not yet paid whole make a bar longer than either)."""
        return max((r.toegekend + r.terug_te_vorderen for r in self.rijen), default=NUL)


def geld_per_verband(oproep: Oproep) -> Geld:
    """Per aanvraag of the call that is granted, or that has money in its ledger (so nothing
    paid drops out of the finance figures), what its ledger says, by verband name. Four
    queries: the aanvragen, and the three of `selectors.jaarstanden`."""
    aanvragen = list(
        Aanvraag.objects.filter(oproep=oproep)
        .annotate(
            geboekt=Exists(Boeking.objects.filter(aanvraag=OuterRef("pk"))),
            herzien=Exists(Herbeslissing.objects.filter(aanvraag=OuterRef("pk"))),
        )
        .filter(Q(status=AanvraagStatus.GOEDGEKEURD) | Q(geboekt=True) | Q(herzien=True))
        .select_related("regieverband")
        .order_by("regieverband__naam", "pk")
    )
    for a in aanvragen:
        a.oproep = oproep  # its years and reference, without reading the call once per row
    standen = jaarstanden(aanvragen)
    rijen = []
    for a in aanvragen:
        jaren = standen[a.pk]
        rijen.append(
            Verbandgeld(
                aanvraag=a,
                toegekend=sum((j.toegekend for j in jaren), NUL),
                betaald=sum((j.betaald for j in jaren), NUL),
                openstaand=sum((j.openstaand for j in jaren), NUL),
                terug_te_vorderen=sum((j.terug_te_vorderen for j in jaren), NUL),
                herzien=a.herzien,
            )
        )
    return Geld(rijen)
