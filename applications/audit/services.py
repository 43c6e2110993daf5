"""The audit log: who changed what in /beheer/, who of WSE downloaded which PDF or attachment, and
every login and refused login.

`AuditMiddleware` writes a line for every successful POST under /beheer/ that changed the database
(the portal's own beheer pages and the admin site alike, so a new beheer page is covered without a
line of its own); views that hand out an aanvraag's files call `download` or, for a ZIP,
`downloads`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from contextlib import ExitStack
from typing import Any

from django.db import connections, models
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.text import capfirst

from applications.accounts.models import User
from applications.accounts.permissions import is_wse
from applications.audit.models import Auditregel
from applications.core.clientip import client_ip

# Form fields whose value never goes into the log.
GEHEIM = ("password", "wachtwoord", "token", "secret", "csrfmiddlewaretoken")
MAX_WAARDE = 500
# The statements that change data; a request that ran none of them changed nothing.
WIJZIGING = re.compile(r"\s*(INSERT|UPDATE|DELETE|TRUNCATE|MERGE)\b", re.IGNORECASE)


class Wijzigingen:
    """Watches every database connection of this thread: after `with Wijzigingen() as w: ...`,
    `w.gezien` says whether a statement that changes data ran without error.

    A write that a transaction rolled back still counts; the beheer views and the admin refuse
    before they write, or answer a failed write with an error page, which is not logged.
    """

    def __init__(self) -> None:
        self.gezien = False
        self._stack = ExitStack()

    def __enter__(self) -> Wijzigingen:
        for verbinding in connections.all():
            self._stack.enter_context(verbinding.execute_wrapper(self._volg))
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    def _volg(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        result = execute(sql, params, many, context)
        if not self.gezien and isinstance(sql, str) and WIJZIGING.match(sql):
            self.gezien = True
        return result


def _gebruiker(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    return user if isinstance(user, User) else None


def _ip(request: HttpRequest) -> str | None:
    return client_ip(request) or None


def _tekst(waarde: object) -> str:
    """Posted text as the log can keep it: PostgreSQL refuses NUL in text and in JSON."""
    return str(waarde).replace("\x00", "\ufffd")


def _formuliergegevens(request: HttpRequest) -> dict[str, Any]:
    """The posted fields, secrets left out and long values cut, and the names of uploaded files."""
    velden: dict[str, Any] = {}
    for naam, waarden in request.POST.lists():
        naam = _tekst(naam)
        if any(geheim in naam.lower() for geheim in GEHEIM):
            if naam != "csrfmiddlewaretoken":
                velden[naam] = "(verborgen)"
            continue
        # Text as posted; a view may have put in other values (the admin's user form adds
        # `_continue = 1` after saving a new user).
        korte = [_tekst(waarde)[:MAX_WAARDE] for waarde in waarden]
        velden[naam] = korte[0] if len(korte) == 1 else korte
    for naam, bestanden in request.FILES.lists():
        velden[_tekst(naam)] = [_tekst(bestand.name) for bestand in bestanden]
    return velden


# What a view of /beheer/ changes, for its audit line: the view names it (`betreft`), or, on the
# admin's pages, the object of the URL is looked up before the view runs (it may delete it).
BETREFT = "_audit_betreft"


def betreft(request: HttpRequest, onderwerp: models.Model) -> None:
    """Name the object this request changes, so its audit line reads 'Regieverband Werkkracht10'
    rather than 'pk=3'."""
    setattr(request, BETREFT, onderwerp_velden(onderwerp))


def admin_onderwerp(request: HttpRequest) -> dict[str, Any]:
    """The object of an admin URL (`.../<object_id>/change/`, `/delete/`...) as audit fields,
    read before the view changes or deletes it; empty for other URLs."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return {}
    model_admin = getattr(match.func, "model_admin", None)
    object_id = match.kwargs.get("object_id")
    if model_admin is None or object_id is None:
        return {}
    try:
        obj = model_admin.get_object(request, object_id)
    except Exception:  # an id that is no key of the model: the line keeps the parameters
        return {}
    return onderwerp_velden(obj) if obj is not None else {}


def beheer(request: HttpRequest, *, onderwerp: dict[str, Any] | None = None) -> Auditregel:
    """Record a change made by a POST under /beheer/, with the object it concerns when the view
    named it (`betreft`) or the admin's URL did (`onderwerp`, from `admin_onderwerp`)."""
    actie, kwargs = _bestemming(request)
    gebruiker = _gebruiker(request)
    gegevens = {"parameters": kwargs, "formulier": _formuliergegevens(request)}
    omschrijving = " ".join(f"{key}={value}" for key, value in kwargs.items())
    velden = getattr(request, BETREFT, None) or onderwerp or {}
    return Auditregel.objects.create(
        **velden,
        soort=Auditregel.Soort.BEHEER,
        gebruiker=gebruiker,
        gebruiker_email=gebruiker.email if gebruiker else "",
        ip_adres=_ip(request),
        actie=actie,
        pad=request.get_full_path()[:500],
        omschrijving=omschrijving,
        gegevens=gegevens,
    )


