"""Making and revoking API tokens."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.accounts.models import User
from applications.accounts.permissions import is_beheerder
from applications.api.constants import MAX_GELDIG_DAGEN, PREFIX_LENGTE, TOKEN_VOORVOEGSEL, Scope
from applications.api.models import ApiToken


def sleutel_hash(geheim: str) -> str:
    return hashlib.sha256(geheim.encode()).hexdigest()


def _valideer(scopes: list[str], verloopt_op: datetime.datetime, now: datetime.datetime) -> None:
    if not scopes or not set(scopes) <= set(Scope.values):
        raise ValidationError({"scopes": _("Kies wat de sleutel mag lezen.")})
    if verloopt_op <= now:
        raise ValidationError({"verloopt_op": _("De vervaldatum ligt in het verleden.")})
    if verloopt_op > now + datetime.timedelta(days=MAX_GELDIG_DAGEN + 1):
        raise ValidationError(
            {
                "verloopt_op": _("Een sleutel blijft hoogstens %(n)s dagen geldig.")
                % {"n": MAX_GELDIG_DAGEN}
            }
        )


@transaction.atomic
def token_maken(
    *,
    by: User,
    naam: str,
    scopes: list[str],
    verloopt_op: datetime.datetime,
    voor: User | None,
    now: datetime.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its text, which is shown once and never kept.

    A regisseur makes tokens for themself; a beheerder makes tokens for WSE's systems
    (`voor=None`). Nobody makes a token for someone else.
    """
    now = now or timezone.now()
    if voor is None:
        if not is_beheerder(by):
            raise PermissionDenied
    elif voor != by or not by.is_regisseur:
        raise PermissionDenied
    _valideer(scopes, verloopt_op, now)
    prefix = secrets.token_hex(PREFIX_LENGTE // 2)
    geheim = secrets.token_urlsafe(32)
    token = ApiToken(
        naam=naam,
        gebruiker=voor,
        prefix=prefix,
        sleutel_hash=sleutel_hash(geheim),
        scopes=sorted(set(scopes)),
        verloopt_op=verloopt_op,
        aangemaakt_op=now,
        aangemaakt_door=by,
    )
    token.full_clean()
    token.save()
    return token, f"{TOKEN_VOORVOEGSEL}{prefix}_{geheim}"


def token_intrekken(*, token: ApiToken, by: User, now: datetime.datetime | None = None) -> ApiToken:
    """Revoke a token: its owner, or a beheerder. Revoking twice keeps the first moment."""
    if not (is_beheerder(by) or (token.gebruiker_id is not None and token.gebruiker_id == by.pk)):
        raise PermissionDenied
    if token.ingetrokken_op is None:
        token.ingetrokken_op = now or timezone.now()
        token.save(update_fields=["ingetrokken_op"])
    return token
