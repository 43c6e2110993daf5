"""Writes to an aanvraag: start, edit, actions, attachments, status changes, withdrawing and
WSE's extension of the deadline. Keyword-only arguments, one transaction each, history kept."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.aanvragen import uploads
from applications.aanvragen.deadline import effective_deadline, ensure_editable
from applications.aanvragen.models import (
    Aanvraag,
    Actie,
    Bijlage,
    Statuswijziging,
    Verlenging,
)
from applications.aanvragen.selectors import leden_van_aanvraag
from applications.aanvragen.statuses import (
    AANVRAAG_TRANSITIONS,
    DECIDED_STATUSES,
    EDITABLE_STATUSES,
    AanvraagStatus,
)
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.accounts.permissions import ensure_wse, is_beheerder
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.besturen.permissions import is_regisseur_of
from applications.core.forms import format_euro
from applications.core.transactions import atomic_with_files, store_file
from applications.oproepen.constants import OproepStatus
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep


def lock_aanvraag(aanvraag: Aanvraag) -> Aanvraag:
    """The aanvraag read again with its row locked until the transaction ends."""
    # of=("self",): lock the aanvraag's row only, not the joined call and verband.
    return (
        Aanvraag.objects.select_for_update(of=("self",))
        .select_related("regieverband", "oproep")
        .get(pk=aanvraag.pk)
    )


def roles_of(user: User, aanvraag: Aanvraag) -> set[Rol]:
    """The roles a user holds towards this aanvraag: a regisseur only for their own verband."""
    roles: set[Rol] = set()
    if is_regisseur_of(user, aanvraag.regieverband):
        roles.add(Rol.REGISSEUR)
    if user.is_beoordelaar:
        roles.add(Rol.BEOORDELAAR)
    return roles


def is_transition_allowed(
    *, van: AanvraagStatus | str, naar: AanvraagStatus | str, roles: set[Rol]
) -> bool:
    allowed = AANVRAAG_TRANSITIONS.get((AanvraagStatus(van), AanvraagStatus(naar)))
    return bool(allowed and allowed & roles)


@transaction.atomic
def aanvraag_transition(
    *,
    aanvraag: Aanvraag,
    naar: AanvraagStatus,
    by: User,
    reden: str = "",
    now: datetime.datetime | None = None,
) -> Aanvraag:
    """Change the status of an aanvraag, if the table allows it for this user's role.

    Locks the row so that two simultaneous changes cannot both pass the check, and writes a
    history row. Raises PermissionDenied (wrong role) or ValidationError (not in the table).
    """
    locked = Aanvraag.objects.select_for_update().get(pk=aanvraag.pk)
    van = AanvraagStatus(locked.status)
    if (van, naar) not in AANVRAAG_TRANSITIONS:
        raise ValidationError(
            _("Een aanvraag met status '%(van)s' kan niet naar '%(naar)s'.")
            % {"van": van.label, "naar": naar.label},
            code="transition_not_allowed",
        )
    if not is_transition_allowed(van=van, naar=naar, roles=roles_of(by, locked)):
        raise PermissionDenied(_("U mag deze statuswijziging niet uitvoeren."))
    now = now or timezone.now()
    locked.status = naar
    locked.save(update_fields=["status", "gewijzigd_op"])
    Statuswijziging.objects.create(
        aanvraag=locked, van=van, naar=naar, door=by, op=now, reden=reden
    )
    aanvraag.status = locked.status
    return locked


# The fields of the aanvraag itself that its regisseurs edit (sections 1 and 2).
AANVRAAG_CONTENT_FIELDS = (
    "contact_naam",
    "contact_functie",
    "contact_email",
    "contact_telefoon",
    "omgevingsanalyse",
    "visie",
)


ACTIE_FIELDS = (
    "prioriteit",
    "jaar",
    "titel",
    "beschrijving",
    "doelgroep",
    "verwacht_resultaat",
    "indicator",
    "partners",
    "budget",
)


@dataclass(frozen=True)
class FieldChange:
    """One field where what is stored now differs from what the user tried to save."""

    name: str
    label: str
    stored: str
    yours: str


class ConcurrentEditError(Exception):
    """A save based on an older version than the stored one: refused, never applied silently.

    `versie` is the stored version the changes were compared with: a page that shows them offers
    to save over exactly that version.
    """

    def __init__(
        self, changes: list[FieldChange], by: User | None, at: datetime.datetime, versie: int
    ) -> None:
        super().__init__("concurrent edit")
        self.changes = changes
        self.by = by
        self.at = at
        self.versie = versie


def aanvraag_start(
    *, regieverband: Regieverband, oproep: Oproep, by: User
) -> tuple[Aanvraag, bool]:
    """Start the aanvraag of a verband for an open call, or return the one that exists.

    Returns (aanvraag, created). The database's unique constraint settles a race between two
    regisseurs starting at the same moment: the second gets the first one's aanvraag.
    """
    if not is_regisseur_of(by, regieverband):
        raise PermissionDenied(_("U bent geen regisseur van dit regieverband."))
    existing = Aanvraag.objects.filter(regieverband=regieverband, oproep=oproep).first()
    if existing is not None:
        return existing, False
    if (
        oproep.status != OproepStatus.OPEN
        or timezone.now().replace(microsecond=0) > oproep.deadline
    ):
        raise ValidationError(
            _("De oproep '%(oproep)s' is niet open; u kunt geen aanvraag meer starten.")
            % {"oproep": oproep.naam},
            code="oproep_closed",
        )
    try:
        with transaction.atomic():
            aanvraag = Aanvraag.objects.create(
                regieverband=regieverband,
                oproep=oproep,
                contact_naam=regieverband.contact_naam,
                contact_email=regieverband.contact_email,
                contact_telefoon=regieverband.contact_telefoon,
                gewijzigd_door=by,
            )
    except IntegrityError:
        return Aanvraag.objects.get(regieverband=regieverband, oproep=oproep), False
    return aanvraag, True


def _field_label(model: type[Any], name: str) -> str:
    label = str(model._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]  # "Budget (EUR)", not capitalize()'s "Budget (eur)"


def _as_text(value: object) -> str:
    """A value as the form shows it, so the user recognises what they typed."""
    if value is None:
        return ""
    if isinstance(value, Beleidsprioriteit):
        return value.code
    if isinstance(value, Decimal):
        return format_euro(value)
    return str(value)


def aanvraag_differences(aanvraag: Aanvraag, changes: dict[str, str]) -> list[FieldChange]:
    """The fields of `changes` whose value is not what `aanvraag` holds now."""
    return [
        FieldChange(name, _field_label(Aanvraag, name), _as_text(getattr(aanvraag, name)), value)
        for name, value in changes.items()
        if getattr(aanvraag, name) != value
    ]


def actie_differences(actie: Actie, data: dict[str, Any]) -> list[FieldChange]:
    """The fields of `data` (an action's form) whose value is not what `actie` holds now."""
    return [
        FieldChange(name, _field_label(Actie, name), _as_text(getattr(actie, name)), _as_text(v))
        for name, v in data.items()
        if getattr(actie, name) != v
    ]


def _lock_editable(aanvraag: Aanvraag, by: User, now: datetime.datetime | None) -> Aanvraag:
    locked = lock_aanvraag(aanvraag)
    ensure_editable(locked, by=by, now=now)
    return locked


@transaction.atomic
def aanvraag_update(
    *,
    aanvraag: Aanvraag,
    by: User,
    versie: int,
    changes: dict[str, str],
    now: datetime.datetime | None = None,
) -> Aanvraag:
    """Save fields of the aanvraag, if nobody saved a newer version meanwhile.

    `versie` is the version the user's page was based on. When the stored version is newer and
    the user's values differ from the stored ones, the save is refused with the differences
    (ConcurrentEditError); the view keeps the user's input on screen.
    """
    unknown = set(changes) - set(AANVRAAG_CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    locked = _lock_editable(aanvraag, by, now)
    differing = aanvraag_differences(locked, changes)
    if not differing:
        return locked
    if locked.versie != versie:
        raise ConcurrentEditError(
            differing, by=locked.gewijzigd_door, at=locked.gewijzigd_op, versie=locked.versie
        )
    changed = [change.name for change in differing]
    for name in changed:
        setattr(locked, name, changes[name])
    locked.versie += 1
    locked.gewijzigd_door = by
    # Only what this save changes: a text saved before its limit (core.teksten) does not stop a
    # change of the contact person; it is refused when its author saves it again.
    unchanged = [name for name in AANVRAAG_CONTENT_FIELDS if name not in changed]
    locked.full_clean(
        exclude=["regieverband", "oproep", "ingediend_door", "gewijzigd_door", *unchanged]
    )
    locked.save()
    return locked


def _next_volgorde(aanvraag: Aanvraag, prioriteit: Beleidsprioriteit, jaar: int) -> int:
    """A new action goes last in its cell of the meerjarenplan."""
    return aanvraag.acties.filter(prioriteit=prioriteit, jaar=jaar).count() + 1


def _check_actie_place(aanvraag: Aanvraag, prioriteit: Beleidsprioriteit, jaar: int) -> None:
    errors: dict[str, str] = {}
    if prioriteit.oproep_id != aanvraag.oproep_id:
        errors["prioriteit"] = _("Deze beleidsprioriteit hoort niet bij de oproep van de aanvraag.")
    if jaar not in aanvraag.oproep.jaren:
        errors["jaar"] = _("Het jaar moet binnen de periode %(van)s-%(tot)s liggen.") % {
            "van": aanvraag.oproep.eerste_jaar,
            "tot": aanvraag.oproep.laatste_jaar,
        }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def actie_save(
    *,
    aanvraag: Aanvraag,
    by: User,
    data: dict[str, Any],
    actie: Actie | None = None,
    versie: int | None = None,
    now: datetime.datetime | None = None,
) -> Actie:
    """Add an action (actie None) or change one, refusing a change based on an old version."""
    locked_aanvraag = _lock_editable(aanvraag, by, now)
    _check_actie_place(locked_aanvraag, data["prioriteit"], data["jaar"])
    if actie is None:
        target = Actie(aanvraag=locked_aanvraag)
    else:
        target = Actie.objects.select_for_update().get(pk=actie.pk, aanvraag=locked_aanvraag)
        if target.versie != versie:
            differing = actie_differences(target, data)
            if differing:
                raise ConcurrentEditError(
                    differing,
                    by=locked_aanvraag.gewijzigd_door,
                    at=locked_aanvraag.gewijzigd_op,
                    versie=target.versie,
                )
    for name in ACTIE_FIELDS:
        setattr(target, name, data[name])
    if actie is None:
        target.volgorde = _next_volgorde(locked_aanvraag, target.prioriteit, target.jaar)
    else:
        target.versie += 1
    target.full_clean()
    target.save()
    _touch(locked_aanvraag, by)
    return target


@transaction.atomic
def actie_duplicate(
    *, actie: Actie, jaar: int, by: User, now: datetime.datetime | None = None
) -> Actie:
    """Copy an action to another year of the period (same priority)."""
    locked_aanvraag = _lock_editable(actie.aanvraag, by, now)
    data = {name: getattr(actie, name) for name in ACTIE_FIELDS}
    data["jaar"] = jaar
    _check_actie_place(locked_aanvraag, actie.prioriteit, jaar)
    copy = Actie(aanvraag=locked_aanvraag, **data)
    copy.volgorde = _next_volgorde(locked_aanvraag, actie.prioriteit, jaar)
    copy.full_clean()
    copy.save()
    _touch(locked_aanvraag, by)
    return copy


@transaction.atomic
def actie_delete(
    *, actie: Actie, by: User, versie: int, now: datetime.datetime | None = None
) -> None:
    """Delete an action, unless a colleague changed it after this user looked at it."""
    locked_aanvraag = _lock_editable(actie.aanvraag, by, now)
    target = Actie.objects.select_for_update().get(pk=actie.pk, aanvraag=locked_aanvraag)
    if target.versie != versie:
        raise ConcurrentEditError(
            [FieldChange("titel", _field_label(Actie, "titel"), target.titel, actie.titel)],
            by=locked_aanvraag.gewijzigd_door,
            at=locked_aanvraag.gewijzigd_op,
            versie=target.versie,
        )
    target.delete()
    _touch(locked_aanvraag, by)


def _touch(aanvraag: Aanvraag, by: User) -> None:
    """Record who changed the aanvraag last, without bumping the version of its texts."""
    Aanvraag.objects.filter(pk=aanvraag.pk).update(gewijzigd_door=by, gewijzigd_op=timezone.now())


@atomic_with_files()
def bijlage_add(
    *,
    aanvraag: Aanvraag,
    by: User,
    bijlagetype: BijlageType,
    upload: UploadedFile,
    bestuur: LokaalBestuur | None = None,
    now: datetime.datetime | None = None,
) -> Bijlage:
    # Read the file before taking the aanvraag's lock: a large PDF takes a moment to check.
    gecontroleerd = uploads.check_pdf_upload(upload)
    locked = _lock_editable(aanvraag, by, now)
    if bijlagetype.oproep_id != locked.oproep_id:
        raise ValidationError({"bijlagetype": _("Deze soort bijlage hoort niet bij deze oproep.")})
    if bijlagetype.per_lid:
        leden = leden_van_aanvraag(locked)
        if bestuur is None or bestuur not in leden:
            raise ValidationError({"bestuur": _("Kies het lid waarvoor deze beslissing geldt.")})
    else:
        bestuur = None
    bijlage = Bijlage(
        aanvraag=locked,
        bijlagetype=bijlagetype,
        bestuur=bestuur,
        naam=gecontroleerd.naam,
        grootte=gecontroleerd.grootte,
        sha256=gecontroleerd.sha256,
        opgeladen_door=by,
    )
    store_file(bijlage.bestand, f"{gecontroleerd.sha256}.pdf", upload)
    bijlage.save()
    _touch(locked, by)
    return bijlage


@transaction.atomic
def bijlage_delete(*, bijlage: Bijlage, by: User, now: datetime.datetime | None = None) -> None:
    _lock_editable(bijlage.aanvraag, by, now)
    _bijlage_weg(bijlage, by)


def _bijlage_weg(bijlage: Bijlage, by: User) -> None:
    """Delete the attachment, stamp its aanvraag, and remove its file after the commit unless
    another attachment holds the same file."""
    path = bijlage.bestand.name
    storage = bijlage.bestand.storage
    still_used = Bijlage.objects.filter(bestand=path).exclude(pk=bijlage.pk).exists()
    bijlage.delete()
    _touch(bijlage.aanvraag, by)
    if not still_used:
        transaction.on_commit(lambda: storage.delete(path))


# A beheerder deletes an action or attachment of a draft on /beheer/ (admin.ZolangConcept): the
# aanvraag is stamped as when its regisseurs delete one, so its "gewijzigd op/door" tells.


def _lock_draft_for_beheer(aanvraag: Aanvraag, by: User) -> Aanvraag:
    """The aanvraag, locked, while a beheerder may still delete parts of it: a draft (or
    reopened for changes), checked again under the lock."""
    locked = lock_aanvraag(aanvraag)
    if not is_beheerder(by) or locked.status not in EDITABLE_STATUSES:
        raise PermissionDenied(
            _("Een beheerder verwijdert dit alleen zolang de aanvraag gewijzigd kan worden.")
        )
    return locked


@transaction.atomic
def actie_delete_door_beheerder(*, actie: Actie, by: User) -> None:
    """A beheerder deletes an action of a draft (`actie_delete` is the regisseurs' own)."""
    locked = _lock_draft_for_beheer(actie.aanvraag, by)
    Actie.objects.filter(pk=actie.pk, aanvraag=locked).delete()
    _touch(locked, by)


@transaction.atomic
def bijlage_delete_door_beheerder(*, bijlage: Bijlage, by: User) -> None:
    """A beheerder deletes an attachment of a draft (`bijlage_delete` is the regisseurs' own)."""
    _lock_draft_for_beheer(bijlage.aanvraag, by)
    _bijlage_weg(bijlage, by)


# What an app above this one keeps open on an aanvraag (the review's proposed decision) it closes
# when the aanvraag is withdrawn, in the same transaction: registered from its AppConfig.ready
# with `bij_intrekken`, so this app never imports it.
BijIntrekken = Callable[[Aanvraag, User, datetime.datetime], None]
_bij_intrekken: list[BijIntrekken] = []


def bij_intrekken(functie: BijIntrekken) -> BijIntrekken:
    if functie not in _bij_intrekken:
        _bij_intrekken.append(functie)
    return functie


@transaction.atomic
def aanvraag_withdraw(
    *, aanvraag: Aanvraag, by: User, reden: str = "", now: datetime.datetime | None = None
) -> Aanvraag:
    """The regisseurs withdraw their aanvraag, at any time before the decision."""
    locked = lock_aanvraag(aanvraag)
    if not is_regisseur_of(by, locked.regieverband):
        raise PermissionDenied(
            _("Alleen de regisseurs van dit regieverband trekken de aanvraag in.")
        )
    if locked.status in DECIDED_STATUSES:
        raise ValidationError(
            _("Over deze aanvraag is al beslist; intrekken kan niet meer."), code="decided"
        )
    now = now or timezone.now()
    aanvraag_transition(
        aanvraag=locked, naar=AanvraagStatus.INGETROKKEN, by=by, reden=reden.strip(), now=now
    )
    for functie in _bij_intrekken:
        functie(locked, by, now)
    aanvraag.status = locked.status
    return locked


@transaction.atomic
def verlenging_add(
    *,
    aanvraag: Aanvraag,
    by: User,
    tot: datetime.datetime,
    reden: str,
    now: datetime.datetime | None = None,
) -> Verlenging:
    """WSE extends the deadline of one aanvraag: until when and why, recorded."""
    ensure_wse(by)
    now = now or timezone.now()
    locked = lock_aanvraag(aanvraag)
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Uitstel geldt voor een aanvraag die nog gewijzigd kan worden (nu: %(status)s).")
            % {"status": AanvraagStatus(locked.status).label.lower()},
            code="not_editable",
        )
    if not reden.strip():
        raise ValidationError({"reden": _("Schrijf waarom er uitstel is.")}, code="required")
    if tot <= max(now, effective_deadline(locked)):
        raise ValidationError(
            {"tot": _("Kies een moment na de huidige termijn en na nu.")},
            code="not_later",
        )
    return Verlenging.objects.create(
        aanvraag=locked, tot=tot, reden=reden.strip(), toegekend_door=by, toegekend_op=now
    )
