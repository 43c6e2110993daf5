"""Business rules: every write that matters goes through a function here.

Services take keyword-only arguments, validate, write in one transaction and record history.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Subquery
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import pdf, uploads
from .constants import (
    AANVRAAG_TRANSITIONS,
    EDITABLE_STATUSES,
    AanvraagStatus,
    Advies,
    Herinneringsmoment,
    OproepStatus,
    Rol,
)
from .models import (
    Aanvraag,
    Actie,
    Beleidsprioriteit,
    Beoordeling,
    Beslissing,
    Bijlage,
    BijlageType,
    Herinnering,
    Indiening,
    Lidmaatschap,
    LokaalBestuur,
    Notitie,
    Oproep,
    Regieverband,
    Score,
    Statuswijziging,
    User,
    Verlenging,
    Vraag,
)
from .overzichten import inwoners_per_bestuur
from .permissions import is_regisseur_of
from .selectors import leden_op
from .transactions import atomic_with_files, store_file

logger = logging.getLogger(__name__)


def effective_deadline(aanvraag: Aanvraag) -> datetime.datetime:
    """Until when the regisseurs can change and submit: the call's deadline for a draft, the due
    date WSE set when it asked for changes, or a later extension WSE granted to this aanvraag."""
    deadline = aanvraag.oproep.deadline
    sinds = None
    if aanvraag.status == AanvraagStatus.WIJZIGINGEN_GEVRAAGD and aanvraag.wijzigingen_tot:
        deadline = aanvraag.wijzigingen_tot
        # An extension of the first deadline does not stretch the time for changes.
        sinds = aanvraag.ingediend_op
    verlengingen = getattr(aanvraag, "_prefetched_objects_cache", {}).get("verlengingen")
    if verlengingen is None:
        verlengingen = list(aanvraag.verlengingen.all())
    tots = [v.tot for v in verlengingen if sinds is None or v.toegekend_op >= sinds]
    return max([deadline, *tots])


def is_before_deadline(aanvraag: Aanvraag, *, now: datetime.datetime | None = None) -> bool:
    """The deadline rule: accepted up to and including the deadline's second, refused after it.

    The deadline is a whole second (e.g. 2023-01-15 23:59:59 Europe/Brussels); any moment within
    that second still counts, the next second does not. `now` is the server's clock, never the
    browser's.
    """
    now = now or timezone.now()
    return now.replace(microsecond=0) <= effective_deadline(aanvraag)


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


# --- Starting and editing an aanvraag -----------------------------------------------------------

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

    label: str
    stored: str
    yours: str


class ConcurrentEditError(Exception):
    """A save based on an older version than the stored one: refused, never applied silently."""

    def __init__(self, changes: list[FieldChange], by: User | None, at: datetime.datetime) -> None:
        super().__init__("concurrent edit")
        self.changes = changes
        self.by = by
        self.at = at


def _deadline_text(deadline: datetime.datetime) -> str:
    local = timezone.localtime(deadline)
    return formats.date_format(local, "j F Y") + " " + local.strftime("%H:%M:%S")


def is_open_for_editing(aanvraag: Aanvraag, *, now: datetime.datetime | None = None) -> bool:
    """The content can change in an editable status (a draft, or changes asked by WSE), up to
    and including its deadline (`effective_deadline`)."""
    return aanvraag.status in EDITABLE_STATUSES and is_before_deadline(aanvraag, now=now)


def ensure_editable(aanvraag: Aanvraag, *, by: User, now: datetime.datetime | None = None) -> None:
    """Raise PermissionDenied for someone who may not edit, ValidationError when it is closed."""
    if not is_regisseur_of(by, aanvraag.regieverband):
        raise PermissionDenied(_("Alleen de regisseurs van dit regieverband wijzigen de aanvraag."))
    if aanvraag.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Deze aanvraag is %(status)s en kan niet meer gewijzigd worden.")
            % {"status": AanvraagStatus(aanvraag.status).label.lower()},
            code="not_editable",
        )
    if not is_open_for_editing(aanvraag, now=now):
        raise ValidationError(
            _(
                "De uiterste indieningsdatum (%(deadline)s, Brusselse tijd) is voorbij. De "
                "aanvraag kan niet meer gewijzigd worden, tenzij WSE uitstel toekent."
            )
            % {"deadline": _deadline_text(effective_deadline(aanvraag))},
            code="deadline_passed",
        )


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
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Beleidsprioriteit):
        return value.code
    return str(value)


def _lock_editable(aanvraag: Aanvraag, by: User, now: datetime.datetime | None) -> Aanvraag:
    locked = (
        Aanvraag.objects.select_for_update(of=("self",))
        .select_related("regieverband", "oproep")
        .get(pk=aanvraag.pk)
    )
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
    differing = {k: v for k, v in changes.items() if getattr(locked, k) != v}
    if not differing:
        return locked
    if locked.versie != versie:
        raise ConcurrentEditError(
            [
                FieldChange(_field_label(Aanvraag, k), _as_text(getattr(locked, k)), v)
                for k, v in differing.items()
            ],
            by=locked.gewijzigd_door,
            at=locked.gewijzigd_op,
        )
    for name, value in differing.items():
        setattr(locked, name, value)
    locked.versie += 1
    locked.gewijzigd_door = by
    locked.full_clean(exclude=["regieverband", "oproep", "ingediend_door", "gewijzigd_door"])
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
            differing = [
                FieldChange(_field_label(Actie, k), _as_text(getattr(target, k)), _as_text(v))
                for k, v in data.items()
                if getattr(target, k) != v
            ]
            if differing:
                raise ConcurrentEditError(
                    differing, by=locked_aanvraag.gewijzigd_door, at=locked_aanvraag.gewijzigd_op
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
            [FieldChange(_field_label(Actie, "titel"), target.titel, actie.titel)],
            by=locked_aanvraag.gewijzigd_door,
            at=locked_aanvraag.gewijzigd_op,
        )
    target.delete()
    _touch(locked_aanvraag, by)


def _touch(aanvraag: Aanvraag, by: User) -> None:
    """Record who changed the aanvraag last, without bumping the version of its texts."""
    Aanvraag.objects.filter(pk=aanvraag.pk).update(gewijzigd_door=by, gewijzigd_op=timezone.now())


# --- Attachments --------------------------------------------------------------------------------


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
    path = bijlage.bestand.name
    storage = bijlage.bestand.storage
    still_used = Bijlage.objects.filter(bestand=path).exclude(pk=bijlage.pk).exists()
    bijlage.delete()
    _touch(bijlage.aanvraag, by)
    if not still_used:
        transaction.on_commit(lambda: storage.delete(path))


# --- Completeness -------------------------------------------------------------------------------


class Sectie:
    VERBAND = "verband"
    TEKSTEN = "teksten"
    MEERJARENPLAN = "meerjarenplan"
    BEGROTING = "begroting"
    BIJLAGEN = "bijlagen"


@dataclass(frozen=True)
class Check:
    """One completeness rule and whether the aanvraag meets it."""

    sectie: str
    label: str
    ok: bool


@dataclass
class Completeness:
    checks: list[Check]
    warnings: list[str] = field(default_factory=list)

    @property
    def is_complete(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def done(self) -> int:
        return sum(c.ok for c in self.checks)

    @property
    def total(self) -> int:
        return len(self.checks)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def for_section(self, sectie: str) -> list[Check]:
        return [c for c in self.checks if c.sectie == sectie]

    def section_ok(self, sectie: str) -> bool:
        return all(c.ok for c in self.for_section(sectie))


def leden_van_aanvraag(aanvraag: Aanvraag) -> list[LokaalBestuur]:
    """The members of the aanvraag's verband as of its call (the first day of the period)."""
    return leden_op(aanvraag.regieverband, aanvraag.oproep.peildatum)


