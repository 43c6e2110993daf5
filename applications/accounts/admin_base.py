"""The base classes of every ModelAdmin and inline on the beheer site (/beheer/): beheerders
manage everything there, nobody else reaches it. Here, low in the apps, so that each app's
`admin.py` can use them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from applications.accounts.permissions import is_beheerder


def benoem_datum_en_tijd(veld: forms.Field | None) -> forms.Field | None:
    """A date-and-time field shows two boxes under one label that names neither: each box gets
    its name ("Deadline: datum", "Deadline: tijd"), for screen readers."""
    if veld is not None and isinstance(veld.widget, AdminSplitDateTime):
        datum, tijd = veld.widget.widgets
        datum.attrs["aria-label"] = _("%(veld)s: datum") % {"veld": veld.label}
        tijd.attrs["aria-label"] = _("%(veld)s: tijd") % {"veld": veld.label}
    return veld


class BeheerderAdmin(admin.ModelAdmin):
    """Beheerders manage everything on this site; nobody else reaches it."""

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        return benoem_datum_en_tijd(super().formfield_for_dbfield(db_field, request, **kwargs))

    def get_changelist_formset(self, request: HttpRequest, **kwargs: Any) -> Any:
        """A field edited in the list (list_editable) sits under a column heading, for the eye
        only: it gets the heading's words as its name."""
        formset = super().get_changelist_formset(request, **kwargs)
        for veld in formset.form.base_fields.values():
            veld.widget.attrs.setdefault("aria-label", str(veld.label))
        return formset

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


class BenoemdeRijen(BaseInlineFormSet):
    """The "Verwijderen?" box of each row is named too (the column heading is for the eye)."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = _("Verwijderen")


class BeheerderInline(admin.TabularInline):
    extra = 0
    formset = BenoemdeRijen

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.Field | None:
        """In a table of rows the column heading names a box for the eye only: each box gets
        the heading's words as its name."""
        veld = benoem_datum_en_tijd(super().formfield_for_dbfield(db_field, request, **kwargs))
        if veld is not None and not isinstance(veld.widget, AdminSplitDateTime):
            # A select inside the add/change links is the wrapper's widget.
            widget: forms.Widget = getattr(veld.widget, "widget", None) or veld.widget
            widget.attrs.setdefault("aria-label", str(veld.label))
        return veld

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
