"""Mergers carried over to the regieverbanden: the running memberships of a bestuur that ended in
a merger move to its successor from the merger date.

`import_besturen --fusies` records the merger itself (the old bestuur ends, `opvolger` names its
successor); this module does what that means for the verbanden, once, when a beheerder asks
(`manage.py fusies_doorvoeren`, and `seed_demo` through the same function). The rules:

- a membership of the old bestuur that runs past its last day ends on that day, and the
  successor becomes a member of the same verband from the merger date, until the end the old
  membership had (usually none), with the same "waarschijnlijk" mark. The old row keeps its
  bestuur and start: it is the history, and every earlier call still finds the old bestuur on its
  own first day (a call's members are those on its peildatum). When the successor is already a
  member of that verband on the merger date (two merged besturen of one verband), the old
  membership only ends;
- a verband led by the old bestuur is led by the successor from the merger date (a
  `Trekkerwissel`, as a beheerder would record it);
- nothing moves, and the beheerder gets the case in a list, when the successor is a member of
  another verband on the merger date, or would become a member of two verbanden through this
  run, or already has a membership in this verband that starts after the merger date, or the
  old membership begins after the old bestuur ended: whether a bestuur may be in two verbanden
  is WSE's call, not the code's;
- `fusieplan` reads and changes nothing (the dry run); `fusies_doorvoeren` carries the same plan
  out in one transaction, with an audit line per membership moved. A second run finds nothing to
  do: the old memberships have ended.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.accounts.models import User
from applications.accounts.permissions import ensure_beheerder
from applications.audit import services as audit
from applications.besturen.models import Lidmaatschap, LokaalBestuur, Regieverband, Trekkerwissel
from applications.besturen.services import (
    datum_tekst,
    geldende_wissels,
    trekker_volgens_wissels,
    trekkerwissels_toepassen,
)

OPDRACHT = "fusies_doorvoeren"


@dataclass(frozen=True)
class Overgang:
    """One running membership of a merged bestuur, and what carrying the merger over does."""

    lidmaatschap: Lidmaatschap
    oud: LokaalBestuur
    opvolger: LokaalBestuur
    einde: datetime.date  # the old bestuur's last day: its membership ends then
    begin: datetime.date  # the merger date: the successor's membership starts
    tot: datetime.date | None  # the end the old membership had, after the merger date
    nieuw_lid: bool  # False: the successor is already a member of the verband on `begin`
    trekker: bool  # the old bestuur leads the verband on `begin`: the successor takes over

    @property
    def regieverband(self) -> Regieverband:
        return self.lidmaatschap.regieverband

    def tekst(self) -> str:
        return f"{self.regieverband.naam}: {self.wijziging()}"

    def wijziging(self) -> str:
        """What changes in the verband: "Wachtebeke (44073) lid tot en met ...; ..."."""
        delen = [
            _("%(oud)s lid tot en met %(einde)s")
            % {"oud": self.oud, "einde": datum_tekst(self.einde)}
        ]
        waarden = {"opvolger": self.opvolger, "begin": datum_tekst(self.begin)}
        if not self.nieuw_lid:
            delen.append(_("%(opvolger)s is er op %(begin)s al lid") % waarden)
        elif self.tot is None:
            delen.append(_("%(opvolger)s lid vanaf %(begin)s") % waarden)
        else:
            delen.append(
                _("%(opvolger)s lid vanaf %(begin)s tot en met %(tot)s")
                % {**waarden, "tot": datum_tekst(self.tot)}
            )
        if self.lidmaatschap.waarschijnlijk and self.nieuw_lid:
            delen.append(_("gemarkeerd als waarschijnlijk, zoals het oude lidmaatschap"))
        if self.trekker:
            delen.append(_("%(opvolger)s is trekker vanaf %(begin)s") % waarden)
        return "; ".join(delen) + "."


@dataclass(frozen=True)
class Gemarkeerd:
    """A running membership of a merged bestuur that is not moved: the beheerder decides."""

    lidmaatschap: Lidmaatschap
    opvolger: LokaalBestuur
    reden: str

    def tekst(self) -> str:
        return f"{self.lidmaatschap.regieverband.naam}: {self.wijziging()}"

    def wijziging(self) -> str:
        return _("%(oud)s -> %(opvolger)s niet doorgevoerd: %(reden)s") % {
            "oud": self.lidmaatschap.bestuur,
            "opvolger": self.opvolger,
            "reden": self.reden,
        }


@dataclass
class Fusieplan:
    overgangen: list[Overgang] = field(default_factory=list)
    gemarkeerd: list[Gemarkeerd] = field(default_factory=list)

    @property
    def is_leeg(self) -> bool:
        return not (self.overgangen or self.gemarkeerd)


def _lopend_na_fusie() -> list[Lidmaatschap]:
    """The memberships of merged besturen that run past the old bestuur's last day."""
    return list(
        Lidmaatschap.objects.filter(
            bestuur__opvolger__isnull=False, bestuur__geldig_tot__isnull=False
        )
        .filter(Q(tot__isnull=True) | Q(tot__gt=F("bestuur__geldig_tot")))
        .select_related("bestuur__opvolger", "regieverband")
        .order_by("regieverband__naam", "bestuur__naam", "van", "pk")
    )