def aanvraag_completeness(aanvraag: Aanvraag) -> Completeness:
    """Check every rule of the call on the aanvraag, in a fixed number of queries.

    The rules: a contact person, at least one member, the required texts, at least the call's
    minimum number of actions per priority for every year, and the required attachments
    (one per member where the call asks a decision of each member).
    """
    oproep = aanvraag.oproep
    leden = leden_van_aanvraag(aanvraag)
    checks = [
        Check(
            Sectie.VERBAND,
            _("Contactpersoon met naam en e-mailadres"),
            bool(aanvraag.contact_naam.strip() and aanvraag.contact_email.strip()),
        ),
        Check(Sectie.VERBAND, _("Minstens één lid van het regieverband"), bool(leden)),
        Check(Sectie.TEKSTEN, _("Omgevingsanalyse"), bool(aanvraag.omgevingsanalyse.strip())),
        Check(Sectie.TEKSTEN, _("Visie en beleidsplanning"), bool(aanvraag.visie.strip())),
    ]
    counts = Counter(aanvraag.acties.values_list("prioriteit_id", "jaar"))
    minimum = oproep.min_acties_per_prioriteit_per_jaar
    for prioriteit in oproep.prioriteiten.all():
        for jaar in oproep.jaren:
            checks.append(
                Check(
                    Sectie.MEERJARENPLAN,
                    _("%(code)s in %(jaar)s: minstens %(n)s actie(s)")
                    % {"code": prioriteit.code, "jaar": jaar, "n": minimum},
                    counts[(prioriteit.pk, jaar)] >= minimum,
                )
            )
    bijlagen = list(aanvraag.bijlagen.values_list("bijlagetype_id", "bestuur_id"))
    for bijlagetype in oproep.bijlagetypes.filter(verplicht=True):
        if bijlagetype.per_lid:
            for lid in leden:
                checks.append(
                    Check(
                        Sectie.BIJLAGEN,
                        f"{bijlagetype.naam}: {lid.naam}",
                        (bijlagetype.pk, lid.pk) in bijlagen,
                    )
                )
        else:
            checks.append(
                Check(
                    Sectie.BIJLAGEN,
                    bijlagetype.naam,
                    any(t == bijlagetype.pk for t, _b in bijlagen),
                )
            )
    return Completeness(checks=checks, warnings=aanvraag_warnings(aanvraag, leden))


