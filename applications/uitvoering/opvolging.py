"""The opvolgmoment of one year: what the regisseur reports per action, submitting it, and a
reviewer accepting it or asking for more. The status changes are the table
`constants.OPVOLG_OVERGANGEN`; every change writes an `Opvolgwijziging`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.aanvragen.models import Aanvraag, Actie
from applications.accounts.models import User
from applications.uitvoering.constants import (
    OPVOLG_BEWERKBAAR,
    OPVOLG_OVERGANGEN,
    OPVOLG_OVERGANGEN_WSE_CONTROLE,
    Opvolgstatus,
    Realisatie,
)
from applications.uitvoering.models import (
    Actierapport,
    Opvolgmoment,
    Opvolgtermijn,
    Opvolgwijziging,
)
from applications.uitvoering.permissions import can_report_opvolging, ensure_can_judge_opvolging
from applications.uitvoering.selectors import is_toegekend


@dataclass(frozen=True)
class Rapportinvoer:
    """What the regisseur typed for one action."""

    realisatie: str
    toelichting: str
    bbc_actie: str
    code_toegepast: bool


def open_vanaf(jaar: int) -> datetime.date:
    """A year is reported once it is over: from 1 January of the next year."""
    return datetime.date(jaar + 1, 1, 1)


def acties_van_jaar(aanvraag: Aanvraag, jaar: int) -> list[Actie]:
    return list(
        Actie.objects.filter(aanvraag=aanvraag, jaar=jaar)
        .select_related("prioriteit")
        .order_by("prioriteit__volgorde", "volgorde", "pk")
    )


def ontbrekend(acties: list[Actie], rapporten: dict[int, Actierapport]) -> list[str]:
    """What stops a submission: per action a realisation, the BBC action, and an explanation
    unless the action was realised as planned."""
    fouten = []
    for actie in acties:
        r = rapporten.get(actie.pk)
        naam = f"{actie.prioriteit.code} {actie.titel}"
        if r is None or not r.realisatie:
            fouten.append(_("%(actie)s: kies hoe ver de actie staat.") % {"actie": naam})
            continue
        if not r.bbc_actie.strip():
            fouten.append(
                _("%(actie)s: geef de actie in het BBC-meerjarenplan (nummer of naam).")
                % {"actie": naam}
            )
        if r.realisatie != Realisatie.GEREALISEERD and not r.toelichting.strip():
            fouten.append(
                _("%(actie)s: licht toe waarom de actie %(realisatie)s is.")
                % {"actie": naam, "realisatie": Realisatie(r.realisatie).label}
            )
    return fouten


def wse_controle(aanvraag: Aanvraag) -> bool:
    """Whether the opvolgmomenten of this aanvraag are WSE's own check of the BBC data (the
    call asks no separate report) rather than a report the regisseurs submit."""
    return not aanvraag.oproep.aparte_rapportering


def _wijzig(
    moment: Opvolgmoment,
    naar: Opvolgstatus,
    *,
    by: User,
    rol: str,
    now: datetime.datetime,
    reden: str = "",
    overgangen: dict[tuple[str, str], str] = OPVOLG_OVERGANGEN,
) -> None:
    if overgangen.get((moment.status, naar)) != rol:
        raise ValidationError(
            _("Dit opvolgmoment is %(status)s: dat kan nu niet.")
            % {"status": Opvolgstatus(moment.status).label}
        )
    Opvolgwijziging.objects.create(
        opvolgmoment=moment, van=moment.status, naar=naar, door=by, op=now, reden=reden
    )
    moment.status = naar


@transaction.atomic
def opvolgmoment_bewaren(
    *,
    aanvraag: Aanvraag,
    jaar: int,
    by: User,
    invoer: dict[int, Rapportinvoer],
    indienen: bool,
    now: datetime.datetime | None = None,
) -> Opvolgmoment:
    """Save what the regisseur reports for the actions of one year; with `indienen`, submit it
    (refused while an action misses its realisation, BBC action or explanation, listed).

    When the call asks no separate report, a reviewer fills it in instead (WSE's own check of
    the BBC data), and `indienen` records the check as done: straight to accepted, with the
    same checks of what is missing."""
    now = now or timezone.now()
    controle = wse_controle(aanvraag)
    if not can_report_opvolging(by, aanvraag):
        raise PermissionDenied(
            _("Deze oproep vraagt geen apart rapport: WSE vult het opvolgmoment zelf in.")
            if controle
            else _("Alleen de regisseurs van het regieverband vullen dit in.")
        )
    aanvraag = Aanvraag.objects.select_for_update().select_related("oproep").get(pk=aanvraag.pk)
    if not is_toegekend(aanvraag):
        raise ValidationError(_("Alleen een goedgekeurde aanvraag heeft opvolgmomenten."))
    if not Opvolgtermijn.objects.filter(oproep=aanvraag.oproep, jaar=jaar).exists():
        raise ValidationError(
            _("De oproep heeft geen opvolgmoment voor %(jaar)s.") % {"jaar": jaar}
        )
    if timezone.localdate(now) < open_vanaf(jaar):
        raise ValidationError(
            _("Het opvolgmoment van %(jaar)s kan vanaf %(datum)s ingevuld worden.")
            % {"jaar": jaar, "datum": open_vanaf(jaar).strftime("%d/%m/%Y")}
        )
    moment, _nieuw = Opvolgmoment.objects.get_or_create(aanvraag=aanvraag, jaar=jaar)
    if moment.status not in OPVOLG_BEWERKBAAR:
        raise ValidationError(
            _("Dit opvolgmoment is %(status)s en kan niet meer gewijzigd worden.")
            % {"status": Opvolgstatus(moment.status).label}
        )
    acties = acties_van_jaar(aanvraag, jaar)
    bestaand = {r.actie_id: r for r in moment.rapporten.all()}
    for actie in acties:
        gegevens = invoer.get(actie.pk)
        if gegevens is None:
            continue
        rapport = bestaand.get(actie.pk) or Actierapport(opvolgmoment=moment, actie=actie)
        rapport.realisatie = gegevens.realisatie
        rapport.toelichting = gegevens.toelichting
        rapport.bbc_actie = gegevens.bbc_actie
        rapport.code_toegepast = gegevens.code_toegepast
        rapport.full_clean()
        rapport.save()
        bestaand[actie.pk] = rapport
    if indienen:
        fouten = ontbrekend(acties, bestaand)
        if fouten:
            raise ValidationError(fouten)
        if controle:
            _wijzig(
                moment,
                Opvolgstatus.AANVAARD,
                by=by,
                rol="beoordelaar",
                now=now,
                overgangen=OPVOLG_OVERGANGEN_WSE_CONTROLE,
            )
            moment.beoordeeld_door = by
            moment.beoordeeld_op = now
            moment.meer_gevraagd = ""
        else:
            _wijzig(moment, Opvolgstatus.INGEDIEND, by=by, rol="regisseur", now=now)
        moment.ingediend_door = by
        moment.ingediend_op = now
        moment.save()
    return moment


@transaction.atomic
def opvolgmoment_beoordelen(
    *,
    moment: Opvolgmoment,
    by: User,
    aanvaarden: bool,
    reden: str = "",
    now: datetime.datetime | None = None,
) -> Opvolgmoment:
    """A reviewer accepts the submitted opvolgmoment, or asks for more with the reason; the
    regisseur then changes it and submits again."""
    now = now or timezone.now()
    ensure_can_judge_opvolging(by, moment.aanvraag)
    moment = Opvolgmoment.objects.select_for_update().get(pk=moment.pk)
    if not aanvaarden and not reden.strip():
        raise ValidationError({"reden": _("Schrijf wat WSE nog vraagt.")})
    naar = Opvolgstatus.AANVAARD if aanvaarden else Opvolgstatus.MEER_GEVRAAGD
    _wijzig(moment, naar, by=by, rol="beoordelaar", now=now, reden="" if aanvaarden else reden)
    moment.beoordeeld_door = by
    moment.beoordeeld_op = now
    moment.meer_gevraagd = "" if aanvaarden else reden
    moment.full_clean()
    moment.save()
    return moment
