"""WSE's overview of the follow-up of one call: for each granted aanvraag and each year that
has a due date, where its opvolgmoment stands (`Opvolgstaat`), filtered by year, state and
verband, 50 a page. In a fixed number of queries however many aanvragen: the due dates, the
count, the page, and the opvolgmomenten of the page's aanvragen."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.oproepen.models import Oproep
from applications.uitvoering.constants import (
    OPVOLGOVERZICHT_PER_PAGINA,
    Opvolgstaat,
    Opvolgstatus,
)
from applications.uitvoering.models import Opvolgmoment, Opvolgtermijn
from applications.uitvoering.opvolging import open_vanaf

# A submitted opvolgmoment, and one WSE accepted: neither is open or late any more.
_BINNEN = (Opvolgstatus.INGEDIEND, Opvolgstatus.AANVAARD)


def opvolgstaat(
    termijn: Opvolgtermijn, moment: Opvolgmoment | None, vandaag: datetime.date
) -> Opvolgstaat:
    """The rule, in one place: accepted, submitted; else late after the due date, open once the
    year is over, and not yet due before that. Sent back for more ("meer gevraagd") is open
    again (or late)."""
    if moment is not None and moment.status == Opvolgstatus.AANVAARD:
        return Opvolgstaat.AANVAARD
    if moment is not None and moment.status == Opvolgstatus.INGEDIEND:
        return Opvolgstaat.INGEDIEND
    if vandaag > termijn.uiterlijk:
        return Opvolgstaat.TE_LAAT
    if vandaag >= open_vanaf(termijn.jaar):
        return Opvolgstaat.OPEN
    return Opvolgstaat.NIET_AAN_DE_BEURT


def _staat_q(termijn: Opvolgtermijn, staat: str, vandaag: datetime.date) -> Q:
    """The aanvragen whose opvolgmoment of the termijn's year is in `staat`, as a filter (the
    same rule as `opvolgstaat`, for the database)."""
    van_jaar = Opvolgmoment.objects.filter(aanvraag=OuterRef("pk"), jaar=termijn.jaar)
    if staat == Opvolgstaat.AANVAARD:
        return Q(Exists(van_jaar.filter(status=Opvolgstatus.AANVAARD)))
    if staat == Opvolgstaat.INGEDIEND:
        return Q(Exists(van_jaar.filter(status=Opvolgstatus.INGEDIEND)))
    nog_niet_binnen = ~Q(Exists(van_jaar.filter(status__in=_BINNEN)))
    if staat == Opvolgstaat.TE_LAAT:
        return nog_niet_binnen if vandaag > termijn.uiterlijk else Q(pk__in=[])
    if staat == Opvolgstaat.OPEN:
        geopend = open_vanaf(termijn.jaar) <= vandaag <= termijn.uiterlijk
        return nog_niet_binnen if geopend else Q(pk__in=[])
    # Not yet due: the year is not over, whatever was saved. (Not `Q()`: an empty Q drops out
    # of the OR over the years instead of matching everything.)
    return Q(pk__isnull=False) if vandaag < open_vanaf(termijn.jaar) else Q(pk__in=[])


@dataclass(frozen=True)
class Opvolgfilters:
    jaar: int | None = None
    staat: str = ""
    zoek: str = ""


@dataclass(frozen=True)
class Opvolgcel:
    termijn: Opvolgtermijn
    staat: Opvolgstaat

    @property
    def jaar(self) -> int:
        return self.termijn.jaar


@dataclass(frozen=True)
class Opvolgrij:
    aanvraag: Aanvraag
    cellen: list[Opvolgcel]


@dataclass(frozen=True)
class Opvolgoverzicht:
    termijnen: list[Opvolgtermijn]
    rijen: list[Opvolgrij]
    pagina: Page[Any]


def opvolgoverzicht(
    oproep: Oproep,
    filters: Opvolgfilters,
    *,
    vandaag: datetime.date,
    pagina: str | int = 1,
    per_pagina: int = OPVOLGOVERZICHT_PER_PAGINA,
) -> Opvolgoverzicht:
    """One page of the call's granted aanvragen with the state of each year's opvolgmoment.
    A state without a year matches an aanvraag with that state in any year."""
    termijnen = list(Opvolgtermijn.objects.filter(oproep=oproep).order_by("jaar"))
    qs = (
        Aanvraag.objects.filter(oproep=oproep, status=AanvraagStatus.GOEDGEKEURD)
        .select_related("regieverband", "oproep")
        .order_by("regieverband__naam", "pk")
    )
    zoek = filters.zoek.strip()
    if zoek:
        qs = qs.filter(regieverband__naam__icontains=zoek)
    gekozen = [t for t in termijnen if filters.jaar in (None, t.jaar)]
    if filters.staat:
        voorwaarde = Q(pk__in=[])
        for termijn in gekozen:
            voorwaarde |= _staat_q(termijn, filters.staat, vandaag)
        qs = qs.filter(voorwaarde)
    page = Paginator(qs, per_pagina).get_page(pagina)
    aanvragen = list(page.object_list)
    momenten = {
        (m.aanvraag_id, m.jaar): m
        for m in Opvolgmoment.objects.filter(aanvraag__in=[a.pk for a in aanvragen])
    }
    rijen = [
        Opvolgrij(
            aanvraag=a,
            cellen=[
                Opvolgcel(t, opvolgstaat(t, momenten.get((a.pk, t.jaar)), vandaag))
                for t in termijnen
            ],
        )
        for a in aanvragen
    ]
    return Opvolgoverzicht(termijnen=termijnen, rijen=rijen, pagina=page)