def aanvraag_warnings(aanvraag: Aanvraag, leden: list[LokaalBestuur]) -> list[str]:
    """What WSE will ask about but does not block submission: overlap and population."""
    oproep = aanvraag.oproep
    warnings: list[str] = []
    if oproep.een_verband_per_bestuur and leden:
        # Another verband's aanvraag in this call that still counts (one test on one aanvraag:
        # a withdrawn aanvraag of another call must not hide an overlap in this one).
        meedingend = Aanvraag.objects.filter(
            regieverband=OuterRef("regieverband"), oproep=oproep
        ).exclude(status=AanvraagStatus.INGETROKKEN)
        overlap = (
            Lidmaatschap.objects.filter(bestuur__in=leden)
            .actief_op(oproep.peildatum)
            .filter(Exists(meedingend))
            .exclude(regieverband_id=aanvraag.regieverband_id)
            .select_related("bestuur", "regieverband")
            .order_by("bestuur__naam")
        )
        for lid in overlap:
            warnings.append(
                _("%(bestuur)s zit ook in de aanvraag van %(verband)s voor deze oproep.")
                % {"bestuur": lid.bestuur.naam, "verband": lid.regieverband.naam}
            )
    if oproep.min_inwoners and leden:
        alone_centrumstad = (
            oproep.centrumstad_mag_alleen and len(leden) == 1 and leden[0].is_centrumstad
        )
        inwoners, onbekend = bevolking_van(leden, jaar=oproep.eerste_jaar)
        if onbekend:
            warnings.append(
                _("Het inwonersaantal is niet gekend voor: %(namen)s.")
                % {"namen": ", ".join(b.naam for b in onbekend)}
            )
        elif inwoners < oproep.min_inwoners and not alone_centrumstad:
            warnings.append(
                _("De leden tellen samen %(n)s inwoners; de oproep vraagt minstens %(min)s.")
                % {
                    "n": formats.number_format(inwoners, force_grouping=True),
                    "min": formats.number_format(oproep.min_inwoners, force_grouping=True),
                }
            )
    return warnings


def bevolking_van(besturen: list[LokaalBestuur], *, jaar: int) -> tuple[int, list[LokaalBestuur]]:
    """The summed latest known population (reference year up to `jaar`) and who is unknown."""
    latest = inwoners_per_bestuur((b.pk for b in besturen), jaar=jaar)
    onbekend = [b for b in besturen if b.pk not in latest]
    return sum(latest.values()), onbekend


# --- Submission ---------------------------------------------------------------------------------


@atomic_with_files()
def aanvraag_submit(
    *, aanvraag: Aanvraag, by: User, now: datetime.datetime | None = None
) -> Aanvraag:
    """Submit a draft (or a reopened aanvraag). Refused after the deadline, or while incomplete.

    The deadline is checked here, on the server's clock, whatever the browser shows. On success
    the aanvraag is frozen (status ingediend), the time and submitter are stored, the PDF is
    sealed as a new version, and the verband's regisseurs get an e-mail once the transaction has
    committed.
    """
    now = now or timezone.now()
    locked = (
        Aanvraag.objects.select_for_update(of=("self",))
        .select_related("regieverband", "oproep")
        .get(pk=aanvraag.pk)
    )
    if not is_regisseur_of(by, locked.regieverband):
        raise PermissionDenied(
            _("Alleen de regisseurs van dit regieverband dienen de aanvraag in.")
        )
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Deze aanvraag is al %(status)s.")
            % {"status": AanvraagStatus(locked.status).label.lower()},
            code="not_editable",
        )
    if not is_before_deadline(locked, now=now):
        raise ValidationError(
            _(
                "Indienen kon tot en met %(deadline)s (Brusselse tijd). Die termijn is voorbij; "
                "de aanvraag is niet ingediend."
            )
            % {"deadline": _deadline_text(effective_deadline(locked))},
            code="deadline_passed",
        )
    completeness = aanvraag_completeness(locked)
    if not completeness.is_complete:
        raise ValidationError(
            [_("Nog niet volledig: %(label)s.") % {"label": c.label} for c in completeness.missing],
            code="incomplete",
        )
    aanvraag_transition(aanvraag=locked, naar=AanvraagStatus.INGEDIEND, by=by, now=now)
    locked.ingediend_op = now
    locked.ingediend_door = by
    locked.save(update_fields=["ingediend_op", "ingediend_door", "gewijzigd_op"])
    # Sealed inside the transaction: if the PDF cannot be made, nothing is submitted.
    aanvraag_seal(aanvraag=locked, by=by, now=now)
    from .notifications import send_submission_confirmation

    aanvraag_id = locked.pk
    transaction.on_commit(
        lambda: send_submission_confirmation(aanvraag_id=aanvraag_id), robust=True
    )
    return locked


def begroting(aanvraag: Aanvraag) -> dict[str, Any]:
    """Budget totals per year and per priority, computed from the actions, never typed."""
    oproep = aanvraag.oproep
    prioriteiten = list(oproep.prioriteiten.all())
    per_cel: dict[tuple[int, int], Decimal] = {}
    for prioriteit_id, jaar, budget in aanvraag.acties.values_list(
        "prioriteit_id", "jaar", "budget"
    ):
        per_cel[(prioriteit_id, jaar)] = per_cel.get((prioriteit_id, jaar), Decimal(0)) + budget
    rows = []
    for p in prioriteiten:
        cells = [per_cel.get((p.pk, jaar), Decimal(0)) for jaar in oproep.jaren]
        rows.append({"prioriteit": p, "cells": cells, "total": sum(cells, Decimal(0))})
    per_jaar = [
        sum((per_cel.get((p.pk, jaar), Decimal(0)) for p in prioriteiten), Decimal(0))
        for jaar in oproep.jaren
    ]
    return {
        "jaren": oproep.jaren,
        "rows": rows,
        "per_jaar": per_jaar,
        "total": sum(per_jaar, Decimal(0)),
    }


# --- The sealed PDF ------------------------------------------------------------------------------


class SealBrokenError(Exception):
    """The stored bytes of a sealed PDF no longer match the hash recorded at submission."""


