"""Reads of aanvragen: the ones a user sees, the meerjarenplan grid, the budget totals, the
members on the call's peildatum, the calls with submissions and the default call."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
)

from applications.aanvragen.models import (
    Aanvraag,
    Actie,
    Indiening,
    Verlenging,
)
from applications.aanvragen.statuses import SUBMITTED_STATUSES, AanvraagStatus
from applications.accounts.models import User
from applications.accounts.permissions import is_wse
from applications.besturen.models import LokaalBestuur
from applications.besturen.selectors import (
    inwoners_per_bestuur,
    leden_op,
    leden_per_verband,
)
from applications.oproepen.models import Beleidsprioriteit, Oproep


def leden_van_aanvraag(aanvraag: Aanvraag) -> list[LokaalBestuur]:
    """The members of the aanvraag's verband as of its call (the first day of the period)."""
    return leden_op(aanvraag.regieverband, aanvraag.oproep.peildatum)


def bevolking_van(besturen: list[LokaalBestuur], *, jaar: int) -> tuple[int, list[LokaalBestuur]]:
    """The summed latest known population (reference year up to `jaar`) and who is unknown."""
    latest = inwoners_per_bestuur((b.pk for b in besturen), jaar=jaar)
    onbekend = [b for b in besturen if b.pk not in latest]
    return sum(latest.values()), onbekend


def begroting(aanvraag: Aanvraag) -> dict[str, Any]:
    """Budget totals per year and per priority, computed from the actions, never typed."""
    oproep = aanvraag.oproep
    prioriteiten = list(oproep.prioriteiten.all())
    per_cel: dict[tuple[int, int], Decimal] = {}
    for prioriteit_id, jaar, budget in aanvraag.acties.values_list(
        "prioriteit_id", "jaar", "budget"
    ):
        per_cel[(prioriteit_id, jaar)] = per_cel.get((prioriteit_id, jaar), Decimal(0)) + budget
    rows = []
    for p in prioriteiten:
        cells = [per_cel.get((p.pk, jaar), Decimal(0)) for jaar in oproep.jaren]
        rows.append({"prioriteit": p, "cells": cells, "total": sum(cells, Decimal(0))})
    per_jaar = [
        sum((per_cel.get((p.pk, jaar), Decimal(0)) for p in prioriteiten), Decimal(0))
        for jaar in oproep.jaren
    ]
    return {
        "jaren": oproep.jaren,
        "rows": rows,
        "per_jaar": per_jaar,
        "total": sum(per_jaar, Decimal(0)),
    }


def aanvraag_list_for_user(*, user: User) -> QuerySet[Aanvraag]:
    """The aanvragen a user may see, with verband and call joined."""
    qs = Aanvraag.objects.select_related("regieverband", "oproep")
    if is_wse(user):
        return qs
    if user.is_regisseur:
        return qs.filter(regieverband__regisseurs=user)
    return qs.none()


@dataclass
class Cel:
    """One cell of the meerjarenplan matrix: the actions of one priority in one year."""

    prioriteit: Beleidsprioriteit
    jaar: int
    acties: list[Actie]
    minimum: int

    @property
    def is_empty(self) -> bool:
        return len(self.acties) < self.minimum

    @property
    def total(self) -> Decimal:
        return sum((a.budget for a in self.acties), Decimal(0))


@dataclass
class Meerjarenplan:
    """The structured plan of an aanvraag: the call's priorities (rows) by its years (columns).

    Derived from the actions on every read, so it can never disagree with them.
    """

    jaren: list[int]
    rows: list[tuple[Beleidsprioriteit, list[Cel]]]

    @property
    def aantal_acties(self) -> int:
        return sum(len(c.acties) for _p, cells in self.rows for c in cells)

    @property
    def lege_cellen(self) -> int:
        return sum(c.is_empty for _p, cells in self.rows for c in cells)


