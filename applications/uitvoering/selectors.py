"""The reads of the uitvoering: what is granted now, the ledger of one aanvraag per year, and the
payments of a whole call (for the budget page and the finance export)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.beoordeling.models import Beslissing
from applications.beoordeling.selectors import Gebeurtenis
from applications.core.forms import format_euro
from applications.oproepen.models import Oproep
from applications.uitvoering.constants import Boekingssoort, Opvolgstatus, Schijfmoment
from applications.uitvoering.models import (
    Afsluiting,
    Betalingsschijf,
    Boeking,
    Herbeslissing,
    Opvolgmoment,
    Opvolgtermijn,
    Opvolgwijziging,
    Planwijzigingstap,
    Terugvordering,
)

NUL = Decimal(0)
CENT = Decimal("0.01")


def is_toegekend(aanvraag: Aanvraag) -> bool:
    """Only a granted aanvraag has an uitvoering."""
    return aanvraag.status == AanvraagStatus.GOEDGEKEURD


def toegekend_per_jaar(aanvraag: Aanvraag) -> dict[int, Decimal]:
    """The amounts granted now: those of the newest later decision, else the decision's."""
    laatste = aanvraag.herbeslissingen.order_by("-op", "-pk").first()
    if laatste is not None:
        return laatste.bedragen_per_jaar
    beslissing = Beslissing.objects.filter(aanvraag=aanvraag).first()
    if beslissing is None or not is_toegekend(aanvraag):
        return {}
    return beslissing.bedragen_per_jaar


def _nieuwste(herbeslissingen: QuerySet[Herbeslissing]) -> dict[int, Herbeslissing]:
    """Per aanvraag (by pk) the newest of these later decisions on the amounts (one query)."""
    herzien: dict[int, Herbeslissing] = {}
    for h in herbeslissingen.order_by("op", "pk"):
        herzien[h.aanvraag_id] = h  # the newest wins
    return herzien


def herzien_in_oproep(oproep: Oproep) -> dict[int, Herbeslissing]:
    """Per aanvraag of the call (by pk) its newest later decision on the amounts, for those that
    have one: what is granted now (one query)."""
    return _nieuwste(Herbeslissing.objects.filter(aanvraag__oproep=oproep))


def betaald_per_jaar(aanvraag: Aanvraag) -> dict[int, Decimal]:
    """What the ledger holds per year: payments less corrections and repayments."""
    return {
        rij["jaar"]: rij["som"]
        for rij in Boeking.objects.filter(aanvraag=aanvraag)
        .values("jaar")
        .annotate(som=Sum("bedrag"))
        .order_by("jaar")
    }


@dataclass
class Schijfstand:
    """One tranche of one year: its share of the year's granted amount, whether it is due and
    whether the year's payments cover it (the tranches in their order: what was paid of a year
    goes to its first tranche first)."""

    schijf: Betalingsschijf
    bedrag: Decimal
    verschuldigd: bool
    betaald: bool = False

    @property
    def stand(self) -> str:
        """As the uitvoering page says it."""
        if self.betaald:
            return _("betaald")
        return _("te betalen") if self.verschuldigd else _("nog niet verschuldigd")


@dataclass
class Jaarstand:
    jaar: int
    toegekend: Decimal
    betaald: Decimal
    schijven: list[Schijfstand] = field(default_factory=list)

    @property
    def openstaand(self) -> Decimal:
        """Still to pay of the year's grant."""
        return max(self.toegekend - self.betaald, NUL)

    @property
    def terug_te_vorderen(self) -> Decimal:
        """Paid beyond what is granted now: to recover."""
        return max(self.betaald - self.toegekend, NUL)


class Totalen:
    """Granted, paid, outstanding and to recover, summed over the rows that make them up (the
    years of a ledger, the verbanden of a call)."""

    def _rijen(self) -> Iterable[Any]:
        raise NotImplementedError

    def _som(self, naam: str) -> Decimal:
        return sum((getattr(rij, naam) for rij in self._rijen()), NUL)

    @property
    def toegekend(self) -> Decimal:
        return self._som("toegekend")

    @property
    def betaald(self) -> Decimal:
        return self._som("betaald")

    @property
    def openstaand(self) -> Decimal:
        return self._som("openstaand")

    @property
    def terug_te_vorderen(self) -> Decimal:
        return self._som("terug_te_vorderen")