def aanvraag_inhoud(aanvraag: Aanvraag) -> dict[str, Any]:
    """The submitted content as plain data: texts, contact, actions and attachments."""
    return {
        "contact": {
            "naam": aanvraag.contact_naam,
            "functie": aanvraag.contact_functie,
            "email": aanvraag.contact_email,
            "telefoon": aanvraag.contact_telefoon,
        },
        "omgevingsanalyse": aanvraag.omgevingsanalyse,
        "visie": aanvraag.visie,
        "leden": [b.nis_code for b in leden_van_aanvraag(aanvraag)],
        "acties": [
            {
                "id": a.pk,
                "prioriteit": a.prioriteit.code,
                "jaar": a.jaar,
                "titel": a.titel,
                "beschrijving": a.beschrijving,
                "doelgroep": a.doelgroep,
                "verwacht_resultaat": a.verwacht_resultaat,
                "indicator": a.indicator,
                "partners": a.partners,
                "budget": str(a.budget),
            }
            for a in aanvraag.acties.select_related("prioriteit")
        ],
        "bijlagen": [
            {"naam": b.naam, "grootte": b.grootte, "sha256": b.sha256}
            for b in aanvraag.bijlagen.all()
        ],
    }


@atomic_with_files()
def aanvraag_seal(
    *, aanvraag: Aanvraag, by: User | None, now: datetime.datetime | None = None
) -> Indiening:
    """Render the PDF of a submission once and store it with its SHA-256 and size.

    Each call adds the next version; earlier versions stay. Called by `aanvraag_submit` while it
    holds the aanvraag's lock, so two submissions cannot take the same number.
    """
    now = now or timezone.now()
    nummer = (aanvraag.indieningen.aggregate(hoogste=Max("nummer"))["hoogste"] or 0) + 1
    stempel = pdf.Stempel(
        concept=False,
        versie=nummer,
        ingediend_op=now,
        ingediend_door=by.get_full_name() if by else "",
    )
    content = pdf.render_aanvraag(aanvraag, stempel)
    indiening = Indiening(
        aanvraag=aanvraag,
        nummer=nummer,
        ingediend_op=now,
        ingediend_door=by,
        pdf_sha256=hashlib.sha256(content).hexdigest(),
        pdf_grootte=len(content),
        inhoud=aanvraag_inhoud(aanvraag),
    )
    # The file is written before the row (never a row without its file) and removed again if
    # the transaction does not commit.
    store_file(indiening.pdf, indiening_filename(indiening), ContentFile(content))
    indiening.save()
    return indiening


def indiening_filename(indiening: Indiening) -> str:
    return pdf_filename(indiening.aanvraag, str(indiening.nummer))


def pdf_filename(aanvraag: Aanvraag, versie: str) -> str:
    """`aanvraag-<call>-<verband>-<version>.pdf`, safe as a download name."""
    return f"aanvraag-{aanvraag.oproep.slug}-{slugify(aanvraag.regieverband.naam)}-{versie}.pdf"


def read_sealed(stored: FieldFile, sha256: str) -> bytes:
    """The stored bytes of a sealed file (a submitted version, a decision letter), checked
    against the hash taken when it was sealed."""
    with stored.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != sha256:
        raise SealBrokenError(f"Stored file {stored.name} does not match its SHA-256 {sha256}.")
    return content


@dataclass(frozen=True)
class PdfBestand:
    """A PDF ready to hand out: its download name, its bytes, and the sealed version it is."""

    naam: str
    inhoud: bytes
    indiening: Indiening | None


def aanvraag_pdf(aanvraag: Aanvraag, *, nummer: int | None = None) -> PdfBestand:
    """The PDF of an aanvraag as a user downloads it.

    A given version number: those sealed bytes (`Indiening.DoesNotExist` if there is none).
    Otherwise, while the regisseurs can still change it: a draft made now, marked
    "CONCEPT - niet ingediend". Otherwise the latest sealed version. An aanvraag submitted before
    sealing existed has no sealed version; it is printed now from its frozen content and says so.
    """
    if nummer is not None:
        indiening = aanvraag.indieningen.get(nummer=nummer)
        return PdfBestand(
            indiening_filename(indiening),
            read_sealed(indiening.pdf, indiening.pdf_sha256),
            indiening,
        )
    if aanvraag.status in EDITABLE_STATUSES:
        content = pdf.render_aanvraag(aanvraag, pdf.Stempel(concept=True))
        return PdfBestand(pdf_filename(aanvraag, "concept"), content, None)
    latest = aanvraag.indieningen.order_by("-nummer").first()
    if latest is not None:
        return PdfBestand(
            indiening_filename(latest), read_sealed(latest.pdf, latest.pdf_sha256), latest
        )
    stempel = pdf.Stempel(
        concept=False,
        ingediend_op=aanvraag.ingediend_op,
        ingediend_door=aanvraag.ingediend_door.get_full_name() if aanvraag.ingediend_door else "",
    )
    content = pdf.render_aanvraag(aanvraag, stempel)
    return PdfBestand(pdf_filename(aanvraag, "onverzegeld"), content, None)


def submitted_pdfs(oproep: Oproep) -> list[Indiening]:
    """The latest sealed version of every aanvraag of a call, in the order of the verbanden."""
    hoogste = (
        Indiening.objects.filter(aanvraag=OuterRef("aanvraag"))
        .order_by("-nummer")
        .values("nummer")[:1]
    )
    return list(
        Indiening.objects.filter(aanvraag__oproep=oproep, nummer=Subquery(hoogste))
        .select_related("aanvraag__regieverband", "aanvraag__oproep")
        .order_by("aanvraag__regieverband__naam")
    )


