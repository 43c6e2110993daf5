"""Forms of the regisseur's pages of an aanvraag: contact, texts, actions, attachments, the PDF
check, withdrawing; and WSE's extension of the deadline. They check the shape of input; the rules
live in services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.aanvragen.constants import (
    ACTIE_BESCHRIJVING_MAX,
    ACTIE_REGEL_MAX,
    ACTIE_RESULTAAT_MAX,
    ACTIE_TITEL_MAX,
    CONTACT_REGEL_MAX,
    OMGEVINGSANALYSE_MAX,
    REDEN_MAX,
    VISIE_MAX,
)
from applications.aanvragen.uploads import upload_sha256
from applications.besturen.models import LokaalBestuur
from applications.core.forms import BrusselsDateTimeField, EuroField, VersieForm
from applications.core.teksten import BegrensdeRegel, BegrensdeTekstveld
from applications.oproepen.models import Beleidsprioriteit, BijlageType, Oproep


class IndienenForm(forms.Form):
    """The last step of submitting: the regisseur confirms the mandate (the sentence is the
    label, see `submission.mandaat_zin`)."""

    mandaat = forms.BooleanField(
        error_messages={
            "required": _(
                "Bevestig dat u indient met het mandaat van het bestuur van de trekker. Zonder "
                "die bevestiging is de aanvraag niet ingediend."
            )
        },
    )

    def __init__(self, *args: Any, zin: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mandaat"].label = zin


class VerbandContactForm(VersieForm):
    contact_naam = BegrensdeRegel(
        limiet=CONTACT_REGEL_MAX, label=_("Naam contactpersoon"), required=False
    )
    contact_functie = BegrensdeRegel(limiet=CONTACT_REGEL_MAX, label=_("Functie"), required=False)
    contact_email = forms.EmailField(
        label=_("E-mailadres contactpersoon"),
        required=False,
        error_messages={"invalid": _("Geef een geldig e-mailadres, bv. naam@gemeente.be.")},
    )
    contact_telefoon = forms.CharField(label=_("Telefoon"), max_length=50, required=False)


class TekstenForm(VersieForm):
    omgevingsanalyse = BegrensdeTekstveld(
        limiet=OMGEVINGSANALYSE_MAX,
        label=_("Omgevingsanalyse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "data-autosave": "omgevingsanalyse"}),
        help_text=_(
            "De sociaaleconomische context van het werkingsgebied: werkzoekenden, sociale "
            "economie, partners, noden."
        ),
    )
    visie = BegrensdeTekstveld(
        limiet=VISIE_MAX,
        label=_("Visie en beleidsplanning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "data-autosave": "visie"}),
        help_text=_("Hoe het regieverband de regierol sociale economie en werk wil opnemen."),
    )


class ActieForm(forms.Form):
    """An action of the meerjarenplan; the choices come from the aanvraag's own call."""

    versie = forms.IntegerField(widget=forms.HiddenInput, required=False)
    prioriteit = forms.ModelChoiceField(
        label=_("Beleidsprioriteit"),
        queryset=Beleidsprioriteit.objects.none(),
        error_messages={
            "invalid_choice": _("Kies een beleidsprioriteit van deze oproep."),
            "required": _("Kies een beleidsprioriteit."),
        },
    )
    jaar = forms.TypedChoiceField(
        label=_("Jaar"),
        coerce=int,
        error_messages={
            "invalid_choice": _("Kies een jaar binnen de periode van de oproep."),
            "required": _("Kies een jaar."),
        },
    )
    titel = BegrensdeRegel(
        limiet=ACTIE_TITEL_MAX,
        label=_("Titel"),
        error_messages={"required": _("Geef de actie een titel.")},
    )
    beschrijving = BegrensdeTekstveld(
        limiet=ACTIE_BESCHRIJVING_MAX,
        label=_("Beschrijving"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    doelgroep = BegrensdeRegel(limiet=ACTIE_REGEL_MAX, label=_("Doelgroep"), required=False)
    verwacht_resultaat = BegrensdeTekstveld(
        limiet=ACTIE_RESULTAAT_MAX,
        label=_("Verwacht resultaat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    indicator = BegrensdeRegel(
        limiet=ACTIE_REGEL_MAX,
        label=_("Indicator"),
        required=False,
        help_text=_("Hoe u meet of het resultaat bereikt is, bv. aantal deelnemers."),
    )
    partners = BegrensdeRegel(
        limiet=ACTIE_REGEL_MAX,
        label=_("Partners"),
        required=False,
        help_text=_("Bv. VDAB, OCMW, maatwerkbedrijf, lokale diensteneconomie."),
    )
    budget = EuroField(
        label=_("Budget (EUR)"),
        help_text=_("Bedrag in euro, bv. 12.500,00."),
        error_messages={"required": _("Geef een bedrag in euro, bv. 12.500,00 (of 0).")},
    )

    def __init__(self, *args: Any, oproep: Oproep, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prioriteit"].queryset = oproep.prioriteiten.all()  # type: ignore[attr-defined]
        self.fields["jaar"].choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (jaar, str(jaar)) for jaar in oproep.jaren
        ]


class DupliceerForm(forms.Form):
    jaar = forms.TypedChoiceField(label=_("Naar jaar"), coerce=int)

    def __init__(self, *args: Any, oproep: Oproep, exclude: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [  # type: ignore[attr-defined]
            (jaar, str(jaar)) for jaar in oproep.jaren if jaar != exclude
        ]


def pdf_bestand_veld() -> forms.FileField:
    """The file field of every attachment upload (an aanvraag's, an opvolgmoment's): what it
    accepts is then decided by `uploads.check_pdf_upload`, by the file's bytes."""
    return forms.FileField(
        label=_("Bestand (PDF, hoogstens 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": _("Kies een PDF-bestand."),
            "empty": _("Het bestand is leeg."),
        },
    )


class BijlageForm(forms.Form):
    bijlagetype = forms.ModelChoiceField(
        label=_("Soort bijlage"),
        queryset=BijlageType.objects.none(),
        error_messages={"required": _("Kies welke bijlage dit is.")},
    )
    bestuur = forms.ModelChoiceField(
        label=_("Voor lid"),
        queryset=LokaalBestuur.objects.none(),
        required=False,
        help_text=_("Alleen voor een beslissing van één lid."),
    )
    bestand = pdf_bestand_veld()

    def __init__(
        self, *args: Any, oproep: Oproep, leden: list[LokaalBestuur], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bijlagetype"].queryset = oproep.aanvraag_bijlagetypes()  # type: ignore[attr-defined]
        self.fields["bestuur"].queryset = LokaalBestuur.objects.filter(  # type: ignore[attr-defined]
            pk__in=[b.pk for b in leden]
        )


# Sealed PDFs are a few hundred kB; a larger upload cannot be one of them.
VERIFY_MAX_BYTES = 50 * 1024 * 1024


class VerifieerForm(forms.Form):
    """A PDF to check, or the SHA-256 of one: exactly one of the two."""

    bestand = forms.FileField(
        label=_("PDF-bestand"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("Het bestand wordt niet bewaard: het portaal berekent alleen de SHA-256."),
    )
    sha256 = forms.CharField(
        label=_("Of plak de SHA-256 van het bestand of van de ingediende gegevens"),
        required=False,
        max_length=100,
        help_text=_("64 tekens 0-9 en a-f, bv. uit sha256sum of Get-FileHash."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_bestand(self) -> Any:
        upload = self.cleaned_data.get("bestand")
        if upload and upload.size > VERIFY_MAX_BYTES:
            raise forms.ValidationError(
                _(
                    "Dit bestand is groter dan %(mb)s MB; geen enkele ingediende PDF is zo groot. "
                    "Plak in de plaats de SHA-256 van het bestand."
                )
                % {"mb": VERIFY_MAX_BYTES // (1024 * 1024)},
                code="too_large",
            )
        return upload

    def clean_sha256(self) -> str:
        value = "".join(self.cleaned_data["sha256"].split()).lower()
        if value and not re.fullmatch(r"[0-9a-f]{64}", value):
            raise forms.ValidationError(
                _("Een SHA-256 bestaat uit precies 64 tekens 0-9 en a-f."), code="invalid_sha256"
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        if bool(cleaned.get("bestand")) == bool(cleaned.get("sha256")):
            raise forms.ValidationError(
                _("Kies een PDF-bestand of plak een SHA-256, niet allebei en niet geen van beide."),
                code="one_of_two",
            )
        return cleaned

    def sha256_value(self) -> str:
        """The hash to look up: computed from the upload in chunks, or the pasted one."""
        upload = self.cleaned_data.get("bestand")
        if not upload:
            return str(self.cleaned_data["sha256"])
        return upload_sha256(upload)


class VerlengingForm(forms.Form):
    tot = BrusselsDateTimeField(label=_("Uitstel tot en met (Brusselse tijd)"))
    reden = BegrensdeTekstveld(
        limiet=REDEN_MAX,
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Schrijf waarom er uitstel is.")},
    )


class IntrekkenForm(forms.Form):
    reden = BegrensdeTekstveld(
        limiet=REDEN_MAX,
        label=_("Reden (niet verplicht)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
