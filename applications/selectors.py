"""Reads: the querysets that pages use, with the joins that keep their query counts constant."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from .constants import OproepStatus
from .models import (
    Aanvraag,
    Actie,
    Beleidsprioriteit,
    Indiening,
    Lidmaatschap,
    LokaalBestuur,
    Oproep,
    Regieverband,
    User,
)
from .permissions import is_wse


def regieverband_list_for_user(*, user: User) -> QuerySet[Regieverband]:
    """The verbanden a user may see: all for WSE, their own for a regisseur, none otherwise."""
    qs = Regieverband.objects.select_related("trekker").annotate(
        aantal_leden=Count("lidmaatschappen", filter=Q(lidmaatschappen__tot__isnull=True))
    )
    if is_wse(user):
        return qs
    if user.is_regisseur:
        return qs.filter(regisseurs=user)
    return qs.none()


def aanvraag_list_for_user(*, user: User) -> QuerySet[Aanvraag]:
    """The aanvragen a user may see, with verband and call joined."""
    qs = Aanvraag.objects.select_related("regieverband", "oproep")
    if is_wse(user):
        return qs
    if user.is_regisseur:
        return qs.filter(regieverband__regisseurs=user)
    return qs.none()


def open_oproepen() -> QuerySet[Oproep]:
    return Oproep.objects.filter(status=OproepStatus.OPEN).order_by("deadline")


def leden_op(regieverband: Regieverband, dag: datetime.date) -> list[LokaalBestuur]:
    """The besturen that are members of a verband on a given day, by name."""
    lidmaatschappen = (
        Lidmaatschap.objects.filter(regieverband=regieverband)
        .actief_op(dag)
        .select_related("bestuur")
        .order_by("bestuur__naam")
    )
    return [lid.bestuur for lid in lidmaatschappen]


def regieverband_detail(*, pk: int) -> Regieverband:
    return (
        Regieverband.objects.select_related("trekker")
        .prefetch_related(
            Prefetch(
                "lidmaatschappen",
                queryset=Lidmaatschap.objects.select_related("bestuur").order_by("bestuur__naam"),
            )
        )
        .get(pk=pk)
    )


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
    """The sealed version whose PDF has exactly this SHA-256, if any."""
    return (
        Indiening.objects.select_related(
            "aanvraag__regieverband", "aanvraag__oproep", "ingediend_door"
        )
        .filter(pdf_sha256=sha256)
        .first()
    )