def pdf_export(
    oproep: Oproep, *, indieningen: list[Indiening] | None = None
) -> list[tuple[str, bytes]]:
    """The files of a call's PDF export, for the ZIP download and `export_pdfs`.

    The latest sealed PDF of every submitted aanvraag, `SHA256SUMS` (checkable with
    `sha256sum -c SHA256SUMS`) and `overzicht.csv` (one row per PDF, Dutch headers).
    `indieningen`: the versions to export, as `submitted_pdfs` gave them to a caller that
    also needs them (the download logs each one); read now when not given.
    """
    rows = []
    used: set[str] = set()
    for i in submitted_pdfs(oproep) if indieningen is None else indieningen:
        name = indiening_filename(i)
        if name in used:  # two verband names with the same slug: add the reference
            name = pdf_filename(i.aanvraag, f"{i.aanvraag.pk}-{i.nummer}")
        used.add(name)
        rows.append((i, name, read_sealed(i.pdf, i.pdf_sha256)))
    sums = "".join(f"{indiening.pdf_sha256}  {name}\n" for indiening, name, _c in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "Referentie",
            "Regieverband",
            "Versie",
            "Ingediend op",
            "Status",
            "Bestand",
            "Grootte (bytes)",
            "SHA-256",
        ]
    )
    for indiening, name, _content in rows:
        aanvraag = indiening.aanvraag
        writer.writerow(
            [
                aanvraag.referentie,
                aanvraag.regieverband.naam,
                indiening.nummer,
                timezone.localtime(indiening.ingediend_op).strftime("%Y-%m-%d %H:%M:%S"),
                str(AanvraagStatus(aanvraag.status).label),
                name,
                indiening.pdf_grootte,
                indiening.pdf_sha256,
            ]
        )
    return [
        *((name, content) for _i, name, content in rows),
        ("SHA256SUMS", sums.encode()),
        ("overzicht.csv", buffer.getvalue().encode("utf-8-sig")),
    ]


# --- Review by WSE ------------------------------------------------------------------------------


def _ensure_reviewer(by: User, aanvraag: Aanvraag | None = None) -> None:
    """Reviewing, asking, sending back and deciding is the work of WSE-beoordelaars, and never
    of one who is also a regisseur of the aanvraag's own regieverband."""
    if not by.is_beoordelaar:
        raise PermissionDenied(_("Alleen WSE-beoordelaars beoordelen aanvragen."))
    if aanvraag is not None and is_regisseur_of(by, aanvraag.regieverband):
        raise PermissionDenied(
            _("U bent regisseur van dit regieverband en beoordeelt de aanvraag dus niet.")
        )


def _ensure_wse(by: User) -> None:
    if not (by.is_beoordelaar or by.is_beheerder):
        raise PermissionDenied(_("Alleen WSE ziet en schrijft dit."))


def _lock(aanvraag: Aanvraag) -> Aanvraag:
    # of=("self",): lock the aanvraag's row only, not the joined call and verband.
    return (
        Aanvraag.objects.select_for_update(of=("self",))
        .select_related("regieverband", "oproep")
        .get(pk=aanvraag.pk)
    )


# Once decided or withdrawn, an aanvraag is closed: no reviews, questions or new lead.
CLOSED_STATUSES = frozenset(
    {AanvraagStatus.GOEDGEKEURD, AanvraagStatus.AFGEWEZEN, AanvraagStatus.INGETROKKEN}
)


def _ensure_under_review(aanvraag: Aanvraag) -> None:
    if aanvraag.status == AanvraagStatus.CONCEPT:
        raise ValidationError(
            _("Deze aanvraag is nog niet ingediend; WSE behandelt ze pas na het indienen."),
            code="not_submitted",
        )
    if aanvraag.status in CLOSED_STATUSES:
        raise ValidationError(
            _("Deze aanvraag is %(status)s; de behandeling is afgesloten.")
            % {"status": AanvraagStatus(aanvraag.status).label.lower()},
            code="closed",
        )


