"""The opvolgmoment of one year: what the regisseur reports per action, submitting it, and a
reviewer accepting it or asking for more. The status changes are the table
`constants.OPVOLG_OVERGANGEN`; every change writes an `Opvolgwijziging`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.aanvragen import uploads
from applications.aanvragen.models import Aanvraag, Actie
from applications.accounts.models import User
from applications.audit import services as audit
from applications.core.transactions import atomic_with_files, store_file
from applications.oproepen.constants import Bijlagemoment
from applications.oproepen.models import BijlageType
from applications.uitvoering.constants import (
    OPVOLG_BEWERKBAAR,
    OPVOLG_OVERGANGEN,
    OPVOLG_OVERGANGEN_WSE_CONTROLE,
    Opvolgstatus,
    Realisatie,
)
from applications.uitvoering.models import (
    Actierapport,
    Opvolgbijlage,
    Opvolgmoment,
    Opvolgtermijn,
    Opvolgwijziging,
)
from applications.uitvoering.permissions import (
    can_report_opvolging,
    ensure_can_judge_opvolging,
    ensure_niet_afgesloten,
)
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


def ontbrekend(
    acties: list[Actie],
    rapporten: dict[int, Actierapport],
    *,
    verplichte_bijlagen: list[BijlageType] | None = None,
    opgeladen: set[int] | None = None,
) -> list[str]:
    """What stops a submission: per action a realisation, the BBC action, and an explanation
    unless the action was realised as planned; then each attachment the call requires with the
    opvolgmoment (`opgeladen`: the kinds uploaded) that is not there yet."""
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
    for bijlagetype in verplichte_bijlagen or []:
        if bijlagetype.pk not in (opgeladen or set()):
            fouten.append(
                _("Bijlage '%(naam)s' ontbreekt: laad ze op als PDF.") % {"naam": bijlagetype.naam}
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
    audit.dossier(
        gebruiker=by,
        actie=f"opvolgmoment {naar}",
        onderwerp=moment.aanvraag,
        omschrijving=_("Opvolgmoment %(jaar)s: %(van)s, nu %(naar)s.")
        % {
            "jaar": moment.jaar,
            "van": Opvolgstatus(moment.status).label,
            "naar": Opvolgstatus(naar).label,
        },
        gegevens={
            "jaar": moment.jaar,
            "van": str(moment.status),
            "naar": str(naar),
            "reden": reden,
        },
        pad=reverse("uitvoering_opvolgmoment", args=[moment.aanvraag_id, moment.jaar]),
    )
    moment.status = naar


def _bewerkbaar_moment(
    *, aanvraag: Aanvraag, jaar: int, by: User, now: datetime.datetime
) -> tuple[Aanvraag, Opvolgmoment]:
    """The rules for changing what an opvolgmoment says (its actions and its attachments): who
    (`can_report_opvolging`), a granted aanvraag, a year for which the call sets a due date and
    that is over, a moment not submitted or accepted, and a dossier that is not closed
    (`is_afgesloten`). The aanvraag comes back locked; the
    moment is made on first use."""
    if not can_report_opvolging(by, aanvraag):
        raise PermissionDenied(
            _("Deze oproep vraagt geen apart rapport: WSE vult het opvolgmoment zelf in.")
            if wse_controle(aanvraag)
            else _("Alleen de regisseurs van het regieverband vullen dit in.")
        )
    aanvraag = Aanvraag.objects.select_for_update().select_related("oproep").get(pk=aanvraag.pk)
    ensure_niet_afgesloten(aanvraag)
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
    return aanvraag, moment


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
    aanvraag, moment = _bewerkbaar_moment(aanvraag=aanvraag, jaar=jaar, by=by, now=now)
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
        fouten = ontbrekend(
            acties,
            bestaand,
            verplichte_bijlagen=list(aanvraag.oproep.opvolg_bijlagetypes().filter(verplicht=True)),
            opgeladen=set(moment.bijlagen.values_list("bijlagetype_id", flat=True)),
        )
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
    moment.gewijzigd_op = now
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
    ensure_niet_afgesloten(moment.aanvraag)
    if not aanvaarden and not reden.strip():
        raise ValidationError({"reden": _("Schrijf wat WSE nog vraagt.")})
    naar = Opvolgstatus.AANVAARD if aanvaarden else Opvolgstatus.MEER_GEVRAAGD
    _wijzig(moment, naar, by=by, rol="beoordelaar", now=now, reden="" if aanvaarden else reden)
    moment.beoordeeld_door = by
    moment.beoordeeld_op = now
    moment.meer_gevraagd = "" if aanvaarden else reden
    moment.gewijzigd_op = now
    moment.full_clean()
    moment.save()
    return moment


@atomic_with_files()
def opvolgbijlage_toevoegen(
    *,
    aanvraag: Aanvraag,
    jaar: int,
    by: User,
    bijlagetype: BijlageType,
    upload: UploadedFile,
    now: datetime.datetime | None = None,
) -> Opvolgbijlage:
    """Attach a PDF the call asks with the opvolgmoment of one year: the same check, size limit
    and storage as an aanvraag's attachments (`uploads.check_pdf_upload`, `store_file`); who
    may and when are the rules of changing the opvolgmoment (`_bewerkbaar_moment`)."""
    now = now or timezone.now()
    # Check the file before taking the aanvraag's lock: a large PDF takes a moment to check.
    gecontroleerd = uploads.check_pdf_upload(upload)
    aanvraag, moment = _bewerkbaar_moment(aanvraag=aanvraag, jaar=jaar, by=by, now=now)
    if (
        bijlagetype.oproep_id != aanvraag.oproep_id
        or bijlagetype.voor != Bijlagemoment.OPVOLGMOMENT
    ):
        raise ValidationError(
            {"bijlagetype": _("Deze soort bijlage vraagt de oproep niet bij het opvolgmoment.")}
        )
    bijlage = Opvolgbijlage(
        opvolgmoment=moment,
        bijlagetype=bijlagetype,
        naam=gecontroleerd.naam,
        grootte=gecontroleerd.grootte,
        sha256=gecontroleerd.sha256,
        opgeladen_op=now,
        opgeladen_door=by,
    )
    store_file(bijlage.bestand, f"{gecontroleerd.sha256}.pdf", upload)
    bijlage.save()
    # What the opvolgmoment holds changed: the API's `gewijzigd_sinds` sees it.
    Opvolgmoment.objects.filter(pk=moment.pk).update(gewijzigd_op=now)
    return bijlage


@transaction.atomic
def opvolgbijlage_verwijderen(
    *, bijlage: Opvolgbijlage, by: User, now: datetime.datetime | None = None
) -> None:
    """Remove an attachment while the opvolgmoment may still be changed; the file goes once the
    transaction commits (and only when no other row uses it)."""
    now = now or timezone.now()
    moment = bijlage.opvolgmoment
    _bewerkbaar_moment(aanvraag=moment.aanvraag, jaar=moment.jaar, by=by, now=now)
    path = bijlage.bestand.name
    storage = bijlage.bestand.storage
    nog_gebruikt = Opvolgbijlage.objects.filter(bestand=path).exclude(pk=bijlage.pk).exists()
    bijlage.delete()
    Opvolgmoment.objects.filter(pk=moment.pk).update(gewijzigd_op=now)
    if not nog_gebruikt:
        transaction.on_commit(lambda: storage.delete(path))
