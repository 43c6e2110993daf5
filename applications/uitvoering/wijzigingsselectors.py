"""Reads for the pages of the changes to the plan: the proposals of an aanvraag, the plan's
actions that a draft may still change, and the verband's members today."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from applications.aanvragen.models import Aanvraag, Actie
from applications.besturen.models import LokaalBestuur
from applications.besturen.selectors import leden_op
from applications.uitvoering.models import Actiewijziging, Planwijziging
from applications.uitvoering.wijzigingen import eerste_wijzigbare_jaar


def planwijzigingen(aanvraag: Aanvraag) -> list[Planwijziging]:
    """Every proposal of the aanvraag, newest first, with its sealed version and who
    submitted and judged it (one query)."""
    return list(
        aanvraag.planwijzigingen.select_related(
            "versie", "basis", "ingediend_door", "beoordeeld_door", "aangemaakt_door"
        ).order_by("-nummer")
    )


@dataclass(frozen=True)
class Planregel:
    """An action of the plan that may still change, and what the draft does to it (if
    anything)."""

    actie: Actie
    onderdeel: Actiewijziging | None


def wijzigbaar_plan(
    aanvraag: Aanvraag, wijziging: Planwijziging, vandaag: datetime.date
) -> list[Planregel]:
    """The actions of this year and later ones, by year and priority, each with the draft's
    change of it (two queries)."""
    onderdelen = {o.actie_nummer: o for o in wijziging.acties.filter(actie_nummer__isnull=False)}
    acties = (
        Actie.objects.filter(aanvraag=aanvraag, jaar__gte=eerste_wijzigbare_jaar(aanvraag, vandaag))
        .select_related("prioriteit")
        .order_by("jaar", "prioriteit__volgorde", "volgorde", "pk")
    )
    return [Planregel(a, onderdelen.get(a.pk)) for a in acties]


def leden_nu(aanvraag: Aanvraag, vandaag: datetime.date) -> list[LokaalBestuur]:
    return leden_op(aanvraag.regieverband, vandaag)
