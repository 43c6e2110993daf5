"""Reads of the beheer pages: the user list with invitations, the list of verbanden and one
verband's members and trekkers over time."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.overlaps import (
    Overlap,
    overlap_aantallen,
    overlaps_van_verband,
)
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.beheer.models import Uitnodiging
from applications.beheer.services import UitnodigingStatus, uitnodiging_status
from applications.besturen.models import (
    Lidmaatschap,
    Regieverband,
    Trekkerwissel,
    lid_op,
)
from applications.besturen.services import datum_tekst, geldende_wissels, trekker_volgens_wissels
from applications.oproepen.models import Oproep


@dataclass(frozen=True)
class OverlapAantal:
    """How many of a verband's besturen are also in another verband of a call."""

    oproep: Oproep
    besturen: int

    @property
    def is_tegen_regel(self) -> bool:
        return self.oproep.een_verband_per_bestuur


@dataclass(frozen=True)
class VerbandRij:
    """One verband in the list of verbanden: its members today, its planned trekker changes and
    per call how many of its besturen overlap (the verband's own page names them)."""

    verband: Regieverband
    aantal_leden: int
    geplande_wissels: list[Trekkerwissel]
    overlaps: list[OverlapAantal]


@dataclass(frozen=True)
class VerbandenPagina:
    """One page of the list of verbanden, found by a search or not."""

    rijen: list[VerbandRij]
    pagina: Page[Any]  # of annotated Regieverbanden
    zoek: str


PER_PAGINA = 50


def verbanden_overzicht(
    *, today: datetime.date, zoek: str = "", pagina: str | int = 1, per_pagina: int = PER_PAGINA
) -> VerbandenPagina:
    """One page of verbanden (by name) with their members today, planned trekker changes and
    overlap counts; `zoek` finds a verband by its name or by a current member's name or NIS code.

    A fixed number of queries, and each reads only the rows of the page: count, page, planned
    changes, the calls with aanvragen, and one count per such call.
    """
    verbanden = Regieverband.objects.select_related("trekker").order_by("naam", "pk")
    zoek = zoek.strip()
    if zoek:
        leden = Lidmaatschap.objects.filter(lid_op(today), regieverband_id=OuterRef("pk"))
        verbanden = verbanden.filter(
            Q(naam__icontains=zoek)
            | Exists(leden.filter(Q(bestuur__naam__icontains=zoek) | Q(bestuur__nis_code=zoek)))
        )
    verbanden = verbanden.annotate(
        aantal_leden=Count("lidmaatschappen", filter=lid_op(today, via="lidmaatschappen__"))
    )
    page = Paginator(verbanden, per_pagina).get_page(pagina)
    op_pagina = list(page.object_list)
    ids = [v.pk for v in op_pagina]
    gepland: dict[int, list[Trekkerwissel]] = {}
    for wissel in (
        Trekkerwissel.objects.filter(vanaf__gt=today, regieverband_id__in=ids)
        .select_related("trekker")
        .order_by("vanaf", "geregistreerd_op")
    ):
        gepland.setdefault(wissel.regieverband_id, []).append(wissel)
    per_verband: dict[int, list[OverlapAantal]] = {}
    oproepen = Oproep.objects.filter(Exists(Aanvraag.objects.filter(oproep=OuterRef("pk"))))
    for oproep in oproepen.order_by("-eerste_jaar", "naam"):
        for verband_id, n in overlap_aantallen(oproep, ids).items():
            per_verband.setdefault(verband_id, []).append(OverlapAantal(oproep, n))
    rijen = [
        VerbandRij(
            verband,
            verband.aantal_leden,
            gepland.get(verband.pk, []),
            per_verband.get(verband.pk, []),
        )
        for verband in op_pagina
    ]
    return VerbandenPagina(rijen, page, zoek)


LOPEND = "lopend"


BEEINDIGD = "beeindigd"


GEPLAND = "gepland"


IN_VOEGE = "in_voege"


VORIGE = "vorige"


VERVANGEN = "vervangen"


@dataclass(frozen=True)
class LidRij:
    """A membership on the beheer page: lopend, beeindigd or gepland, and its overlaps (each
    with the other verbanden)."""

    lid: Lidmaatschap
    status: str
    overlaps: list[tuple[Overlap, list[Regieverband]]]


@dataclass(frozen=True)
class WisselRij:
    """A trekker change on the beheer page: gepland, in_voege, vorige or vervangen."""

    wissel: Trekkerwissel
    status: str


@dataclass
class VerbandBeheer:
    """What the beheer page of one verband shows: members then and now, the trekker's history,
    overlaps and what does not add up."""

    regieverband: Regieverband
    lidmaatschappen: list[LidRij]
    wissels: list[WisselRij]  # newest first
    in_voege: Trekkerwissel | None
    overlaps: list[Overlap]
    waarschuwingen: list[str] = field(default_factory=list)
    toe_te_passen: bool = False  # a change in force today is not yet the verband's trekker

    @property
    def huidige(self) -> list[LidRij]:
        return [rij for rij in self.lidmaatschappen if rij.status == LOPEND]


