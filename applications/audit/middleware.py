"""Every request to /beheer/ that writes something leaves one audit line, in the same
transaction as the change: a change rolled back leaves no line."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from applications.audit import services as audit
from applications.core.transactions import atomic_with_files


class _Terugdraaien(Exception):
    """Rolls the request's transaction back and carries the answer out of it."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status_code)
        self.response = response


class AuditMiddleware:
    """Writes an audit line for every POST under /beheer/ that changed the database and succeeded
    (answered below 400: the redirect after saving, or the admin's page that closes a pop-up),
    except logging in and out.

    A POST that changed nothing leaves no line: a form with errors, an action the service refused
    (the page then shows why), an admin action without a selection, or a user without access sent
    to the login page. A POST answered with 400 or more is rolled back whole. Only POSTs under
    /beheer/ are watched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = "/beheer/"

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._bewaakt(request):
            return self.get_response(request)
        # The change and its audit line commit together, or neither does; a refused or failed
        # request keeps nothing (files written meanwhile included).
        try:
            with atomic_with_files(), audit.Wijzigingen() as wijzigingen:
                onderwerp = audit.admin_onderwerp(request) if request.user.is_authenticated else {}
                response = self.get_response(request)
                if response.status_code >= 400:
                    raise _Terugdraaien(response)
                if wijzigingen.gezien and request.user.is_authenticated:
                    audit.beheer(request, onderwerp=onderwerp)
        except _Terugdraaien as terug:
            response = terug.response
        return response

    def _bewaakt(self, request: HttpRequest) -> bool:
        pad = request.path_info
        return (
            request.method == "POST"
            and pad.startswith(self.prefix)
            and not pad.startswith(("/beheer/login/", "/beheer/logout/"))
        )
