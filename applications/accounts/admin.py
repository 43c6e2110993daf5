"""The beheer site's pages of accounts: users (`BeheerUserAdmin`, its forms in `forms.py`) and
their roles, Django's groups (`RolAdmin`)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from applications.accounts.admin_base import BeheerderAdmin
from applications.accounts.forms import BeheerUserChangeForm, BeheerUserCreationForm
from applications.accounts.models import User
from applications.accounts.services import gebruiker_deactiveren
from applications.accounts.tweestaps import tweestaps_wissen


@admin.register(User)
class BeheerUserAdmin(BeheerderAdmin, UserAdmin):
    form = BeheerUserChangeForm
    add_form = BeheerUserCreationForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "rollen", "is_active", "last_login")
    list_filter = ("groups", "is_active")
    search_fields = ("email", "first_name", "last_name", "oidc_sub", "vo_id")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Persoon"), {"fields": ("first_name", "last_name")}),
        (
            _("ACM/IDM"),
            {
                "fields": ("oidc_issuer", "oidc_sub", "vo_id"),
                "description": _(
                    "Koppel een bestaand account aan ACM/IDM door het subject in te vullen dat "
                    "de persoon van ACM/IDM krijgt. Het e-mailadres koppelt nooit."
                ),
            },
        ),
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
                    self.message_user(request, f"{gebruiker}: {message}", messages.ERROR)
            else:
                gedaan += 1
        if gedaan:
            self.message_user(
                request,
                _("%(n)d gebruiker(s) gedeactiveerd.") % {"n": gedaan},
                messages.SUCCESS,
            )


# Django's auth registers Group on the default site with its own GroupAdmin; here it is a role.
admin.site.unregister(Group)


@admin.register(Group)
class RolAdmin(BeheerderAdmin, GroupAdmin):
    pass