@dataclass
class Grootboek(Totalen):
    """The ledger of one aanvraag: per year granted, paid, outstanding; every row; the later
    decisions and the amounts to recover."""

    aanvraag: Aanvraag
    jaren: list[Jaarstand]
    boekingen: list[Boeking]
    herbeslissingen: list[Herbeslissing]
    terugvorderingen: list[Terugvordering]

    def _rijen(self) -> Iterable[Jaarstand]:
        return self.jaren


def _schijfstanden(
    schijven: Iterable[Betalingsschijf],
    jaar: int,
    toegekend: Decimal,
    vandaag: datetime.date,
    aanvaard: bool,
    betaald: Decimal = NUL,
) -> list[Schijfstand]:
    """A tranche at the start of the year is due from 1 January; one after the opvolgmoment
    once the year's opvolgmoment is accepted. A tranche is paid when the year's payments reach
    it and every tranche before it."""
    standen = []
    tot_hier = NUL
    for s in schijven:
        bedrag = (toegekend * s.percentage / 100).quantize(CENT)
        tot_hier += bedrag
        standen.append(
            Schijfstand(
                schijf=s,
                bedrag=bedrag,
                verschuldigd=(
                    vandaag.year >= jaar if s.moment == Schijfmoment.BEGIN_JAAR else aanvaard
                ),
                betaald=bedrag > NUL and betaald >= tot_hier,
            )
        )
    return standen


def grootboek(aanvraag: Aanvraag, *, vandaag: datetime.date | None = None) -> Grootboek:
    vandaag = vandaag or timezone.localdate()
    toegekend = toegekend_per_jaar(aanvraag)
    betaald = betaald_per_jaar(aanvraag)
    schijven = list(aanvraag.oproep.betalingsschijven.all())
    aanvaard = set(
        aanvraag.opvolgmomenten.filter(status=Opvolgstatus.AANVAARD).values_list("jaar", flat=True)
    )
    jaren = sorted(set(aanvraag.oproep.jaren) | set(toegekend) | set(betaald))
    return Grootboek(
        aanvraag=aanvraag,
        jaren=[
            Jaarstand(
                jaar=j,
                toegekend=toegekend.get(j, NUL),
                betaald=betaald.get(j, NUL),
                schijven=_schijfstanden(
                    schijven,
                    j,
                    toegekend.get(j, NUL),
                    vandaag,
                    j in aanvaard,
                    betaald.get(j, NUL),
                ),
            )
            for j in jaren
        ],
        boekingen=list(
            aanvraag.boekingen.select_related("geboekt_door", "schijf").order_by(
                "jaar", "datum", "geboekt_op", "pk"
            )
        ),
        herbeslissingen=list(aanvraag.herbeslissingen.select_related("door")),
        terugvorderingen=list(aanvraag.terugvorderingen.all()),
    )


def jaarstanden(aanvragen: Sequence[Aanvraag]) -> dict[int, list[Jaarstand]]:
    """Per aanvraag (by pk) the years of its ledger with granted and paid, as `grootboek`
    computes them (granted: the newest later decision, else the decision of a granted
    aanvraag; paid: payments less corrections and repayments), in three queries whatever the
    number of aanvragen: for the API's list of payments. Without the tranches."""
    pks = [a.pk for a in aanvragen]
    herzien = _nieuwste(Herbeslissing.objects.filter(aanvraag_id__in=pks))
    beslissingen = {b.aanvraag_id: b for b in Beslissing.objects.filter(aanvraag_id__in=pks)}
    betaald: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for rij in (
        Boeking.objects.filter(aanvraag_id__in=pks)
        .values("aanvraag_id", "jaar")
        .annotate(som=Sum("bedrag"))
        .order_by()
    ):
        betaald[rij["aanvraag_id"]][rij["jaar"]] = rij["som"]
    uitkomst = {}
    for aanvraag in aanvragen:
        toegekend: dict[int, Decimal] = {}
        if aanvraag.pk in herzien:
            toegekend = herzien[aanvraag.pk].bedragen_per_jaar
        elif aanvraag.pk in beslissingen and is_toegekend(aanvraag):
            toegekend = beslissingen[aanvraag.pk].bedragen_per_jaar
        eigen = betaald.get(aanvraag.pk, {})
        jaren = sorted(set(aanvraag.oproep.jaren) | set(toegekend) | set(eigen))
        uitkomst[aanvraag.pk] = [
            Jaarstand(jaar=j, toegekend=toegekend.get(j, NUL), betaald=eigen.get(j, NUL))
            for j in jaren
        ]
    return uitkomst


