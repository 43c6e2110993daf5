"""The beheerders' own pages under /beheer/: regieverbanden, their members and trekker over time.

Views glue requests to `besturen.services` (the rules) and `selectors.py` (what the pages show).
Only beheerders reach these pages; anyone else who is logged in gets a 404, as on every page of
/beheer/. A form with errors comes back on the verband's page with its input, and the other forms
untouched.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.aanvragen.overlaps import Overlap, overlaps_van_lidmaatschap
from applications.accounts.permissions import require_beheerder, user_of
from applications.audit import services as audit
from applications.beheer.forms import EindeForm, LidToevoegenForm, TrekkerForm
from applications.beheer.selectors import verband_beheer, verbanden_overzicht
from applications.berichten import services as berichten_services
from applications.berichten.models import Bericht
from applications.besturen import services as besturen_services
from applications.besturen.fusies import fusieplan
from applications.besturen.models import LokaalBestuur, Regieverband, Trekkerwissel
from applications.besturen.services import (
    datum_tekst,
    lidmaatschap_beeindigen,
    lidmaatschap_toevoegen,
    periode_tekst,
    trekkerwissels_toepassen,
)
from applications.core.forms import add_service_errors
from applications.uitvoering.bewaring import bewaarplan

# --- Access ---------------------------------------------------------------------------------------


def _get_verband_for_beheer(request: HttpRequest, pk: int) -> Regieverband:
    """The verband, for a beheerder; a 404 for everyone else, as every page of /beheer/."""
    require_beheerder(request)
    regieverband = get_object_or_404(Regieverband.objects.select_related("trekker"), pk=pk)
    audit.betreft(request, regieverband)
    return regieverband


# --- Pages ----------------------------------------------------------------------------------------


@login_required
@require_GET
def verbanden(request: HttpRequest) -> HttpResponse:
    require_beheerder(request)
    today = timezone.localdate()
    overzicht = verbanden_overzicht(
        today=today,
        zoek=request.GET.get("zoek", "").replace("\x00", "")[:100],
        pagina=request.GET.get("pagina", "1"),
    )
    return render(
        request,
        "beheer/verbanden.html",
        {
            "overzicht": overzicht,
            "today": today,
            # The other filters, for the links to the other pages.
            "query": urlencode({"zoek": overzicht.zoek}) if overzicht.zoek else "",
        },
    )


@login_required
@require_GET
def fusies(request: HttpRequest) -> HttpResponse:
    """What `manage.py fusies_doorvoeren` would change now (its dry run), and the cases it leaves
    for the beheerder. Read-only: carrying it out is the command's (`--uitvoeren`)."""
    require_beheerder(request)
    return render(request, "beheer/fusies.html", {"plan": fusieplan()})


@login_required
@require_GET
def bewaring(request: HttpRequest) -> HttpResponse:
    """What `manage.py dossiers_anonimiseren --uitvoeren` would change now, the same preview
    the command prints; it changes nothing (the run stays a command on the server)."""
    require_beheerder(request)
    return render(request, "beheer/bewaring.html", {"plan": bewaarplan()})


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
        "peildatum": datum_tekst(overlap.oproep.peildatum),
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
                % {"bestuur": lid.bestuur, "tot": datum_tekst(form.cleaned_data["tot"])},
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
            "dag": datum_tekst(wissel.vanaf),
        }
    if regieverband.trekker_id == wissel.trekker_id:
        return _("%(trekker)s is trekker sinds %(dag)s.") % {
            "trekker": naam,
            "dag": datum_tekst(wissel.vanaf),
        }
    return _(
        "Opgenomen in de geschiedenis: %(trekker)s was trekker vanaf %(dag)s. Een latere wissel "
        "blijft vandaag gelden."
    ) % {"trekker": naam, "dag": datum_tekst(wissel.vanaf)}


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


# --- The outbox -----------------------------------------------------------------------------------


@login_required
@require_POST
def email_opnieuw(request: HttpRequest, pk: int) -> HttpResponse:
    """A beheerder puts a failed e-mail back in the queue (the button beside a failed
    invitation; the e-mail list in /beheer/ offers the same as an action)."""
    require_beheerder(request)
    bericht = get_object_or_404(Bericht, pk=pk)
    audit.betreft(request, bericht)
    if berichten_services.opnieuw_proberen(bericht):
        messages.success(
            request,
            _("De e-mail aan %(aan)s staat opnieuw in de wachtrij.")
            % {"aan": ", ".join(bericht.aan)},
        )
    else:
        messages.info(request, _("Deze e-mail was niet mislukt; er is niets veranderd."))
    return redirect("beheer_gebruikers")
