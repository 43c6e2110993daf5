"""Middleware of the portal's sessions: idle and old sessions end, two-step login is enforced."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from applications.accounts.tweestaps import STERK_AANGEMELD, tweestaps_nog_open

LAATSTE_ACTIVITEIT = "regierol_laatste_activiteit"


AANGEMELD_OP = "regierol_aangemeld_op"


# The time of the last request is written at most this often, not on every request: a session
# write on every page would cost a database write per request for a precision nobody needs. So a
# user is logged out after between REGIEROL_SESSIE_INACTIEF_MINUTEN minus one minute and
# REGIEROL_SESSIE_INACTIEF_MINUTEN without a request: never later, at most a minute early.
SCHRIJF_ELKE_SECONDEN = 60


def begin_activiteit(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """At login both clocks start (so the first page does not write the session again)."""
    if hasattr(request, "session"):
        nu = time.time()
        request.session[AANGEMELD_OP] = nu
        request.session[LAATSTE_ACTIVITEIT] = nu


class SessieInactiefMiddleware:
    """Log out a user SESSION_COOKIE_AGE seconds after login (8 hours), or after
    REGIEROL_SESSIE_INACTIEF_MINUTEN without a request.

    The session's own expiry cannot give the first: Django moves it forward on every save.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            nu = time.time()
            laatste = request.session.get(LAATSTE_ACTIVITEIT)
            aangemeld = request.session.get(AANGEMELD_OP)
            if not isinstance(aangemeld, int | float):  # a session from before this rule
                aangemeld = request.session[AANGEMELD_OP] = nu
            inactief = settings.REGIEROL_SESSIE_INACTIEF_MINUTEN * 60
            if nu - aangemeld > settings.SESSION_COOKIE_AGE:
                return self._afmelden(request, _("Uw aanmelding is verlopen. Meld u opnieuw aan."))
            if isinstance(laatste, int | float) and nu - laatste > inactief:
                return self._afmelden(
                    request, _("U was te lang niet actief en bent afgemeld. Meld u opnieuw aan.")
                )
            if not isinstance(laatste, int | float) or nu - laatste > SCHRIJF_ELKE_SECONDEN:
                request.session[LAATSTE_ACTIVITEIT] = nu
        return self.get_response(request)

    def _afmelden(self, request: HttpRequest, bericht: str) -> HttpResponse:
        logout(request)
        messages.info(request, bericht)
        return HttpResponseRedirect(
            f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
        )


class TweestapsMiddleware:
    """WSE reviewers and beheerders reach nothing but the two-step pages until they gave a code,
    unless they logged in through ACM/IDM at an assurance level of OIDC_ACR_STERK."""

    VRIJ = (
        "tweestaps_controleren",
        "tweestaps_instellen",
        "logout",
        "set_language",
        "healthz",
        "favicon",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.session.get(STERK_AANGEMELD):
            request.user.sterk_aangemeld = True  # type: ignore[attr-defined]
        if tweestaps_nog_open(request.user) and not self._vrij(request):
            volgende = request.get_full_path() if request.method == "GET" else reverse("dashboard")
            return HttpResponseRedirect(
                f"{reverse('tweestaps_controleren')}?{urlencode({'next': volgende})}"
            )
        return self.get_response(request)

    def _vrij(self, request: HttpRequest) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # the 404 page tells nothing
        return match.url_name in self.VRIJ