def _overlapt(lid: Lidmaatschap, van: datetime.date, tot: datetime.date | None) -> bool:
    return (lid.tot is None or lid.tot >= van) and (tot is None or lid.van <= tot)


def fusieplan() -> Fusieplan:
    """What carrying the recorded mergers over would change, without changing anything.

    Three queries however many mergers: the memberships to move, the successors' memberships,
    and the trekker history of the verbanden concerned.
    """
    kandidaten = _lopend_na_fusie()
    opvolger_ids = {lid.bestuur.opvolger_id for lid in kandidaten}
    van_opvolgers: dict[int, list[Lidmaatschap]] = defaultdict(list)
    for lid in Lidmaatschap.objects.filter(bestuur_id__in=opvolger_ids).select_related(
        "regieverband"
    ):
        van_opvolgers[lid.bestuur_id].append(lid)
    wissels: dict[int, list[Trekkerwissel]] = defaultdict(list)
    for wissel in Trekkerwissel.objects.filter(
        regieverband_id__in={lid.regieverband_id for lid in kandidaten}
    ):
        wissels[wissel.regieverband_id].append(wissel)

    # A successor that this run would make a member of two verbanden is not moved into either.
    verbanden_per_opvolger: dict[int | None, set[int]] = defaultdict(set)
    for lid in kandidaten:
        verbanden_per_opvolger[lid.bestuur.opvolger_id].add(lid.regieverband_id)

    plan = Fusieplan()
    al_lid: set[tuple[int, int]] = set()  # (verband, successor) made a member earlier in this plan
    for lid in kandidaten:
        oud = lid.bestuur
        opvolger = oud.opvolger
        assert opvolger is not None and oud.geldig_tot is not None  # the query's filter
        einde = oud.geldig_tot
        begin = einde + datetime.timedelta(days=1)
        tot = lid.tot if lid.tot is not None and lid.tot >= begin else None
        reden = _reden_om_niet_te_verplaatsen(
            lid, opvolger, einde, begin, tot, van_opvolgers[opvolger.pk], verbanden_per_opvolger
        )
        if reden:
            plan.gemarkeerd.append(Gemarkeerd(lid, opvolger, reden))
            continue
        in_verband = [
            ander
            for ander in van_opvolgers[opvolger.pk]
            if ander.regieverband_id == lid.regieverband_id
        ]
        sleutel = (lid.regieverband_id, opvolger.pk)
        nieuw_lid = sleutel not in al_lid and not any(a.is_actief_op(begin) for a in in_verband)
        al_lid.add(sleutel)
        in_voege = trekker_volgens_wissels(geldende_wissels(wissels[lid.regieverband_id]), begin)
        trekker_id = in_voege.trekker_id if in_voege is not None else lid.regieverband.trekker_id
        plan.overgangen.append(
            Overgang(
                lidmaatschap=lid,
                oud=oud,
                opvolger=opvolger,
                einde=einde,
                begin=begin,
                tot=tot,
                nieuw_lid=nieuw_lid,
                trekker=trekker_id == oud.pk,
            )
        )
    return plan


