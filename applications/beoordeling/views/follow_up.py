"""The regisseur's follow-up of a submitted aanvraag: questions to answer, withdrawing, the
decision and its letter."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.aanvragen.forms import IntrekkenForm
from applications.aanvragen.models import Aanvraag
from applications.aanvragen.pages import aanvraag_for_user, aanvraag_page_context
from applications.aanvragen.services import aanvraag_withdraw
from applications.aanvragen.statuses import CLOSED_STATUSES, AanvraagStatus
from applications.aanvragen.submission import read_sealed
from applications.accounts.permissions import user_of
from applications.audit import services as audit
from applications.beoordeling.forms import (
    AntwoordForm,
)
from applications.beoordeling.models import Beslissing, Vraag
from applications.beoordeling.selectors import (
    dossier,
    timeline,
)
from applications.beoordeling.services import (
    vraag_beantwoorden,
)
from applications.besturen.permissions import is_regisseur_of
from applications.core.forms import add_service_errors
from applications.core.http import pdf_response


def _opvolging_page(
    request: HttpRequest, aanvraag: Aanvraag, status: int = 200, **bound: django_forms.Form
) -> HttpResponse:
    user = user_of(request)
    # The page's lists and its timeline read each relation once.
    bron = dossier(aanvraag, voor_wse=False)
    vragen = bron.vragen
    antwoord_forms = {
        v.pk: bound.get(f"antwoord_{v.pk}") or AntwoordForm(prefix=f"v{v.pk}")
        for v in vragen
        if not v.is_beantwoord
    }
    for pk, form in antwoord_forms.items():
        # Each answer field is described by its own question.
        form.fields["antwoord"].widget.attrs["aria-describedby"] = f"vraag-{pk}-tekst"
    return render(
        request,
        "beoordeling/aanvraag_opvolging.html",
        aanvraag_page_context(
            request,
            aanvraag,
            "opvolging",
            vragen=[(v, antwoord_forms.get(v.pk)) for v in vragen],
            beslissing=bron.beslissing,
            laatste_wijziging=next(
                (
                    w
                    for w in reversed(bron.statuswijzigingen)
                    if w.naar == AanvraagStatus.WIJZIGINGEN_GEVRAAGD
                ),
                None,
            ),
            tijdlijn=timeline(aanvraag, voor_wse=False, bron=bron),
            is_regisseur=is_regisseur_of(user, aanvraag.regieverband),
            kan_intrekken=aanvraag.status not in CLOSED_STATUSES,
            intrekken_form=bound.get("intrekken_form") or IntrekkenForm(),
        ),
        status=status,
    )


@login_required
@require_GET
def aanvraag_opvolging(request: HttpRequest, pk: int) -> HttpResponse:
    return _opvolging_page(request, aanvraag_for_user(request, pk))


@login_required
@require_POST
def vraag_antwoord(request: HttpRequest, pk: int, vraag_pk: int) -> HttpResponse:
    aanvraag = aanvraag_for_user(request, pk)
    vraag = get_object_or_404(Vraag, pk=vraag_pk, aanvraag=aanvraag)
    form = AntwoordForm(request.POST, prefix=f"v{vraag.pk}")
    if form.is_valid():
        try:
            vraag_beantwoorden(
                vraag=vraag, by=user_of(request), antwoord=form.cleaned_data["antwoord"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Uw antwoord is verstuurd naar WSE."))
            return redirect("aanvraag_opvolging", pk=aanvraag.pk)
    return _opvolging_page(request, aanvraag, status=400, **{f"antwoord_{vraag.pk}": form})


@login_required
@require_POST
def aanvraag_intrekken(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = aanvraag_for_user(request, pk)
    form = IntrekkenForm(request.POST)
    if form.is_valid():
        try:
            aanvraag_withdraw(
                aanvraag=aanvraag, by=user_of(request), reden=form.cleaned_data["reden"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De aanvraag is ingetrokken."))
            return redirect("aanvraag_opvolging", pk=aanvraag.pk)
    return _opvolging_page(request, aanvraag, status=400, intrekken_form=form)


@login_required
@require_GET
def beslissing_brief(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision letter as it was rendered at the decision."""
    aanvraag = aanvraag_for_user(request, pk)
    beslissing = get_object_or_404(Beslissing, aanvraag=aanvraag)
    if beslissing.brief_verwijderd:
        return render(
            request,
            "aanvragen/pdf_verwijderd.html",
            {
                "aanvraag": aanvraag,
                "naam": _("De beslissingsbrief"),
                "sha256": beslissing.brief_sha256,
                "verwijderd_op": beslissing.brief_verwijderd_op,
            },
            status=410,
        )
    naam = f"beslissing-{aanvraag.oproep.slug}-{aanvraag.pk}.pdf"
    inhoud = read_sealed(beslissing.brief, beslissing.brief_sha256)
    audit.download(
        request,
        aanvraag,
        "beslissingsbrief",
        beslissing=beslissing.pk,
        uitkomst=beslissing.uitkomst,
        bestandsnaam=naam,
        sha256=beslissing.brief_sha256,
    )
    return pdf_response(inhoud, naam, beslissing.brief_sha256)
