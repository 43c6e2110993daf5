"""Closing a dossier (a confirmation step, then one POST) and its final bundle (a ZIP)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.aanvragen.pages import aanvraag_page_context
from applications.aanvragen.submission import versie_gegevens
from applications.accounts.permissions import user_of
from applications.audit import services as audit
from applications.core.forms import add_service_errors
from applications.core.permissions import check_access
from applications.uitvoering import afsluiting, bundel, selectors
from applications.uitvoering.forms import AfsluitenForm
from applications.uitvoering.pages import uitvoering_for_user
from applications.uitvoering.permissions import AFGESLOTEN, can_close_dossier, is_afgesloten


@login_required
@require_http_methods(["GET", "POST"])
def dossier_afsluiten(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step: what closing means and, while it cannot be closed yet, every item
    that is missing; the POST closes it. Reviewers and beheerders (not of their own verband)."""
    aanvraag = uitvoering_for_user(request, pk)
    user = user_of(request)
    check_access(
        may_see=True,
        may_change=can_close_dossier(user, aanvraag) and not is_afgesloten(aanvraag),
        waarom=str(AFGESLOTEN)
        if is_afgesloten(aanvraag)
        else _(
            "Alleen WSE-beoordelaars en beheerders sluiten een dossier af, en niet voor hun "
            "eigen regieverband."
        ),
    )
    form = AfsluitenForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                afsluiting.dossier_afsluiten(aanvraag=aanvraag, by=user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Het dossier is afgesloten. Het kan niet meer gewijzigd worden; de "
                        "eindbundel staat klaar om te downloaden."
                    ),
                )
                return redirect("aanvraag_uitvoering", pk=aanvraag.pk)
        status = 400
    return render(
        request,
        "uitvoering/dossier_afsluiten.html",
        aanvraag_page_context(
            request,
            aanvraag,
            "uitvoering",
            form=form,
            boek=selectors.grootboek(aanvraag),
            opvolgstanden=selectors.opvolgstanden(aanvraag),
            ontbreekt=afsluiting.wat_ontbreekt(aanvraag),
        ),
        status=status,
    )


@login_required
@require_GET
def dossier_bundel(request: HttpRequest, pk: int) -> FileResponse:
    """The final bundle of a closed dossier, for whoever sees the uitvoering (a 404 while the
    dossier is open: there is no final bundle yet). A WSE download is in the audit log, one
    line per sealed PDF in it."""
    aanvraag = uitvoering_for_user(request, pk)
    check_access(may_see=is_afgesloten(aanvraag))
    inhoud = bundel.dossierbundel(aanvraag)
    naam = f"dossier-{aanvraag.oproep.slug}-{slugify(aanvraag.regieverband.naam)}.zip"
    data = inhoud.zip()
    audit.downloads(
        request,
        [
            (
                aanvraag,
                f"eindbundel {naam}",
                {"bestanden": len(inhoud.bestanden), "bestandsnaam": naam},
            ),
            *(
                (aanvraag, f"PDF versie {i.nummer} (in {naam})", versie_gegevens(i))
                for i in inhoud.indieningen
            ),
        ],
    )
    return FileResponse(
        io.BytesIO(data), as_attachment=True, filename=naam, content_type="application/zip"
    )