def _reden_om_niet_te_verplaatsen(
    lid: Lidmaatschap,
    opvolger: LokaalBestuur,
    einde: datetime.date,
    begin: datetime.date,
    tot: datetime.date | None,
    van_opvolger: list[Lidmaatschap],
    verbanden_per_opvolger: dict[int | None, set[int]],
) -> str:
    """Why this membership is left for the beheerder, or "" when it can move."""
    if lid.van > einde:
        return _(
            "het lidmaatschap begint op %(van)s, na de laatste dag van %(oud)s (%(einde)s); "
            "corrigeer het op de pagina van het verband."
        ) % {"van": datum_tekst(lid.van), "oud": lid.bestuur.naam, "einde": datum_tekst(einde)}
    andere = sorted(
        {
            ander.regieverband.naam
            for ander in van_opvolger
            if ander.regieverband_id != lid.regieverband_id and ander.is_actief_op(begin)
        }
    )
    if andere:
        return _(
            "%(opvolger)s is op %(begin)s al lid van %(andere)s. Beslis in welk verband de "
            "gemeente hoort en leg het vast op de pagina's van de verbanden."
        ) % {"opvolger": opvolger.naam, "begin": datum_tekst(begin), "andere": ", ".join(andere)}
    if len(verbanden_per_opvolger[opvolger.pk]) > 1:
        return _(
            "%(opvolger)s zou door deze fusie lid worden van meer dan één regieverband (de "
            "voorgangers zitten in verschillende verbanden). Beslis in welk verband de gemeente "
            "hoort en leg het vast op de pagina's van de verbanden."
        ) % {"opvolger": opvolger.naam}
    later = [
        ander
        for ander in van_opvolger
        if ander.regieverband_id == lid.regieverband_id
        and not ander.is_actief_op(begin)
        and _overlapt(ander, begin, tot)
    ]
    if later:
        return _(
            "%(opvolger)s heeft in dit verband al een lidmaatschap vanaf %(van)s; pas de "
            "lidmaatschappen aan op de pagina van het verband."
        ) % {"opvolger": opvolger.naam, "van": datum_tekst(later[0].van)}
    return ""


@transaction.atomic
def fusies_doorvoeren(*, by: User, vandaag: datetime.date | None = None) -> Fusieplan:
    """Carry the recorded mergers over (the plan of `fusieplan`), in one transaction.

    The verbanden concerned are locked first, as the beheer pages lock a verband before they
    change its members, so the plan cannot go stale between reading and writing. Returns the plan
    that was carried out (its `gemarkeerd` cases are left as they are).
    """
    ensure_beheerder(by, _("Alleen beheerders voeren fusies door in de regieverbanden."))
    vandaag = vandaag or timezone.localdate()
    verband_ids = sorted({lid.regieverband_id for lid in _lopend_na_fusie()})
    list(Regieverband.objects.select_for_update().filter(pk__in=verband_ids).order_by("pk"))
    plan = fusieplan()
    for overgang in plan.overgangen:
        _voer_uit(overgang, by=by, vandaag=vandaag)
    return plan


def _voer_uit(overgang: Overgang, *, by: User, vandaag: datetime.date) -> None:
    oud_lid = overgang.lidmaatschap
    Lidmaatschap.objects.filter(pk=oud_lid.pk).update(tot=overgang.einde)
    nieuw: Lidmaatschap | None = None
    if overgang.nieuw_lid:
        nieuw = Lidmaatschap(
            regieverband=overgang.regieverband,
            bestuur=overgang.opvolger,
            van=overgang.begin,
            tot=overgang.tot,
            waarschijnlijk=oud_lid.waarschijnlijk,
        )
        nieuw.full_clean()
        nieuw.save()
    if overgang.trekker:
        Trekkerwissel.objects.create(
            regieverband=overgang.regieverband,
            trekker=overgang.opvolger,
            vanaf=overgang.begin,
            geregistreerd_door=by,
        )
        trekkerwissels_toepassen(today=vandaag, regieverband=overgang.regieverband)
    audit.opdracht(
        opdracht=OPDRACHT,
        onderwerp=overgang.regieverband,
        omschrijving=overgang.tekst(),
        gebruiker=by,
        gegevens={
            "lidmaatschap_beeindigd": oud_lid.pk,
            "oud_nis_code": overgang.oud.nis_code,
            "einde": overgang.einde.isoformat(),
            "lidmaatschap_nieuw": nieuw.pk if nieuw else None,
            "opvolger_nis_code": overgang.opvolger.nis_code,
            "begin": overgang.begin.isoformat(),
            "trekker": overgang.trekker,
        },
    )
