"""Middleware of the portal: idle sessions end, two-step login is enforced, /beheer/ is audited."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from . import audit
from .tweestaps import tweestaps_verplicht

LAATSTE_ACTIVITEIT = "regierol_laatste_activiteit"
# The time of the last request is written at most this often, not on every request.
SCHRIJF_ELKE_SECONDEN = 60


def begin_activiteit(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """At login the idle clock starts (so the first page does not write the session again)."""
    if hasattr(request, "session"):
        request.session[LAATSTE_ACTIVITEIT] = time.time()


class SessieInactiefMiddleware:
    """Log out a user after REGIEROL_SESSIE_INACTIEF_MINUTEN without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            nu = time.time()
            laatste = request.session.get(LAATSTE_ACTIVITEIT)
            limiet = settings.REGIEROL_SESSIE_INACTIEF_MINUTEN * 60
            if isinstance(laatste, int | float) and nu - laatste > limiet:
                logout(request)
                messages.info(
                    request,
                    _("U was te lang niet actief en bent afgemeld. Meld u opnieuw aan."),
                )
                return HttpResponseRedirect(
                    f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
                )
            if not isinstance(laatste, int | float) or nu - laatste > SCHRIJF_ELKE_SECONDEN:
                request.session[LAATSTE_ACTIVITEIT] = nu
        return self.get_response(request)


class TweestapsMiddleware:
    """WSE reviewers and beheerders reach nothing but the two-step pages until they gave a code."""

    VRIJ = ("tweestaps_controleren", "tweestaps_instellen", "logout", "set_language", "healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]
            and tweestaps_verplicht(user)
            and not self._vrij(request)
        ):
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


class AuditMiddleware:
    """Writes an audit line for every POST under /beheer/ that changed the database and succeeded
    (answered below 400: the redirect after saving, or the admin's page that closes a pop-up),
    except logging in and out.

    A POST that changed nothing leaves no line: a form with errors, an action the service refused
    (the page then shows why), an admin action without a selection, or a user without access sent
    to the login page. Only POSTs under /beheer/ are watched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = "/beheer/"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._bewaakt(request):
            return self.get_response(request)
        # The change and its audit line commit together, or neither does.
        with transaction.atomic(), audit.Wijzigingen() as wijzigingen:
            response = self.get_response(request)
            gelukt = response.status_code < 400 and request.user.is_authenticated
            if response.status_code >= 500:
                transaction.set_rollback(True)
            elif wijzigingen.gezien and gelukt:
                audit.beheer(request)
        return response

    def _bewaakt(self, request: HttpRequest) -> bool:
        pad = request.path_info
        return (
            request.method == "POST"
            and pad.startswith(self.prefix)
            and not pad.startswith(("/beheer/login/", "/beheer/logout/"))
        )
