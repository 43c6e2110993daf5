"""The portal's URLs plus `/_minimaal/`, the load test's yardstick."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from regierol.urls import urlpatterns as portal_urlpatterns

MINIMAAL_PAD = "_minimaal/"


@require_GET
def minimaal(request: HttpRequest) -> HttpResponse:
    """The cheapest Django view: no database, no session, no template; it still passes through
    every middleware of the portal, as each page does."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path(MINIMAAL_PAD, minimaal, name="loadtest_minimaal"), *portal_urlpatterns]
