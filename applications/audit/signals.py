"""Django's login signals to the audit log: every login and every refused password.

A login without a request path is made by code (the test client, a shell), not by a person on a
page, and is not logged. ACM/IDM's refusals happen before Django's authentication and are logged
by its view (`applications.besturen.views`).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from applications.accounts.models import User
from applications.audit import services


def _van_een_pagina(request: HttpRequest | None) -> bool:
    return request is not None and bool(request.path)


@receiver(user_logged_in, dispatch_uid="audit_aangemeld")
def aangemeld(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not _van_een_pagina(request):
        return
    services.aanmelding(
        request,
        gebruiker=user,
        gelukt=True,
        via=getattr(request, services.AANMELDING_VIA, services.WACHTWOORD),
        gegevens=getattr(request, services.AANMELDING_GEGEVENS, None),
    )


@receiver(user_login_failed, dispatch_uid="audit_geweigerd")
def geweigerd(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A wrong password, an unknown address or a login that axes blocks."""
    if request is None or not _van_een_pagina(request):
        return
    services.aanmelding(
        request,
        gebruiker=None,
        gelukt=False,
        via=services.WACHTWOORD,
        reden="verkeerd e-mailadres of wachtwoord, of geblokkeerd na te veel pogingen",
        gegevens={"e-mailadres": str(credentials.get("username", ""))[:254]},
    )
