"""WSE's overviews of a call: coverage of Flanders, the budget, and their exports.

WSE-beoordelaars and beheerders see them; nobody else learns they exist (404), as on the review
pages. The filters come from the query string; a value that is not one of the choices is ignored.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications.aanvragen.selectors import default_oproep
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.permissions import require_wse, user_of
from applications.audit import services as audit
from applications.besturen.constants import Provincie
from applications.core import tabellen
from applications.oproepen.models import Oproep
from applications.overzichten import exports, grafieken, selectors
from applications.overzichten.selectors import INGEDIEND_FILTER, DekkingFilters
from applications.uitvoering.cijfers import (
    REALISATIESTATUSSEN,
    geld_per_verband,
    realisaties,
    realisatiestatus_label,
)
from applications.uitvoering.constants import Opvolgstaat
from applications.uitvoering.overzicht import Opvolgfilters
from applications.uitvoering.overzicht import opvolgoverzicht as opvolgoverzicht_van
from applications.uitvoering.selectors import oproep_betalingen


def _eigen_verbanden(request: HttpRequest) -> set[int]:
    """The verbanden of which a WSE user is also a regisseur: WSE's pages do not open their
    aanvragen for them (`beoordeling.permissions.can_see_as_wse`), so no link leads there."""
    user = user_of(request)
    if not user.is_regisseur:
        return set()
    return set(user.regieverbanden.values_list("pk", flat=True))


TOON = {"niet_gedekt", "overlap"}


def _oproep(request: HttpRequest, slug: str) -> Oproep:
    require_wse(request)
    return get_object_or_404(Oproep, slug=slug)


def _keuze(request: HttpRequest, naam: str, keuzes: object) -> str:
    value = request.GET.get(naam, "")
    return value if value and value in keuzes else ""  # type: ignore[operator]


STATUS_FILTERS = {*AanvraagStatus.values, INGEDIEND_FILTER}


def _dekking_filters(request: HttpRequest) -> DekkingFilters:
    return DekkingFilters(
        provincie=_keuze(request, "provincie", Provincie),
        status=_keuze(request, "status", STATUS_FILTERS),
        toon=_keuze(request, "toon", TOON),
    )


def _status_keuzes() -> list[tuple[str, str]]:
    return [
        (INGEDIEND_FILTER, _("Ingediend (tot en met goedgekeurd)")),
        *((s, str(label)) for s, label in AanvraagStatus.choices),
    ]


def _naar_standaard(request: HttpRequest, url_name: str) -> HttpResponse:
    require_wse(request)
    oproep = default_oproep()
    if oproep is None:
        raise Http404
    return redirect(url_name, slug=oproep.slug)


@login_required
@require_GET
def dekking_standaard(request: HttpRequest) -> HttpResponse:
    return _naar_standaard(request, "dekking")


@login_required
@require_GET
def budget_standaard(request: HttpRequest) -> HttpResponse:
    return _naar_standaard(request, "budget")


@login_required
@require_GET
def dekking(request: HttpRequest, slug: str) -> HttpResponse:
    oproep = _oproep(request, slug)
    filters = _dekking_filters(request)
    overzicht = selectors.dekking(oproep, filters)
    # Each aanvraag's link once, not once per gemeente it covers (reverse costs per call), and
    # each status's name once per page (`get_status_display` rebuilds and hashes the field's
    # translated choices on every call, once per row of some 300 gemeenten).
    links: dict[int, str] = {}
    statusnamen = {status.value: str(status.label).lower() for status in AanvraagStatus}
    for gemeente in overzicht.gemeenten:
        for aanvraag in gemeente.aanvragen:
            if aanvraag.pk not in links:
                links[aanvraag.pk] = reverse("beoordeling_detail", args=[aanvraag.pk])
            aanvraag.detail_url = links[aanvraag.pk]  # type: ignore[attr-defined]
            aanvraag.status_naam = statusnamen.get(aanvraag.status, aanvraag.status)  # type: ignore[attr-defined]
    return render(
        request,
        "overzichten/dekking.html",
        {
            "oproep": oproep,
            "oproepen": Oproep.objects.order_by("-eerste_jaar", "-deadline"),
            "dekking": overzicht,
            "grafiek_hoogte": 24 * len(overzicht.provincies),
            "filters": filters,
            "provincies": Provincie.choices,
            "statussen": _status_keuzes(),
            "eigen_verbanden": _eigen_verbanden(request),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def budget(request: HttpRequest, slug: str) -> HttpResponse:
    oproep = _oproep(request, slug)
    status = _keuze(request, "status", STATUS_FILTERS)
    overzicht = selectors.budget(oproep, status=status, voor=user_of(request))
    balken = len(overzicht.jaren[0].balken) if overzicht.jaren else 0
    groep_hoogte = 14 * (balken + 1) + 8
    return render(
        request,
        "overzichten/budget.html",
        {
            "oproep": oproep,
            "oproepen": Oproep.objects.order_by("-eerste_jaar", "-deadline"),
            "budget": overzicht,
            "betalingen": oproep_betalingen(oproep),
            "groep_hoogte": groep_hoogte,
            "grafiek_hoogte": groep_hoogte * len(overzicht.jaren),
            "status": status,
            "statussen": _status_keuzes(),
        },
    )


@login_required
@require_GET
def opvolgoverzicht(request: HttpRequest, slug: str) -> HttpResponse:
    """The follow-up of a call: per granted aanvraag and year, where its opvolgmoment stands,
    with filters (year, state, verband) and 50 aanvragen a page."""
    oproep = _oproep(request, slug)
    jaar = request.GET.get("jaar", "")
    termijnjaren = list(oproep.opvolgtermijnen.values_list("jaar", flat=True))
    filters = Opvolgfilters(
        jaar=int(jaar) if jaar.isdigit() and int(jaar) in termijnjaren else None,
        staat=_keuze(request, "staat", Opvolgstaat.values),
        zoek=request.GET.get("zoek", "")[:100],
    )
    overzicht = opvolgoverzicht_van(
        oproep, filters, vandaag=timezone.localdate(), pagina=request.GET.get("pagina", 1)
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "overzichten/opvolging.html",
        {
            "oproep": oproep,
            "oproepen": Oproep.objects.order_by("-eerste_jaar", "-deadline"),
            "overzicht": overzicht,
            "filters": filters,
            "jaren": termijnjaren,
            "staten": Opvolgstaat.choices,
            "eigen_verbanden": _eigen_verbanden(request),
            "query": query.urlencode(),
        },
    )


@login_required
@require_GET
def oproep_uitvoering(request: HttpRequest, slug: str) -> HttpResponse:
    """The uitvoering of a call in figures: per priority and year how far the actions of the
    granted aanvragen got, and per verband granted, paid, outstanding and to recover; each as a
    chart with its table, and as CSV and XLSX."""
    oproep = _oproep(request, slug)
    telling = realisaties(oproep)
    geld = geld_per_verband(oproep)
    return render(
        request,
        "overzichten/uitvoering.html",
        {
            "oproep": oproep,
            "oproepen": Oproep.objects.order_by("-eerste_jaar", "-deadline"),
            "realisaties": telling,
            "statussen": [(s, realisatiestatus_label(s)) for s in REALISATIESTATUSSEN],
            "realisatiegrafiek": grafieken.realisatiegrafiek(telling),
            "geld": geld,
            "geldgrafiek": grafieken.geldgrafiek(geld),
            "eigen_verbanden": _eigen_verbanden(request),
        },
    )


FORMATEN = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_GET
def export(request: HttpRequest, slug: str, soort: str, formaat: str) -> HttpResponseBase:
    """A table of the call as a file; the coverage export takes the coverage page's filters."""
    oproep = _oproep(request, slug)
    if soort not in exports.SOORTEN or formaat not in FORMATEN:
        raise Http404
    if soort == "dekking":
        tabel = exports.dekking_tabel(oproep, _dekking_filters(request))
    elif soort == "acties":
        tabel = exports.acties_tabel(oproep)
    elif soort == "betalingen":
        tabel = exports.betalingen_tabel(oproep)
    elif soort == "uitvoering":
        tabel = exports.uitvoering_tabel(oproep)
    elif soort == "realisaties":
        tabel = exports.realisaties_tabel(oproep)
    else:
        tabel = exports.aanvragen_tabel(oproep, voor=user_of(request))
    content_type = FORMATEN[formaat]
    response: HttpResponseBase
    if formaat == "csv":  # written while the rows are read
        response = StreamingHttpResponse(tabellen.csv_stukken(tabel), content_type=content_type)
    else:
        response = HttpResponse(tabellen.as_xlsx(tabel), content_type=content_type)
    naam = f"regierol-{oproep.slug}-{soort}.{formaat}"
    audit.download(
        request,
        oproep,
        _("Export %(soort)s (%(formaat)s)") % {"soort": soort, "formaat": formaat.upper()},
        bestandsnaam=naam,
        rijen=tabel.rij_aantal,
        filters=request.GET.urlencode(),
    )
    response["Content-Disposition"] = f'attachment; filename="{naam}"'
    response["Cache-Control"] = "private, no-store"
    return response
