"""Invitations: inviting people with a role and regieverbanden, and accepting an invitation
(deactivating and reactivating accounts is `applications.accounts.services`).

Beheerders create accounts by invitation: the account starts with an unusable password and the
person chooses one through a link that works once, only until `REGIEROL_UITNODIGING_DAGEN` days
after it was sent, and only while it is the newest invitation of that account. Only the SHA-256
of the link's token is stored, so a copy of the database holds no working link.

A deactivated account cannot log in (Django's ModelBackend refuses inactive users, also for open
sessions); its regieverbanden and their aanvragen stay as they are, because an aanvraag belongs to
the regieverband, not to the person.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.accounts.constants import Rol
from applications.accounts.emails import controleer_email, normaliseer_email
from applications.accounts.models import User
from applications.accounts.permissions import ensure_beheerder
from applications.accounts.services import lock_user, set_rol
from applications.beheer import notifications
from applications.beheer.models import Uitnodiging
from applications.besturen.models import Regieverband


class UitnodigingStatus(models.TextChoices):
    """Where an invitation stands. Only OPEN lets someone choose a password."""

    OPEN = "open", gettext_lazy("loopt")
    GEBRUIKT = "gebruikt", gettext_lazy("aanvaard")
    WACHTWOORD_AL_GEKOZEN = (
        "wachtwoord",
        gettext_lazy("niet nodig: het account heeft een wachtwoord"),
    )
    INACTIEF = "inactief", gettext_lazy("ongeldig: het account is gedeactiveerd")
    VERVANGEN = "vervangen", gettext_lazy("vervangen door een nieuwere uitnodiging")
    VERLOPEN = "verlopen", gettext_lazy("verlopen")


class UitnodigingOngeldig(ValidationError):
    """An invitation link that cannot be used; `code` is a `UitnodigingStatus` or "onbekend"."""


ONBEKEND = "onbekend"


def hash_token(token: str) -> str:
    """The stored form of an invitation token."""
    return hashlib.sha256(token.encode()).hexdigest()


def geldigheid() -> datetime.timedelta:
    """How long an invitation link works (setting REGIEROL_UITNODIGING_DAGEN, default 7)."""
    return datetime.timedelta(days=settings.REGIEROL_UITNODIGING_DAGEN)


def uitnodiging_status(
    uitnodiging: Uitnodiging, *, gebruiker: User, is_nieuwste: bool, now: datetime.datetime
) -> UitnodigingStatus:
    """The state of one invitation of `gebruiker`, in the order the checks matter.

    An account that has a password (chosen through this link or set otherwise) needs no link; a
    deactivated account's link does not work; a newer invitation replaces the older ones; the
    link works strictly before `geldig_tot`.
    """
    if uitnodiging.gebruikt_op is not None:
        return UitnodigingStatus.GEBRUIKT
    if gebruiker.has_usable_password():
        return UitnodigingStatus.WACHTWOORD_AL_GEKOZEN
    if not gebruiker.is_active:
        return UitnodigingStatus.INACTIEF
    if not is_nieuwste:
        return UitnodigingStatus.VERVANGEN
    if now >= uitnodiging.geldig_tot:
        return UitnodigingStatus.VERLOPEN
    return UitnodigingStatus.OPEN


ONGELDIG_BERICHT: dict[str, Promise] = {
    UitnodigingStatus.GEBRUIKT: gettext_lazy(
        "Deze uitnodiging werd al gebruikt. Hebt u toen een wachtwoord gekozen? Meld u dan aan."
    ),
    UitnodigingStatus.WACHTWOORD_AL_GEKOZEN: gettext_lazy(
        "Dit account heeft al een wachtwoord. Meld u aan, of kies 'Wachtwoord vergeten?'."
    ),
    UitnodigingStatus.INACTIEF: gettext_lazy("Deze uitnodiging is niet (meer) geldig."),
    UitnodigingStatus.VERVANGEN: gettext_lazy(
        "Er werd intussen een nieuwere uitnodiging verstuurd; alleen de link in de laatste e-mail "
        "werkt."
    ),
    UitnodigingStatus.VERLOPEN: gettext_lazy("Deze uitnodiging is verlopen."),
    ONBEKEND: gettext_lazy("Deze uitnodigingslink is niet geldig."),
}


def _refuse(code: str) -> UitnodigingOngeldig:
    return UitnodigingOngeldig(str(ONGELDIG_BERICHT[code]), code=code)


def _check_usable(uitnodiging: Uitnodiging, gebruiker: User, now: datetime.datetime) -> None:
    is_nieuwste = not Uitnodiging.objects.filter(
        gebruiker=gebruiker, pk__gt=uitnodiging.pk
    ).exists()
    status = uitnodiging_status(uitnodiging, gebruiker=gebruiker, is_nieuwste=is_nieuwste, now=now)
    if status != UitnodigingStatus.OPEN:
        raise _refuse(status)


def uitnodiging_voor_token(*, token: str, now: datetime.datetime | None = None) -> Uitnodiging:
    """The invitation of this link if it can still be used; `UitnodigingOngeldig` otherwise."""
    uitnodiging = (
        Uitnodiging.objects.select_related("gebruiker")
        .filter(token_sha256=hash_token(token))
        .first()
    )
    if uitnodiging is None:
        raise _refuse(ONBEKEND)
    _check_usable(uitnodiging, uitnodiging.gebruiker, now or timezone.now())
    return uitnodiging


@transaction.atomic
def uitnodiging_aanvaarden(
    *, token: str, password: str, now: datetime.datetime | None = None
) -> User:
    """Set the password of an invited account through its link; the link then stops working.

    The account and the invitation are locked and checked again, so two tabs (or two clicks) can
    never both use one link. Nothing is saved when the link cannot be used.
    """
    now = now or timezone.now()
    gevonden = Uitnodiging.objects.filter(token_sha256=hash_token(token)).first()
    if gevonden is None:
        raise _refuse(ONBEKEND)
    gebruiker = User.objects.select_for_update().get(pk=gevonden.gebruiker_id)
    uitnodiging = Uitnodiging.objects.select_for_update().get(pk=gevonden.pk)
    _check_usable(uitnodiging, gebruiker, now)
    validate_password(password, gebruiker)
    gebruiker.set_password(password)
    gebruiker.save(update_fields=["password"])
    uitnodiging.gebruikt_op = now
    uitnodiging.save(update_fields=["gebruikt_op"])
    return gebruiker


def _new_invitation(gebruiker: User, by: User, now: datetime.datetime) -> Uitnodiging:
    """A new link for `gebruiker` (older ones stop working: only the newest counts), e-mailed
    through the outbox in this transaction, so nobody gets a link to an account that was rolled
    back; the invitation keeps its e-mail, whose state the users page shows."""
    token = secrets.token_urlsafe(32)
    uitnodiging = Uitnodiging.objects.create(
        gebruiker=gebruiker,
        token_sha256=hash_token(token),
        verstuurd_door=by,
        verstuurd_op=now,
        geldig_tot=now + geldigheid(),
    )
    uitnodiging.bericht = notifications.send_invitation(uitnodiging_id=uitnodiging.pk, token=token)
    uitnodiging.save(update_fields=["bericht"])
    return uitnodiging


def _check_invitation_input(
    *, email: str, first_name: str, last_name: str, rol: str, regieverbanden: list[Regieverband]
) -> Rol:
    errors: dict[str, str] = {}
    try:
        controleer_email(email)
    except ValidationError as fout:
        errors["email"] = fout.messages[0]
    if not first_name:
        errors["first_name"] = _("Geef de voornaam.")
    if not last_name:
        errors["last_name"] = _("Geef de achternaam.")
    if rol not in Rol.values:
        errors["rol"] = _("Kies een rol: regisseur, WSE-beoordelaar of beheerder.")
    elif rol == Rol.REGISSEUR and not regieverbanden:
        errors["regieverbanden"] = _(
            "Een regisseur werkt voor minstens één regieverband: kies het regieverband."
        )
    elif rol != Rol.REGISSEUR and regieverbanden:
        errors["regieverbanden"] = _(
            "Alleen een regisseur hoort bij een regieverband. Kies geen regieverband voor een "
            "WSE-beoordelaar of beheerder."
        )
    if errors:
        raise ValidationError(errors)
    return Rol(rol)


@dataclass(frozen=True)
class Uitgenodigd:
    uitnodiging: Uitnodiging
    nieuw_account: bool


@transaction.atomic
def gebruiker_uitnodigen(
    *,
    email: str,
    first_name: str,
    last_name: str,
    rol: str,
    regieverbanden: Iterable[Regieverband],
    by: User,
    now: datetime.datetime | None = None,
) -> Uitgenodigd:
    """Create an account (active, unusable password) with one role and e-mail an invitation.

    A regisseur needs at least one regieverband; the other roles have none. An e-mail address that
    already has an account is refused, unless that account never chose a password: then its name,
    role and verbanden are updated from this form and a new invitation replaces the earlier ones.
    Addresses are stored and compared in their one spelling (`accounts.emails`).
    """
    ensure_beheerder(by, _("Alleen een beheerder beheert gebruikers."))
    now = now or timezone.now()
    email = normaliseer_email(email)
    first_name, last_name = first_name.strip(), last_name.strip()
    verbanden = list(regieverbanden)
    gekozen_rol = _check_invitation_input(
        email=email, first_name=first_name, last_name=last_name, rol=rol, regieverbanden=verbanden
    )
    bestaand = User.objects.select_for_update().filter(email=email).first()
    if bestaand is not None:
        _check_reinvite(bestaand)
        gebruiker = bestaand
        gebruiker.first_name, gebruiker.last_name = first_name, last_name
        gebruiker.save(update_fields=["first_name", "last_name"])
    else:
        try:
            with transaction.atomic():
                gebruiker = User.objects.create_user(
                    email=email, password=None, first_name=first_name, last_name=last_name
                )
        except IntegrityError:
            # Another beheerder invited the same address at the same moment.
            raise ValidationError(
                {"email": _("Er bestaat al een account met dit e-mailadres.")}
            ) from None
    set_rol(gebruiker, gekozen_rol)
    gebruiker.regieverbanden.set(verbanden)
    return Uitgenodigd(_new_invitation(gebruiker, by, now), nieuw_account=bestaand is None)


def _check_reinvite(gebruiker: User) -> None:
    """Only an active account that never chose a password gets a (new) invitation."""
    if gebruiker.has_usable_password():
        raise ValidationError(
            {
                "email": _(
                    "Er bestaat al een account met dit e-mailadres en het heeft een wachtwoord. "
                    "Die persoon meldt zich aan, of kiest 'Wachtwoord vergeten?' op de "
                    "aanmeldpagina."
                )
            },
            code="exists",
        )
    if not gebruiker.is_active:
        raise ValidationError(
            {
                "email": _(
                    "Het account met dit e-mailadres is gedeactiveerd. Heractiveer het eerst op de "
                    "pagina Gebruikers en stuur dan een nieuwe uitnodiging."
                )
            },
            code="inactive",
        )


@transaction.atomic
def uitnodiging_opnieuw_versturen(
    *, gebruiker: User, by: User, now: datetime.datetime | None = None
) -> Uitnodiging:
    """Send a new link to an account without a password yet; older links stop working."""
    ensure_beheerder(by, _("Alleen een beheerder beheert gebruikers."))
    locked = lock_user(gebruiker)
    if locked.has_usable_password():
        raise ValidationError(
            _(
                "%(gebruiker)s heeft al een wachtwoord; een uitnodiging is niet nodig. Wie het "
                "vergeten is, kiest 'Wachtwoord vergeten?' op de aanmeldpagina."
            )
            % {"gebruiker": locked.email},
            code="exists",
        )
    if not locked.is_active:
        raise ValidationError(
            _("%(gebruiker)s is gedeactiveerd. Heractiveer het account eerst.")
            % {"gebruiker": locked.email},
            code="inactive",
        )
    return _new_invitation(locked, by, now or timezone.now())


def geldig_tot_tekst(uitnodiging: Uitnodiging) -> str:
    """The end of an invitation's validity as the beheerder reads it (Brussels time)."""
    return formats.date_format(timezone.localtime(uitnodiging.geldig_tot), "j F Y H:i")
