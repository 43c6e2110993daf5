"""The beheer site at /beheer/: Django's admin, open to beheerders (and superusers) only. The
ModelAdmins live in the admin.py of their own app; they are registered here."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.auth.models import Group
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from applications.aanvragen.admin import AanvraagAdmin, ActieAdmin, BijlageAdmin
from applications.aanvragen.models import Aanvraag, Actie, Bijlage
from applications.accounts.admin import BeheerUserAdmin, RolAdmin
from applications.accounts.models import User
from applications.accounts.permissions import is_beheerder
from applications.accounts.tweestaps import tweestaps_nog_open
from applications.audit.admin import AuditregelAdmin
from applications.audit.models import Auditregel
from applications.besturen.admin import LokaalBestuurAdmin, RegieverbandAdmin
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.core.permissions import check_access
from applications.oproepen.admin import OproepAdmin
from applications.oproepen.models import Oproep

_View = TypeVar("_View", bound=Callable[..., Any])


def _is_beheerder(request: HttpRequest) -> bool:
    return is_beheerder(request.user)


class BeheerSite(admin.AdminSite):
    site_header = _("Regierol: beheer")
    site_title = _("Regierol beheer")
    index_title = _("Beheer van besturen, regieverbanden, oproepen en gebruikers")

    def has_permission(self, request: HttpRequest) -> bool:
        """Beheerders, after the two-step login where it is required (the middleware already
        sends them there; this keeps the site closed should a view slip past it)."""
        return _is_beheerder(request) and not tweestaps_nog_open(request.user)

    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        """Every page of the site, as every page of /beheer/: a 404 for a logged-in user who is
        not a beheerder (nobody learns it exists); anonymous visitors go to the login page."""
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def gate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated:
                check_access(may_see=_is_beheerder(request))
            return inner(request, *args, **kwargs)

        return cast(_View, gate)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """The site's own login page, also a 404 for a logged-in user who is not a beheerder."""
        if request.user.is_authenticated:
            check_access(may_see=_is_beheerder(request))
        return super().login(request, extra_context)


beheer_site = BeheerSite(name="beheer")

beheer_site.register(LokaalBestuur, LokaalBestuurAdmin)
beheer_site.register(Regieverband, RegieverbandAdmin)
beheer_site.register(Oproep, OproepAdmin)
beheer_site.register(Aanvraag, AanvraagAdmin)
beheer_site.register(Actie, ActieAdmin)
beheer_site.register(Bijlage, BijlageAdmin)
beheer_site.register(Auditregel, AuditregelAdmin)
beheer_site.register(User, BeheerUserAdmin)
beheer_site.register(Group, RolAdmin)