@transaction.atomic
def aanvraag_take(
    *,
    aanvraag: Aanvraag,
    by: User,
    behandelaar: User | None = None,
    now: datetime.datetime | None = None,
) -> Aanvraag:
    """A reviewer takes the lead of an aanvraag, or the lead (or a beheerder) assigns it to a
    colleague.

    A submitted aanvraag goes "in behandeling" at the same time, and so does one whose due date
    for changes passed without a resubmission. A change of lead is written in the internal
    notes, in Dutch, so the trail shows who led when.
    """
    # A beheerder may hand an aanvraag to a reviewer, not take it.
    if not (by.is_beheerder and behandelaar is not None):
        _ensure_reviewer(by, aanvraag)
    behandelaar = behandelaar or by
    if not (behandelaar.is_active and behandelaar.is_beoordelaar):
        raise ValidationError(
            _("%(naam)s is geen actieve WSE-beoordelaar.") % {"naam": behandelaar},
            code="not_a_reviewer",
        )
    if is_regisseur_of(behandelaar, aanvraag.regieverband):
        raise ValidationError(
            _("%(naam)s is regisseur van dit regieverband.") % {"naam": behandelaar},
            code="own_verband",
        )
    now = now or timezone.now()
    locked = _lock(aanvraag)
    _ensure_under_review(locked)
    # Once there is a lead, only the lead (or a beheerder) hands the aanvraag on: a colleague
    # cannot take it over, and with it the view of everyone's reviews.
    if locked.behandelaar_id not in (None, by.pk, behandelaar.pk) and not by.is_beheerder:
        raise PermissionDenied(
            _("%(naam)s leidt deze aanvraag; alleen die of een beheerder wijst ze toe.")
            % {"naam": locked.behandelaar}
        )
    with translation.override(settings.LANGUAGE_CODE):  # the record is Dutch for all readers
        tekst = (
            _("%(door)s nam de aanvraag in behandeling.") % {"door": by}
            if behandelaar == by
            else _("%(door)s wees de aanvraag toe aan %(naam)s.")
            % {"door": by, "naam": behandelaar}
        )
    if locked.behandelaar_id != behandelaar.pk:
        locked.behandelaar = behandelaar
        locked.save(update_fields=["behandelaar", "gewijzigd_op"])
        Notitie.objects.create(aanvraag=locked, tekst=tekst, door=by, op=now)
    # A resubmission after changes is "ingediend" again with the same lead: taking it puts it
    # back in review (the decision needs that), even though the lead does not change. So does
    # taking an aanvraag whose due date for changes passed without a resubmission: WSE then
    # decides on the version it has.
    terug_in_behandeling = locked.status == AanvraagStatus.INGEDIEND or (
        locked.status == AanvraagStatus.WIJZIGINGEN_GEVRAAGD
        and not is_before_deadline(locked, now=now)
    )
    if terug_in_behandeling and by.is_beoordelaar:
        # The status history is shown to the regisseurs: a neutral reason, never the note.
        with translation.override(settings.LANGUAGE_CODE):
            reden = _("In behandeling genomen door WSE.")
        aanvraag_transition(
            aanvraag=locked, naar=AanvraagStatus.IN_BEHANDELING, by=by, reden=reden, now=now
        )
    aanvraag.behandelaar = behandelaar
    aanvraag.status = locked.status
    return locked


@transaction.atomic
def aanvraag_request_changes(
    *,
    aanvraag: Aanvraag,
    by: User,
    reden: str,
    tot: datetime.datetime,
    now: datetime.datetime | None = None,
) -> Aanvraag:
    """Send the aanvraag back: editable for its regisseurs until `tot`, then resubmitted."""
    _ensure_reviewer(by, aanvraag)
    now = now or timezone.now()
    if not reden.strip():
        raise ValidationError(
            {"reden": _("Schrijf welke wijzigingen u vraagt.")}, code="reden_required"
        )
    if tot <= now:
        raise ValidationError(
            {"tot": _("De termijn moet in de toekomst liggen.")}, code="due_in_past"
        )
    locked = _lock(aanvraag)
    aanvraag_transition(
        aanvraag=locked, naar=AanvraagStatus.WIJZIGINGEN_GEVRAAGD, by=by, reden=reden, now=now
    )
    locked.wijzigingen_tot = tot
    locked.save(update_fields=["wijzigingen_tot", "gewijzigd_op"])
    from .notifications import send_changes_requested

    aanvraag_id = locked.pk
    transaction.on_commit(lambda: send_changes_requested(aanvraag_id=aanvraag_id), robust=True)
    aanvraag.status, aanvraag.wijzigingen_tot = locked.status, tot
    return locked


@transaction.atomic
def vraag_stellen(
    *, aanvraag: Aanvraag, by: User, tekst: str, now: datetime.datetime | None = None
) -> Vraag:
    """A reviewer asks the regisseurs a question; they get an e-mail and answer in the portal."""
    _ensure_reviewer(by, aanvraag)
    if not tekst.strip():
        raise ValidationError({"tekst": _("Schrijf de vraag.")}, code="required")
    locked = _lock(aanvraag)
    _ensure_under_review(locked)
    vraag = Vraag.objects.create(
        aanvraag=locked, tekst=tekst.strip(), gesteld_door=by, gesteld_op=now or timezone.now()
    )
    from .notifications import send_question

    transaction.on_commit(lambda: send_question(vraag_id=vraag.pk), robust=True)
    return vraag


@transaction.atomic
def vraag_beantwoorden(
    *, vraag: Vraag, by: User, antwoord: str, now: datetime.datetime | None = None
) -> Vraag:
    """A regisseur of the verband answers a question, once; the reviewer who asked is told."""
    locked = (
        Vraag.objects.select_for_update(of=("self",))
        .select_related("aanvraag__regieverband")
        .get(pk=vraag.pk)
    )
    if not is_regisseur_of(by, locked.aanvraag.regieverband):
        raise PermissionDenied(_("Alleen de regisseurs van dit regieverband antwoorden."))
    if locked.is_beantwoord:
        raise ValidationError(_("Deze vraag is al beantwoord."), code="already_answered")
    if locked.aanvraag.status in CLOSED_STATUSES:
        raise ValidationError(_("De behandeling van deze aanvraag is afgesloten."), code="closed")
    if not antwoord.strip():
        raise ValidationError({"antwoord": _("Schrijf uw antwoord.")}, code="required")
    locked.antwoord = antwoord.strip()
    locked.beantwoord_door = by
    locked.beantwoord_op = now or timezone.now()
    locked.save(update_fields=["antwoord", "beantwoord_door", "beantwoord_op"])
    from .notifications import send_answer

    transaction.on_commit(lambda: send_answer(vraag_id=locked.pk), robust=True)
    return locked


def notitie_add(
    *, aanvraag: Aanvraag, by: User, tekst: str, now: datetime.datetime | None = None
) -> Notitie:
    """An internal note: WSE only, never shown to the regisseurs."""
    _ensure_wse(by)
    if not tekst.strip():
        raise ValidationError({"tekst": _("Schrijf de notitie.")}, code="required")
    return Notitie.objects.create(
        aanvraag=aanvraag, tekst=tekst.strip(), door=by, op=now or timezone.now()
    )