def _status_van_lid(lid: Lidmaatschap, today: datetime.date) -> str:
    if lid.van > today:
        return GEPLAND
    return LOPEND if lid.is_actief_op(today) else BEEINDIGD


def _status_van_wissel(
    wissel: Trekkerwissel,
    geldend: list[Trekkerwissel],
    in_voege: Trekkerwissel | None,
    today: datetime.date,
) -> str:
    if wissel not in geldend:
        return VERVANGEN
    if wissel.vanaf > today:
        return GEPLAND
    return IN_VOEGE if wissel == in_voege else VORIGE


def verband_beheer(*, regieverband: Regieverband, today: datetime.date) -> VerbandBeheer:
    """Members (current, ended, planned), the trekker's history and the overlaps of one verband."""
    lidmaatschappen = list(
        Lidmaatschap.objects.filter(regieverband=regieverband)
        .select_related("bestuur__opvolger")
        .order_by("bestuur__naam", "bestuur__nis_code", "van")
    )
    overlaps = overlaps_van_verband(regieverband)
    per_lid: dict[int, list[tuple[Overlap, list[Regieverband]]]] = {}
    for overlap in overlaps:
        andere = overlap.andere(regieverband)
        for lid in overlap.lidmaatschappen:
            per_lid.setdefault(lid.pk, []).append((overlap, andere))
    leden = [
        LidRij(lid, _status_van_lid(lid, today), per_lid.get(lid.pk, [])) for lid in lidmaatschappen
    ]

    alle = list(
        Trekkerwissel.objects.filter(regieverband=regieverband).select_related(
            "trekker", "geregistreerd_door"
        )
    )
    geldend = geldende_wissels(alle)
    in_voege = trekker_volgens_wissels(geldend, today)
    alle.sort(key=lambda w: (w.vanaf, w.geregistreerd_op, w.pk), reverse=True)
    wissels = [WisselRij(w, _status_van_wissel(w, geldend, in_voege, today)) for w in alle]

    beheer = VerbandBeheer(regieverband, leden, wissels, in_voege, overlaps)
    if in_voege is not None and in_voege.trekker_id != regieverband.trekker_id:
        beheer.toe_te_passen = True
        beheer.waarschuwingen.append(
            _(
                "Volgens de geschiedenis is %(trekker)s trekker sinds %(dag)s, maar dat is nog "
                "niet toegepast op het regieverband."
            )
            % {
                "trekker": in_voege.trekker or _("de vereniging zelf"),
                "dag": datum_tekst(in_voege.vanaf),
            }
        )
    trekker = regieverband.trekker
    if trekker is not None and not any(rij.lid.bestuur_id == trekker.pk for rij in beheer.huidige):
        beheer.waarschuwingen.append(
            _("De trekker %(trekker)s is vandaag geen lid van dit regieverband.")
            % {"trekker": trekker}
        )
    return beheer


@dataclass(frozen=True)
class GebruikerRij:
    """One line of the beheerders' user list."""

    gebruiker: User
    rollen: list[str]
    verbanden: list[Regieverband]
    uitnodiging: Uitnodiging | None
    status: UitnodigingStatus | None

    @property
    def kan_uitnodigen(self) -> bool:
        """A new link makes sense for an active account without a password."""
        return self.gebruiker.is_active and not self.gebruiker.has_usable_password()


def gebruikers_overzicht(*, now: datetime.datetime | None = None) -> list[GebruikerRij]:
    """Every account with roles, verbanden, the state of its newest invitation and of that
    invitation's e-mail (4 queries)."""
    now = now or timezone.now()
    gebruikers = User.objects.order_by("email").prefetch_related(
        Prefetch("groups", queryset=Group.objects.order_by("name")),
        Prefetch("regieverbanden", queryset=Regieverband.objects.order_by("naam")),
        Prefetch(
            "uitnodigingen", queryset=Uitnodiging.objects.select_related("bericht").order_by("-pk")
        ),
    )
    rijen = []
    for gebruiker in gebruikers:
        uitnodigingen = list(gebruiker.uitnodigingen.all())
        nieuwste = uitnodigingen[0] if uitnodigingen else None
        status = (
            uitnodiging_status(nieuwste, gebruiker=gebruiker, is_nieuwste=True, now=now)
            if nieuwste
            else None
        )
        rijen.append(
            GebruikerRij(
                gebruiker=gebruiker,
                rollen=[g.name for g in gebruiker.groups.all() if g.name in Rol.values],
                verbanden=list(gebruiker.regieverbanden.all()),
                uitnodiging=nieuwste,
                status=status,
            )
        )
    return rijen
