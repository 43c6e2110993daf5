"""The base classes of every ModelAdmin and inline on the beheer site (/beheer/): beheerders
manage everything there, nobody else reaches it. Here, low in the apps, so that each app's
`admin.py` can use them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from applications.accounts.permissions import is_beheerder


class BeheerderAdmin(admin.ModelAdmin):
    """Beheerders manage everything on this site; nobody else reaches it."""

    list_per_page = 50
    show_full_result_count = True

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_beheerder(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_beheerder(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_beheerder(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_beheerder(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_beheerder(request.user)


class BeheerderInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_beheerder(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_beheerder(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_beheerder(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_beheerder(request.user)


class ReadOnlyInline(BeheerderInline):
    """History rows: shown, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
