"""The form a regisseur makes a token with, and the one a beheerder uses in /beheer/."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.api.constants import (
    MAX_GELDIG_DAGEN,
    NAAM_MAX,
    STANDAARD_GELDIG_DAGEN,
    STANDAARD_PER_UUR,
    Scope,
)


class TokenForm(forms.Form):
    naam = forms.CharField(
        label=_("Naam"),
        max_length=NAAM_MAX,
        help_text=_("Waarvoor de sleutel dient, bv. het rapportagesysteem van het verband."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Mag lezen"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies wat de sleutel mag lezen.")},
    )
    geldig_dagen = forms.IntegerField(
        label=_("Geldig (dagen)"),
        min_value=1,
        max_value=MAX_GELDIG_DAGEN,
        initial=STANDAARD_GELDIG_DAGEN,
        help_text=_("Hoogstens %(n)s dagen.") % {"n": MAX_GELDIG_DAGEN},
    )

    def verloopt_op(self) -> datetime.datetime:
        return timezone.now() + datetime.timedelta(days=self.cleaned_data["geldig_dagen"])


class SysteemTokenForm(TokenForm):
    """A token for one of WSE's systems, with its own rate limit."""

    per_uur = forms.IntegerField(
        label=_("Aanvragen per uur"), min_value=1, max_value=100_000, initial=STANDAARD_PER_UUR
    )
