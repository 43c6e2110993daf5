"""Views glue requests to selectors and services; they hold no business rules."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import selectors
from .constants import AanvraagStatus
from .models import Aanvraag, LokaalBestuur, Oproep, Regieverband, User
from .permissions import can_view_regieverband


def _get_regieverband_for_user(request: HttpRequest, pk: int) -> Regieverband:
    """The verband if this user may see it; a 404 otherwise, so nobody learns it exists."""
    try:
        regieverband = selectors.regieverband_detail(pk=pk)
    except Regieverband.DoesNotExist:
        raise Http404 from None
    if not can_view_regieverband(request.user, regieverband):
        raise Http404
    return regieverband


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, object] = {
        "regieverbanden": selectors.regieverband_list_for_user(user=user),
        "aanvragen": selectors.aanvraag_list_for_user(user=user).order_by("-oproep__eerste_jaar"),
        "open_oproepen": selectors.open_oproepen(),
    }
    if user.is_beoordelaar or user.is_beheerder:
        context["oproepen"] = Oproep.objects.order_by("-eerste_jaar")
        context["status_counts"] = _status_counts()
    if user.is_beheerder:
        context["counts"] = {
            "besturen": LokaalBestuur.objects.filter(geldig_tot__isnull=True).count(),
            "centrumsteden": LokaalBestuur.objects.filter(
                is_centrumstad=True, geldig_tot__isnull=True
            ).count(),
            "regieverbanden": Regieverband.objects.count(),
            "oproepen": Oproep.objects.count(),
            "gebruikers": User.objects.filter(is_active=True).count(),
        }
    return render(request, "applications/dashboard.html", context)


def _status_counts() -> list[dict[str, object]]:
    """Per call, the number of aanvragen in each status (one query)."""
    from django.db.models import Count

    rows = Aanvraag.objects.values("oproep__naam", "oproep__slug", "status").annotate(n=Count("pk"))
    table: dict[str, dict[str, object]] = {}
    for row in rows:
        entry = table.setdefault(
            row["oproep__slug"], {"oproep": row["oproep__naam"], "per_status": {}}
        )
        entry["per_status"][AanvraagStatus(row["status"]).label] = row["n"]  # type: ignore[index]
    return list(table.values())


@login_required
def regieverband_detail(request: HttpRequest, pk: int) -> HttpResponse:
    regieverband = _get_regieverband_for_user(request, pk)
    aanvragen = regieverband.aanvragen.select_related("oproep").order_by("-oproep__eerste_jaar")
    return render(
        request,
        "applications/regieverband_detail.html",
        {"regieverband": regieverband, "aanvragen": aanvragen},
    )


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database answers, 503 otherwise; for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
