"""The beheer site at /beheer/: Django's admin, open to beheerders (and superusers) only.

`BeheerSite` is Django's default site (`BeheerAdminConfig.default_site` in `apps.py`), so each
app registers its own models in its own `admin.py` with `@admin.register`, without importing
beheer. Its name stays "beheer": the URL names are `beheer:...`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from applications.accounts.permissions import is_beheerder
from applications.accounts.tweestaps import tweestaps_nog_open
from applications.core.permissions import check_access

_View = TypeVar("_View", bound=Callable[..., Any])


class BeheerSite(admin.AdminSite):
    site_header = _("Regierol: beheer")
    site_title = _("Regierol beheer")
    index_title = _("Beheer van besturen, regieverbanden, oproepen en gebruikers")

    def __init__(self, name: str = "beheer") -> None:
        """Django makes the default site without arguments; the name is the URL namespace."""
        super().__init__(name)

    def has_permission(self, request: HttpRequest) -> bool:
        """Beheerders, after the two-step login where it is required (the middleware already
        sends them there; this keeps the site closed should a view slip past it)."""
        return is_beheerder(request.user) and not tweestaps_nog_open(request.user)

    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        """Every page of the site, as every page of /beheer/: a 404 for a logged-in user who is
        not a beheerder (nobody learns it exists); anonymous visitors go to the login page."""
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def gate(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated:
                check_access(may_see=is_beheerder(request.user))
            return inner(request, *args, **kwargs)

        return cast(_View, gate)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """The site's own login page, also a 404 for a logged-in user who is not a beheerder."""
        if request.user.is_authenticated:
            check_access(may_see=is_beheerder(request.user))
        return super().login(request, extra_context)
