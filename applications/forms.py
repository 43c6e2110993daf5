"""Forms check the shape of input; the rules live in services."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .constants import AanvraagStatus, Advies, Rol
from .models import Beleidsprioriteit, BijlageType, LokaalBestuur, Oproep, User
from .uploads import upload_sha256


class EmailAuthenticationForm(AuthenticationForm):
    """Login by e-mail address. One message for every failure, revealing no account."""

    username = forms.EmailField(
        label=_("E-mailadres"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar, of het account is niet actief. "
            "Controleer uw gegevens en probeer opnieuw."
        ),
        "inactive": _(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar, of het account is niet actief. "
            "Controleer uw gegevens en probeer opnieuw."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Wachtwoord")

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class VersieForm(forms.Form):
    """Carries the version a page was based on, so a save over a newer version is refused."""

    versie = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VerbandContactForm(VersieForm):
    contact_naam = forms.CharField(label=_("Naam contactpersoon"), max_length=200, required=False)
    contact_functie = forms.CharField(label=_("Functie"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("E-mailadres contactpersoon"),
        required=False,
        error_messages={"invalid": _("Geef een geldig e-mailadres, bv. naam@gemeente.be.")},
    )
    contact_telefoon = forms.CharField(label=_("Telefoon"), max_length=50, required=False)


class TekstenForm(VersieForm):
    omgevingsanalyse = forms.CharField(
        label=_("Omgevingsanalyse"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "data-autosave": "omgevingsanalyse"}),
        help_text=_(
            "De sociaaleconomische context van het werkingsgebied: werkzoekenden, sociale "
            "economie, partners, noden."
        ),
    )
    visie = forms.CharField(
        label=_("Visie en beleidsplanning"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "data-autosave": "visie"}),
        help_text=_("Hoe het regieverband de regierol sociale economie en werk wil opnemen."),
    )


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


class EuroField(forms.Field):
    """An amount in euro, typed in Dutch or plain notation, cleaned to a Decimal."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:
        text = "" if value in self.empty_values else str(value).strip()
        if not text:
            return None
        return parse_euro(text)

    def prepare_value(self, value: Any) -> Any:
        # Always shown as parse_euro reads it (12.500,50), whatever the interface language.
        if isinstance(value, Decimal):
            return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        return value


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
    titel = forms.CharField(
        label=_("Titel"),
        max_length=200,
        error_messages={"required": _("Geef de actie een titel.")},
    )
    beschrijving = forms.CharField(
        label=_("Beschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    doelgroep = forms.CharField(label=_("Doelgroep"), max_length=300, required=False)
    verwacht_resultaat = forms.CharField(
        label=_("Verwacht resultaat"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicator = forms.CharField(
        label=_("Indicator"),
        max_length=300,
        required=False,
        help_text=_("Hoe u meet of het resultaat bereikt is, bv. aantal deelnemers."),
    )
    partners = forms.CharField(
        label=_("Partners"),
        max_length=300,
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
    bestand = forms.FileField(
        label=_("Bestand (PDF, hoogstens 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": _("Kies een PDF-bestand."),
            "empty": _("Het bestand is leeg."),
        },
    )

    def __init__(
        self, *args: Any, oproep: Oproep, leden: list[LokaalBestuur], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bijlagetype"].queryset = oproep.bijlagetypes.all()  # type: ignore[attr-defined]
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
        label=_("Of plak de SHA-256 van het bestand"),
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


# --- Review by WSE ---------------------------------------------------------------------------


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


class TakeForm(forms.Form):
    behandelaar = forms.ModelChoiceField(
        label=_("Dossierbehandelaar"),
        queryset=User.objects.none(),
        error_messages={"invalid_choice": _("Kies een actieve WSE-beoordelaar.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["behandelaar"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, groups__name=Rol.BEOORDELAAR.value)
            .order_by("first_name", "last_name", "email")
            .distinct()
        )


class VraagForm(forms.Form):
    tekst = forms.CharField(
        label=_("Vraag aan de regisseurs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf de vraag.")},
    )


class AntwoordForm(forms.Form):
    antwoord = forms.CharField(
        label=_("Uw antwoord"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf uw antwoord.")},
    )


class NotitieForm(forms.Form):
    tekst = forms.CharField(
        label=_("Interne notitie (alleen WSE ziet ze)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf de notitie.")},
    )


class WijzigingenForm(forms.Form):
    reden = forms.CharField(
        label=_("Welke wijzigingen vraagt u?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf welke wijzigingen u vraagt.")},
    )
    tot = BrusselsDateTimeField(
        label=_("Aanpassen en opnieuw indienen tot en met (Brusselse tijd)")
    )


class VerlengingForm(forms.Form):
    tot = BrusselsDateTimeField(label=_("Uitstel tot en met (Brusselse tijd)"))
    reden = forms.CharField(
        label=_("Reden"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Schrijf waarom er uitstel is.")},
    )


class IntrekkenForm(forms.Form):
    reden = forms.CharField(
        label=_("Reden (niet verplicht)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _bedrag_fields(form: forms.Form, oproep: Oproep, *, required: bool, label: str) -> None:
    for jaar in oproep.jaren:
        form.fields[f"bedrag_{jaar}"] = EuroField(
            label=f"{label} {jaar} (EUR)",
            required=required,
            error_messages={"required": _("Geef een bedrag voor %(jaar)s.") % {"jaar": jaar}},
        )


def bedragen_uit(form: forms.Form, oproep: Oproep) -> dict[int, Decimal]:
    """The amount per year typed in a form with `bedrag_<year>` fields; empty counts as 0."""
    return {jaar: form.cleaned_data.get(f"bedrag_{jaar}") or Decimal(0) for jaar in oproep.jaren}


class BeoordelingForm(forms.Form):
    """A reviewer's review: per priority a score and motivation, an advice, amounts per year."""

    def __init__(self, *args: Any, oproep: Oproep, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oproep = oproep
        self.prioriteiten = list(oproep.prioriteiten.all())
        for p in self.prioriteiten:
            self.fields[f"score_{p.pk}"] = forms.TypedChoiceField(
                label=_("Score %(code)s") % {"code": p.code},
                help_text=p.titel,
                choices=[("", "—")]
                + [(n, str(n)) for n in range(oproep.score_min, oproep.score_max + 1)],
                coerce=int,
                error_messages={"required": _("Geef een score.")},
            )
            self.fields[f"motivatie_{p.pk}"] = forms.CharField(
                label=_("Motivatie %(code)s") % {"code": p.code},
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": _("Motiveer de score.")},
            )
        self.fields["advies"] = forms.ChoiceField(
            label=_("Advies"),
            choices=Advies.choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Kies een advies.")},
        )
        self.fields["motivatie"] = forms.CharField(
            label=_("Motivatie van het advies"),
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"required": _("Motiveer het advies.")},
        )
        _bedrag_fields(self, oproep, required=True, label=str(_("Voorgesteld bedrag")))

    def per_prioriteit(self) -> list[tuple[Beleidsprioriteit, Any, Any]]:
        """The score and motivation fields of each priority, to show them together."""
        return [(p, self[f"score_{p.pk}"], self[f"motivatie_{p.pk}"]) for p in self.prioriteiten]

    def bedrag_fields(self) -> list[Any]:
        return [self[f"bedrag_{jaar}"] for jaar in self.oproep.jaren]

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            p.pk: (self.cleaned_data[f"score_{p.pk}"], self.cleaned_data[f"motivatie_{p.pk}"])
            for p in self.prioriteiten
        }


class BeslissingForm(forms.Form):
    uitkomst = forms.ChoiceField(
        label=_("Beslissing"),
        choices=[
            (AanvraagStatus.GOEDGEKEURD.value, _("Goedgekeurd")),
            (AanvraagStatus.AFGEWEZEN.value, _("Afgewezen")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies goedgekeurd of afgewezen.")},
    )
    motivatie = forms.CharField(
        label=_("Motivatie (staat in de beslissingsbrief)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Motiveer de beslissing.")},
    )

    def __init__(self, *args: Any, oproep: Oproep, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oproep = oproep
        _bedrag_fields(self, oproep, required=False, label=str(_("Toegekend bedrag")))
