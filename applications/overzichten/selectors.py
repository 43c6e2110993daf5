"""WSE's overviews of a call: the coverage of Flanders and the budget, and the rows of the exports.

Each overview is computed in a fixed number of queries, however many besturen and aanvragen.
Membership counts on the call's peildatum (the first day of its period), as everywhere else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from applications.aanvragen.models import Aanvraag, Actie
from applications.aanvragen.oproepleden import leden_van_oproep
from applications.aanvragen.selectors import AanvraagMetLeden
from applications.aanvragen.statuses import COMPETING_STATUSES, OUT_OF_RACE_STATUSES, AanvraagStatus
from applications.accounts.models import User
from applications.beoordeling.models import Beoordeling
from applications.beoordeling.permissions import can_see_as_wse
from applications.besturen.constants import Provincie
from applications.besturen.models import LokaalBestuur
from applications.besturen.selectors import NUL, inwoners_per_bestuur, werkloosheid_per_bestuur
from applications.oproepen.models import Oproep
from applications.oproepen.subsidie import (
    Indicatie,
    Kandidaat,
    Lid,
    Toewijzing,
    indicatie,
    is_formule_gekend,
    verdeel_2020,
)

INGEDIEND_FILTER = "ingediend_of_later"


ALLE = "alle"


def telt_mee(aanvraag: Aanvraag, status: str) -> bool:
    """Whether an aanvraag counts under a status filter: "" every aanvraag still in the race
    (drafts too, not withdrawn or refused ones), "ingediend_of_later" the submitted ones,
    "alle" every aanvraag, or one status."""
    if status == ALLE:
        return True
    if status == INGEDIEND_FILTER:
        return aanvraag.status in COMPETING_STATUSES
    if status:
        return aanvraag.status == status
    return aanvraag.status not in OUT_OF_RACE_STATUSES


def _aanvragen(oproep: Oproep) -> list[AanvraagMetLeden]:
    """Every aanvraag of the call with its members on the call's peildatum (those kept per
    reference version, `leden_van_oproep`)."""
    stand = leden_van_oproep(oproep)
    return [
        AanvraagMetLeden(aanvraag, stand.leden(aanvraag.regieverband_id))
        for aanvraag in Aanvraag.objects.filter(oproep=oproep)
        .select_related("regieverband", "oproep", "behandelaar", "beslissing")
        .order_by("regieverband__naam")
    ]


@dataclass
class DekkingFilters:
    provincie: str = ""
    status: str = ""  # which aanvragen cover: see `telt_mee`
    toon: str = ""  # "niet_gedekt", "overlap" or "" (every gemeente)


@dataclass
class Gemeente:
    """One gemeente of the call's territory and the aanvragen whose verband covers it."""

    bestuur: LokaalBestuur
    inwoners: int | None
    aanvragen: list[Aanvraag] = field(default_factory=list)
    provincie: str = ""  # the province's name, translated once per page rather than per row

    @property
    def gedekt(self) -> bool:
        return bool(self.aanvragen)

    @property
    def overlap(self) -> bool:
        return len(self.aanvragen) > 1


@dataclass
class Samenvatting:
    """Coverage counts for one province or for all of Flanders."""

    naam: str
    gemeenten: int = 0
    gedekt: int = 0
    inwoners: int = 0  # of the gemeenten whose population is known
    inwoners_gedekt: int = 0
    onbekend: int = 0  # gemeenten whose population is not known

    def tel(self, gemeente: Gemeente) -> None:
        self.gemeenten += 1
        self.gedekt += gemeente.gedekt
        if gemeente.inwoners is None:
            self.onbekend += 1
        else:
            self.inwoners += gemeente.inwoners
            self.inwoners_gedekt += gemeente.inwoners if gemeente.gedekt else 0

    @property
    def pct_gemeenten(self) -> int:
        """Rounded down: "100 %" only when every gemeente is covered."""
        return 100 * self.gedekt // self.gemeenten if self.gemeenten else 0

    @property
    def balk(self) -> int:
        """The covered share as the width of a chart bar of 230 units, rounded down."""
        return 230 * self.gedekt // self.gemeenten if self.gemeenten else 0

    @property
    def pct_inwoners(self) -> int | None:
        """The share of inhabitants covered among the gemeenten whose population is known
        (`onbekend` says how many are not); None when no figure is known."""
        return 100 * self.inwoners_gedekt // self.inwoners if self.inwoners else None