@dataclass(frozen=True)
class Betaald:
    """What the ledger of one aanvraag says was paid for one year: payments less corrections
    and repayments, and the date of the year's last payment."""

    bedrag: Decimal
    laatste_betaling: datetime.date


def betaald_in_oproep(oproep: Oproep) -> dict[tuple[int, int], Betaald]:
    """(aanvraag pk, year) -> what was paid, for every year of every ledger of the call in
    which more was paid than taken back (a year whose payments were all corrected or repaid
    is left out), in one query: for the open data."""
    return {
        (rij["aanvraag_id"], rij["jaar"]): Betaald(rij["som"], rij["laatste"])
        for rij in Boeking.objects.filter(aanvraag__oproep=oproep)
        .values("aanvraag_id", "jaar")
        .annotate(som=Sum("bedrag"), laatste=Max("datum", filter=Q(soort=Boekingssoort.BETALING)))
        .order_by()
        if rij["som"] > 0 and rij["laatste"] is not None
    }


@dataclass
class Opvolgstand:
    """One year's opvolgmoment as the uitvoering page lists it: its due date (a setting of the
    call), the moment itself once someone started it, and whether it is late."""

    termijn: Opvolgtermijn
    moment: Opvolgmoment | None
    vandaag: datetime.date

    @property
    def jaar(self) -> int:
        return self.termijn.jaar

    @property
    def status_label(self) -> str:
        if self.moment is None:
            return str(Opvolgstatus.IN_OPMAAK.label)
        return self.moment.get_status_display()

    @property
    def te_laat(self) -> bool:
        ingediend = self.moment is not None and self.moment.status in (
            Opvolgstatus.INGEDIEND,
            Opvolgstatus.AANVAARD,
        )
        return not ingediend and self.vandaag > self.termijn.uiterlijk


def opvolgstanden(aanvraag: Aanvraag, *, vandaag: datetime.date | None = None) -> list[Opvolgstand]:
    """Every year for which the call sets an opvolgmoment, with its state."""
    vandaag = vandaag or timezone.localdate()
    momenten = {m.jaar: m for m in aanvraag.opvolgmomenten.all()}
    return [
        Opvolgstand(termijn=t, moment=momenten.get(t.jaar), vandaag=vandaag)
        for t in Opvolgtermijn.objects.filter(oproep_id=aanvraag.oproep_id).order_by("jaar")
    ]


def _euro(bedrag: Decimal) -> str:
    return f"EUR {format_euro(bedrag)}"


