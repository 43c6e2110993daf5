"""Open data on the granted subsidies, public and without login: per call whose decisions are
published, a coverage page, JSON-LD in the OSLO subsidy terms and CSV; and a DCAT catalogue.

Everyone gets the same answer, logged in or not; a call whose decisions are not published does
not exist here (404).
"""

from __future__ import annotations

import datetime
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications.aanvragen.statuses import AanvraagStatus
from applications.core import tabellen
from applications.opendata import jsonld, selectors
from applications.oproepen.models import Oproep
from applications.overzichten.selectors import DekkingFilters, dekking

# Public and the same for everyone: caches may keep it a while.
CACHE = "public, max-age=300"
JSONLD = "application/ld+json; charset=utf-8"


def _pagina(request: HttpRequest, oproep: Oproep) -> str:
    return request.build_absolute_uri(reverse("opendata_oproep", args=[oproep.slug]))


def _json(document: dict[str, object], content_type: str = JSONLD) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type=content_type
    )
    response["Cache-Control"] = CACHE
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def oproep(request: HttpRequest, slug: str) -> HttpResponse:
    """Which gemeenten the approved regieverbanden cover, and what each was granted and paid
    per year: the figures of the JSON-LD and CSV, as a table and a chart."""
    gekozen = selectors.gepubliceerde_oproep(slug)
    rijen = selectors.toekenningen(gekozen)
    overzicht = dekking(gekozen, DekkingFilters(status=AanvraagStatus.GOEDGEKEURD))
    totalen = selectors.totaal_per_jaar(gekozen, rijen)
    betaald = selectors.betaald_per_jaar(gekozen, rijen)
    response = render(
        request,
        "opendata/oproep.html",
        {
            "oproep": gekozen,
            "oproepen": selectors.gepubliceerde_oproepen(),
            "rijen": rijen,
            "totalen": totalen,
            "totaal": sum(totalen.values()),
            "totalen_per_jaar": [(j, totalen[j], betaald[j]) for j in gekozen.jaren],
            "totaal_betaald": sum(betaald.values()),
            "dekking": overzicht,
            "grafiek_hoogte": 24 * len(overzicht.provincies),
        },
    )
    # The page's menu names a logged-in user: no shared cache may keep that copy.
    response["Cache-Control"] = "private, no-cache" if request.user.is_authenticated else CACHE
    return response


@require_GET
def subsidies_jsonld(request: HttpRequest, slug: str) -> HttpResponse:
    gekozen = selectors.gepubliceerde_oproep(slug)
    document = jsonld.subsidies_document(
        gekozen, selectors.toekenningen(gekozen), _pagina(request, gekozen)
    )
    return _json(document)


CSV_KOLOMMEN = [
    "oproep",
    "regieverband",
    "trekker_nis_code",
    "trekker",
    "leden_nis_codes",
    "jaar",
    "toegekend_eur",
    "beslist_op",
    # Added after the others, so that a reader that counts columns keeps working.
    "betaald_eur",
]


@require_GET
def subsidies_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One row per regieverband and year: the same figures as the JSON-LD (paid 0 where the
    JSON-LD has no transaction)."""
    gekozen = selectors.gepubliceerde_oproep(slug)
    rijen: list[list[tabellen.Waarde]] = [
        [
            gekozen.slug,
            r.aanvraag.regieverband.naam,
            r.trekker.nis_code if r.trekker else "",
            r.trekker.naam if r.trekker else _("de vereniging zelf"),
            " ".join(b.nis_code for b in r.leden),
            jaar,
            toegekend,
            r.beslist_op,
            betaald,
        ]
        for r in selectors.toekenningen(gekozen)
        for jaar, toegekend, betaald in r.per_jaar
    ]
    tabel = tabellen.Tabel(naam="subsidies", kolommen=CSV_KOLOMMEN, rijen=rijen)
    response = HttpResponse(tabellen.as_csv(tabel), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="regierol-{gekozen.slug}-subsidies.csv"'
    response["Cache-Control"] = CACHE
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def catalogus(request: HttpRequest) -> HttpResponse:
    """The DCAT catalogue: one dataset per call whose decisions are published."""
    datasets = [
        {
            "slug": o.slug,
            "naam": o.naam,
            "van": datetime.date(o.eerste_jaar, 1, 1),
            "tot": datetime.date(o.laatste_jaar, 12, 31),
            "pagina": _pagina(request, o),
            "jsonld": request.build_absolute_uri(reverse("opendata_jsonld", args=[o.slug])),
            "csv": request.build_absolute_uri(reverse("opendata_csv", args=[o.slug])),
        }
        for o in selectors.gepubliceerde_oproepen()
    ]
    basis = request.build_absolute_uri(reverse("opendata_catalogus"))
    return _json(jsonld.catalogus_document(datasets, basis))
