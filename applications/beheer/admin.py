"""The beheer site at /beheer/: Django's admin, open to beheerders (and superusers) only."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.aanvragen.models import Aanvraag, Actie, Bijlage, Statuswijziging, Verlenging
from applications.accounts.models import User
from applications.accounts.permissions import is_beheerder
from applications.accounts.services import gebruiker_deactiveren
from applications.accounts.tweestaps import tweestaps_nog_open, tweestaps_wissen
from applications.audit.models import Auditregel
from applications.besturen.models import (
    Bevolking,
    Lidmaatschap,
    LokaalBestuur,
    Regieverband,
    Werkloosheidsgraad,
    lid_op,
)
from applications.core.permissions import check_access
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep

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


class BeheerderAdmin(admin.ModelAdmin):
    """Beheerders manage everything on this site; nobody else reaches it."""

    list_per_page = 50
    show_full_result_count = True

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_beheerder(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_beheerder(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_beheerder(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_beheerder(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_beheerder(request)


class BeheerderInline(admin.TabularInline):
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_beheerder(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_beheerder(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_beheerder(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_beheerder(request)


class ReadOnlyInline(BeheerderInline):
    """History rows: shown, never edited by hand."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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


@admin.register(LokaalBestuur, site=beheer_site)
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
    search_fields = ("naam", "nis_code")
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


@admin.register(Regieverband, site=beheer_site)
class RegieverbandAdmin(BeheerderAdmin):
    list_display = ("naam", "rechtsvorm", "trekker", "aantal_leden", "contact_naam")
    list_filter = ("rechtsvorm", "lidmaatschappen__bestuur__provincie")
    search_fields = (
        "naam",
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


class BeleidsprioriteitInline(BeheerderInline):
    model = Beleidsprioriteit
    fields = ("volgorde", "code", "titel", "beschrijving")


class BijlageTypeInline(BeheerderInline):
    model = BijlageType
    fields = ("volgorde", "code", "naam", "per_lid", "verplicht")


@admin.register(Oproep, site=beheer_site)
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


class StatuswijzigingInline(ReadOnlyInline):
    model = Statuswijziging
    fields = ("op", "van", "naar", "door", "reden")
    readonly_fields = fields


class VerlengingInline(BeheerderInline):
    model = Verlenging
    fields = ("tot", "reden", "toegekend_door", "toegekend_op")
    readonly_fields = ("toegekend_door", "toegekend_op")


@admin.register(Aanvraag, site=beheer_site)
class AanvraagAdmin(BeheerderAdmin):
    """Beheerders see aanvragen here; content and status change only through the portal's
    services (the status table), so those fields are read-only."""

    list_display = ("regieverband", "oproep", "status", "ingediend_op", "gewijzigd_op")
    list_filter = ("oproep", "status")
    search_fields = ("regieverband__naam",)
    list_select_related = ("regieverband", "oproep")
    readonly_fields = (
        "regieverband",
        "oproep",
        "status",
        "versie",
        "ingediend_op",
        "ingediend_door",
        "gewijzigd_door",
    )
    fields = (
        *readonly_fields,
        "contact_naam",
        "contact_functie",
        "contact_email",
        "contact_telefoon",
    )
    inlines = (VerlengingInline, StatuswijzigingInline)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Verlenging) and isinstance(request.user, User):
                instance.toegekend_door = instance.toegekend_door or request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(Actie, site=beheer_site)
class ActieAdmin(BeheerderAdmin):
    list_display = ("titel", "aanvraag", "prioriteit", "jaar", "budget")
    list_filter = ("aanvraag__oproep", "prioriteit__code", "jaar")
    search_fields = ("titel", "aanvraag__regieverband__naam")
    list_select_related = ("aanvraag__regieverband", "aanvraag__oproep", "prioriteit")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Bijlage, site=beheer_site)
class BijlageAdmin(BeheerderAdmin):
    list_display = ("naam", "aanvraag", "bijlagetype", "grootte", "opgeladen_op")
    list_filter = ("aanvraag__oproep", "bijlagetype")
    search_fields = ("naam", "aanvraag__regieverband__naam", "sha256")
    list_select_related = ("aanvraag__regieverband", "aanvraag__oproep", "bijlagetype")
    # Not the file field itself: its link would be the storage's own address (a signed S3 URL),
    # past the view that checks the user and writes the audit log.
    exclude = ("bestand",)
    readonly_fields = ("downloaden",)

    @admin.display(description=_("bestand"))
    def downloaden(self, obj: Bijlage) -> str:
        return format_html(
            '<a href="{}">{}</a>',
            reverse("bijlage_download", args=[obj.aanvraag_id, obj.pk]),
            _("Downloaden (komt in het auditlog)"),
        )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Auditregel, site=beheer_site)
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
        return _is_beheerder(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_beheerder(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BeheerUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class BeheerUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User, site=beheer_site)
class BeheerUserAdmin(BeheerderAdmin, UserAdmin):
    form = BeheerUserChangeForm
    add_form = BeheerUserCreationForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "rollen", "is_active", "last_login")
    list_filter = ("groups", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoon"), {"fields": ("first_name", "last_name")}),
        (_("Rol en toegang"), {"fields": ("is_active", "groups", "is_staff", "is_superuser")}),
        (_("Data"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2", "groups")}),
    )
    filter_horizontal = ("groups",)
    # Deactivating goes through the service (no self-deactivation; open invitation links end),
    # on /beheer/gebruikers/ or with the "Deactiveren" action.
    readonly_fields = ("is_active", "last_login", "date_joined")

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("rollen"))
    def rollen(self, obj: User) -> str:
        return ", ".join(g.name for g in obj.groups.all())

    # The change list links to the invitation and user pages: templates/admin/accounts/user/.
    actions = ("deactiveren", "tweestaps_herinstellen")

    @admin.action(description=_("Authenticator-app opnieuw laten instellen"))
    def tweestaps_herinstellen(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """For a lost or replaced phone: the app and the backup codes are removed; at the next
        login the person links a new app."""
        aantal = 0
        for gebruiker in queryset:
            aantal += tweestaps_wissen(gebruiker)
        self.message_user(
            request,
            _(
                "De authenticator-app van %(n)d gebruiker(s) is gewist; bij de volgende aanmelding "
                "stellen ze een nieuwe in."
            )
            % {"n": aantal},
            messages.SUCCESS,
        )

    @admin.action(description=_("Deactiveren"))
    def deactiveren(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """The same service as the user page: one account at a time, each refusal reported."""
        assert isinstance(request.user, User)
        gedaan = 0
        for gebruiker in queryset:
            try:
                gebruiker_deactiveren(gebruiker=gebruiker, by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, f"{gebruiker.email}: {message}", messages.ERROR)
            else:
                gedaan += 1
        if gedaan:
            self.message_user(
                request,
                _("%(n)d gebruiker(s) gedeactiveerd.") % {"n": gedaan},
                messages.SUCCESS,
            )


@admin.register(Group, site=beheer_site)
class RolAdmin(BeheerderAdmin, GroupAdmin):
    pass