def tijdlijn(boek: Grootboek, voorafgaand: list[Gebeurtenis]) -> list[Gebeurtenis]:
    """The aanvraag's timeline up to the decision, then every row of the ledger, every later
    decision, every amount to recover, and every closing and reopening of the dossier, by time."""
    items = list(voorafgaand)
    for b in boek.boekingen:
        items.append(
            Gebeurtenis(
                b.geboekt_op,
                "boeking",
                _("%(soort)s voor %(jaar)s: %(bedrag)s")
                % {"soort": b.get_soort_display(), "jaar": b.jaar, "bedrag": _euro(b.bedrag)},
                _("Datum %(datum)s, referentie %(ref)s.")
                % {"datum": b.datum.strftime("%d/%m/%Y"), "ref": b.referentie},
                b.geboekt_door,
            )
        )
    for h in boek.herbeslissingen:
        items.append(
            Gebeurtenis(
                h.op,
                "herbeslissing",
                _("Nieuwe beslissing over de bedragen: %(totaal)s in totaal")
                % {"totaal": _euro(h.totaal)},
                h.motivatie,
                h.door,
            )
        )
    for w in Opvolgwijziging.objects.filter(opvolgmoment__aanvraag=boek.aanvraag).select_related(
        "opvolgmoment", "door"
    ):
        items.append(
            Gebeurtenis(
                w.op,
                "opvolgmoment",
                _("Opvolgmoment %(jaar)s: %(naar)s")
                % {"jaar": w.opvolgmoment.jaar, "naar": w.get_naar_display()},
                w.reden,
                w.door,
            )
        )
    for s in Planwijzigingstap.objects.filter(planwijziging__aanvraag=boek.aanvraag).select_related(
        "planwijziging", "door"
    ):
        items.append(
            Gebeurtenis(
                s.op,
                "planwijziging",
                _("Wijziging %(nummer)s van het plan: %(naar)s")
                % {"nummer": s.planwijziging.nummer, "naar": s.get_naar_display()},
                s.reden,
                s.door,
                url=reverse(
                    "planwijziging_detail", args=[boek.aanvraag.pk, s.planwijziging.nummer]
                ),
                link=_("Naar wijziging %(nummer)s") % {"nummer": s.planwijziging.nummer},
            )
        )
    for t in boek.terugvorderingen:
        items.append(
            Gebeurtenis(
                t.op,
                "terugvordering",
                _("Terug te vorderen voor %(jaar)s: %(bedrag)s")
                % {"jaar": t.jaar, "bedrag": _euro(t.bedrag)},
                t.reden,
            )
        )
    for afsluiting in Afsluiting.objects.filter(aanvraag=boek.aanvraag).select_related(
        "afgesloten_door", "heropend_door"
    ):
        items.append(
            Gebeurtenis(
                afsluiting.afgesloten_op,
                "afsluiting",
                _("Dossier afgesloten"),
                "",
                afsluiting.afgesloten_door,
            )
        )
        if afsluiting.heropend_op is not None:
            items.append(
                Gebeurtenis(
                    afsluiting.heropend_op,
                    "heropening",
                    _("Dossier heropend"),
                    afsluiting.heropen_reden,
                    afsluiting.heropend_door,
                )
            )
    return sorted(items, key=lambda g: g.op)


@dataclass(frozen=True)
class Jaarbetalingen:
    """One year of a call: its budget, what is granted now over all aanvragen, what was paid."""

    jaar: int
    budget: Decimal
    toegekend: Decimal
    betaald: Decimal

    @property
    def nog_te_betalen(self) -> Decimal:
        return self.toegekend - self.betaald

    @property
    def niet_toegekend(self) -> Decimal:
        return self.budget - self.toegekend


@dataclass
class Oproepbetalingen:
    """Granted and paid per year over every granted aanvraag of a call, against its budget."""

    oproep: Oproep
    jaren: list[Jaarbetalingen]

    def _som(self, naam: str) -> Decimal:
        return sum((getattr(j, naam) for j in self.jaren), NUL)

    @property
    def budget(self) -> Decimal:
        return self._som("budget")

    @property
    def toegekend(self) -> Decimal:
        return self._som("toegekend")

    @property
    def betaald(self) -> Decimal:
        return self._som("betaald")

    @property
    def nog_te_betalen(self) -> Decimal:
        return self._som("nog_te_betalen")


def oproep_betalingen(oproep: Oproep) -> Oproepbetalingen:
    """In three queries, whatever the number of aanvragen."""
    toegekend: dict[int, Decimal] = defaultdict(Decimal)
    herzien = herzien_in_oproep(oproep)
    for beslissing in Beslissing.objects.filter(
        aanvraag__oproep=oproep, aanvraag__status=AanvraagStatus.GOEDGEKEURD
    ):
        bron = herzien.get(beslissing.aanvraag_id, beslissing)
        for jaar, bedrag in bron.bedragen_per_jaar.items():
            toegekend[jaar] += bedrag
    betaald = {
        rij["jaar"]: rij["som"]
        for rij in Boeking.objects.filter(aanvraag__oproep=oproep)
        .values("jaar")
        .annotate(som=Sum("bedrag"))
        .order_by()
    }
    return Oproepbetalingen(
        oproep=oproep,
        jaren=[
            Jaarbetalingen(j, oproep.jaarbudget, toegekend.get(j, NUL), betaald.get(j, NUL))
            for j in oproep.jaren
        ],
    )


def boekingen_van_oproep(oproep: Oproep) -> list[Boeking]:
    """Every row of every ledger of the call, for the finance export."""
    return list(
        Boeking.objects.filter(aanvraag__oproep=oproep)
        .select_related("aanvraag__regieverband__trekker", "geboekt_door", "schijf")
        .order_by("aanvraag__regieverband__naam", "jaar", "datum", "geboekt_op", "pk")
    )
