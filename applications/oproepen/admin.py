"""The beheer site's page of calls: `OproepAdmin`, with the call's policy priorities and
attachment types inline."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from applications.accounts.admin_base import BeheerderAdmin, BeheerderInline
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep


class BeleidsprioriteitInline(BeheerderInline):
    model = Beleidsprioriteit
    fields = ("volgorde", "code", "titel", "beschrijving")


class BijlageTypeInline(BeheerderInline):
    model = BijlageType
    fields = ("volgorde", "code", "naam", "per_lid", "verplicht")


@admin.register(Oproep)
class OproepAdmin(BeheerderAdmin):
    list_display = ("naam", "slug", "eerste_jaar", "laatste_jaar", "deadline", "status", "n_aanv")
    list_filter = ("status",)
    search_fields = ("naam", "slug")
    prepopulated_fields = {"slug": ("naam",)}
    inlines = (BeleidsprioriteitInline, BijlageTypeInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Oproep]:
        return super().get_queryset(request).annotate(n_aanvragen=Count("aanvragen"))

    @admin.display(description=_("aanvragen"), ordering="n_aanvragen")
    def n_aanv(self, obj: Any) -> int:
        return int(obj.n_aanvragen)
