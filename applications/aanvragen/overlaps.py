"""A bestuur in two verbanden of one call: which besturen, in which verbanden, for the beheer
pages, the exports and the completeness warning of an aanvraag."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.besturen.models import (
    Lidmaatschap,
    LokaalBestuur,
    Regieverband,
)
from applications.oproepen.models import Oproep


@dataclass(frozen=True)
class Overlap:
    """A bestuur that is a member, on a call's peildatum, of two or more verbanden that each have
    an aanvraag in that call (not withdrawn)."""

    oproep: Oproep
    bestuur: LokaalBestuur
    regieverbanden: tuple[Regieverband, ...]  # by name
    lidmaatschappen: tuple[Lidmaatschap, ...]  # the memberships active on the peildatum

    def andere(self, regieverband: Regieverband) -> list[Regieverband]:
        return [v for v in self.regieverbanden if v.pk != regieverband.pk]

    @property
    def is_tegen_regel(self) -> bool:
        """The call says one verband per bestuur (a setting of the call: WSE decides)."""
        return self.oproep.een_verband_per_bestuur


def aanvraag_not_withdrawn(oproep: Any, regieverband: Any) -> QuerySet[Aanvraag]:
    """The aanvraag of a verband in a call, unless withdrawn (either may be an OuterRef): the
    one rule for which aanvragen make a bestuur in two verbanden of a call an overlap."""
    return Aanvraag.objects.filter(oproep=oproep, regieverband=regieverband).exclude(
        status=AanvraagStatus.INGETROKKEN
    )


def overlaps_in_oproep(oproep: Oproep, besturen: Iterable[int] | None = None) -> list[Overlap]:
    """Per bestuur in more than one verband of the call: the verbanden involved, by bestuur name;
    only for the `besturen` (ids) given, when given (a page of a long list).

    One query: the memberships active on the call's peildatum (its first day) in verbanden with
    an aanvraag in the call that is not withdrawn.
    """
    lidmaatschappen = (
        Lidmaatschap.objects.actief_op(oproep.peildatum)
        .filter(Exists(aanvraag_not_withdrawn(oproep, OuterRef("regieverband_id"))))
        .select_related("bestuur", "regieverband")
        .order_by("bestuur__naam", "bestuur__nis_code", "regieverband__naam", "van")
    )
    if besturen is not None:
        lidmaatschappen = lidmaatschappen.filter(bestuur_id__in=list(besturen))
    per_bestuur: dict[int, list[Lidmaatschap]] = {}
    for lid in lidmaatschappen:
        per_bestuur.setdefault(lid.bestuur_id, []).append(lid)
    overlaps: list[Overlap] = []
    for leden in per_bestuur.values():
        verbanden = {lid.regieverband.pk: lid.regieverband for lid in leden}
        if len(verbanden) > 1:
            overlaps.append(
                Overlap(oproep, leden[0].bestuur, tuple(verbanden.values()), tuple(leden))
            )
    return overlaps


def overlap_aantallen(oproep: Oproep, regieverband_ids: list[int]) -> dict[int, int]:
    """Per verband of `regieverband_ids`: how many of its besturen are also in another verband
    of the call, by the rule of `overlaps_in_oproep`. One query, counted in the database: a list
    of verbanden reads as many rows as it shows, however many memberships Flanders has."""
    telt = Lidmaatschap.objects.actief_op(oproep.peildatum).filter(
        Exists(aanvraag_not_withdrawn(oproep, OuterRef("regieverband_id")))
    )
    elders = telt.filter(bestuur_id=OuterRef("bestuur_id")).exclude(
        regieverband_id=OuterRef("regieverband_id")
    )
    rijen = (
        telt.filter(regieverband_id__in=regieverband_ids)
        .filter(Exists(elders))
        .values("regieverband_id")
        .annotate(n=Count("bestuur_id", distinct=True))
        .order_by()
    )
    return {rij["regieverband_id"]: rij["n"] for rij in rijen}


def _oproepen_met_aanvraag_van(regieverband: Regieverband) -> list[Oproep]:
    oproepen = Oproep.objects.filter(Exists(aanvraag_not_withdrawn(OuterRef("pk"), regieverband)))
    return list(oproepen.order_by("-eerste_jaar", "naam"))


def overlaps_van_verband(regieverband: Regieverband) -> list[Overlap]:
    """The overlaps involving this verband, in each call where it has an aanvraag."""
    return [
        overlap
        for oproep in _oproepen_met_aanvraag_van(regieverband)
        for overlap in overlaps_in_oproep(oproep)
        if any(v.pk == regieverband.pk for v in overlap.regieverbanden)
    ]


def overlaps_van_lidmaatschap(lidmaatschap: Lidmaatschap) -> list[Overlap]:
    """The overlaps this membership takes part in, in calls that say one verband per bestuur.

    For the warning when a member is added: the membership counts in a call when it is active
    on the call's peildatum and its verband has an aanvraag there.
    """
    return [
        overlap
        for oproep in _oproepen_met_aanvraag_van(lidmaatschap.regieverband)
        if oproep.een_verband_per_bestuur and lidmaatschap.is_actief_op(oproep.peildatum)
        for overlap in overlaps_in_oproep(oproep)
        if any(lid.pk == lidmaatschap.pk for lid in overlap.lidmaatschappen)
    ]