def _check_bedragen(
    oproep: Oproep, bedragen: dict[int, Decimal], *, veld: str = "bedragen"
) -> dict[str, str]:
    """Amounts per year of the call: every year given, none negative, none above the yearly
    budget. Returned as JSON-ready text."""
    if set(bedragen) != set(oproep.jaren):
        raise ValidationError(
            {
                veld: _("Geef een bedrag voor elk jaar van de oproep (%(jaren)s).")
                % {"jaren": ", ".join(str(j) for j in oproep.jaren)}
            },
            code="years",
        )
    for jaar, bedrag in bedragen.items():
        # Per-year errors name the year's field (`bedrag_<year>`), so forms show them there.
        if bedrag < 0:
            raise ValidationError(
                {f"bedrag_{jaar}": _("Een bedrag kan niet negatief zijn.")}, code="negative"
            )
        if bedrag > oproep.jaarbudget:
            raise ValidationError(
                {
                    f"bedrag_{jaar}": _(
                        "%(jaar)s: EUR %(bedrag)s is meer dan het budget van de oproep voor een "
                        "jaar (EUR %(budget)s)."
                    )
                    % {
                        "jaar": jaar,
                        "bedrag": formats.number_format(bedrag, 2, force_grouping=True),
                        "budget": formats.number_format(oproep.jaarbudget, 2, force_grouping=True),
                    }
                },
                code="above_budget",
            )
    return {str(jaar): str(bedragen[jaar].quantize(Decimal("0.01"))) for jaar in oproep.jaren}


@transaction.atomic
def beoordeling_save(
    *,
    aanvraag: Aanvraag,
    by: User,
    scores: dict[int, tuple[int, str]],
    advies: str,
    motivatie: str,
    bedragen: dict[int, Decimal],
) -> Beoordeling:
    """Save this reviewer's review: a score with motivation for every priority of the call, an
    advice, a motivation and a proposed amount per year. A reviewer has one review per aanvraag
    and may revise it until the decision."""
    _ensure_reviewer(by, aanvraag)
    locked = _lock(aanvraag)
    _ensure_under_review(locked)
    oproep = locked.oproep
    prioriteiten = list(oproep.prioriteiten.all())
    errors: dict[str, list[str]] = {}
    for p in prioriteiten:
        if p.pk not in scores:
            errors.setdefault(f"score_{p.pk}", []).append(_("Geef een score."))
            continue
        score, score_motivatie = scores[p.pk]
        if not oproep.score_min <= score <= oproep.score_max:
            errors.setdefault(f"score_{p.pk}", []).append(
                _("Een score ligt tussen %(min)s en %(max)s.")
                % {"min": oproep.score_min, "max": oproep.score_max}
            )
        if not score_motivatie.strip():
            errors.setdefault(f"motivatie_{p.pk}", []).append(_("Motiveer de score."))
    if advies not in Advies.values:
        errors.setdefault("advies", []).append(_("Kies een advies."))
    if not motivatie.strip():
        errors.setdefault("motivatie", []).append(_("Motiveer het advies."))
    if errors:
        raise ValidationError(errors)
    bedragen_json = _check_bedragen(oproep, bedragen)
    beoordeling, _created = Beoordeling.objects.update_or_create(
        aanvraag=locked,
        beoordelaar=by,
        defaults={"advies": advies, "motivatie": motivatie.strip(), "bedragen": bedragen_json},
    )
    for p in prioriteiten:
        score, score_motivatie = scores[p.pk]
        Score.objects.update_or_create(
            beoordeling=beoordeling,
            prioriteit=p,
            defaults={"score": score, "motivatie": score_motivatie.strip()},
        )
    return beoordeling


def toegekend_in_oproep(oproep: Oproep, *, behalve: Aanvraag | None = None) -> dict[int, Decimal]:
    """What the call has granted so far, per year, over all approved aanvragen."""
    totals = {jaar: Decimal(0) for jaar in oproep.jaren}
    beslissingen = Beslissing.objects.filter(
        aanvraag__oproep=oproep, uitkomst=AanvraagStatus.GOEDGEKEURD
    )
    if behalve is not None:
        beslissingen = beslissingen.exclude(aanvraag=behalve)
    for beslissing in beslissingen:
        for jaar, bedrag in beslissing.bedragen_per_jaar.items():
            totals[jaar] = totals.get(jaar, Decimal(0)) + bedrag
    return totals


