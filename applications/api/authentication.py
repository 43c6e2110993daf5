"""Reading the API token from `Authorization: Bearer rr_<prefix>_<secret>`."""

from __future__ import annotations

import hmac

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from applications.accounts.models import User
from applications.api.constants import TOKEN_VOORVOEGSEL
from applications.api.models import ApiToken
from applications.api.services import sleutel_hash


class TokenAuthentication(authentication.BaseAuthentication):
    """A valid token: not revoked, not expired, its user (if any) still active. Anything else
    is one 401 with the same message, so a caller learns nothing of which tokens exist."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User | AnonymousUser, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Ongeldige API-sleutel."))
        return self._token(header[1])

    def _token(self, tekst: str) -> tuple[User | AnonymousUser, ApiToken]:
        ongeldig = exceptions.AuthenticationFailed(
            _("Ongeldige, verlopen of ingetrokken API-sleutel.")
        )
        if not tekst.startswith(TOKEN_VOORVOEGSEL) or "_" not in tekst[len(TOKEN_VOORVOEGSEL) :]:
            raise ongeldig
        prefix, geheim = tekst[len(TOKEN_VOORVOEGSEL) :].split("_", 1)
        token = ApiToken.objects.select_related("gebruiker").filter(prefix=prefix).first()
        if token is None or not hmac.compare_digest(token.sleutel_hash, sleutel_hash(geheim)):
            raise ongeldig
        now = timezone.now()
        if not token.is_geldig(now):
            raise ongeldig
        gebruiker = token.gebruiker
        if gebruiker is not None and not (gebruiker.is_active and gebruiker.is_regisseur):
            raise ongeldig
        ApiToken.objects.filter(pk=token.pk).update(laatst_gebruikt_op=now)
        return (gebruiker or AnonymousUser()), token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
