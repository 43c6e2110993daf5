"""The two-step login pages: giving the code of the authenticator app (or a backup code), and
linking an app. Only WSE staff and beheerders have them (404 for anyone else)."""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.accounts.forms import CodeForm, EmailAuthenticationForm
from applications.accounts.models import User
from applications.accounts.oidc import ID_TOKEN, afmeld_url, oidc_ingesteld
from applications.accounts.tweestaps import (
    APP_NAAM,
    NIEUW_TOESTEL,
    app_toestel,
    toestel_bevestigen,
    tweestaps_gegeven,
    vereist_tweestaps,
)
from applications.core.permissions import check_access


def _wie_tweestaps_gebruikt(request: HttpRequest) -> User:
    """The logged-in WSE user or beheerder; for others (regisseurs) these pages do not exist."""
    user = request.user
    check_access(may_see=isinstance(user, User) and vereist_tweestaps(user))
    assert isinstance(user, User)
    return user


def _volgende(request: HttpRequest) -> str:
    volgende = request.POST.get("next") or request.GET.get("next") or ""
    if volgende and url_has_allowed_host_and_scheme(
        volgende, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return volgende
    return str(settings.LOGIN_REDIRECT_URL)


def _met_volgende(naam: str, request: HttpRequest) -> str:
    return f"{reverse(naam)}?{urlencode({'next': _volgende(request)})}"


def _fout(form: CodeForm) -> None:
    form.add_error(
        "code",
        _(
            "Deze code klopt niet of is verlopen. Geef de code die de app nu toont; na enkele "
            "foute codes moet u even wachten."
        ),
    )


@login_required
@sensitive_post_parameters("code")
def controleren(request: HttpRequest) -> HttpResponse:
    """Step two of the login: a code from the app or a backup code."""
    user = _wie_tweestaps_gebruikt(request)
    if tweestaps_gegeven(user):
        return redirect(_volgende(request))
    if app_toestel(user) is None:
        return redirect(_met_volgende("tweestaps_instellen", request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        toestel = match_token(user, form.cleaned_data["code"])
        if toestel is not None:
            otp_login(request, toestel)
            if isinstance(toestel, StaticDevice):
                over = StaticToken.objects.filter(device=toestel).count()
                messages.warning(
                    request,
                    _("U gebruikte een reservecode; er blijven er nog %(aantal)d over.")
                    % {"aantal": over},
                )
            return redirect(_volgende(request))
        _fout(form)
    context = {"form": form, "next": _volgende(request)}
    return render(request, "registration/tweestaps_controleren.html", context)


@login_required
@sensitive_post_parameters("code")
def instellen(request: HttpRequest) -> HttpResponse:
    """Link an authenticator app: scan the QR code, confirm with one code, note the backup codes."""
    user = _wie_tweestaps_gebruikt(request)
    if app_toestel(user) is not None:
        return redirect(_met_volgende("tweestaps_controleren", request))
    toestel = _toestel_van_deze_sessie(request, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if toestel.verify_token(form.cleaned_data["code"]):
            reservecodes = toestel_bevestigen(user, toestel)
            if reservecodes is None:  # another session linked an app first
                return redirect(_met_volgende("tweestaps_controleren", request))
            request.session.pop(NIEUW_TOESTEL, None)
            otp_login(request, toestel)
            return render(
                request,
                "registration/tweestaps_reservecodes.html",
                {"codes": reservecodes, "next": _volgende(request)},
            )
        _fout(form)
    qr = segno.make(toestel.config_url, error="m")
    return render(
        request,
        "registration/tweestaps_instellen.html",
        {
            "form": form,
            "next": _volgende(request),
            "qr_svg": qr.svg_inline(scale=5, title=_("QR-code voor uw authenticator-app")),
            "sleutel": _groepeer(toestel.bin_key),
        },
    )


def _toestel_van_deze_sessie(request: HttpRequest, user: User) -> TOTPDevice:
    """The app being linked in this session: its secret is never shown to another session, so
    someone else holding the password cannot copy the key the person is about to scan."""
    pk = request.session.get(NIEUW_TOESTEL)
    toestel = None
    if isinstance(pk, int):
        toestel = TOTPDevice.objects.filter(pk=pk, user=user, confirmed=False).first()
    if toestel is None:
        toestel = TOTPDevice.objects.create(user=user, name=APP_NAAM, confirmed=False)
        request.session[NIEUW_TOESTEL] = toestel.pk
    return toestel


def _groepeer(sleutel: bytes) -> str:
    """The secret in base32, in groups of four, to type in when the QR code cannot be scanned."""
    tekst = b32encode(sleutel).decode("ascii").rstrip("=")
    return " ".join(tekst[i : i + 4] for i in range(0, len(tekst), 4))


class Aanmelden(LoginView):
    """The login page: "Aanmelden met ACM/IDM" first when OpenID Connect is configured, then the
    e-mail address and password."""

    authentication_form = EmailAuthenticationForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if oidc_ingesteld():
            url = reverse("acmidm_aanmelden")
            volgende = self.get_redirect_url()
            context["acmidm_url"] = f"{url}?{urlencode({'next': volgende})}" if volgende else url
        return context


class Afmelden(LogoutView):
    """Django's logout, telling the browser to forget what the portal kept in it (drafts kept
    while offline, see static/js/aanvraag.js): a municipal PC is shared. After a login through
    ACM/IDM the browser then goes to the provider to end its session too, and comes back to the
    login page."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = str(request.session.get(ID_TOKEN, ""))
        antwoord = super().post(request, *args, **kwargs)
        bij_provider = afmeld_url(id_token, request.build_absolute_uri(reverse("login")))
        if bij_provider:
            antwoord = HttpResponseRedirect(bij_provider)
        antwoord["Clear-Site-Data"] = '"storage"'
        return antwoord
