"""The uitvoering page of a granted aanvraag: the amounts granted per year, the opvolgmomenten,
the ledger, and the timeline; beheerders book payments there, reviewers record a new decision on
the amounts. The page of one year's opvolgmoment: the regisseur fills it in and submits it, a
reviewer accepts it or asks for more."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.pages import aanvraag_page_context
from applications.accounts.permissions import user_of
from applications.audit import services as audit
from applications.beoordeling.selectors import timeline
from applications.core.forms import add_service_errors
from applications.core.permissions import check_access
from applications.uitvoering import opvolging, selectors, services, wijzigingsselectors
from applications.uitvoering.afsluiting import dossier_heropenen as dossier_heropenen_service
from applications.uitvoering.afsluiting import wat_ontbreekt
from applications.uitvoering.constants import OPVOLG_BEWERKBAAR, Boekingssoort, Opvolgstatus
from applications.uitvoering.forms import (
    ActierapportForm,
    BoekingForm,
    HerbeslissingForm,
    HeropenenForm,
    OpvolgBeoordelingForm,
    OpvolgbijlageForm,
)
from applications.uitvoering.models import Opvolgbijlage, Opvolgmoment, Opvolgtermijn
from applications.uitvoering.pages import uitvoering_for_user
from applications.uitvoering.permissions import (
    AFGESLOTEN,
    can_book_payment,
    can_close_dossier,
    can_decide_amounts,
    can_judge_opvolging,
    can_reopen_dossier,
    can_report_opvolging,
    geldende_afsluiting,
    is_afgesloten,
)


def _page(
    request: HttpRequest, aanvraag: Aanvraag, status: int = 200, **bound: django_forms.Form
) -> HttpResponse:
    user = user_of(request)
    boek = selectors.grootboek(aanvraag)
    afgesloten = is_afgesloten(aanvraag)
    # A closed dossier is read-only: no forms, only what happened and the final bundle.
    mag_boeken = can_book_payment(user, aanvraag) and not afgesloten
    mag_herzien = can_decide_amounts(user, aanvraag) and not afgesloten
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
            opvolgstanden=selectors.opvolgstanden(aanvraag),
            planwijzigingen=wijzigingsselectors.planwijzigingen(aanvraag),
            boeking_form=(bound.get("boeking_form") or BoekingForm(aanvraag=aanvraag))
            if mag_boeken
            else None,
            herbeslissing_form=herbeslissing_form if mag_herzien else None,
            afsluiting=geldende_afsluiting(aanvraag) if afgesloten else None,
            heropenen_form=(bound.get("heropenen_form") or HeropenenForm())
            if afgesloten and can_reopen_dossier(user, aanvraag)
            else None,
            nog_niet_af_te_sluiten=[] if afgesloten else wat_ontbreekt(aanvraag),
            mag_afsluiten=can_close_dossier(user, aanvraag) and not afgesloten,
        ),
        status=status,
    )


@login_required
@require_GET
def aanvraag_uitvoering(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, uitvoering_for_user(request, pk))


@login_required
@require_POST
def boeking_nieuw(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = uitvoering_for_user(request, pk)
    user = user_of(request)
    check_access(
        may_see=True,
        may_change=can_book_payment(user, aanvraag) and not is_afgesloten(aanvraag),
        waarom=str(AFGESLOTEN)
        if is_afgesloten(aanvraag)
        else _("Alleen beheerders boeken betalingen, en niet voor hun eigen regieverband."),
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
    aanvraag = uitvoering_for_user(request, pk)
    user = user_of(request)
    check_access(
        may_see=True,
        may_change=can_decide_amounts(user, aanvraag) and not is_afgesloten(aanvraag),
        waarom=str(AFGESLOTEN)
        if is_afgesloten(aanvraag)
        else _("Alleen WSE-beoordelaars beslissen over de bedragen."),
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


@login_required
@require_POST
def dossier_heropenen(request: HttpRequest, pk: int) -> HttpResponse:
    """A beheerder reopens a closed dossier, with a reason (`afsluiting.dossier_heropenen`)."""
    aanvraag = uitvoering_for_user(request, pk)
    user = user_of(request)
    check_access(
        may_see=True,
        may_change=can_reopen_dossier(user, aanvraag),
        waarom=_("Alleen een beheerder heropent een dossier, en niet voor het eigen regieverband."),
    )
    form = HeropenenForm(request.POST)
    if form.is_valid():
        try:
            dossier_heropenen_service(aanvraag=aanvraag, by=user, reden=form.cleaned_data["reden"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Het dossier is heropend. Sluit het opnieuw af wanneer het klaar is.")
            )
            return redirect("aanvraag_uitvoering", pk=aanvraag.pk)
    if form.non_field_errors():
        # The page has no reopening form when the dossier is not closed: say it here too.
        messages.error(request, " ".join(str(e) for e in form.non_field_errors()))
    return _page(request, aanvraag, status=400, heropenen_form=form)


def _opvolg_page(
    request: HttpRequest,
    aanvraag: Aanvraag,
    jaar: int,
    *,
    status: int = 200,
    rapport_forms: dict[int, ActierapportForm] | None = None,
    beoordeling_form: OpvolgBeoordelingForm | None = None,
    bijlage_form: OpvolgbijlageForm | None = None,
    fouten: list[str] | None = None,
) -> HttpResponse:
    user = user_of(request)
    termijn = Opvolgtermijn.objects.filter(oproep=aanvraag.oproep, jaar=jaar).first()
    check_access(may_see=termijn is not None)
    moment = Opvolgmoment.objects.filter(aanvraag=aanvraag, jaar=jaar).first()
    rapporten = {r.actie_id: r for r in moment.rapporten.all()} if moment else {}
    acties = opvolging.acties_van_jaar(aanvraag, jaar)
    afgesloten = is_afgesloten(aanvraag)
    bewerkbaar = (
        can_report_opvolging(user, aanvraag)
        and not afgesloten
        and (moment is None or moment.status in OPVOLG_BEWERKBAAR)
        and timezone.localdate() >= opvolging.open_vanaf(jaar)
    )
    if bewerkbaar and rapport_forms is None:
        rapport_forms = {
            a.pk: ActierapportForm(
                prefix=f"a{a.pk}",
                initial={
                    "realisatie": r.realisatie,
                    "bbc_actie": r.bbc_actie,
                    "code_toegepast": r.code_toegepast,
                    "toelichting": r.toelichting,
                }
                if (r := rapporten.get(a.pk))
                else {},
            )
            for a in acties
        }
    mag_beoordelen = (
        moment is not None
        and not afgesloten
        and moment.status == Opvolgstatus.INGEDIEND
        and can_judge_opvolging(user, aanvraag)
    )
    return render(
        request,
        "uitvoering/opvolgmoment.html",
        aanvraag_page_context(
            request,
            aanvraag,
            "uitvoering",
            jaar=jaar,
            termijn=termijn,
            moment=moment,
            regels=[
                (a, rapporten.get(a.pk), (rapport_forms or {}).get(a.pk) if bewerkbaar else None)
                for a in acties
            ],
            bewerkbaar=bewerkbaar,
            afgesloten=afgesloten,
            wse_controle=opvolging.wse_controle(aanvraag),
            open_vanaf=opvolging.open_vanaf(jaar),
            fouten=fouten or [],
            bijlagetypes=list(aanvraag.oproep.opvolg_bijlagetypes()),
            bijlagen=list(moment.bijlagen.select_related("bijlagetype", "opgeladen_door"))
            if moment
            else [],
            bijlage_form=(bijlage_form or OpvolgbijlageForm(aanvraag=aanvraag))
            if bewerkbaar
            else None,
            beoordeling_form=(beoordeling_form or OpvolgBeoordelingForm())
            if mag_beoordelen
            else None,
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def opvolgmoment(request: HttpRequest, pk: int, jaar: int) -> HttpResponse:
    """The opvolgmoment of one year; the regisseur saves it (`bewaren`) or submits it."""
    aanvraag = uitvoering_for_user(request, pk)
    if request.method == "GET":
        return _opvolg_page(request, aanvraag, jaar)
    user = user_of(request)
    check_access(
        may_see=Opvolgtermijn.objects.filter(oproep=aanvraag.oproep, jaar=jaar).exists(),
        may_change=can_report_opvolging(user, aanvraag) and not is_afgesloten(aanvraag),
        waarom=str(AFGESLOTEN)
        if is_afgesloten(aanvraag)
        else _("Deze oproep vraagt geen apart rapport: WSE vult het opvolgmoment zelf in.")
        if opvolging.wse_controle(aanvraag)
        else _("Alleen de regisseurs van het regieverband vullen het opvolgmoment in."),
    )
    acties = opvolging.acties_van_jaar(aanvraag, jaar)
    forms = {a.pk: ActierapportForm(request.POST, prefix=f"a{a.pk}") for a in acties}
    if not all(f.is_valid() for f in forms.values()):
        return _opvolg_page(request, aanvraag, jaar, status=400, rapport_forms=forms)
    indienen = request.POST.get("actie") == "indienen"
    try:
        opvolging.opvolgmoment_bewaren(
            aanvraag=aanvraag,
            jaar=jaar,
            by=user,
            invoer={
                pk: opvolging.Rapportinvoer(
                    realisatie=f.cleaned_data["realisatie"],
                    toelichting=f.cleaned_data["toelichting"],
                    bbc_actie=f.cleaned_data["bbc_actie"],
                    code_toegepast=f.cleaned_data["code_toegepast"],
                )
                for pk, f in forms.items()
            },
            indienen=indienen,
        )
    except ValidationError as exc:
        return _opvolg_page(
            request, aanvraag, jaar, status=400, rapport_forms=forms, fouten=exc.messages
        )
    if indienen and opvolging.wse_controle(aanvraag):
        messages.success(request, _("De controle van de BBC-gegevens is vastgelegd en aanvaard."))
    elif indienen:
        messages.success(request, _("Het opvolgmoment is ingediend bij WSE."))
    else:
        messages.success(request, _("Bewaard. Dien het opvolgmoment in wanneer het klaar is."))
    return redirect("uitvoering_opvolgmoment", pk=aanvraag.pk, jaar=jaar)


@login_required
@require_POST
def opvolgmoment_beoordelen(request: HttpRequest, pk: int, jaar: int) -> HttpResponse:
    aanvraag = uitvoering_for_user(request, pk)
    user = user_of(request)
    moment = Opvolgmoment.objects.filter(aanvraag=aanvraag, jaar=jaar).first()
    check_access(
        may_see=Opvolgtermijn.objects.filter(oproep=aanvraag.oproep, jaar=jaar).exists(),
        may_change=can_judge_opvolging(user, aanvraag) and not is_afgesloten(aanvraag),
        waarom=str(AFGESLOTEN)
        if is_afgesloten(aanvraag)
        else _("Alleen WSE-beoordelaars aanvaarden een opvolgmoment."),
    )
    form = OpvolgBeoordelingForm(request.POST)
    if form.is_valid():
        if moment is None:
            form.add_error(None, _("Dit opvolgmoment is nog niet ingediend."))
        else:
            try:
                opvolging.opvolgmoment_beoordelen(
                    moment=moment,
                    by=user,
                    aanvaarden=form.cleaned_data["besluit"] == "aanvaarden",
                    reden=form.cleaned_data["reden"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Het opvolgmoment is aanvaard.")
                    if form.cleaned_data["besluit"] == "aanvaarden"
                    else _("De regisseurs krijgen de vraag om meer."),
                )
                return redirect("uitvoering_opvolgmoment", pk=aanvraag.pk, jaar=jaar)
    if moment is None or moment.status != Opvolgstatus.INGEDIEND:
        # Nothing to judge (any more): the page shows no form, so say it here.
        messages.error(request, _("Dit opvolgmoment wacht niet op een beoordeling."))
        return _opvolg_page(request, aanvraag, jaar, status=400)
    return _opvolg_page(request, aanvraag, jaar, status=400, beoordeling_form=form)


@login_required
@require_POST
def opvolgbijlage_nieuw(request: HttpRequest, pk: int, jaar: int) -> HttpResponse:
    """Upload a PDF the call asks with the opvolgmoment (whoever fills it in)."""
    aanvraag = uitvoering_for_user(request, pk)
    user = user_of(request)
    check_access(
        may_see=Opvolgtermijn.objects.filter(oproep=aanvraag.oproep, jaar=jaar).exists(),
        may_change=can_report_opvolging(user, aanvraag) and not is_afgesloten(aanvraag),
        waarom=str(AFGESLOTEN)
        if is_afgesloten(aanvraag)
        else _("Alleen wie het opvolgmoment invult, laadt er bijlagen bij op."),
    )
    form = OpvolgbijlageForm(request.POST, request.FILES, aanvraag=aanvraag)
    if form.is_valid():
        try:
            bijlage = opvolging.opvolgbijlage_toevoegen(
                aanvraag=aanvraag,
                jaar=jaar,
                by=user,
                bijlagetype=form.cleaned_data["bijlagetype"],
                upload=form.cleaned_data["bestand"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, default_field="bestand")
        else:
            messages.success(request, _("Bijlage '%(naam)s' opgeladen.") % {"naam": bijlage.naam})
            return redirect("uitvoering_opvolgmoment", pk=aanvraag.pk, jaar=jaar)
    # Said in the message too: once the opvolgmoment cannot be changed, the page has no form.
    messages.error(
        request,
        _("Niet opgeladen: %(waarom)s")
        % {"waarom": " ".join(str(e) for fouten in form.errors.values() for e in fouten)},
    )
    return _opvolg_page(request, aanvraag, jaar, status=400, bijlage_form=form)


def _opvolgbijlage(aanvraag: Aanvraag, jaar: int, bijlage_pk: int) -> Opvolgbijlage:
    """An attachment of this aanvraag's opvolgmoment of this year, else 404: an id from the URL
    reaches nothing of another aanvraag or year."""
    return get_object_or_404(
        Opvolgbijlage.objects.select_related("bijlagetype", "opvolgmoment__aanvraag__oproep"),
        pk=bijlage_pk,
        opvolgmoment__aanvraag=aanvraag,
        opvolgmoment__jaar=jaar,
    )


@login_required
@require_GET
def opvolgbijlage_download(
    request: HttpRequest, pk: int, jaar: int, bijlage_pk: int
) -> FileResponse:
    """Whoever sees the uitvoering downloads the attachments: the verband's regisseurs, the
    reviewers and beheerders (as an aanvraag's attachments); a WSE download is in the audit."""
    aanvraag = uitvoering_for_user(request, pk)
    bijlage = _opvolgbijlage(aanvraag, jaar, bijlage_pk)
    response = FileResponse(
        bijlage.bestand.open("rb"),
        as_attachment=True,
        filename=bijlage.naam,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    audit.download(
        request,
        aanvraag,
        f"bijlage opvolgmoment {jaar} {bijlage.bijlagetype.code} {bijlage.naam}",
        opvolgbijlage=bijlage.pk,
        jaar=jaar,
        bijlagetype=bijlage.bijlagetype.code,
        bestandsnaam=bijlage.naam,
    )
    return response


@login_required
@require_POST
def opvolgbijlage_verwijder(
    request: HttpRequest, pk: int, jaar: int, bijlage_pk: int
) -> HttpResponse:
    aanvraag = uitvoering_for_user(request, pk)
    user = user_of(request)
    bijlage = _opvolgbijlage(aanvraag, jaar, bijlage_pk)
    check_access(
        may_see=True,
        may_change=can_report_opvolging(user, aanvraag) and not is_afgesloten(aanvraag),
        waarom=str(AFGESLOTEN)
        if is_afgesloten(aanvraag)
        else _("Alleen wie het opvolgmoment invult, verwijdert er bijlagen van."),
    )
    try:
        opvolging.opvolgbijlage_verwijderen(bijlage=bijlage, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Bijlage '%(naam)s' verwijderd.") % {"naam": bijlage.naam})
    return redirect("uitvoering_opvolgmoment", pk=aanvraag.pk, jaar=jaar)
