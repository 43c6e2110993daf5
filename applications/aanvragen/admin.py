"""The beheer site's pages of aanvragen: `AanvraagAdmin` (with extensions and status history
inline), `ActieAdmin` and `BijlageAdmin`, mostly read-only: an aanvraag changes through the
portal's services.

From submission on, what the applicant sent is read-only here too: a beheerder can neither change
the contact of a submitted or decided aanvraag nor delete its actions or attachments, one by one or
with the list's bulk action (which these pages do not offer). Only while the aanvraag is a draft
(or reopened for changes) does the admin change or delete it, as the regisseur could. The sealed
PDFs and their hashes (`Indiening`) have no admin page at all."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from applications.aanvragen.models import Aanvraag, Actie, Bijlage, Statuswijziging, Verlenging
from applications.aanvragen.services import (
    actie_delete_door_beheerder,
    bijlage_delete_door_beheerder,
)
from applications.aanvragen.statuses import EDITABLE_STATUSES
from applications.accounts.admin_base import BeheerderAdmin, BeheerderInline, ReadOnlyInline
from applications.accounts.models import User
from applications.accounts.permissions import user_of


def _is_draft(obj: Aanvraag | Actie | Bijlage | None) -> bool:
    """No object (the list, the add page) or an aanvraag the regisseur can still change."""
    if obj is None:
        return True
    aanvraag = obj if isinstance(obj, Aanvraag) else obj.aanvraag
    return aanvraag.status in EDITABLE_STATUSES


class ZolangConcept(BeheerderAdmin):
    """Changed and deleted in the admin only while the aanvraag is a draft; no bulk delete, which
    would skip the check per object."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and _is_draft(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _is_draft(obj)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class StatuswijzigingInline(ReadOnlyInline):
    model = Statuswijziging
    fields = ("op", "van", "naar", "door", "reden")
    readonly_fields = fields


class VerlengingInline(BeheerderInline):
    model = Verlenging
    fields = ("tot", "reden", "toegekend_door", "toegekend_op")
    readonly_fields = ("toegekend_door", "toegekend_op")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and _is_draft(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and _is_draft(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and _is_draft(obj)


@admin.register(Aanvraag)
class AanvraagAdmin(ZolangConcept):
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

    def save_model(self, request: HttpRequest, obj: Aanvraag, form: Any, change: bool) -> None:
        """A beheerder who corrects the contact details of a draft is who changed it last, and
        the save is a new version: a regisseur's page still based on the one before cannot
        overwrite the correction unseen (it gets the conflict screen, as with a colleague)."""
        if change and form.has_changed():
            obj.gewijzigd_door = user_of(request)
            obj.versie += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Verlenging) and isinstance(request.user, User):
                instance.toegekend_door = instance.toegekend_door or request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(Actie)
class ActieAdmin(ZolangConcept):
    """Deleted through its service, which stamps the aanvraag as changed by the beheerder."""

    list_display = ("titel", "aanvraag", "prioriteit", "jaar", "budget")
    list_filter = ("aanvraag__oproep", "prioriteit__code", "jaar")
    search_fields = ("titel", "aanvraag__regieverband__naam")
    list_select_related = ("aanvraag__regieverband", "aanvraag__oproep", "prioriteit")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: Actie) -> None:
        actie_delete_door_beheerder(actie=obj, by=user_of(request))


@admin.register(Bijlage)
class BijlageAdmin(ZolangConcept):
    """Deleted through its service, which stamps the aanvraag as changed by the beheerder and
    removes the file when no other attachment holds it."""

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

    def delete_model(self, request: HttpRequest, obj: Bijlage) -> None:
        bijlage_delete_door_beheerder(bijlage=obj, by=user_of(request))
