"""The pages the load test names in its statistics, the key pages with their own run, and
what a user reads from a page (CSRF token, versions, links).

Shared by the locustfile, the orchestrator and the tests; imports neither locust nor Django, so
nothing else gets gevent's monkey-patching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Names of the requests in locust's statistics: one per page (and method), whatever its id.
DASHBOARD = "dashboard"
OVERZICHT = "aanvraag: overzicht"
VERBAND = "aanvraag: verband"
TEKSTEN = "aanvraag: teksten"
MEERJARENPLAN = "aanvraag: meerjarenplan"
BEGROTING = "aanvraag: begroting"
OPVOLGING = "aanvraag: opvolging"
INDIENEN_BEVESTIGEN = "aanvraag: indienen bevestigen"
INDIENEN = "aanvraag: indienen"
ACTIE = "actie: formulier"
ACTIE_NIEUW = "actie: nieuw"
WACHTRIJ = "beoordeling: wachtrij"
WACHTRIJ_FILTER = "beoordeling: wachtrij gefilterd"
DETAIL = "beoordeling: detail"
DEKKING = "overzicht: dekking"
BUDGET = "overzicht: budget"
MINIMAAL = "minimale view"
LEGE_PAGINA = "lege pagina (aangemeld)"

MINIMAAL_URL = "/_minimaal/"
LEGE_PAGINA_URL = "/_minimaal/aangemeld/"


@dataclass(frozen=True)
class Sleutelpagina:
    """A key page: read by many users many times a day. Its throughput alone (a run of only
    GETs of it) is compared with the minimal view's."""

    naam: str
    rol: str  # "regisseur" or "beoordelaar": whose session reads it
    pad: str  # with {aanvraag}: a regisseur's own draft, or a submitted one for a reviewer


SLEUTELPAGINAS = (
    Sleutelpagina(TEKSTEN, "regisseur", "/aanvragen/{aanvraag}/teksten/"),
    Sleutelpagina(MEERJARENPLAN, "regisseur", "/aanvragen/{aanvraag}/meerjarenplan/"),
    Sleutelpagina(WACHTRIJ, "beoordelaar", "/beoordeling/"),
    Sleutelpagina(DETAIL, "beoordelaar", "/beoordeling/{aanvraag}/"),
)


def sleutelpagina(naam: str) -> Sleutelpagina:
    for pagina in SLEUTELPAGINAS:
        if pagina.naam == naam:
            return pagina
    raise KeyError(naam)


class NietGevonden(Exception):
    """The page lacks what a user needs from it (the template changed, or the wrong page)."""


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSIE = re.compile(r'name="versie" value="(\d+)"')
_SELECTED = re.compile(r'<option value="([^"]*)"[^>]*\sselected')


def csrf_token(html: str) -> str:
    return _first(CSRF, html, "CSRF token")


def versie(html: str) -> str:
    """The version a form was based on (hidden field `versie`)."""
    return _first(VERSIE, html, "versie")


def gekozen(html: str, name: str) -> str:
    """The selected option of the form's <select name=...>."""
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    selected = _SELECTED.search(match.group(1)) if match else None
    if selected is None:
        raise NietGevonden(f"no selected {name}")
    return selected.group(1)


def acties(html: str, aanvraag: int) -> list[str]:
    """The ids of the actions the meerjarenplan links to."""
    return re.findall(rf'href="/aanvragen/{aanvraag}/acties/(\d+)/"', html)


def lege_plaatsen(html: str) -> list[tuple[str, str]]:
    """(priority id, year) of every cell of the meerjarenplan that offers "add an action"."""
    return re.findall(r"acties/nieuw/\?prioriteit=(\d+)&(?:amp;)?jaar=(\d+)", html)


def beoordeling_links(html: str) -> list[str]:
    """The ids of the aanvragen the review queue links to."""
    return re.findall(r'href="/beoordeling/(\d+)/"', html)


def kan_indienen(html: str, aanvraag: int) -> bool:
    """Whether the overview offers to submit (an editable draft of this user's verband)."""
    return f'href="/aanvragen/{aanvraag}/indienen/"' in html


def _first(pattern: re.Pattern[str], html: str, what: str) -> str:
    match = pattern.search(html)
    if match is None:
        raise NietGevonden(f"no {what} on the page")
    return match.group(1)
