"""The page of one regieverband, for its regisseurs and WSE; the login through ACM/IDM, whose
roles name organisations (`aanmelding`)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from applications.accounts import oidc
from applications.accounts.models import User
from applications.accounts.tweestaps import STERK_AANGEMELD
from applications.audit import services as audit
from applications.besturen import selectors
from applications.besturen.aanmelding import Aanmelding, Weigering, oidc_aanmelden
from applications.besturen.models import Regieverband
from applications.besturen.permissions import can_view_regieverband
from applications.core.permissions import check_access

log = logging.getLogger("regierol.aanmelding")

TERUG = "acmidm_terug"
# The session key of the page to go to after the login through ACM/IDM.
VOLGENDE = "regierol_oidc_volgende"


def _get_regieverband_for_user(request: HttpRequest, pk: int) -> Regieverband:
    """The verband if this user may see it; a 404 otherwise, so nobody learns it exists."""
    try:
        regieverband = selectors.regieverband_detail(pk=pk)
    except Regieverband.DoesNotExist:
        raise Http404 from None
    check_access(may_see=can_view_regieverband(request.user, regieverband))
    return regieverband


@login_required
def regieverband_detail(request: HttpRequest, pk: int) -> HttpResponse:
    regieverband = _get_regieverband_for_user(request, pk)
    aanvragen = regieverband.aanvragen.select_related("oproep").order_by("-oproep__eerste_jaar")
    return render(
        request,
        "besturen/regieverband_detail.html",
        {"regieverband": regieverband, "aanvragen": aanvragen},
    )


def acmidm_aanmelden(request: HttpRequest) -> HttpResponse:
    """Step one of the login through ACM/IDM: to the provider (404 while it is not configured)."""
    check_access(may_see=oidc.oidc_ingesteld())
    volgende = request.GET.get("next", "")
    request.session[VOLGENDE] = volgende if _veilig(request, volgende) else ""
    try:
        return oidc.aanmelden_bij_provider(request, request.build_absolute_uri(reverse(TERUG)))
    except oidc.OidcFout as fout:
        log.warning("Aanmelding via ACM/IDM niet gestart: %s", fout.reden)
        audit.aanmelding(
            request,
            gebruiker=None,
            gelukt=False,
            via=audit.ACMIDM,
            reden=f"niet gestart: {fout.reden}",
        )
        return _geweigerd(request, "onbereikbaar", status=503)


def acmidm_terug(request: HttpRequest) -> HttpResponse:
    """Step two: the provider sends the browser back with a code; the portal checks the token,
    the roles and the organisation, then logs the person in or says why not."""
    check_access(may_see=oidc.oidc_ingesteld())
    try:
        claims, id_token = oidc.terug_van_provider(request)
    except oidc.OidcFout as fout:
        log.warning("Aanmelding via ACM/IDM geweigerd: %s", fout.reden)
        audit.aanmelding(request, gebruiker=None, gelukt=False, via=audit.ACMIDM, reden=fout.reden)
        return _geweigerd(request, "token", status=400)
    huidige = request.user if isinstance(request.user, User) else None
    # Only an account that is not linked yet is linked to this subject: its owner just proved
    # both the password and the ACM/IDM login in this browser.
    ingelogd = huidige if huidige is not None and not huidige.oidc_sub else None
    try:
        aanmelding = oidc_aanmelden(claims=claims, ingelogd=ingelogd)
    except Weigering as weigering:
        log.warning(
            "Aanmelding via ACM/IDM geweigerd: %s (subject %s, organisaties %s)",
            weigering.reden,
            claims.get("sub"),
            weigering.orgcodes,
        )
        audit.aanmelding(
            request,
            gebruiker=None,
            gelukt=False,
            via=audit.ACMIDM,
            reden=weigering.reden,
            gegevens=_wie(claims, weigering.orgcodes),
        )
        return _geweigerd(
            request,
            weigering.reden,
            status=403,
            orgcodes=weigering.orgcodes,
            orgnaam=str(claims.get("vo_orgnaam") or ""),
        )
    volgende = str(request.session.pop(VOLGENDE, "") or "")
    # For the audit log's line of this login (`audit.signals`).
    setattr(request, audit.AANMELDING_VIA, audit.ACMIDM)
    setattr(
        request,
        audit.AANMELDING_GEGEVENS,
        {
            **_wie(claims),
            "nieuw": aanmelding.nieuw,
            "gekoppeld": aanmelding.gekoppeld,
            "ingetrokken": ", ".join(
                [*aanmelding.ingetrokken.get("rollen", [])]
                + [f"regieverband {pk}" for pk in aanmelding.ingetrokken.get("verbanden", [])]
            ),
        },
    )
    login(request, aanmelding.gebruiker, backend="django.contrib.auth.backends.ModelBackend")
    # Kept for the provider's logout (RP-initiated, `accounts.views.Afmelden`).
    request.session[oidc.ID_TOKEN] = id_token
    if claims.get("acr") and claims["acr"] in settings.OIDC_ACR_STERK:
        request.session[STERK_AANGEMELD] = True
    if aanmelding.nieuw or aanmelding.gekoppeld:
        messages.success(request, _welkom(aanmelding))
    return redirect(volgende if _veilig(request, volgende) else settings.LOGIN_REDIRECT_URL)


def _wie(claims: dict[str, Any], orgcodes: list[str] | None = None) -> dict[str, Any]:
    """What identifies a person of ACM/IDM in the audit log: subject, organisation and roles."""
    rollen = claims.get(settings.OIDC_ROLE_CLAIM) or []
    return {
        "sub": str(claims.get("sub", ""))[:255],
        "vo_id": str(claims.get("vo_id", ""))[:255],
        "vo_orgcode": str(claims.get("vo_orgcode", ""))[:50],
        "rollen": ", ".join(str(r) for r in (rollen if isinstance(rollen, list) else [rollen]))[
            :500
        ],
        **({"organisaties": ", ".join(orgcodes)} if orgcodes else {}),
    }


def _veilig(request: HttpRequest, volgende: str) -> bool:
    return bool(volgende) and url_has_allowed_host_and_scheme(
        volgende, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _welkom(aanmelding: Aanmelding) -> str:
    """What the first login (or the linking) gave, shown once."""
    rollen = ", ".join(sorted(str(rol.label) for rol in aanmelding.rechten.rollen))
    verbanden = ", ".join(sorted(v.naam for v in aanmelding.rechten.verbanden))
    if aanmelding.gekoppeld:
        tekst = _("Uw account is nu gekoppeld aan ACM/IDM; voortaan meldt u zich daarmee aan.")
    else:
        tekst = _("Welkom! Uw account is aangemaakt met de gegevens van ACM/IDM.")
    tekst += " " + _("Uw rol: %(rollen)s.") % {"rollen": rollen}
    if verbanden:
        tekst += " " + _("Regieverbanden: %(verbanden)s.") % {"verbanden": verbanden}
    return tekst


def _geweigerd(
    request: HttpRequest,
    reden: str,
    *,
    status: int,
    orgcodes: list[str] | None = None,
    orgnaam: str = "",
) -> HttpResponse:
    return render(
        request,
        "besturen/aanmelding_geweigerd.html",
        {"reden": reden, "orgcodes": orgcodes or [], "orgnaam": orgnaam},
        status=status,
    )
