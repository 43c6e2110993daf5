"""Who belongs to which regieverband, and who leads it, over time: the rules, and the small reads
they share with the beheer pages (the trekker's history in force, a bestuur found by name).

Memberships (`Lidmaatschap`) and the trekker's history (`Trekkerwissel`) change through the
services here, so the rules hold whichever page a change comes from:

- a membership runs from `van` to `tot` (both included), inside the bestuur's own validity
  (a merged bestuur ends; its successor has a new NIS code), and never overlaps another
  membership of the same bestuur in the same verband. Ending one keeps its row: the history is
  the rows themselves.
- the trekker is a member on the day it becomes trekker, or the vereniging itself (no bestuur).
  Every change is a `Trekkerwissel`; `Regieverband.trekker` holds the one in force today. A change
  dated today or earlier takes effect at once; a later one is recorded as planned and applied on
  its day by `trekkerwissels_toepassen` (cron, or the button on the verband's beheer page).
- a bestuur in two verbanden of one call (`applications.aanvragen.overlaps`) is allowed, with a
  warning when the call says one verband per bestuur: whether that rule holds is WSE's decision,
  not the code's.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from applications.accounts.models import User
from applications.accounts.permissions import ensure_beheerder
from applications.besturen.models import (
    Lidmaatschap,
    LokaalBestuur,
    Regieverband,
    Trekkerwissel,
)

logger = logging.getLogger(__name__)


EEN_DAG = datetime.timedelta(days=1)


def datum_tekst(dag: datetime.date) -> str:
    return formats.date_format(dag, "j F Y")


def _lock(regieverband: Regieverband) -> Regieverband:
    """Changes to one verband's members and trekker wait for each other: two beheerders adding
    the same bestuur at once cannot both pass the overlap check."""
    return Regieverband.objects.select_for_update().get(pk=regieverband.pk)


# "71072", or what the list offers: "Hasselt (71072)".
_NIS_IN_TEKST = re.compile(r"^(?:(?P<alleen>[0-9]{5})|.*\((?P<tussen>[0-9]{5})\))$")


def _geldigheid(bestuur: LokaalBestuur) -> str:
    if bestuur.geldig_vanaf and bestuur.geldig_tot:
        return _("van %(van)s tot en met %(tot)s") % {
            "van": datum_tekst(bestuur.geldig_vanaf),
            "tot": datum_tekst(bestuur.geldig_tot),
        }
    if bestuur.geldig_vanaf:
        return _("vanaf %(van)s") % {"van": datum_tekst(bestuur.geldig_vanaf)}
    if bestuur.geldig_tot:
        return _("tot en met %(tot)s") % {"tot": datum_tekst(bestuur.geldig_tot)}
    return _("zonder einde")


def _niet_geldig(bestuur: LokaalBestuur, dag: datetime.date) -> ValidationError:
    message = _("%(bestuur)s bestaat niet op %(dag)s (geldig %(periode)s).") % {
        "bestuur": bestuur,
        "dag": datum_tekst(dag),
        "periode": _geldigheid(bestuur),
    }
    if bestuur.opvolger_id:
        message += " " + _("Opvolger: %(opvolger)s.") % {"opvolger": bestuur.opvolger}
    return ValidationError(message, code="bestuur_niet_geldig")


def bestuur_zoeken(*, tekst: str, op: datetime.date) -> LokaalBestuur:
    """The bestuur a beheerder means by a name or NIS code, among those valid on `op`.

    Names are no keys (merged towns kept their name with a new NIS code), so a name counts only
    among the besturen valid on that day; a NIS code names one bestuur, and when it is not valid
    that day the message says when it was, and its successor.
    """
    tekst = " ".join(tekst.split())
    match = _NIS_IN_TEKST.match(tekst)
    if match:
        nis_code = match.group("alleen") or match.group("tussen")
        bestuur = LokaalBestuur.objects.select_related("opvolger").filter(nis_code=nis_code).first()
        if bestuur is None:
            raise ValidationError(
                _("Er is geen lokaal bestuur met NIS-code %(nis)s.") % {"nis": nis_code},
                code="bestuur_onbekend",
            )
        if not bestuur.is_geldig_op(op):
            raise _niet_geldig(bestuur, op)
        return bestuur
    kandidaten = list(
        LokaalBestuur.objects.select_related("opvolger").filter(naam__iexact=tekst).order_by("pk")
    )
    geldig = [b for b in kandidaten if b.is_geldig_op(op)]
    if len(geldig) == 1:
        return geldig[0]
    if len(geldig) > 1:
        raise ValidationError(
            _("Meer dan één bestuur heet '%(naam)s' op %(dag)s; kies met de NIS-code.")
            % {"naam": tekst, "dag": datum_tekst(op)},
            code="bestuur_dubbelzinnig",
        )
    if kandidaten:
        raise _niet_geldig(kandidaten[-1], op)
    raise ValidationError(
        _("Geen lokaal bestuur met naam of NIS-code '%(tekst)s'. Kies een bestuur uit de lijst.")
        % {"tekst": tekst},
        code="bestuur_onbekend",
    )


def _check_geldig_in_periode(
    bestuur: LokaalBestuur, van: datetime.date, tot: datetime.date | None
) -> None:
    """A bestuur is a member only while it exists: from its start, until its last day."""
    if bestuur.geldig_tot and van > bestuur.geldig_tot:
        raise ValidationError({"bestuur": [_niet_geldig(bestuur, van)]})
    if bestuur.geldig_vanaf and van < bestuur.geldig_vanaf:
        raise ValidationError(
            {
                "van": _(
                    "%(bestuur)s bestaat pas vanaf %(vanaf)s; het lidmaatschap kan niet eerder "
                    "beginnen."
                )
                % {"bestuur": bestuur, "vanaf": datum_tekst(bestuur.geldig_vanaf)}
            }
        )
    if bestuur.geldig_tot and (tot is None or tot > bestuur.geldig_tot):
        message = _(
            "%(bestuur)s bestaat maar tot en met %(tot)s; laat het lidmaatschap uiterlijk dan "
            "eindigen."
        ) % {"bestuur": bestuur, "tot": datum_tekst(bestuur.geldig_tot)}
        if bestuur.opvolger_id:
            message += " " + _("Voeg daarna de opvolger toe: %(opvolger)s.") % {
                "opvolger": bestuur.opvolger
            }
        raise ValidationError({"tot": message})


def periode_tekst(lid: Lidmaatschap) -> str:
    if lid.tot is None:
        return _("vanaf %(van)s, zonder einddatum") % {"van": datum_tekst(lid.van)}
    return _("van %(van)s tot en met %(tot)s") % {
        "van": datum_tekst(lid.van),
        "tot": datum_tekst(lid.tot),
    }


def _overlappend(
    regieverband: Regieverband,
    bestuur: LokaalBestuur,
    van: datetime.date,
    tot: datetime.date | None,
) -> Lidmaatschap | None:
    """An existing membership of this bestuur in this verband sharing at least one day."""
    qs = Lidmaatschap.objects.filter(regieverband=regieverband, bestuur=bestuur).filter(
        Q(tot__isnull=True) | Q(tot__gte=van)
    )
    if tot is not None:
        qs = qs.filter(van__lte=tot)
    return qs.order_by("van").first()


@transaction.atomic
def lidmaatschap_toevoegen(
    *,
    regieverband: Regieverband,
    bestuur: LokaalBestuur,
    van: datetime.date,
    tot: datetime.date | None = None,
    by: User,
) -> Lidmaatschap:
    """Make a bestuur a member from `van` (until `tot`, both included; open-ended without).

    Refused: an end before the start; a period outside the bestuur's validity; any overlap with
    another membership of the same bestuur in this verband (not only the same first day).
    Overlap with other verbanden is allowed here; `overlaps_van_lidmaatschap` says where.
    """
    ensure_beheerder(by, _("Alleen beheerders beheren de leden en de trekker van een verband."))
    return lidmaatschap_vastleggen(
        regieverband=regieverband, bestuur=bestuur, van=van, tot=tot, door_id=by.pk
    )


@transaction.atomic
def lidmaatschap_vastleggen(
    *,
    regieverband: Regieverband,
    bestuur: LokaalBestuur,
    van: datetime.date,
    tot: datetime.date | None = None,
    door_id: int | None,
) -> Lidmaatschap:
    """The rules and the write of `lidmaatschap_toevoegen`, without its role check: for a
    service that checked its own permission (a change to the plan that WSE approved, in
    `uitvoering`). `door_id`: who made the change, for the log."""
    verband = _lock(regieverband)
    if tot is not None and tot < van:
        raise ValidationError(
            {
                "tot": _("Een lidmaatschap kan niet eindigen voor het begint (%(van)s).")
                % {"van": datum_tekst(van)}
            }
        )
    _check_geldig_in_periode(bestuur, van, tot)
    bestaand = _overlappend(verband, bestuur, van, tot)
    if bestaand is not None:
        raise ValidationError(
            {
                "van": _(
                    "%(bestuur)s is al lid van dit regieverband %(periode)s; een nieuw "
                    "lidmaatschap mag die periode niet overlappen."
                )
                % {"bestuur": bestuur, "periode": periode_tekst(bestaand)}
            }
        )
    lid = Lidmaatschap(regieverband=verband, bestuur=bestuur, van=van, tot=tot)
    lid.full_clean()
    lid.save()
    logger.info(
        "lidmaatschap %s: %s in %s vanaf %s tot %s, door %s",
        lid.pk,
        bestuur.nis_code,
        verband.pk,
        van,
        tot,
        door_id,
    )
    return lid


def _dagen_als_trekker_na(
    regieverband: Regieverband, bestuur: LokaalBestuur, dag: datetime.date
) -> list[datetime.date]:
    """The days after `dag` on which the bestuur becomes (or still is) trekker: the day after,
    when it is trekker then, and the first day of each later change that names it."""
    wissels = geldende_wissels(regieverband.trekkerwissels.all())
    na = dag + EEN_DAG
    dagen: list[datetime.date] = []
    in_voege = trekker_volgens_wissels(wissels, na)
    trekker_id = in_voege.trekker_id if in_voege is not None else regieverband.trekker_id
    if trekker_id == bestuur.pk:
        dagen.append(na)
    dagen += [w.vanaf for w in wissels if w.vanaf > na and w.trekker_id == bestuur.pk]
    return dagen


@transaction.atomic
def lidmaatschap_beeindigen(
    *, lidmaatschap: Lidmaatschap, tot: datetime.date, by: User
) -> Lidmaatschap:
    """End a running membership on `tot` (its last day). The row stays: it is the history.

    Refused: a membership that already has an end; an end before its start; an end after the
    bestuur's own last day; leaving while the bestuur is still (or planned as) trekker then,
    since a trekker is a member (change the trekker first).
    """
    ensure_beheerder(by, _("Alleen beheerders beheren de leden en de trekker van een verband."))
    return lidmaatschap_afsluiten(lidmaatschap=lidmaatschap, tot=tot, door_id=by.pk)


@transaction.atomic
def lidmaatschap_afsluiten(
    *, lidmaatschap: Lidmaatschap, tot: datetime.date, door_id: int | None
) -> Lidmaatschap:
    """The rules and the write of `lidmaatschap_beeindigen`, without its role check: for a
    service that checked its own permission (a change to the plan that WSE approved)."""
    verband = _lock(lidmaatschap.regieverband)
    lid = (
        Lidmaatschap.objects.select_for_update(of=("self",))
        .select_related("bestuur__opvolger")
        .get(pk=lidmaatschap.pk)
    )
    bestuur = lid.bestuur
    if lid.tot is not None:
        raise ValidationError(
            {
                "lidmaatschap": _(
                    "Het lidmaatschap van %(bestuur)s is al beëindigd: het loopt tot en met "
                    "%(tot)s."
                )
                % {"bestuur": bestuur, "tot": datum_tekst(lid.tot)}
            }
        )
    if tot < lid.van:
        raise ValidationError(
            {
                "tot": _(
                    "Een lidmaatschap kan niet eindigen voor het begint: %(bestuur)s is lid "
                    "vanaf %(van)s."
                )
                % {"bestuur": bestuur, "van": datum_tekst(lid.van)}
            }
        )
    _check_geldig_in_periode(bestuur, lid.van, tot)
    for dag in _dagen_als_trekker_na(verband, bestuur, tot):
        ander = (
            Lidmaatschap.objects.filter(regieverband=verband, bestuur=bestuur)
            .exclude(pk=lid.pk)
            .actief_op(dag)
        )
        if not ander.exists():
            raise ValidationError(
                {
                    "tot": _(
                        "%(bestuur)s is op %(dag)s trekker van dit regieverband, en een trekker "
                        "is lid. Registreer eerst een andere trekker (of de vereniging zelf) en "
                        "beëindig dan het lidmaatschap."
                    )
                    % {"bestuur": bestuur, "dag": datum_tekst(dag)}
                }
            )
    lid.tot = tot
    lid.full_clean()
    lid.save(update_fields=["tot"])
    lidmaatschap.tot = tot
    logger.info("lidmaatschap %s beëindigd op %s door %s", lid.pk, tot, door_id)
    return lid


def geldende_wissels(wissels: Iterable[Trekkerwissel]) -> list[Trekkerwissel]:
    """One change per day, oldest first: a later registration for the same day corrects an
    earlier one (which stays in the history as replaced)."""
    per_dag: dict[datetime.date, Trekkerwissel] = {}
    for wissel in sorted(wissels, key=lambda w: (w.vanaf, w.geregistreerd_op, w.pk)):
        per_dag[wissel.vanaf] = wissel
    return sorted(per_dag.values(), key=lambda w: w.vanaf)


def trekker_volgens_wissels(
    wissels: list[Trekkerwissel], dag: datetime.date
) -> Trekkerwissel | None:
    """The change in force on `dag` among `geldende_wissels`, if the history reaches back so far.

    None means: no change recorded up to that day, so the trekker is the one the verband had
    before its history was kept.
    """
    eerder = [w for w in wissels if w.vanaf <= dag]
    return eerder[-1] if eerder else None


def _in_voege_vandaag(regieverband: Regieverband, today: datetime.date) -> QuerySet[Trekkerwissel]:
    return Trekkerwissel.objects.filter(regieverband=regieverband, vanaf__lte=today).order_by(
        "-vanaf", "-geregistreerd_op", "-pk"
    )


def _pas_toe(regieverband: Regieverband, today: datetime.date) -> bool:
    """Set the stored trekker to the change in force today; True when it changed."""
    in_voege = _in_voege_vandaag(regieverband, today).first()
    if in_voege is None or in_voege.trekker_id == regieverband.trekker_id:
        return False
    regieverband.trekker_id = in_voege.trekker_id
    regieverband.save(update_fields=["trekker"])
    return True


@transaction.atomic
def trekker_wijzigen(
    *,
    regieverband: Regieverband,
    trekker: LokaalBestuur | None,
    vanaf: datetime.date,
    by: User,
    today: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Trekkerwissel:
    """Record that `trekker` (None: the vereniging itself) leads the verband from `vanaf`.

    The earlier changes stay. Dated today or earlier, the change in force today becomes the
    verband's trekker at once (a back-dated change older than a later one does not displace it);
    dated later, it is planned and `trekkerwissels_toepassen` applies it on its day.
    Refused: a bestuur that does not exist on `vanaf` or is not a member of the verband then.
    """
    ensure_beheerder(by, _("Alleen beheerders beheren de leden en de trekker van een verband."))
    today = today or timezone.localdate()
    verband = _lock(regieverband)
    if trekker is not None:
        if not trekker.is_geldig_op(vanaf):
            raise ValidationError({"trekker": [_niet_geldig(trekker, vanaf)]})
        is_lid = (
            Lidmaatschap.objects.filter(regieverband=verband, bestuur=trekker)
            .actief_op(vanaf)
            .exists()
        )
        if not is_lid:
            raise ValidationError(
                {
                    "trekker": _(
                        "%(bestuur)s is op %(dag)s geen lid van dit regieverband. De trekker is "
                        "een lid op die dag, of de vereniging zelf."
                    )
                    % {"bestuur": trekker, "dag": datum_tekst(vanaf)}
                }
            )
    wissel = Trekkerwissel.objects.create(
        regieverband=verband,
        trekker=trekker,
        vanaf=vanaf,
        geregistreerd_door=by,
        geregistreerd_op=now or timezone.now(),
    )
    _pas_toe(verband, today)
    regieverband.trekker_id = verband.trekker_id
    logger.info(
        "trekkerwissel %s: verband %s, trekker %s vanaf %s, door %s",
        wissel.pk,
        verband.pk,
        trekker.nis_code if trekker else "vereniging",
        vanaf,
        by.pk,
    )
    return wissel


@transaction.atomic
def trekkerwissels_toepassen(
    *, today: datetime.date | None = None, regieverband: Regieverband | None = None
) -> list[Regieverband]:
    """Apply every planned change whose day has come (all verbanden, or one). Idempotent: the
    worker runs it every night (`apps.plan_trekkerwissels`), and it is safe to run at any time."""
    today = today or timezone.localdate()
    in_voege = Trekkerwissel.objects.filter(regieverband=OuterRef("pk"), vanaf__lte=today).order_by(
        "-vanaf", "-geregistreerd_op", "-pk"
    )
    qs = Regieverband.objects.filter(Exists(in_voege)).annotate(
        nieuw_id=Subquery(in_voege.values("trekker_id")[:1])
    )
    if regieverband is not None:
        qs = qs.filter(pk=regieverband.pk)
    gewijzigd: list[Regieverband] = []
    for verband in qs.select_for_update(of=("self",)).order_by("pk"):
        if verband.nieuw_id != verband.trekker_id:
            verband.trekker_id = verband.nieuw_id
            verband.save(update_fields=["trekker"])
            gewijzigd.append(verband)
            logger.info("trekkerwissel toegepast: verband %s", verband.pk)
    return gewijzigd
