"""Every verband's members on a call's peildatum and the overlaps among them, read once per
version of the reference data (`versietellers.referentieversie`) and kept: WSE's queue and review
page show them on every view, and they change only when a beheerder, an import or a merger
changes memberships or besturen, or an aanvraag of the call is made or withdrawn."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from applications.aanvragen import versietellers
from applications.aanvragen.models import Aanvraag
from applications.aanvragen.overlaps import Overlap, overlaps_in_oproep
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.besturen.selectors import leden_per_verband
from applications.oproepen.models import Oproep


@dataclass(frozen=True)
class LedenVanOproep:
    """The members on the call's peildatum of every verband with an aanvraag in the call (by
    name, each marked as `leden_op` marks it), and every bestuur in more than one of them."""

    per_verband: dict[int, list[LokaalBestuur]]
    overlaps: dict[int, Overlap]  # by bestuur id

    def leden(self, regieverband_id: int) -> list[LokaalBestuur]:
        return self.per_verband.get(regieverband_id, [])

    def overlaps_van(
        self, regieverband: Regieverband
    ) -> list[tuple[LokaalBestuur, list[Regieverband]]]:
        """The verband's members that are also in another verband of the call, each with those
        verbanden (what `beoordeling.selectors.overlaps_van_aanvraag` gives)."""
        uit = []
        for bestuur in self.leden(regieverband.pk):
            overlap = self.overlaps.get(bestuur.pk)
            if overlap is not None and any(v.pk == regieverband.pk for v in overlap.regieverbanden):
                uit.append((overlap.bestuur, overlap.andere(regieverband)))
        return uit


def leden_van_oproep(oproep: Oproep) -> LedenVanOproep:
    """Kept per call and reference version; one query when kept, three when not."""
    referentie = versietellers.referentieversie()
    sleutel = f"aanvragen:oproepleden:{oproep.pk}:{referentie}"
    bewaard = cache.get(sleutel)
    if isinstance(bewaard, LedenVanOproep):
        return bewaard
    # The call as it is now: the one in memory was read before the counter.
    oproep = Oproep.objects.get(pk=oproep.pk)
    stand = LedenVanOproep(
        per_verband=leden_per_verband(
            Aanvraag.objects.filter(oproep=oproep).values("regieverband"), oproep.peildatum
        ),
        overlaps={o.bestuur.pk: o for o in overlaps_in_oproep(oproep)},
    )
    cache.set(sleutel, stand)
    return stand
