"""The beheerders' own pages under /beheer/: regieverbanden, their members and trekker over time.

Views glue requests to `membership` (rules and reads). Only beheerders reach these pages; a
regisseur of the verband or a WSE-beoordelaar may see the verband elsewhere, so they get a 403
here, and whoever may not see it at all gets a 404. A form with errors comes back on the verband's
page with its input, and the other forms untouched.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from applications.aanvragen.overlaps import Overlap, overlaps_van_lidmaatschap
from applications.accounts.permissions import require_beheerder, user_of
from applications.beheer.selectors import verband_beheer, verbanden_overzicht
from applications.besturen import services as besturen_services
from applications.besturen.models import Lidmaatschap, LokaalBestuur, Regieverband, Trekkerwissel
from applications.besturen.services import (
    bestuur_zoeken,
    lidmaatschap_beeindigen,
    lidmaatschap_toevoegen,
    periode_tekst,
    trekkerwissels_toepassen,
)
from applications.core.forms import add_service_errors

# --- Forms (they check the shape; the rules are in `membership`) ----------------------------------


class DatumField(forms.DateField):
    """A day typed in the browser's date field (ISO), or by hand as 31/12/2025."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"])
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": gettext_lazy("Geef een geldige datum, bv. 31/12/2025."),
                "required": gettext_lazy("Geef een datum."),
            },
        )
        super().__init__(**kwargs)


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


# --- Access ---------------------------------------------------------------------------------------


def _get_verband_for_beheer(request: HttpRequest, pk: int) -> Regieverband:
    """The verband, for a beheerder; a 404 for everyone else, as every page of /beheer/."""
    require_beheerder(request)
    return get_object_or_404(Regieverband.objects.select_related("trekker"), pk=pk)


def _datum(dag: datetime.date) -> str:
    return formats.date_format(dag, "j F Y")


# --- Pages ----------------------------------------------------------------------------------------


@login_required
@require_GET
def verbanden(request: HttpRequest) -> HttpResponse:
    require_beheerder(request)
    today = timezone.localdate()
    return render(
        request,
        "beheer/verbanden.html",
        {"verbanden": verbanden_overzicht(today=today), "today": today},
    )


def _verband_page(
    request: HttpRequest, regieverband: Regieverband, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "beheer/verband.html",
        {
            "regieverband": regieverband,
            "beheer": verband_beheer(regieverband=regieverband, today=today),
            "today": today,
            "admin_url": reverse("beheer:besturen_regieverband_change", args=[regieverband.pk]),
            "besturen": LokaalBestuur.objects.order_by("naam", "nis_code"),
            "lid_form": bound.get("lid_form") or LidToevoegenForm(prefix="lid"),
            "einde_form": bound.get("einde_form")
            or EindeForm(prefix="einde", regieverband=regieverband),
            "trekker_form": bound.get("trekker_form")
            or TrekkerForm(prefix="trekker", regieverband=regieverband),
        },
        status=status,
    )


@login_required
@require_GET
def verband(request: HttpRequest, pk: int) -> HttpResponse:
    return _verband_page(request, _get_verband_for_beheer(request, pk))


@login_required
@require_POST
def lid_toevoegen(request: HttpRequest, pk: int) -> HttpResponse:
    regieverband = _get_verband_for_beheer(request, pk)
    form = LidToevoegenForm(request.POST, prefix="lid")
    if form.is_valid():
        try:
            lid = lidmaatschap_toevoegen(
                regieverband=regieverband,
                bestuur=form.cleaned_data["lokaal_bestuur"],
                van=form.cleaned_data["van"],
                tot=form.cleaned_data["tot"],
                by=user_of(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(bestuur)s is lid %(periode)s.")
                % {"bestuur": lid.bestuur, "periode": periode_tekst(lid)},
            )
            for overlap in overlaps_van_lidmaatschap(lid):
                messages.warning(request, _overlap_waarschuwing(overlap, regieverband))
            return redirect("beheer_verband", pk=regieverband.pk)
    return _verband_page(request, regieverband, status=400, lid_form=form)


def _overlap_waarschuwing(overlap: Overlap, regieverband: Regieverband) -> str:
    return _(
        "Let op: %(bestuur)s is op %(peildatum)s ook lid van %(andere)s, met een aanvraag voor "
        "de oproep %(oproep)s. Die oproep gaat uit van één regieverband per bestuur; WSE beslist "
        "of dit kan."
    ) % {
        "bestuur": overlap.bestuur,
        "peildatum": _datum(overlap.oproep.peildatum),
        "andere": ", ".join(v.naam for v in overlap.andere(regieverband)),
        "oproep": overlap.oproep.naam,
    }


@login_required
@require_POST
def lid_beeindigen(request: HttpRequest, pk: int) -> HttpResponse:
    regieverband = _get_verband_for_beheer(request, pk)
    form = EindeForm(request.POST, prefix="einde", regieverband=regieverband)
    if form.is_valid():
        try:
            lid = lidmaatschap_beeindigen(
                lidmaatschap=form.cleaned_data["lidmaatschap"],
                tot=form.cleaned_data["tot"],
                by=user_of(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Het lidmaatschap van %(bestuur)s loopt tot en met %(tot)s.")
                % {"bestuur": lid.bestuur, "tot": _datum(form.cleaned_data["tot"])},
            )
            return redirect("beheer_verband", pk=regieverband.pk)
    return _verband_page(request, regieverband, status=400, einde_form=form)


@login_required
@require_POST
def trekker_wijzigen(request: HttpRequest, pk: int) -> HttpResponse:
    regieverband = _get_verband_for_beheer(request, pk)
    form = TrekkerForm(request.POST, prefix="trekker", regieverband=regieverband)
    if form.is_valid():
        today = timezone.localdate()
        trekker = form.gekozen_trekker()
        try:
            wissel = besturen_services.trekker_wijzigen(
                regieverband=regieverband,
                trekker=trekker,
                vanaf=form.cleaned_data["vanaf"],
                by=user_of(request),
                today=today,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _trekker_bericht(wissel, regieverband, today))
            return redirect("beheer_verband", pk=regieverband.pk)
    return _verband_page(request, regieverband, status=400, trekker_form=form)


def _trekker_bericht(
    wissel: Trekkerwissel, regieverband: Regieverband, today: datetime.date
) -> str:
    naam = wissel.trekker or _("de vereniging zelf")
    if wissel.vanaf > today:
        return _("Gepland: %(trekker)s is trekker vanaf %(dag)s.") % {
            "trekker": naam,
            "dag": _datum(wissel.vanaf),
        }
    if regieverband.trekker_id == wissel.trekker_id:
        return _("%(trekker)s is trekker sinds %(dag)s.") % {
            "trekker": naam,
            "dag": _datum(wissel.vanaf),
        }
    return _(
        "Opgenomen in de geschiedenis: %(trekker)s was trekker vanaf %(dag)s. Een latere wissel "
        "blijft vandaag gelden."
    ) % {"trekker": naam, "dag": _datum(wissel.vanaf)}


@login_required
@require_POST
def trekker_toepassen(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a planned change whose day has come, without waiting for the daily job."""
    regieverband = _get_verband_for_beheer(request, pk)
    if trekkerwissels_toepassen(regieverband=regieverband):
        messages.success(request, _("De trekker volgens de geschiedenis is toegepast."))
    else:
        messages.info(request, _("Er was geen wissel toe te passen."))
    return redirect("beheer_verband", pk=regieverband.pk)
