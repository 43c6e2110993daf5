"""The uitvoering page of a granted aanvraag: the amounts granted per year, the ledger, and the
timeline; beheerders book payments there, reviewers record a new decision on the amounts."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.pages import aanvraag_for_user, aanvraag_page_context
from applications.accounts.permissions import user_of
from applications.beoordeling.selectors import timeline
from applications.core.forms import add_service_errors
from applications.core.permissions import check_access
from applications.uitvoering import selectors, services
from applications.uitvoering.constants import Boekingssoort
from applications.uitvoering.forms import BoekingForm, HerbeslissingForm
from applications.uitvoering.permissions import can_book_payment, can_decide_amounts


def _uitvoering_for_user(request: HttpRequest, pk: int) -> Aanvraag:
    """The aanvraag if the user sees it and it was granted: an aanvraag without a grant has no
    uitvoering (404, as for an aanvraag the user may not see)."""
    aanvraag = aanvraag_for_user(request, pk)
    check_access(may_see=selectors.is_toegekend(aanvraag))
    return aanvraag


def _page(
    request: HttpRequest, aanvraag: Aanvraag, status: int = 200, **bound: django_forms.Form
) -> HttpResponse:
    user = user_of(request)
    boek = selectors.grootboek(aanvraag)
    mag_boeken = can_book_payment(user, aanvraag)
    mag_herzien = can_decide_amounts(user, aanvraag)
    herbeslissing_form = bound.get("herbeslissing_form")
    if mag_herzien and herbeslissing_form is None:
        herbeslissing_form = HerbeslissingForm(
            aanvraag=aanvraag,
            initial={f"bedrag_{j.jaar}": j.toegekend for j in boek.jaren},
        )
    return render(
        request,
        "uitvoering/aanvraag_uitvoering.html",
        aanvraag_page_context(
            request,
            aanvraag,
            "uitvoering",
            boek=boek,
            tijdlijn=selectors.tijdlijn(boek, timeline(aanvraag, voor_wse=False)),
            boeking_form=(bound.get("boeking_form") or BoekingForm(aanvraag=aanvraag))
            if mag_boeken
            else None,
            herbeslissing_form=herbeslissing_form if mag_herzien else None,
        ),
        status=status,
    )


@login_required
@require_GET
def aanvraag_uitvoering(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _uitvoering_for_user(request, pk))


@login_required
@require_POST
def boeking_nieuw(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = _uitvoering_for_user(request, pk)
    user = user_of(request)
    check_access(
        may_see=True,
        may_change=can_book_payment(user, aanvraag),
        waarom=_("Alleen beheerders boeken betalingen, en niet voor hun eigen regieverband."),
    )
    form = BoekingForm(request.POST, aanvraag=aanvraag)
    if form.is_valid():
        data = form.cleaned_data
        try:
            boeking = services.boeking_maken(
                aanvraag=aanvraag,
                by=user,
                soort=Boekingssoort(data["soort"]),
                jaar=data["jaar"],
                datum=data["datum"],
                bedrag=data["bedrag"],
                referentie=data["referentie"],
                toelichting=data["toelichting"],
                schijf=data.get("schijf"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(soort)s voor %(jaar)s geboekt.")
                % {"soort": boeking.get_soort_display(), "jaar": boeking.jaar},
            )
            return redirect("aanvraag_uitvoering", pk=aanvraag.pk)
    return _page(request, aanvraag, status=400, boeking_form=form)


@login_required
@require_POST
def herbeslissing_nieuw(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = _uitvoering_for_user(request, pk)
    user = user_of(request)
    check_access(
        may_see=True,
        may_change=can_decide_amounts(user, aanvraag),
        waarom=_("Alleen WSE-beoordelaars beslissen over de bedragen."),
    )
    form = HerbeslissingForm(request.POST, aanvraag=aanvraag)
    if form.is_valid():
        try:
            herbeslissing = services.bedragen_herzien(
                aanvraag=aanvraag,
                by=user,
                bedragen={j: form.cleaned_data[f"bedrag_{j}"] for j in form.jaren},
                motivatie=form.cleaned_data["motivatie"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            terug = herbeslissing.terugvorderingen.count()
            messages.success(
                request,
                _("De nieuwe bedragen zijn vastgelegd.")
                + (
                    " " + _("Er is te veel betaald: zie de terugvorderingen in het grootboek.")
                    if terug
                    else ""
                ),
            )
            return redirect("aanvraag_uitvoering", pk=aanvraag.pk)
    return _page(request, aanvraag, status=400, herbeslissing_form=form)
