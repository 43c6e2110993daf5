"""Uitgaande e-mail in /beheer/: read only, with "Opnieuw proberen" for failed messages.

Registered here rather than in the berichten app: the outbox sits below accounts (accounts queues
the password-reset mail), so it cannot use the beheerder-only base class that lives there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.accounts.admin_base import BeheerderAdmin
from applications.beheer.context_processors import SLEUTEL
from applications.beheer.models import Onderhoudsmelding
from applications.berichten import services
from applications.berichten.models import Bericht


@admin.register(Bericht)
class BerichtAdmin(BeheerderAdmin):
    list_display = ("onderwerp", "ontvangers", "status_tekst", "aangemaakt_op", "verstuurd_op")
    list_filter = ("status",)
    search_fields = ("onderwerp", "aan")
    date_hierarchy = "aangemaakt_op"
    actions = ["opnieuw_proberen"]
    readonly_fields = [f.name for f in Bericht._meta.fields] + ["status_tekst"]

    @admin.display(description=_("aan"))
    def ontvangers(self, bericht: Bericht) -> str:
        return ", ".join(bericht.aan)

    @admin.display(description=_("status"))
    def status_tekst(self, bericht: Bericht) -> str:
        return bericht.status_tekst

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Opnieuw proberen (mislukte e-mails)"))
    def opnieuw_proberen(self, request: HttpRequest, queryset: QuerySet[Bericht]) -> None:
        aantal = sum(services.opnieuw_proberen(b) for b in queryset)
        self.message_user(
            request,
            ngettext(
                "%(n)d e-mail staat opnieuw in de wachtrij.",
                "%(n)d e-mails staan opnieuw in de wachtrij.",
                aantal,
            )
            % {"n": aantal},
            messages.SUCCESS if aantal else messages.WARNING,
        )


@admin.register(Onderhoudsmelding)
class OnderhoudsmeldingAdmin(BeheerderAdmin):
    """A beheerder writes the message and switches it on or off; it shows on every page within
    30 seconds (`context_processors.onderhoudsmelding`), at once on this server."""

    list_display = ("tekst", "actief", "gewijzigd_op")
    list_editable = ("actief",)

    def save_model(
        self, request: HttpRequest, obj: Onderhoudsmelding, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        cache.delete(SLEUTEL)

    def delete_model(self, request: HttpRequest, obj: Onderhoudsmelding) -> None:
        super().delete_model(request, obj)
        cache.delete(SLEUTEL)