def meerjarenplan(aanvraag: Aanvraag) -> Meerjarenplan:
    """Two queries whatever the number of actions: the priorities and the actions."""
    oproep = aanvraag.oproep
    prioriteiten = list(oproep.prioriteiten.all())
    by_cell: dict[tuple[int, int], list[Actie]] = {}
    for actie in aanvraag.acties.order_by("volgorde", "pk"):
        by_cell.setdefault((actie.prioriteit_id, actie.jaar), []).append(actie)
    minimum = oproep.min_acties_per_prioriteit_per_jaar
    rows = [
        (
            p,
            [Cel(p, jaar, by_cell.get((p.pk, jaar), []), minimum) for jaar in oproep.jaren],
        )
        for p in prioriteiten
    ]
    return Meerjarenplan(jaren=oproep.jaren, rows=rows)


def indiening_by_sha256(sha256: str) -> Indiening | None:
    """The sealed version whose PDF, or whose snapshot of the submitted content, has exactly this
    SHA-256, if any (a PDF first)."""
    return (
        Indiening.objects.select_related(
            "aanvraag__regieverband", "aanvraag__oproep", "ingediend_door"
        )
        .filter(Q(pdf_sha256=sha256) | Q(inhoud_sha256=sha256))
        .order_by(Case(When(pdf_sha256=sha256, then=0), default=1), "pk")
        .first()
    )


@dataclass(frozen=True)
class AanvraagMetLeden:
    """An aanvraag and its verband's members on the call's peildatum, sorted by name."""

    aanvraag: Aanvraag
    leden: list[LokaalBestuur]


def met_leden_op_peildatum(qs: Iterable[Aanvraag], oproep: Oproep) -> list[AanvraagMetLeden]:
    """The aanvragen of `qs` (a queryset or a page of one), in its order, each with its
    verband's members on the call's peildatum (one query more, however many aanvragen)."""
    aanvragen = list(qs)
    per_verband = leden_per_verband({a.regieverband_id for a in aanvragen}, oproep.peildatum)
    return [AanvraagMetLeden(a, per_verband.get(a.regieverband_id, [])) for a in aanvragen]


@dataclass(frozen=True)
class OproepKeuze:
    """A call in a menu of calls, whether it has submitted aanvragen, and how many wait for
    WSE's review (submitted or in behandeling, not yet decided)."""

    oproep: Oproep
    met_indieningen: bool
    wachtend: int = 0


# Waiting for WSE: submitted (again) or being reviewed; not a draft, not sent back, not decided.
WACHTEND_OP_WSE = (AanvraagStatus.INGEDIEND, AanvraagStatus.IN_BEHANDELING)


def oproepen_met_indieningen() -> list[OproepKeuze]:
    """Every call, newest first, each with whether it has submitted aanvragen and how many wait
    for review (one query)."""
    oproepen = Oproep.objects.annotate(
        heeft_indieningen=Exists(
            Aanvraag.objects.filter(oproep=OuterRef("pk"), status__in=SUBMITTED_STATUSES)
        ),
        aantal_wachtend=Count("aanvragen", filter=Q(aanvragen__status__in=WACHTEND_OP_WSE)),
    ).order_by("-eerste_jaar", "-deadline")
    return [OproepKeuze(o, o.heeft_indieningen, o.aantal_wachtend) for o in oproepen]


def meest_wachtende_oproep(oproepen: list[OproepKeuze]) -> Oproep | None:
    """Where review work is: the call with the most aanvragen waiting for review (the newest of
    equals), else `default_oproep`. Review happens after a call closes, so the newest call with
    submissions is often not where the work is."""
    wachtend = [k for k in oproepen if k.wachtend]
    if wachtend:
        return max(wachtend, key=lambda k: k.wachtend).oproep  # max keeps the first (newest)
    return default_oproep(oproepen)


def default_oproep(oproepen: list[OproepKeuze] | None = None) -> Oproep | None:
    """The newest call with submitted aanvragen, else the newest call (of `oproepen` when the
    caller read them already with `oproepen_met_indieningen`)."""
    if oproepen is None:
        oproepen = oproepen_met_indieningen()
    met_indieningen = (k.oproep for k in oproepen if k.met_indieningen)
    return next(met_indieningen, None) or next((k.oproep for k in oproepen), None)


def verlengingen_prefetch() -> Prefetch:
    """The extensions with who granted them: the deadline rule and the timeline both read this
    one list (`deadline.effective_deadline` uses a prefetched list when there is one)."""
    return Prefetch("verlengingen", queryset=Verlenging.objects.select_related("toegekend_door"))