@dataclass
class Dekking:
    oproep: Oproep
    gemeenten: list[Gemeente]  # after the filters
    provincies: list[Samenvatting]
    vlaanderen: Samenvatting
    overlappen: int

    @property
    def niet_gedekt(self) -> int:
        return self.vlaanderen.gemeenten - self.vlaanderen.gedekt


def dekking(oproep: Oproep, filters: DekkingFilters | None = None) -> Dekking:
    """Each gemeente valid on the call's peildatum with the aanvragen that cover it.

    The summaries count the whole territory (only the status filter changes what covers);
    the province and "toon" filters narrow the list of gemeenten.
    """
    filters = filters or DekkingFilters()
    dag = oproep.peildatum
    per_bestuur: dict[int, list[Aanvraag]] = defaultdict(list)
    for rij in _aanvragen(oproep):
        if telt_mee(rij.aanvraag, filters.status):
            for bestuur in rij.leden:
                per_bestuur[bestuur.pk].append(rij.aanvraag)
    besturen = [
        b
        for b in LokaalBestuur.objects.select_related("opvolger").order_by("naam")
        if b.is_geldig_op(dag)
    ]
    inwoners = inwoners_per_bestuur((b.pk for b in besturen), jaar=oproep.eerste_jaar)
    namen = {code: str(label) for code, label in Provincie.choices}
    alle = [
        Gemeente(b, inwoners.get(b.pk), per_bestuur.get(b.pk, []), namen.get(b.provincie, ""))
        for b in besturen
    ]
    provincies = {code: Samenvatting(naam) for code, naam in namen.items()}
    vlaanderen = Samenvatting(_("Vlaanderen"))
    for gemeente in alle:
        provincies[gemeente.bestuur.provincie].tel(gemeente)
        vlaanderen.tel(gemeente)
    getoond = [
        g
        for g in alle
        if (not filters.provincie or g.bestuur.provincie == filters.provincie)
        and (filters.toon != "niet_gedekt" or not g.gedekt)
        and (filters.toon != "overlap" or g.overlap)
    ]
    return Dekking(
        oproep=oproep,
        gemeenten=getoond,
        provincies=list(provincies.values()),
        vlaanderen=vlaanderen,
        overlappen=sum(g.overlap for g in alle),
    )


@dataclass
class BudgetRij:
    """One aanvraag's amounts per year: asked (its actions), proposed by the lead reviewer,
    granted by the decision, and the indicative yearly amount of the call's formula."""

    aanvraag: Aanvraag
    leden: list[LokaalBestuur]  # on the call's peildatum
    inwoners: int | None
    met_centrumstad: bool
    gevraagd: dict[int, Decimal]
    voorgesteld: dict[int, Decimal] | None
    toegekend: dict[int, Decimal] | None
    indicatie: Indicatie | None
    toewijzing: Toewijzing | None = None
    eigen: bool = False  # the viewer is a regisseur of this verband: no review data shown

    @property
    def gevraagd_totaal(self) -> Decimal:
        return sum(self.gevraagd.values(), NUL)

    @property
    def regels(self) -> list[tuple[str, list[Decimal | None], Decimal | None]]:
        """The three kinds of amount as table lines: label, one amount per year, total."""
        jaren = list(self.gevraagd)
        regels: list[tuple[str, list[Decimal | None], Decimal | None]] = []
        for label, bedragen in (
            (_("Gevraagd"), self.gevraagd),
            (_("Voorgesteld"), self.voorgesteld),
            (_("Toegekend"), self.toegekend),
        ):
            if bedragen is None:
                regels.append((label, [None for _j in jaren], None))
            else:
                per_jaar = [bedragen.get(j, NUL) for j in jaren]
                regels.append((label, list(per_jaar), sum(per_jaar, NUL)))
        return regels


