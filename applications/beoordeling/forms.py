"""Forms of WSE's review pages and the regisseur's answer. They check the shape of input; the
rules live in services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from applications.aanvragen.constants import REDEN_MAX
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.beoordeling.constants import (
    ANTWOORD_MAX,
    BEOORDELING_MOTIVATIE_MAX,
    BESLISSING_MOTIVATIE_MAX,
    NOTITIE_MAX,
    SCORE_MOTIVATIE_MAX,
    TERUGSTUUR_REDEN_MAX,
    VRAAG_MAX,
    Advies,
)
from applications.core.forms import BrusselsDateTimeField, EuroField
from applications.core.teksten import BegrensdeTekstveld, tekens
from applications.oproepen.models import Beleidsprioriteit, Oproep


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
    tekst = BegrensdeTekstveld(
        limiet=VRAAG_MAX,
        label=_("Vraag aan de regisseurs"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf de vraag.")},
    )


class AntwoordForm(forms.Form):
    antwoord = BegrensdeTekstveld(
        limiet=ANTWOORD_MAX,
        label=_("Uw antwoord"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf uw antwoord.")},
    )


class NotitieForm(forms.Form):
    tekst = BegrensdeTekstveld(
        limiet=NOTITIE_MAX,
        label=_("Interne notitie (alleen WSE ziet ze)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Schrijf de notitie.")},
    )


class WijzigingenForm(forms.Form):
    reden = BegrensdeTekstveld(
        limiet=REDEN_MAX,
        label=_("Welke wijzigingen vraagt u?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf welke wijzigingen u vraagt.")},
    )
    tot = BrusselsDateTimeField(
        label=_("Aanpassen en opnieuw indienen tot en met (Brusselse tijd)")
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
        schaal = range(oproep.score_min, oproep.score_max + 1)
        for p in self.prioriteiten:
            # The call's anchors say what each point means for this priority: then the points are
            # a list of choices with their meaning, else a plain drop-down.
            ankers = {a.score: a.betekenis for a in p.ankers.all()}
            self.fields[f"score_{p.pk}"] = forms.TypedChoiceField(
                label=_("Score %(code)s") % {"code": p.code},
                # Help texts are rendered as HTML (Django's and crispy's templates mark them safe):
                # a title a beheerder typed is escaped here, where it becomes one.
                help_text=conditional_escape(p.titel),
                choices=[
                    (str(n), f"{n} \N{EN DASH} {ankers[n]}" if n in ankers else str(n))
                    for n in schaal
                ]
                if ankers
                else [("", "—")] + [(str(n), str(n)) for n in schaal],
                widget=forms.RadioSelect if ankers else forms.Select,
                coerce=int,
                error_messages={"required": _("Geef een score.")},
            )
            self.fields[f"motivatie_{p.pk}"] = BegrensdeTekstveld(
                limiet=SCORE_MOTIVATIE_MAX,
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
        self.fields["motivatie"] = BegrensdeTekstveld(
            limiet=BEOORDELING_MOTIVATIE_MAX,
            label=_("Motivatie van het advies"),
            widget=forms.Textarea(attrs={"rows": 4}),
            error_messages={"required": _("Motiveer het advies.")},
        )
        _bedrag_fields(self, oproep, required=True, label=str(_("Voorgesteld bedrag")))

    def als_concept(self) -> BeoordelingForm:
        """A draft may leave anything empty; what is typed is still checked (lengths, the
        scale, amounts)."""
        for veld in self.fields.values():
            veld.required = False
        return self

    def ingevuld(self) -> dict[str, str]:
        """The fields as typed, for a draft (after `is_valid`, so each within its bounds)."""
        return {
            naam: str(self.data.get(self.add_prefix(naam), "")).strip()
            for naam in self.fields
            if str(self.data.get(self.add_prefix(naam), "")).strip()
        }

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
    motivatie = BegrensdeTekstveld(
        limiet=BESLISSING_MOTIVATIE_MAX,
        label=_("Motivatie (staat in de beslissingsbrief)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Motiveer de beslissing.")},
    )

    reden_boven_gevraagd = BegrensdeTekstveld(
        limiet=REDEN_MAX,
        label=_("Waarom meer dan gevraagd?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Alleen nodig als een toegekend bedrag hoger is dan wat de aanvraag voor dat jaar "
            "vraagt. Komt in de beslissingsbrief bij de motivatie."
        ),
    )
    # Set by the confirmation step: the reviewer saw the figures and confirms them.
    bevestigd = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, oproep: Oproep, gevraagd: dict[int, Decimal] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.oproep = oproep
        self.gevraagd = gevraagd or {}
        _bedrag_fields(self, oproep, required=False, label=str(_("Toegekend bedrag")))
        # The reason comes after the amounts it is about.
        self.order_fields(
            [
                "uitkomst",
                "motivatie",
                *[f"bedrag_{j}" for j in oproep.jaren],
                "reden_boven_gevraagd",
            ]
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("uitkomst") != AanvraagStatus.GOEDGEKEURD.value:
            return data
        boven = [
            jaar
            for jaar in self.oproep.jaren
            if (data.get(f"bedrag_{jaar}") or 0) > self.gevraagd.get(jaar, Decimal(0))
        ]
        if self.errors.get("motivatie") is None and "motivatie" in data:
            # Both go into the letter's motivation, which has one limit.
            lengte = len(self.motivatie_voor_brief())
            if lengte > BESLISSING_MOTIVATIE_MAX:
                self.add_error(
                    "reden_boven_gevraagd",
                    _(
                        "Motivatie en reden komen samen in de brief en zijn samen %(lengte)s "
                        "tekens, meer dan %(max)s: maak een van beide korter."
                    )
                    % {"lengte": tekens(lengte), "max": tekens(BESLISSING_MOTIVATIE_MAX)},
                )
        if boven and not (data.get("reden_boven_gevraagd") or "").strip():
            self.add_error(
                "reden_boven_gevraagd",
                ngettext(
                    "Het bedrag voor %(jaren)s is hoger dan gevraagd: zeg waarom.",
                    "De bedragen voor %(jaren)s zijn hoger dan gevraagd: zeg waarom.",
                    len(boven),
                )
                % {"jaren": ", ".join(str(j) for j in boven)},
            )
        return data

    def motivatie_voor_brief(self) -> str:
        """The motivation as the letter prints it, with the reason for more than asked."""
        reden = (self.cleaned_data.get("reden_boven_gevraagd") or "").strip()
        motivatie = self.cleaned_data["motivatie"]
        if not reden or self.cleaned_data.get("uitkomst") != AanvraagStatus.GOEDGEKEURD.value:
            return motivatie
        # Kept in the letter's language (the portal's), whatever language the reviewer reads.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{motivatie}\n\n" + str(_("Meer dan gevraagd: %(reden)s")) % {"reden": reden}


class VoorstelBevestigenForm(forms.Form):
    """The second reviewer confirms the proposal they saw (its number: not one made since)."""

    voorstel = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class VoorstelTerugsturenForm(VoorstelBevestigenForm):
    reden = BegrensdeTekstveld(
        limiet=TERUGSTUUR_REDEN_MAX,
        label=_("Waarom gaat het voorstel terug?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Zeg waarom het voorstel teruggaat.")},
    )
