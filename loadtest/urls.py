"""The portal's URLs plus the load test's two yardsticks, which exist only here:

- `/_minimaal/`: the cheapest Django view, the yardstick of the throughput target;
- `/_minimaal/aangemeld/`: an empty page for a logged-in user (session, user and roles read, the
  base template with its menu rendered, nothing else): the floor under every page of the portal.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from regierol.urls import urlpatterns as portal_urlpatterns

MINIMAAL_PAD = "_minimaal/"
LEGE_PAGINA_PAD = "_minimaal/aangemeld/"


@require_GET
def minimaal(request: HttpRequest) -> HttpResponse:
    """The cheapest Django view: no database, no session, no template; it still passes through
    every middleware of the portal, as each page does."""
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
@require_GET
def lege_pagina(request: HttpRequest) -> HttpResponse:
    """What every page of the portal costs before its own work: the user's session, account and
    roles, and the base template (menu, messages, footer) with an empty body."""
    return render(request, "base.html")


urlpatterns = [
    path(MINIMAAL_PAD, minimaal, name="loadtest_minimaal"),
    path(LEGE_PAGINA_PAD, lege_pagina, name="loadtest_lege_pagina"),
    *portal_urlpatterns,
]