@dataclass
class Balk:
    """One bar of the budget chart, as a share of the chart's scale."""

    soort: str  # gevraagd, voorgesteld, toegekend or indicatief
    label: str
    bedrag: Decimal
    pct: float


@dataclass
class JaarTotaal:
    jaar: int
    gevraagd: Decimal
    voorgesteld: Decimal
    toegekend: Decimal
    indicatief: Decimal | None
    budget: Decimal
    balken: list[Balk] = field(default_factory=list)
    budget_pct: float = 0.0

    @property
    def budget_x(self) -> float:
        """Where the budget line stands in the chart: bars start at 100 and span 280 units."""
        return round(100 + 2.8 * self.budget_pct, 1)

    @property
    def rest(self) -> Decimal:
        """What is left of the year's budget after what was granted."""
        return self.budget - self.toegekend


@dataclass
class Budget:
    oproep: Oproep
    rijen: list[BudgetRij]
    jaren: list[JaarTotaal]
    formule_gekend: bool
    tekort: bool  # the budget may not cover every indicative amount: the order of priority applies

    def totaal(self, soort: str) -> Decimal:
        return sum((getattr(j, soort) or NUL for j in self.jaren), NUL)

    @property
    def gevraagd(self) -> Decimal:
        return self.totaal("gevraagd")

    @property
    def voorgesteld(self) -> Decimal:
        return self.totaal("voorgesteld")

    @property
    def toegekend(self) -> Decimal:
        return self.totaal("toegekend")

    @property
    def indicatief(self) -> Decimal | None:
        return self.totaal("indicatief") if self.formule_gekend else None


def budget(oproep: Oproep, *, status: str = "", voor: User | None = None) -> Budget:
    """The budget of a call: per aanvraag and per year, with totals against the yearly budget.

    The order of priority always shares the budget over every competing aanvraag; the status
    filter (see `telt_mee`) only chooses the rows shown and totalled. For a viewer who is also a
    regisseur of a verband, that verband's row leaves out WSE's review (as the review pages do).
    """
    met_leden = _aanvragen(oproep)
    aanvragen = [rij.aanvraag for rij in met_leden]
    bestuur_ids = {b.pk for rij in met_leden for b in rij.leden}
    inwoners = inwoners_per_bestuur(bestuur_ids, jaar=oproep.eerste_jaar)
    werkloosheid = werkloosheid_per_bestuur(bestuur_ids, jaar=oproep.eerste_jaar)
    gevraagd: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for aanvraag_id, jaar, som in (
        Actie.objects.filter(aanvraag__in=aanvragen)
        .values("aanvraag_id", "jaar")
        .annotate(som=Sum("budget"))
        .values_list("aanvraag_id", "jaar", "som")
    ):
        gevraagd[aanvraag_id][jaar] = som
    behandelaars = {a.pk: a.behandelaar_id for a in aanvragen}
    voorstellen = {  # the proposal of the lead reviewer (dossierbehandelaar)
        b.aanvraag_id: b.bedragen_per_jaar
        for b in Beoordeling.objects.filter(aanvraag__in=aanvragen)
        if behandelaars[b.aanvraag_id] == b.beoordelaar_id
    }
    rijen = []
    for aanvraag, leden in ((rij.aanvraag, rij.leden) for rij in met_leden):
        bekend = [inwoners.get(b.pk) for b in leden]
        beslissing = getattr(aanvraag, "beslissing", None)
        toegekend = (
            beslissing.bedragen_per_jaar
            if beslissing and beslissing.uitkomst == AanvraagStatus.GOEDGEKEURD
            else None
        )
        rijen.append(
            BudgetRij(
                aanvraag=aanvraag,
                leden=leden,
                inwoners=sum(n or 0 for n in bekend) if leden and None not in bekend else None,
                met_centrumstad=any(b.is_centrumstad for b in leden),
                gevraagd={jaar: gevraagd[aanvraag.pk].get(jaar, NUL) for jaar in oproep.jaren},
                voorgesteld=voorstellen.get(aanvraag.pk),
                toegekend=toegekend,
                indicatie=indicatie(
                    oproep.subsidieformule,
                    [Lid(b.naam, inwoners.get(b.pk), b.is_centrumstad) for b in leden],
                    min_inwoners=oproep.min_inwoners,
                ),
            )
        )
    formule_gekend = is_formule_gekend(oproep.subsidieformule)
    tekort = _verdeel(oproep, rijen, werkloosheid) if formule_gekend else False
    for rij in rijen:
        if voor is not None and not can_see_as_wse(voor, rij.aanvraag):
            rij.eigen, rij.voorgesteld = True, None
    getoond = [r for r in rijen if telt_mee(r.aanvraag, status)]
    return Budget(
        oproep, getoond, _jaartotalen(oproep, getoond, formule_gekend), formule_gekend, tekort
    )


