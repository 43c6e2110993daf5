"""The login lockout: django-axes per account and address, plus a limit per address.

Axes locks one account from one address after `REGIEROL_LOGIN_POGINGEN` failures. Someone trying
one password on many accounts ("password spraying") never reaches that for any account, so
`LoginBlokkade` also refuses every login from an address that has failed logins open for
`REGIEROL_LOGIN_ACCOUNTS_PER_ADRES` different accounts (default 20) within the lockout period.
The limit counts accounts, not failures, and is far above what one office behind a shared address
(a municipality's NAT) reaches: colleagues who mistype their own password count once each, and a
successful login clears their line.
"""

from __future__ import annotations

import datetime
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.models import AccessAttempt
from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from applications.core.clientip import client_ip


def te_veel_accounts(request: HttpRequest, now: datetime.datetime | None = None) -> bool:
    adres = client_ip(request)
    if not adres:
        return False
    sinds = (now or timezone.now()) - settings.AXES_COOLOFF_TIME
    accounts = (
        AccessAttempt.objects.filter(ip_address=adres, attempt_time__gte=sinds)
        .values("username")
        .distinct()
        .count()
    )
    return accounts >= settings.REGIEROL_LOGIN_ACCOUNTS_PER_ADRES


class LoginBlokkade(AxesStandaloneBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None and te_veel_accounts(request):
            # Axes's middleware turns this into the lockout page, as for its own lockouts.
            request.axes_locked_out = True  # type: ignore[attr-defined]
            raise AxesBackendPermissionDenied("Te veel accounts vanaf dit adres")
        return super().authenticate(request, username, password, **kwargs)
