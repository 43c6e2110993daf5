"""The beheer site's page of the audit log (`AuditregelAdmin`): read-only, for beheerders."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.accounts.permissions import is_beheerder
from applications.audit.models import Auditregel


@admin.register(Auditregel)
class AuditregelAdmin(admin.ModelAdmin):
    """The audit log, for beheerders to read. Nobody adds, changes or deletes a line here, not
    even a superuser: only `applications.audit.services` writes them."""

    list_display = ("tijdstip", "soort", "gebruiker_email", "actie", "omschrijving", "onderwerp")
    list_filter = ("soort", "tijdstip")
    search_fields = ("gebruiker_email", "actie", "omschrijving", "onderwerp")
    date_hierarchy = "tijdstip"
    list_per_page = 100
    # The log only grows: no count of every line under each filtered page.
    show_full_result_count = False
    fields = (
        "tijdstip",
        "soort",
        "gebruiker",
        "gebruiker_email",
        "ip_adres",
        "actie",
        "pad",
        "omschrijving",
        "onderwerp",
        "onderwerp_type",
        "onderwerp_id",
        "gegevens_leesbaar",
    )
    readonly_fields = fields

    @admin.display(description=_("gegevens"))
    def gegevens_leesbaar(self, obj: Auditregel) -> str:
        return format_html(
            "<pre>{}</pre>", json.dumps(obj.gegevens, indent=2, ensure_ascii=False, sort_keys=True)
        )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_beheerder(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_beheerder(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
