"""Two-step login: after the password, WSE reviewers and beheerders give a code from an
authenticator app (TOTP, RFC 6238, through django-otp).

The first time, the portal shows a QR code to scan and asks for one code to confirm, then gives ten
backup codes that each work once (for a lost phone). A beheerder resets a lost device with the
action "Authenticator-app opnieuw laten instellen" on the admin's user list, after which the
person sets up a new one.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.accounts.models import User
from applications.accounts.permissions import is_wse
from applications.core.permissions import check_access

AANTAL_RESERVECODES = 10
APP_NAAM = "Authenticator-app"
RESERVE_NAAM = "Reservecodes"
# The session key of the app being linked in that session (tweestaps.instellen).
NIEUW_TOESTEL = "regierol_tweestaps_nieuw"


def vereist_tweestaps(user: Any) -> bool:
    """WSE reviewers, beheerders and anyone with access to the admin site log in in two steps."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return is_wse(user) or user.is_staff or user.is_superuser


def tweestaps_verplicht(user: Any) -> bool:
    return bool(settings.REGIEROL_TWEESTAPS_VERPLICHT) and vereist_tweestaps(user)


def tweestaps_gegeven(user: Any) -> bool:
    """Whether this request's session gave a code (django-otp's middleware sets `otp_device`)."""
    return getattr(user, "otp_device", None) is not None


def tweestaps_nog_open(user: Any) -> bool:
    """The user must still give the second step before reaching anything else."""
    return tweestaps_verplicht(user) and not tweestaps_gegeven(user)


def axes_gebruikersnaam(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account a login attempt is for, as the login form reads it (trimmed, lower case), so
    'Alice@X' and 'alice@x' count as one account for the lockout."""
    waarde = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(waarde).strip().lower()


def geblokkeerd(
    request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page of a locked-out login (django-axes): what happened and when to try again."""
    minuten = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request, "registration/geblokkeerd.html", {"blokkade_minuten": minuten}, status=429
    )


def app_toestel(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy(
            "De zes cijfers die uw authenticator-app nu toont, of een van uw reservecodes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())


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
            reservecodes = _bevestig(user, toestel)
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


@transaction.atomic
def tweestaps_wissen(user: User) -> int:
    """Remove a user's app and backup codes (1 when there was an app, else 0); their open
    sessions must give a code of the new app."""
    apps = TOTPDevice.objects.filter(user=user)
    had_app = apps.filter(confirmed=True).exists()
    apps.delete()
    StaticDevice.objects.filter(user=user).delete()
    return int(had_app)


@transaction.atomic
def _bevestig(user: User, toestel: TOTPDevice) -> list[str] | None:
    """Confirm the app and replace any old backup codes by ten new ones; returns them once.

    None when another session of the user confirmed an app first (the user row is locked, so
    two sessions cannot both link one).
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return None
    toestel.confirmed = True
    toestel.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    reserve, _nieuw = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": RESERVE_NAAM, "confirmed": True}
    )
    reserve.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(AANTAL_RESERVECODES)]
    StaticToken.objects.bulk_create(StaticToken(device=reserve, token=code) for code in codes)
    return codes