def _waarde(value: Any) -> Any:
    """A value as the JSON field keeps it: numbers, text, yes/no and nothing as they are, the
    rest (dates, lazy texts, model objects) as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _download_regel(
    request: HttpRequest,
    gebruiker: User,
    actie: str,
    onderwerp: models.Model,
    wat: str,
    gegevens: Mapping[str, Any],
) -> Auditregel:
    return Auditregel(
        soort=Auditregel.Soort.DOWNLOAD,
        gebruiker=gebruiker,
        gebruiker_email=gebruiker.email,
        ip_adres=_ip(request),
        actie=actie,
        pad=request.get_full_path()[:500],
        omschrijving=wat,
        gegevens={key: _waarde(value) for key, value in gegevens.items()},
        **onderwerp_velden(onderwerp),
    )


def onderwerp_velden(onderwerp: models.Model) -> dict[str, Any]:
    """How a line names what it is about: a readable label written now ("Aanvraag Werkkracht10 -
    Lokale regierol ...") and the model's label and number, so the log needs no app's models."""
    return {
        "onderwerp": _tekst(f"{capfirst(onderwerp._meta.verbose_name)} {onderwerp}")[:300],
        "onderwerp_type": onderwerp._meta.label_lower,
        "onderwerp_id": onderwerp.pk,
    }


def _wse_gebruiker(request: HttpRequest) -> User | None:
    """The user whose downloads are logged: WSE staff (reviewers and beheerders)."""
    gebruiker = _gebruiker(request)
    return gebruiker if gebruiker is not None and is_wse(gebruiker) else None


def _bestemming(request: HttpRequest) -> tuple[str, dict[str, str]]:
    """The view's name and URL parameters (the path itself when it resolved to no view)."""
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return _tekst(request.path_info), {}
    return match.view_name, {key: _tekst(value) for key, value in match.kwargs.items()}


def download(
    request: HttpRequest, onderwerp: models.Model, wat: str, **gegevens: Any
) -> Auditregel | None:
    """Record that a WSE user downloaded `wat` of `onderwerp`, e.g. an aanvraag (a regisseur's
    downloads are not)."""
    regels = downloads(request, [(onderwerp, wat, gegevens)])
    return regels[0] if regels else None


def downloads(
    request: HttpRequest, bestanden: Iterable[tuple[models.Model, str, Mapping[str, Any]]]
) -> list[Auditregel]:
    """Record several files handed out in one download (a ZIP): one line per file, written at
    once. Each file is `(onderwerp, wat, gegevens)` as for `download`."""
    gebruiker = _wse_gebruiker(request)
    if gebruiker is None:
        return []
    actie = _bestemming(request)[0]
    return Auditregel.objects.bulk_create(
        _download_regel(request, gebruiker, actie, onderwerp, wat, gegevens)
        for onderwerp, wat, gegevens in bestanden
    )


# Set on the request by a login that is not the password form (ACM/IDM), before Django's `login`:
# how the person logged in and what the provider said of them, for the line of `user_logged_in`.
AANMELDING_VIA = "_regierol_aanmelding_via"
AANMELDING_GEGEVENS = "_regierol_aanmelding_gegevens"
WACHTWOORD = "wachtwoord"
ACMIDM = "ACM/IDM"


def aanmelding(
    request: HttpRequest,
    *,
    gebruiker: User | None,
    gelukt: bool,
    via: str,
    reden: str = "",
    gegevens: Mapping[str, Any] | None = None,
) -> Auditregel:
    """Record a login (`gelukt`) or a refused one, with how (`via`: the password form or ACM/IDM),
    why it was refused and what identifies the person (never a password or a token)."""
    return Auditregel.objects.create(
        soort=Auditregel.Soort.AANMELDING,
        gebruiker=gebruiker,
        gebruiker_email=(gebruiker.email or "") if gebruiker is not None else "",
        ip_adres=_ip(request),
        actie=f"{'aangemeld' if gelukt else 'geweigerd'} via {via}",
        pad=request.get_full_path()[:500],
        omschrijving=_tekst(reden),
        gegevens={key: _waarde(value) for key, value in (gegevens or {}).items()},
    )


def opdracht(
    *,
    opdracht: str,
    onderwerp: models.Model,
    omschrijving: str,
    gebruiker: User | None = None,
    gegevens: Mapping[str, Any] | None = None,
) -> Auditregel:
    """Record a change that a beheerder made with a command on the server (`manage.py ...`), or
    that a service made for one, outside any request: `opdracht` names the command, `gebruiker`
    the beheerder who ran it when the command was told."""
    return Auditregel.objects.create(
        soort=Auditregel.Soort.BEHEER,
        gebruiker=gebruiker,
        gebruiker_email=(gebruiker.email or "") if gebruiker is not None else "",
        ip_adres=None,
        actie=opdracht,
        pad=f"manage.py {opdracht}"[:500],
        omschrijving=_tekst(omschrijving),
        gegevens={key: _waarde(value) for key, value in (gegevens or {}).items()},
        **onderwerp_velden(onderwerp),
    )


def dossier(
    *,
    gebruiker: User | None,
    actie: str,
    onderwerp: models.Model | None,
    omschrijving: str = "",
    gegevens: Mapping[str, Any] | None = None,
    pad: str = "",
) -> Auditregel:
    """Record what happened to a dossier outside /beheer/: its closing (by a reviewer or a
    beheerder, `gebruiker`) or what the retention command anonymised or deleted (`gebruiker`
    None: the command runs on the server). `pad` says where (the page, or the command)."""
    return Auditregel.objects.create(
        **(onderwerp_velden(onderwerp) if onderwerp is not None else {}),
        soort=Auditregel.Soort.DOSSIER,
        gebruiker=gebruiker,
        gebruiker_email=(gebruiker.email or "") if gebruiker is not None else "",
        actie=actie,
        pad=pad[:500],
        omschrijving=_tekst(omschrijving),
        gegevens={key: _waarde(value) for key, value in (gegevens or {}).items()},
    )
