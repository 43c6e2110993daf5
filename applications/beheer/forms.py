"""Forms of the beheer pages: a member added or ended, a trekker from a day, a person invited.
They check the shape of input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.accounts.constants import Rol
from applications.accounts.emails import controleer_email
from applications.besturen.models import Lidmaatschap, LokaalBestuur, Regieverband
from applications.besturen.services import (
    bestuur_zoeken,
)
from applications.core.forms import DatumField


class LidToevoegenForm(forms.Form):
    """A new member: the bestuur by name or NIS code, among those valid on the first day."""

    bestuur = forms.CharField(
        label=gettext_lazy("Lokaal bestuur (naam of NIS-code)"),
        max_length=120,
        widget=forms.TextInput(attrs={"list": "besturen-lijst", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Geef de naam of de NIS-code van het bestuur.")},
    )
    van = DatumField(label=gettext_lazy("Lid vanaf"))
    tot = DatumField(
        label=gettext_lazy("Lid tot en met"),
        required=False,
        help_text=gettext_lazy("Leeg zolang het lidmaatschap loopt."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tekst, van = data.get("bestuur"), data.get("van")
        if tekst and van:
            try:
                data["lokaal_bestuur"] = bestuur_zoeken(tekst=tekst, op=van)
            except ValidationError as exc:
                self.add_error("bestuur", exc)
        return data


class EindeForm(forms.Form):
    lidmaatschap = forms.ModelChoiceField(
        label=gettext_lazy("Lidmaatschap"),
        queryset=Lidmaatschap.objects.none(),
        error_messages={
            "required": gettext_lazy("Kies het lidmaatschap dat eindigt."),
            "invalid_choice": gettext_lazy("Kies een lidmaatschap van dit regieverband."),
        },
    )
    tot = DatumField(label=gettext_lazy("Lid tot en met (laatste dag)"))

    def __init__(self, *args: Any, regieverband: Regieverband, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["lidmaatschap"]
        assert isinstance(field, forms.ModelChoiceField)
        # Any membership of this verband is accepted, so that ending one that already ended is
        # refused with its own message; the list offers the running ones.
        van_verband = Lidmaatschap.objects.filter(regieverband=regieverband).select_related(
            "bestuur"
        )
        field.queryset = van_verband
        lopend = van_verband.filter(tot__isnull=True).order_by("bestuur__naam", "van")
        field.widget.choices = [("", "---------")] + [(lid.pk, _lid_label(lid)) for lid in lopend]


def _lid_label(lid: Lidmaatschap) -> str:
    return _("%(bestuur)s, lid vanaf %(van)s") % {
        "bestuur": lid.bestuur,
        "van": formats.date_format(lid.van, "j F Y"),
    }


VERENIGING = "vereniging"


class TrekkerForm(forms.Form):
    trekker = forms.ChoiceField(
        label=gettext_lazy("Nieuwe trekker"),
        error_messages={
            "required": gettext_lazy("Kies een lid of de vereniging zelf."),
            "invalid_choice": gettext_lazy(
                "Kies een lid van dit regieverband of de vereniging zelf."
            ),
        },
    )
    vanaf = DatumField(label=gettext_lazy("Trekker vanaf"))

    def __init__(self, *args: Any, regieverband: Regieverband, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every bestuur that is, was or will be a member; the service checks the day itself.
        self.besturen = {
            str(b.pk): b
            for b in LokaalBestuur.objects.filter(lidmaatschappen__regieverband=regieverband)
            .distinct()
            .order_by("naam", "nis_code")
        }
        field = self.fields["trekker"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "---------"),
            (VERENIGING, _("De vereniging zelf")),
            *((pk, str(b)) for pk, b in self.besturen.items()),
        ]

    def gekozen_trekker(self) -> LokaalBestuur | None:
        """The chosen bestuur, or None for the vereniging itself."""
        keuze = self.cleaned_data["trekker"]
        return None if keuze == VERENIGING else self.besturen[keuze]


class UitnodigingForm(forms.Form):
    """The shape of an invitation; the rules (verband per role, existing accounts) are in
    `services.gebruiker_uitnodigen`."""

    email = forms.EmailField(
        label=gettext_lazy("E-mailadres"),
        max_length=254,
        error_messages={
            "invalid": gettext_lazy("Geef een geldig e-mailadres, bv. naam@gemeente.be.")
        },
    )
    first_name = forms.CharField(label=gettext_lazy("Voornaam"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Achternaam"), max_length=150)
    rol = forms.ChoiceField(
        label=gettext_lazy("Rol"), choices=Rol.choices, widget=forms.RadioSelect
    )
    regieverbanden = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Regieverbanden"),
        queryset=Regieverband.objects.order_by("naam"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Verplicht voor een regisseur: de verbanden waarvoor die persoon aanvragen invult. "
            "Leeg voor een WSE-beoordelaar of beheerder."
        ),
    )

    def clean_email(self) -> str:
        return controleer_email(str(self.cleaned_data["email"]))
