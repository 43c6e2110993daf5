"""`/healthz`: the database answers; `/favicon.ico`: the portal's icon."""

from __future__ import annotations

from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponseRedirect,
    JsonResponse,
)
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
