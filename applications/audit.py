"""The audit log: who changed what in /beheer/, and who of WSE downloaded which PDF or attachment.

`AuditMiddleware` writes a line for every successful POST under /beheer/ (the portal's own beheer
pages and the admin site alike, so a new beheer page is covered without a line of its own); views
that hand out an aanvraag's files call `download`.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.http import HttpRequest
from django.urls import Resolver404, resolve

from .models import Aanvraag, Auditregel, User
from .permissions import is_wse

# Form fields whose value never goes into the log.
GEHEIM = ("password", "wachtwoord", "token", "secret", "csrfmiddlewaretoken")
MAX_WAARDE = 500


def _gebruiker(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


def _ip(request: HttpRequest) -> str | None:
    return get_client_ip_address(request) or None


def _formuliergegevens(request: HttpRequest) -> dict[str, Any]:
    """The posted fields, secrets left out and long values cut, and the names of uploaded files."""
    velden: dict[str, Any] = {}
    for naam, waarden in request.POST.lists():
        if any(geheim in naam.lower() for geheim in GEHEIM):
            if naam != "csrfmiddlewaretoken":
                velden[naam] = "(verborgen)"
            continue
        korte = [waarde[:MAX_WAARDE] for waarde in waarden]
        velden[naam] = korte[0] if len(korte) == 1 else korte
    for naam, bestanden in request.FILES.lists():
        velden[naam] = [bestand.name for bestand in bestanden]
    return velden


def beheer(request: HttpRequest) -> Auditregel:
    """Record a change made by a POST under /beheer/."""
    try:
        match = resolve(request.path_info)
        actie = match.view_name
        kwargs = {key: str(value) for key, value in match.kwargs.items()}
    except Resolver404:
        actie, kwargs = request.path_info, {}
    gebruiker = _gebruiker(request)
    gegevens = {"parameters": kwargs, "formulier": _formuliergegevens(request)}
    omschrijving = " ".join(f"{key}={value}" for key, value in kwargs.items())
    return Auditregel.objects.create(
        soort=Auditregel.Soort.BEHEER,
        gebruiker=gebruiker,
        gebruiker_email=gebruiker.email if gebruiker else "",
        ip_adres=_ip(request),
        actie=actie,
        pad=request.get_full_path()[:500],
        omschrijving=omschrijving,
        gegevens=gegevens,
    )


def download(
    request: HttpRequest, aanvraag: Aanvraag, wat: str, **gegevens: Any
) -> Auditregel | None:
    """Record that a WSE user downloaded `wat` of an aanvraag (a regisseur's downloads are not)."""
    gebruiker = _gebruiker(request)
    if gebruiker is None or not is_wse(gebruiker):
        return None
    try:
        actie = resolve(request.path_info).view_name
    except Resolver404:
        actie = request.path_info
    return Auditregel.objects.create(
        soort=Auditregel.Soort.DOWNLOAD,
        gebruiker=gebruiker,
        gebruiker_email=gebruiker.email,
        ip_adres=_ip(request),
        actie=actie,
        pad=request.get_full_path()[:500],
        omschrijving=wat,
        gegevens={key: str(value) for key, value in gegevens.items()},
        aanvraag=aanvraag,
    )
