"""Forms of the uitvoering page: a row booked in the ledger, and a new decision on the amounts.
They check the shape of input; the rules (nothing beyond what is granted) live in the services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from applications.aanvragen.forms import ActieForm, pdf_bestand_veld
from applications.aanvragen.models import Aanvraag
from applications.beoordeling.constants import BESLISSING_MOTIVATIE_MAX
from applications.besturen.services import bestuur_zoeken
from applications.core.forms import DatumField, EuroField
from applications.core.teksten import BegrensdeRegel, BegrensdeTekstveld
from applications.oproepen.models import BijlageType
from applications.uitvoering.constants import (
    BBC_ACTIE_MAX,
    HEROPEN_REDEN_MAX,
    MEER_GEVRAAGD_MAX,
    REALISATIE_TOELICHTING_MAX,
    REFERENTIE_MAX,
    TOELICHTING_MAX,
    WIJZIGING_MOTIVATIE_MAX,
    WIJZIGING_REDEN_MAX,
    Boekingssoort,
    Ledenwijzigingssoort,
    Realisatie,
)
from applications.uitvoering.models import Betalingsschijf


class BoekingForm(forms.Form):
    """A payment, a correction or a repayment for one year of the grant."""

    soort = forms.ChoiceField(
        label=_("Soort"),
        choices=Boekingssoort.choices,
        initial=Boekingssoort.BETALING,
        error_messages={"invalid_choice": _("Kies een soort uit de lijst.")},
    )
    jaar = forms.TypedChoiceField(
        label=_("Jaar van de toekenning"),
        coerce=int,
        error_messages={"invalid_choice": _("Kies een jaar van de oproep.")},
    )
    datum = DatumField(label=_("Datum"))
    bedrag = EuroField(
        label=_("Bedrag (EUR)"),
        help_text=_(
            "Altijd positief: een correctie of terugbetaling wordt van het betaalde afgetrokken."
        ),
        error_messages={"required": _("Geef een bedrag in euro, bv. 12.500,00.")},
    )
    referentie = BegrensdeRegel(
        limiet=REFERENTIE_MAX,
        label=_("Referentie"),
        help_text=_("Bv. het boekingsnummer van de financiële dienst."),
        error_messages={"required": _("Geef de referentie van de boeking.")},
    )
    schijf = forms.ModelChoiceField(
        label=_("Betalingsschijf"),
        queryset=Betalingsschijf.objects.none(),
        required=False,
        empty_label=_("(geen)"),
        error_messages={"invalid_choice": _("Kies een schijf van deze oproep.")},
    )
    toelichting = BegrensdeTekstveld(
        limiet=TOELICHTING_MAX,
        label=_("Toelichting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, aanvraag: Aanvraag, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["jaar"].choices = [(j, str(j)) for j in aanvraag.oproep.jaren]  # type: ignore[attr-defined]
        schijven = aanvraag.oproep.betalingsschijven.all()
        self.fields["schijf"].queryset = schijven  # type: ignore[attr-defined]
        if not schijven:
            del self.fields["schijf"]


class HerbeslissingForm(forms.Form):
    """New amounts per year for the whole period, with the reason."""

    motivatie = BegrensdeTekstveld(
        limiet=BESLISSING_MOTIVATIE_MAX,
        label=_("Motivatie van de nieuwe beslissing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Motiveer de nieuwe beslissing.")},
    )

    def __init__(self, *args: Any, aanvraag: Aanvraag, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.jaren = aanvraag.oproep.jaren
        for jaar in self.jaren:
            self.fields[f"bedrag_{jaar}"] = EuroField(
                label=_("Toegekend %(jaar)s (EUR)") % {"jaar": jaar},
                error_messages={"required": _("Geef een bedrag voor %(jaar)s.") % {"jaar": jaar}},
            )
        # The motivation after the amounts, as it is read.
        self.order_fields([*(f"bedrag_{j}" for j in self.jaren), "motivatie"])


class ActierapportForm(forms.Form):
    """What the regisseur reports for one action (prefix: the action). Empty fields are fine
    while saving; submitting asks for all that is needed (the service lists what is missing)."""

    realisatie = forms.ChoiceField(
        label=_("Realisatie"),
        choices=[("", _("(kies)")), *Realisatie.choices],
        required=False,
        error_messages={"invalid_choice": _("Kies uit de lijst.")},
    )
    bbc_actie = BegrensdeRegel(
        limiet=BBC_ACTIE_MAX,
        label=_("Actie in het BBC-meerjarenplan van de trekker (nummer of naam)"),
        required=False,
    )
    code_toegepast = forms.BooleanField(
        label=_("De rapporteringscode van de prioriteit is toegepast in de BBC"),
        required=False,
    )
    toelichting = BegrensdeTekstveld(
        limiet=REALISATIE_TOELICHTING_MAX,
        label=_("Toelichting"),
        help_text=_("Nodig wanneer de actie niet (helemaal) gerealiseerd is."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OpvolgBeoordelingForm(forms.Form):
    """A reviewer's judgement of a submitted opvolgmoment."""

    besluit = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("aanvaarden", _("Aanvaarden")), ("meer_vragen", _("Meer vragen"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies: aanvaarden of meer vragen."),
            "invalid_choice": _("Kies: aanvaarden of meer vragen."),
        },
    )
    reden = BegrensdeTekstveld(
        limiet=MEER_GEVRAAGD_MAX,
        label=_("Wat vraagt WSE nog?"),
        help_text=_("Nodig wanneer u meer vraagt."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class OpvolgbijlageForm(forms.Form):
    """A PDF that the call asks with the opvolgmoment: which one, and the file (checked by the
    service as an aanvraag's attachments are)."""

    bijlagetype = forms.ModelChoiceField(
        label=_("Soort bijlage"),
        queryset=BijlageType.objects.none(),
        error_messages={
            "required": _("Kies welke bijlage dit is."),
            "invalid_choice": _("Kies een bijlage uit de lijst."),
        },
    )
    bestand = pdf_bestand_veld()

    def __init__(self, *args: Any, aanvraag: Aanvraag, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bijlagetype"].queryset = aanvraag.oproep.opvolg_bijlagetypes()  # type: ignore[attr-defined]


class WijzigingActieForm(ActieForm):
    """An action in a proposed change to the plan: the fields and limits of an aanvraag's
    action (`aanvragen.forms.ActieForm`), with only the years that may still change."""

    def __init__(self, *args: Any, aanvraag: Aanvraag, jaren: list[int], **kwargs: Any) -> None:
        super().__init__(*args, oproep=aanvraag.oproep, **kwargs)
        del self.fields["versie"]
        self.fields["jaar"].choices = [("", "---------")] + [  # type: ignore[attr-defined]
            (jaar, str(jaar)) for jaar in jaren
        ]


class LedenwijzigingForm(forms.Form):
    """A bestuur joining the verband from a day, or a member leaving it from a day; the
    bestuur by name or NIS code, among those valid on that day."""

    soort = forms.ChoiceField(
        label=_("Wat verandert er?"),
        choices=Ledenwijzigingssoort.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies: treedt toe of treedt uit."),
            "invalid_choice": _("Kies: treedt toe of treedt uit."),
        },
    )
    bestuur = forms.CharField(
        label=_("Lokaal bestuur (naam of NIS-code)"),
        max_length=120,
        widget=forms.TextInput(attrs={"list": "besturen-lijst", "autocomplete": "off"}),
        error_messages={"required": _("Geef de naam of de NIS-code van het bestuur.")},
    )
    datum = DatumField(
        label=_("Vanaf"),
        help_text=_("Toetreden: de eerste dag als lid. Uittreden: de eerste dag niet meer lid."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tekst, datum = data.get("bestuur"), data.get("datum")
        if tekst and isinstance(datum, datetime.date):
            # Leaving: the bestuur as it was the day before (it may end on that day).
            op = datum - datetime.timedelta(days=1) if data.get("soort") == "uittreding" else datum
            try:
                data["lokaal_bestuur"] = bestuur_zoeken(tekst=tekst, op=op)
            except ValidationError as exc:
                self.add_error("bestuur", exc)
        return data


class PlanwijzigingForm(forms.Form):
    """The motivation of a proposed change, saved with the draft and required to submit it."""

    motivatie = BegrensdeTekstveld(
        limiet=WIJZIGING_MOTIVATIE_MAX,
        label=_("Motivatie"),
        help_text=_("Waarom het plan wijzigt. Nodig om het voorstel in te dienen."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class PlanwijzigingBeoordelingForm(forms.Form):
    """WSE's decision on a submitted change: approve, or refuse with the reason."""

    besluit = forms.ChoiceField(
        label=_("Besluit"),
        choices=[("goedkeuren", _("Goedkeuren")), ("weigeren", _("Weigeren"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies: goedkeuren of weigeren."),
            "invalid_choice": _("Kies: goedkeuren of weigeren."),
        },
    )
    reden = BegrensdeTekstveld(
        limiet=WIJZIGING_REDEN_MAX,
        label=_("Reden"),
        help_text=_("Nodig wanneer u weigert; de regisseurs lezen ze."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("besluit") == "weigeren" and not (data.get("reden") or "").strip():
            self.add_error("reden", _("Schrijf waarom WSE de wijziging weigert."))
        return data


class AfsluitenForm(forms.Form):
    """The confirmation step of closing a dossier: closing cannot be undone from the page."""

    bevestigen = forms.BooleanField(
        label=_(
            "Ik heb nagekeken dat alle opvolgmomenten aanvaard zijn en het grootboek vereffend "
            "is, en sluit het dossier af. Daarna kan niemand er nog iets aan veranderen."
        ),
        error_messages={"required": _("Vink aan dat u het dossier wilt afsluiten.")},
    )


class HeropenenForm(forms.Form):
    """Why a beheerder reopens a closed dossier."""

    reden = BegrensdeTekstveld(
        limiet=HEROPEN_REDEN_MAX,
        label=_("Reden van heropenen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Bv. een betaling die nog geboekt moet worden. Komt in de tijdlijn."),
        error_messages={"required": _("Schrijf waarom het dossier heropend wordt.")},
    )