@atomic_with_files()
def aanvraag_decide(
    *,
    aanvraag: Aanvraag,
    by: User,
    uitkomst: AanvraagStatus,
    motivatie: str,
    bedragen: dict[int, Decimal] | None = None,
    now: datetime.datetime | None = None,
) -> Beslissing:
    """Record WSE's decision: approved with the granted amount per year, or refused.

    The call's budget is shared: an approval may not take a year over the call's yearly budget,
    counting what earlier decisions granted (the call's row is locked, so two decisions cannot
    both take the last euro). The decision letter is rendered and kept; the regisseurs are told.
    """
    _ensure_reviewer(by, aanvraag)
    now = now or timezone.now()
    locked = _lock(aanvraag)
    if uitkomst not in (AanvraagStatus.GOEDGEKEURD, AanvraagStatus.AFGEWEZEN):
        raise ValidationError(_("Kies goedgekeurd of afgewezen."), code="uitkomst")
    if locked.status == AanvraagStatus.INGETROKKEN:
        raise ValidationError(
            _("Deze aanvraag werd ingetrokken; er volgt geen beslissing."), code="withdrawn"
        )
    if locked.status != AanvraagStatus.IN_BEHANDELING:
        raise ValidationError(
            _("Alleen over een aanvraag in behandeling wordt beslist (nu: %(status)s).")
            % {"status": AanvraagStatus(locked.status).label.lower()},
            code="transition_not_allowed",
        )
    if not motivatie.strip():
        raise ValidationError({"motivatie": _("Motiveer de beslissing.")}, code="required")
    oproep = Oproep.objects.select_for_update().get(pk=locked.oproep_id)
    bedragen_json: dict[str, str] = {}
    if uitkomst == AanvraagStatus.GOEDGEKEURD:
        bedragen_json = _check_bedragen(oproep, bedragen or {})
        if not any(Decimal(b) > 0 for b in bedragen_json.values()):
            raise ValidationError(
                {"bedragen": _("Een goedkeuring kent een bedrag toe.")}, code="zero"
            )
        al_toegekend = toegekend_in_oproep(oproep, behalve=locked)
        for jaar in oproep.jaren:
            ruimte = oproep.jaarbudget - al_toegekend[jaar]
            if Decimal(bedragen_json[str(jaar)]) > ruimte:
                raise ValidationError(
                    {
                        f"bedrag_{jaar}": _(
                            "%(jaar)s: er blijft nog EUR %(ruimte)s van het budget van de oproep "
                            "over; dit bedrag past daar niet in."
                        )
                        % {
                            "jaar": jaar,
                            "ruimte": formats.number_format(ruimte, 2, force_grouping=True),
                        }
                    },
                    code="above_budget",
                )
    aanvraag_transition(aanvraag=locked, naar=uitkomst, by=by, reden=motivatie, now=now)
    beslissing = Beslissing(
        aanvraag=locked,
        uitkomst=uitkomst,
        bedragen=bedragen_json,
        motivatie=motivatie.strip(),
        door=by,
        op=now,
    )
    content = pdf.render_beslissing(beslissing)
    beslissing.brief_sha256 = hashlib.sha256(content).hexdigest()
    beslissing.brief_grootte = len(content)
    store_file(beslissing.brief, "brief.pdf", ContentFile(content))
    beslissing.save()
    from .notifications import send_decision

    transaction.on_commit(lambda: send_decision(aanvraag_id=locked.pk), robust=True)
    aanvraag.status = locked.status
    return beslissing


@transaction.atomic
def aanvraag_withdraw(
    *, aanvraag: Aanvraag, by: User, reden: str = "", now: datetime.datetime | None = None
) -> Aanvraag:
    """The regisseurs withdraw their aanvraag, at any time before the decision."""
    locked = _lock(aanvraag)
    if not is_regisseur_of(by, locked.regieverband):
        raise PermissionDenied(
            _("Alleen de regisseurs van dit regieverband trekken de aanvraag in.")
        )
    if locked.status in (AanvraagStatus.GOEDGEKEURD, AanvraagStatus.AFGEWEZEN):
        raise ValidationError(
            _("Over deze aanvraag is al beslist; intrekken kan niet meer."), code="decided"
        )
    aanvraag_transition(
        aanvraag=locked, naar=AanvraagStatus.INGETROKKEN, by=by, reden=reden.strip(), now=now
    )
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
    _ensure_wse(by)
    now = now or timezone.now()
    locked = _lock(aanvraag)
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


# --- Deadline reminders -------------------------------------------------------------------------

REMINDERS = (
    (Herinneringsmoment.TWEE_DAGEN, datetime.timedelta(days=2)),
    (Herinneringsmoment.VEERTIEN_DAGEN, datetime.timedelta(days=14)),
)


def send_deadline_reminders(*, now: datetime.datetime | None = None) -> list[Herinnering]:
    """E-mail the regisseurs of every draft of an open call 14 and 2 days before its deadline.

    Meant for cron (e.g. hourly): each reminder goes out once (a unique row per aanvraag and
    moment). Within 2 days of the deadline only the 2-day reminder is sent, never both at once.
    Submitted, withdrawn and expired drafts get nothing.
    """
    from .notifications import send_deadline_reminder

    now = now or timezone.now()
    sent: list[Herinnering] = []
    drafts = (
        Aanvraag.objects.filter(status=AanvraagStatus.CONCEPT, oproep__status=OproepStatus.OPEN)
        .select_related("oproep", "regieverband")
        .prefetch_related("verlengingen", "herinneringen")
    )
    for aanvraag in drafts:
        deadline = effective_deadline(aanvraag)
        if now > deadline:
            continue
        al = {h.moment for h in aanvraag.herinneringen.all()}
        moment = next((m for m, before in REMINDERS if now >= deadline - before), None)
        if moment is None or moment in al:
            continue
        try:
            # The row and the e-mail together: a failed e-mail leaves no row, so the next run
            # tries again; a row already there (a parallel run) sends nothing.
            with transaction.atomic():
                herinnering, created = Herinnering.objects.get_or_create(
                    aanvraag=aanvraag, moment=moment, defaults={"verstuurd_op": now}
                )
                if created:
                    send_deadline_reminder(aanvraag_id=aanvraag.pk, moment=moment)
                    sent.append(herinnering)
        except Exception:
            logger.exception("Herinnering %s voor aanvraag %s niet verstuurd", moment, aanvraag.pk)
    return sent
