"""The beheer site's page of calls: `OproepAdmin`, with the call's policy priorities and
attachment types inline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from applications.accounts.admin_base import BeheerderAdmin, BeheerderInline, BenoemdeRijen
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep, Scoreanker


class BeleidsprioriteitInline(BeheerderInline):
    model = Beleidsprioriteit
    fields = ("volgorde", "code", "titel", "beschrijving")
    show_change_link = True  # to the priority's own page, with its score anchors


class ScoreankerRijen(BenoemdeRijen):
    """Every anchor within the scale of the priority's call, also on a page that adds the
    priority (where the model's own check has no call yet)."""

    def clean(self) -> None:
        super().clean()
        oproep = getattr(self.instance, "oproep", None) if self.instance.oproep_id else None
        if oproep is None:
            return
        for form in self.forms:
            score = form.cleaned_data.get("score")
            if form.cleaned_data.get("DELETE") or score is None:
                continue
            fout = oproep.buiten_schaal(score)
            if fout:
                form.add_error("score", fout)


class ScoreankerInline(BeheerderInline):
    model = Scoreanker
    formset = ScoreankerRijen
    fields = ("score", "betekenis")
    # A sentence or two: the whole of it in view while it is written.
    formfield_overrides = {
        models.CharField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 70})}
    }


@admin.register(Beleidsprioriteit)
class BeleidsprioriteitAdmin(BeheerderAdmin):
    """A priority with what each point of its call's scale means for it (the score anchors)."""

    list_display = ("code", "titel", "oproep", "n_ankers")
    list_filter = ("oproep",)
    search_fields = ("code", "titel", "oproep__naam")
    list_select_related = ("oproep",)
    fields = ("oproep", "volgorde", "code", "titel", "beschrijving")
    inlines = (ScoreankerInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Actions, scores and attachments of the call's aanvragen hang on the priority: it
        # never moves to another call.
        return ("oproep",) if obj is not None else ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Beleidsprioriteit]:
        return super().get_queryset(request).annotate(n_scoreankers=Count("ankers"))

    @admin.display(description=_("scoreankers"), ordering="n_scoreankers")
    def n_ankers(self, obj: Any) -> int:
        return int(obj.n_scoreankers)


class BijlageTypeInline(BeheerderInline):
    model = BijlageType
    fields = ("volgorde", "code", "naam", "voor", "per_lid", "verplicht")


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
