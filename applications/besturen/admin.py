"""The beheer site's pages of besturen: local governments with their population and
unemployment figures (`LokaalBestuurAdmin`) and regieverbanden (`RegieverbandAdmin`). Members
and trekker are shown here; they change on the verband's beheer page, under its rules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.accounts.admin_base import BeheerderAdmin, BeheerderInline, ReadOnlyInline
from applications.besturen.models import (
    Bevolking,
    Lidmaatschap,
    LokaalBestuur,
    Regieverband,
    Werkloosheidsgraad,
    lid_op,
)


class BevolkingInline(BeheerderInline):
    model = Bevolking
    fields = ("referentiejaar", "inwoners", "bron")


class WerkloosheidsgraadInline(BeheerderInline):
    model = Werkloosheidsgraad
    fields = ("jaar", "percentage", "bron")


class LidmaatschapVanBestuurInline(ReadOnlyInline):
    """Shown here; changed on the verband's beheer page, which checks overlaps and keeps history."""

    model = Lidmaatschap
    fields = ("regieverband", "van", "tot")
    readonly_fields = fields
    verbose_name_plural = _("lidmaatschappen van regieverbanden")


@admin.register(LokaalBestuur)
class LokaalBestuurAdmin(BeheerderAdmin):
    list_display = (
        "naam",
        "nis_code",
        "provincie",
        "is_centrumstad",
        "geldig_vanaf",
        "geldig_tot",
        "opvolger",
        "aantal_verbanden",
    )
    list_filter = ("provincie", "is_centrumstad", ("geldig_tot", admin.EmptyFieldListFilter))
    search_fields = ("naam", "nis_code", "kbo_gemeente", "kbo_ocmw")
    autocomplete_fields = ("opvolger",)
    inlines = (BevolkingInline, WerkloosheidsgraadInline, LidmaatschapVanBestuurInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[LokaalBestuur]:
        return (
            super()
            .get_queryset(request)
            .select_related("opvolger")
            .annotate(n_verbanden=Count("lidmaatschappen", filter=Q(lidmaatschappen__tot=None)))
        )

    @admin.display(description=_("huidige regieverbanden"), ordering="n_verbanden")
    def aantal_verbanden(self, obj: Any) -> int:
        return int(obj.n_verbanden)


class LidmaatschapInline(ReadOnlyInline):
    """Shown here; changed on the verband's beheer page (link above), under its rules."""

    model = Lidmaatschap
    fields = ("bestuur", "van", "tot")
    readonly_fields = fields


@admin.register(Regieverband)
class RegieverbandAdmin(BeheerderAdmin):
    list_display = ("naam", "rechtsvorm", "trekker", "aantal_leden", "contact_naam")
    list_filter = ("rechtsvorm", "lidmaatschappen__bestuur__provincie")
    search_fields = (
        "naam",
        "kbo",
        "lidmaatschappen__bestuur__naam",
        "lidmaatschappen__bestuur__nis_code",
    )
    filter_horizontal = ("regisseurs",)
    inlines = (LidmaatschapInline,)
    # The trekker changes on the verband's beheer page, which keeps its history (Trekkerwissel);
    # an edit here would change it without a trace.
    readonly_fields = ("trekker", "leden_en_trekker")
    fields = (
        "naam",
        "rechtsvorm",
        "kbo",
        "trekker",
        "leden_en_trekker",
        "contact_naam",
        "contact_email",
        "contact_telefoon",
        "adres",
        "opmerking",
        "regisseurs",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Regieverband]:
        vandaag = lid_op(timezone.localdate(), via="lidmaatschappen__")
        return (
            super()
            .get_queryset(request)
            .select_related("trekker")
            .annotate(n_leden=Count("lidmaatschappen", filter=vandaag))
        )

    @admin.display(description=_("huidige leden"), ordering="n_leden")
    def aantal_leden(self, obj: Any) -> int:
        return int(obj.n_leden)

    @admin.display(description=_("leden en trekker"))
    def leden_en_trekker(self, obj: Regieverband | None) -> str:
        """A link to the page where members and trekker change under the rules, with history."""
        if obj is None or obj.pk is None:
            return str(_("Na het bewaren: leden en trekker beheren op de pagina van het verband."))
        return format_html(
            '<a href="{}">{}</a>',
            reverse("beheer_verband", args=[obj.pk]),
            _("Leden en trekker beheren, met hun geschiedenis"),
        )