def _verdeel(oproep: Oproep, rijen: list[BudgetRij], werkloosheid: dict[int, Decimal]) -> bool:
    """Apply the order of priority to every competing aanvraag (submitted, not refused).

    The indicative amount is yearly and so is the budget: one sharing holds for every year. The
    members' average unemployment rate is a plain mean of their rates. Returns whether the
    budget may fall short (then the order of priority decides).
    """
    kandidaten = []
    for rij in rijen:
        if rij.aanvraag.status not in COMPETING_STATUSES or rij.indicatie is None:
            continue  # not competing, or the call's formula is unknown
        graden = [werkloosheid.get(b.pk) for b in rij.leden]
        gemiddeld = (
            sum((g for g in graden if g is not None), NUL) / len(graden)
            if graden and None not in graden
            else None
        )
        kandidaten.append(
            Kandidaat(rij.aanvraag.pk, rij.indicatie.bedrag, rij.met_centrumstad, gemiddeld)
        )
    verdeling = verdeel_2020(kandidaten, oproep.jaarbudget)
    for rij in rijen:
        rij.toewijzing = verdeling.toewijzingen.get(rij.aanvraag.pk)
    return verdeling.tekort


def _jaartotalen(oproep: Oproep, rijen: list[BudgetRij], formule_gekend: bool) -> list[JaarTotaal]:
    jaren = []
    for jaar in oproep.jaren:
        jaren.append(
            JaarTotaal(
                jaar=jaar,
                gevraagd=sum((r.gevraagd.get(jaar, NUL) for r in rijen), NUL),
                voorgesteld=sum(
                    (r.voorgesteld.get(jaar, NUL) for r in rijen if r.voorgesteld), NUL
                ),
                toegekend=sum((r.toegekend.get(jaar, NUL) for r in rijen if r.toegekend), NUL),
                indicatief=sum(
                    (
                        r.indicatie.bedrag
                        for r in rijen
                        if r.indicatie
                        and r.indicatie.bedrag
                        and r.aanvraag.status in COMPETING_STATUSES
                    ),
                    NUL,
                )
                if formule_gekend
                else None,
                budget=oproep.jaarbudget,
            )
        )
    schaal = max(
        [oproep.jaarbudget, *(max(j.gevraagd, j.voorgesteld, j.toegekend) for j in jaren)]
        + [j.indicatief for j in jaren if j.indicatief is not None]
    )
    for j in jaren:
        j.budget_pct = _pct(j.budget, schaal)
        soorten = [
            ("gevraagd", _("Gevraagd"), j.gevraagd),
            ("voorgesteld", _("Voorgesteld"), j.voorgesteld),
            ("toegekend", _("Toegekend"), j.toegekend),
        ]
        if j.indicatief is not None:
            soorten.append(("indicatief", _("Indicatief"), j.indicatief))
        j.balken = [
            Balk(soort, label, bedrag, _pct(bedrag, schaal)) for soort, label, bedrag in soorten
        ]
    return jaren


def _pct(bedrag: Decimal, schaal: Decimal) -> float:
    return round(float(100 * bedrag / schaal), 2) if schaal else 0.0
