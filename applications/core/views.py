"""`/healthz`: the database answers; `/favicon.ico`: the portal's icon; the public pages every
government portal has (accessibility and privacy statements, contact and help), linked in the
footer of every page and readable without logging in."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


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


@require_GET
def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """`/favicon.ico`, which browsers ask for on pages without an icon link (the admin's): the
    portal's icon, so no page logs a 404."""
    return HttpResponseRedirect(static("favicon.svg"))


def _info(request: HttpRequest, template: str) -> HttpResponse:
    return render(
        request,
        f"core/info/{template}.html",
        {
            "contact_email": settings.WSE_EMAIL,
            "privacy_email": settings.REGIEROL_PRIVACY_EMAIL,
            "verklaring_datum": settings.REGIEROL_TOEGANKELIJKHEID_DATUM,
        },
    )


@require_GET
def toegankelijkheid(request: HttpRequest) -> HttpResponse:
    return _info(request, "toegankelijkheid")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return _info(request, "privacy")


@require_GET
def contact(request: HttpRequest) -> HttpResponse:
    return _info(request, "contact")
