"""Form fields and helpers every app uses: the version a page was based on, amounts in euro, dates
in Brussels time, a service's refusal shown at its fields, a form made read-only."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class VersieForm(forms.Form):
    """Carries the version a page was based on, so a save over a newer version is refused."""

    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


AMOUNT_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")


def parse_euro(raw: str) -> Decimal:
    """Read an amount as Flemish users type it: 12.500,50 or 12500,50 or 12500.50 or 12500.

    Refuses letters, negative amounts and more than two decimals, with a message saying so.
    """
    text = raw.strip().replace("€", "").replace("EUR", "").replace(" ", "").replace("\u00a0", "")
    if not text:
        raise forms.ValidationError(_("Geef een bedrag in euro, bv. 12.500,00."), code="required")
    if text.startswith("-"):
        raise forms.ValidationError(_("Een bedrag kan niet negatief zijn."), code="negative")
    if "," in text:
        whole, _sep, _decimals = text.partition(",")
        if "." in whole and not AMOUNT_THOUSANDS.match(whole):
            raise forms.ValidationError(
                _("Geef een bedrag in cijfers, bv. 12.500,00 (zonder letters)."), code="invalid"
            )
        text = text.replace(".", "").replace(",", ".")
    elif AMOUNT_THOUSANDS.match(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise forms.ValidationError(
            _("Geef een bedrag in cijfers, bv. 12.500,00 (zonder letters)."), code="invalid"
        )
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise forms.ValidationError(
            _("Geef een bedrag in cijfers, bv. 12.500,00."), code="invalid"
        ) from None
    if "." in text and len(text.split(".")[1]) > 2:
        raise forms.ValidationError(
            _("Een bedrag heeft hoogstens 2 cijfers na de komma."), code="decimals"
        )
    if value >= Decimal("10000000000"):
        raise forms.ValidationError(_("Dit bedrag is te groot."), code="too_large")
    return value


def format_euro(value: Decimal) -> str:
    """An amount as parse_euro reads it (12.500,50), whatever the interface language."""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


class EuroField(forms.Field):
    """An amount in euro, typed in Dutch or plain notation, cleaned to a Decimal."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:
        text = "" if value in self.empty_values else str(value).strip()
        if not text:
            return None
        return parse_euro(text)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format_euro(value)
        return value


class DatumField(forms.DateField):
    """A day typed in the browser's date field (ISO), or by hand as 31/12/2025."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"])
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Geef een geldige datum, bv. 31/12/2025."),
                "required": _("Geef een datum."),
            },
        )
        super().__init__(**kwargs)


class BrusselsDateTimeField(forms.DateTimeField):
    """A date and time typed in the browser's date-time field, read as Brussels time.

    Deadlines hold "tot en met" the second: a time typed without seconds (23:59) means the end
    of that minute (23:59:59).
    """

    def to_python(self, value: Any) -> Any:
        result = super().to_python(value)
        if result is not None and isinstance(value, str) and value.count(":") == 1:
            result = result.replace(second=59)
        if result is not None:
            # A moment whose UTC time falls outside years 1-9999 (31/12/9999 23:59 at UTC-14)
            # could be saved, but never read back: refused like any invalid input.
            try:
                result.astimezone(datetime.UTC)
            except OverflowError:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        return result

    widget = forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "input_formats", ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
        )
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Geef een datum en tijd, bv. 31/01/2030 23:59."),
                "required": _("Geef een datum en tijd."),
            },
        )
        super().__init__(**kwargs)


def add_service_errors(
    form: django_forms.Form, exc: ValidationError, default_field: str | None = None
) -> None:
    """Show a service's refusal at the fields it names, or at `default_field` (None: the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(default_field, exc)


def readonly(form: django_forms.Form) -> django_forms.Form:
    for field in form.fields.values():
        field.disabled = True
    return form
