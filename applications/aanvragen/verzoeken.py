"""What WSE asks of the regisseurs, open now: changes to an aanvraag (kept here, as its status and
reason) and questions (kept by the review, which sits above this app). Shown on the dashboard and
at the top of every page of the aanvraag, not only on the follow-up tab.

An app above this one that asks things adds a source with `bron`, from its AppConfig.ready, so this
app never imports it (beoordeling adds its open questions).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from applications.aanvragen.models import Aanvraag, Statuswijziging
from applications.aanvragen.statuses import AanvraagStatus


@dataclass(frozen=True)
class Verzoek:
    aanvraag_id: int
    soort: str  # what it is, as the page names it
    tekst: str  # the question, or the reason of the changes asked
    sinds: datetime.datetime
    tot: datetime.datetime | None
    url: str
    aanvraag_naam: str = ""  # the verband and the call, filled in by open_verzoeken


Bron = Callable[[list[int]], Iterable[Verzoek]]
_bronnen: list[Bron] = []


def bron(functie: Bron) -> Bron:
    """Register a source of open requests (call from an AppConfig.ready)."""
    if functie not in _bronnen:
        _bronnen.append(functie)
    return functie


def open_verzoeken(aanvragen: Iterable[Aanvraag]) -> list[Verzoek]:
    """Everything WSE asks of these aanvragen and is still open, oldest first."""
    aanvragen = list(aanvragen)
    ids = [a.pk for a in aanvragen]
    if not ids:
        return []
    verzoeken = list(_gevraagde_wijzigingen([a for a in aanvragen if _wacht(a)], ids))
    for functie in _bronnen:
        verzoeken.extend(functie(ids))
    namen = {a.pk: f"{a.regieverband.naam} \N{EN DASH} {a.oproep.naam}" for a in aanvragen}
    return sorted(
        (replace(v, aanvraag_naam=namen[v.aanvraag_id]) for v in verzoeken),
        key=lambda v: (v.sinds, v.aanvraag_id),
    )


def _wacht(aanvraag: Aanvraag) -> bool:
    return aanvraag.status == AanvraagStatus.WIJZIGINGEN_GEVRAAGD


def _gevraagde_wijzigingen(aanvragen: list[Aanvraag], ids: list[int]) -> Iterable[Verzoek]:
    """The changes asked of those aanvragen that wait for them. One query whenever there are
    aanvragen (`ids`), also when none waits: the page's query count does not depend on it."""
    laatste: dict[int, Statuswijziging] = {}
    for wijziging in Statuswijziging.objects.filter(
        aanvraag__in=ids,
        aanvraag__status=AanvraagStatus.WIJZIGINGEN_GEVRAAGD,
        naar=AanvraagStatus.WIJZIGINGEN_GEVRAAGD,
    ).order_by("op", "pk"):
        laatste[wijziging.aanvraag_id] = wijziging
    return [
        Verzoek(
            aanvraag_id=a.pk,
            soort=str(_("WSE vraagt wijzigingen")),
            tekst=laatste[a.pk].reden if a.pk in laatste else "",
            sinds=laatste[a.pk].op if a.pk in laatste else a.gewijzigd_op,
            tot=a.wijzigingen_tot,
            url=reverse("aanvraag_overzicht", args=[a.pk]),
        )
        for a in aanvragen
    ]
