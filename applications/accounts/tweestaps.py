"""Two-step login: after the password, WSE reviewers and beheerders give a code from an
authenticator app (TOTP, RFC 6238, through django-otp).

The first time, the portal shows a QR code to scan and asks for one code to confirm, then gives ten
backup codes that each work once (for a lost phone). A beheerder resets a lost device with the
action "Authenticator-app opnieuw laten instellen" on the admin's user list, after which the
person sets up a new one.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.accounts.emails import normaliseer_email
from applications.accounts.models import User
from applications.accounts.permissions import is_wse

AANTAL_RESERVECODES = 10
APP_NAAM = "Authenticator-app"
RESERVE_NAAM = "Reservecodes"
# The session key of the app being linked in that session (applications.accounts.views.instellen).
NIEUW_TOESTEL = "regierol_tweestaps_nieuw"
# The session key set when the login through ACM/IDM was strong enough by itself: its `acr` is
# one of OIDC_ACR_STERK (applications.besturen.views.acmidm_terug). TweestapsMiddleware marks
# the request's user with it.
STERK_AANGEMELD = "regierol_sterk_aangemeld"


def vereist_tweestaps(user: Any) -> bool:
    """WSE reviewers, beheerders and anyone with access to the admin site log in in two steps."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return is_wse(user) or user.is_staff or user.is_superuser


def tweestaps_verplicht(user: Any) -> bool:
    return bool(settings.REGIEROL_TWEESTAPS_VERPLICHT) and vereist_tweestaps(user)


def tweestaps_gegeven(user: Any) -> bool:
    """Whether this request's session gave a code (django-otp's middleware sets `otp_device`),
    or logged in through ACM/IDM at an assurance level that needs no second step."""
    return getattr(user, "otp_device", None) is not None or getattr(user, "sterk_aangemeld", False)


def tweestaps_nog_open(user: Any) -> bool:
    """The user must still give the second step before reaching anything else."""
    return tweestaps_verplicht(user) and not tweestaps_gegeven(user)


def axes_gebruikersnaam(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account a login attempt is for, in its one spelling (`emails.normaliseer_email`), so
    'Alice@X', 'alice@x' and the same with a long s (U+017F) count as one account for the
    lockout."""
    waarde = (credentials or {}).get("username") or request.POST.get("username", "")
    return normaliseer_email(str(waarde))


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
def toestel_bevestigen(user: User, toestel: TOTPDevice) -> list[str] | None:
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
