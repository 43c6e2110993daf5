"""API tokens in /beheer/: a beheerder makes tokens for WSE's systems (shown once), sees every
token (the regisseurs' too) and revokes any; and reads the log of API calls."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.accounts.admin_base import BeheerderAdmin
from applications.accounts.models import User
from applications.api import services
from applications.api.forms import SysteemTokenForm
from applications.api.models import ApiAanroep, ApiToken


class SysteemTokenAdminForm(SysteemTokenForm):
    """The admin's add page binds a model form; this one makes the token in `save_model`."""

    def __init__(self, *args: Any, instance: Any = None, **kwargs: Any) -> None:
        kwargs.pop("use_required_attribute", None)
        super().__init__(*args, **kwargs)
        self.instance = instance if instance is not None else ApiToken()

    def save(self, commit: bool = True) -> Any:
        return self.instance

    def save_m2m(self) -> None:
        pass

    def _save_m2m(self) -> None:
        pass


@admin.register(ApiToken)
class ApiTokenAdmin(BeheerderAdmin):
    list_display = (
        "naam",
        "prefix",
        "eigenaar",
        "scopes",
        "verloopt_op",
        "ingetrokken_op",
        "laatst_gebruikt_op",
    )
    list_filter = ("ingetrokken_op",)
    search_fields = ("naam", "prefix", "gebruiker__email")
    list_select_related = ("gebruiker",)
    actions = ("intrekken",)
    readonly_fields = (
        "naam",
        "gebruiker",
        "prefix",
        "scopes",
        "verloopt_op",
        "per_uur",
        "aangemaakt_op",
        "aangemaakt_door",
        "ingetrokken_op",
        "laatst_gebruikt_op",
    )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            return SysteemTokenAdminForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("naam", "scopes", "geldig_dagen", "per_uur")
        return self.readonly_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.readonly_fields if obj is not None else ()

    @admin.display(description=_("voor"))
    def eigenaar(self, obj: ApiToken) -> str:
        return obj.gebruiker.email if obj.gebruiker else str(_("systeem van WSE"))

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        assert isinstance(request.user, User) and not change
        token, tekst = services.token_maken(
            by=request.user,
            voor=None,
            naam=form.cleaned_data["naam"],
            scopes=form.cleaned_data["scopes"],
            verloopt_op=form.verloopt_op(),
        )
        ApiToken.objects.filter(pk=token.pk).update(per_uur=form.cleaned_data["per_uur"])
        obj.pk = token.pk
        obj.naam = token.naam
        obj.prefix = token.prefix
        request._api_token_tekst = tekst  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: Any, post_url_continue: Any = None
    ) -> HttpResponse:
        """The token's text on this answer only: it is kept nowhere."""
        response = TemplateResponse(
            request,
            "api/admin_token_nieuw.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "token": obj,
                "tekst": request._api_token_tekst,  # type: ignore[attr-defined]
                "title": _("Nieuwe API-sleutel"),
            },
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nothing of a token changes after it is made, but it can be revoked (the action).
        return super().has_change_permission(request, obj) and obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Revoked, never deleted: the log of its calls stays with it.
        return False

    @admin.action(description=_("Geselecteerde API-sleutels intrekken"))
    def intrekken(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        assert isinstance(request.user, User)
        now = timezone.now()
        for token in queryset:
            services.token_intrekken(token=token, by=request.user, now=now)
        self.message_user(request, _("Ingetrokken."), messages.SUCCESS)


@admin.register(ApiAanroep)
class ApiAanroepAdmin(BeheerderAdmin):
    list_display = ("op", "token", "methode", "pad", "status", "ip")
    list_filter = ("status",)
    search_fields = ("pad", "token__naam", "token__prefix")
    list_select_related = ("token",)
    date_hierarchy = "op"

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
