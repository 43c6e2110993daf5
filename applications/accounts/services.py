"""Deactivating and reactivating accounts: only beheerders, never oneself, in one transaction."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from applications.accounts.constants import Rol
from applications.accounts.emails import normaliseer_email
from applications.accounts.models import User
from applications.accounts.permissions import ensure_beheerder
from applications.berichten.services import queue_email


def lock_user(gebruiker: User) -> User:
    """Lock the account row: inviting, accepting and (de)activating one account never interleave."""
    return User.objects.select_for_update().get(pk=gebruiker.pk)


def set_rol(gebruiker: User, rol: Rol) -> None:
    """Exactly one role group; beheer access (is_staff) for beheerders, as the admin gives it."""
    rol_groepen = Group.objects.filter(name__in=Rol.values)
    gebruiker.groups.remove(*rol_groepen)
    gebruiker.groups.add(Group.objects.get_or_create(name=rol.value)[0])
    gebruiker.is_staff = rol == Rol.BEHEERDER or gebruiker.is_superuser
    gebruiker.save(update_fields=["is_staff"])


@transaction.atomic
def gebruiker_deactiveren(
    *, gebruiker: User, by: User, now: datetime.datetime | None = None
) -> User:
    """Deactivate an account: it can no longer log in and its open invitation links end now.

    Its regieverbanden and their aanvragen are not touched (they belong to the verband). A
    beheerder cannot deactivate their own account, so there is always a beheerder left.
    """
    ensure_beheerder(by, _("Alleen een beheerder beheert gebruikers."))
    if gebruiker.pk == by.pk:
        raise ValidationError(
            _("U kunt uw eigen account niet deactiveren. Vraag dat aan een andere beheerder."),
            code="self",
        )
    locked = lock_user(gebruiker)
    if not locked.is_active:
        raise ValidationError(
            _("%(gebruiker)s is al gedeactiveerd.") % {"gebruiker": locked.email},
            code="inactive",
        )
    now = now or timezone.now()
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    # A link still in someone's mailbox must not work again after a later reactivation.
    locked.uitnodigingen.filter(gebruikt_op__isnull=True, geldig_tot__gt=now).update(geldig_tot=now)
    return locked


@transaction.atomic
def gebruiker_heractiveren(*, gebruiker: User, by: User) -> User:
    """Let a deactivated account log in again, with its password (or a new invitation if none)."""
    ensure_beheerder(by, _("Alleen een beheerder beheert gebruikers."))
    locked = lock_user(gebruiker)
    if locked.is_active:
        raise ValidationError(
            _("%(gebruiker)s is al actief.") % {"gebruiker": locked.email}, code="active"
        )
    locked.is_active = True
    locked.save(update_fields=["is_active"])
    return locked


def wachtwoord_reset_mailen(email: str) -> int:
    """The worker's half of "wachtwoord vergeten": mail a link to choose a new password to every
    active account with this address and a password (an account that never chose one is invited
    by a beheerder instead). The link is secret, so the outbox erases the message once sent.
    Returns how many e-mails were queued."""
    gebruikers = [
        g
        for g in User.objects.filter(email=normaliseer_email(email), is_active=True)
        if g.has_usable_password()
    ]
    site = urlsplit(settings.SITE_URL)
    for gebruiker in gebruikers:
        context = {
            "email": gebruiker.email,
            "domain": site.netloc,
            "site_name": site.netloc,
            "uid": urlsafe_base64_encode(force_bytes(gebruiker.pk)),
            "user": gebruiker,
            "token": default_token_generator.make_token(gebruiker),
            "protocol": site.scheme,
        }
        with translation.override(settings.LANGUAGE_CODE):
            onderwerp = "".join(
                render_to_string("registration/password_reset_subject.txt", context).splitlines()
            )
        queue_email(
            subject=onderwerp,
            template="registration/password_reset_email",
            context=context,
            to=[gebruiker.email],
            vertrouwelijk=True,
        )
    return len(gebruikers)
