"""The pages of the changes to the plan of a granted aanvraag
(`/aanvragen/<id>/uitvoering/wijzigingen/...`): the list, one proposal with its diff against the
decided version, the forms of a draft (an action added, changed or cancelled; a member joining or
leaving), and WSE's decision. The rules live in `wijzigingen`; these views glue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from applications.aanvragen.models import Actie
from applications.aanvragen.pages import aanvraag_page_context
from applications.accounts.permissions import user_of
from applications.besturen.models import LokaalBestuur
from applications.core.forms import add_service_errors
from applications.core.permissions import check_access
from applications.uitvoering import wijzigingen, wijzigingsselectors
from applications.uitvoering.constants import (
    Actiewijzigingssoort,
    Ledenwijzigingssoort,
    Wijzigingsstatus,
)
from applications.uitvoering.forms import (
    LedenwijzigingForm,
    PlanwijzigingBeoordelingForm,
    PlanwijzigingForm,
    WijzigingActieForm,
)
from applications.uitvoering.models import Actiewijziging, Ledenwijziging, Planwijziging
from applications.uitvoering.pages import uitvoering_for_user
from applications.uitvoering.permissions import (
    can_judge_planwijziging,
    can_propose_planwijziging,
)
from applications.uitvoering.wijzigingsverschil import planverschil


def _niet_regisseur() -> str:
    return _("Alleen de regisseurs van het regieverband stellen een wijziging van het plan voor.")


def _wijziging_for_user(request: HttpRequest, pk: int, nummer: int) -> Planwijziging:
    """The proposal `nummer` of an aanvraag the user sees and that was granted, else 404."""
    aanvraag = uitvoering_for_user(request, pk)
    wijziging = get_object_or_404(
        Planwijziging.objects.select_related(
            "basis", "versie", "ingediend_door", "beoordeeld_door", "aangemaakt_door"
        ),
        aanvraag=aanvraag,
        nummer=nummer,
    )
    wijziging.aanvraag = aanvraag
    return wijziging


def _bewerkbaar_for_user(request: HttpRequest, pk: int, nummer: int) -> Planwijziging:
    """The proposal for a form that changes it: its verband's regisseurs only (403 for WSE,
    who see it)."""
    wijziging = _wijziging_for_user(request, pk, nummer)
    check_access(
        may_see=True,
        may_change=can_propose_planwijziging(user_of(request), wijziging.aanvraag),
        waarom=_niet_regisseur(),
    )
    return wijziging


def _is_bewerkbaar(request: HttpRequest, wijziging: Planwijziging) -> bool:
    return (
        wijziging.status == Wijzigingsstatus.CONCEPT
        and can_propose_planwijziging(user_of(request), wijziging.aanvraag)
        and wijzigingen.periode_loopt(wijziging.aanvraag, timezone.localdate())
    )


@login_required
@require_http_methods(["GET", "POST"])
def planwijzigingen(request: HttpRequest, pk: int) -> HttpResponse:
    """Every proposal of the aanvraag; the regisseurs start one here (POST), or are led to the
    one that is open."""
    aanvraag = uitvoering_for_user(request, pk)
    user = user_of(request)
    if request.method == "POST":
        check_access(
            may_see=True,
            may_change=can_propose_planwijziging(user, aanvraag),
            waarom=_niet_regisseur(),
        )
        bestaand = wijzigingen.open_planwijziging(aanvraag)
        if bestaand is not None:
            messages.info(request, _("Er loopt al een voorstel tot wijziging: werk dat verder af."))
            return redirect("planwijziging_detail", pk=aanvraag.pk, nummer=bestaand.nummer)
        try:
            wijziging = wijzigingen.planwijziging_starten(aanvraag=aanvraag, by=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("planwijzigingen", pk=aanvraag.pk)
        messages.success(
            request, _("Voorstel tot wijziging gestart. Het is een concept tot u het indient.")
        )
        return redirect("planwijziging_detail", pk=aanvraag.pk, nummer=wijziging.nummer)
    vandaag = timezone.localdate()
    return render(
        request,
        "uitvoering/planwijzigingen.html",
        aanvraag_page_context(
            request,
            aanvraag,
            "uitvoering",
            wijzigingen=wijzigingsselectors.planwijzigingen(aanvraag),
            open_wijziging=wijzigingen.open_planwijziging(aanvraag),
            mag_voorstellen=can_propose_planwijziging(user, aanvraag)
            and wijzigingen.periode_loopt(aanvraag, vandaag),
            periode_loopt=wijzigingen.periode_loopt(aanvraag, vandaag),
        ),
    )


def _detail(
    request: HttpRequest,
    wijziging: Planwijziging,
    *,
    status: int = 200,
    form: PlanwijzigingForm | None = None,
    beoordeling_form: PlanwijzigingBeoordelingForm | None = None,
    fouten: list[str] | None = None,
) -> HttpResponse:
    aanvraag = wijziging.aanvraag
    user = user_of(request)
    bewerkbaar = _is_bewerkbaar(request, wijziging)
    mag_beoordelen = wijziging.status == Wijzigingsstatus.INGEDIEND and can_judge_planwijziging(
        user, aanvraag
    )
    plan = (
        wijzigingsselectors.wijzigbaar_plan(aanvraag, wijziging, timezone.localdate())
        if bewerkbaar
        else []
    )
    return render(
        request,
        "uitvoering/planwijziging_detail.html",
        aanvraag_page_context(
            request,
            aanvraag,
            "uitvoering",
            wijziging=wijziging,
            verschil=planverschil(wijziging),
            stappen=list(wijziging.stappen.select_related("door")),
            bewerkbaar=bewerkbaar,
            periode_loopt=wijzigingen.periode_loopt(aanvraag, timezone.localdate()),
            plan=plan,
            mag_intrekken=wijziging.status in (Wijzigingsstatus.CONCEPT, Wijzigingsstatus.INGEDIEND)
            and can_propose_planwijziging(user, aanvraag),
            form=(form or PlanwijzigingForm(initial={"motivatie": wijziging.motivatie}))
            if bewerkbaar
            else None,
            beoordeling_form=(beoordeling_form or PlanwijzigingBeoordelingForm())
            if mag_beoordelen
            else None,
            fouten=fouten or [],
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def planwijziging_detail(request: HttpRequest, pk: int, nummer: int) -> HttpResponse:
    """One proposal and its diff. The regisseurs save its motivation (`bewaren`), submit it
    (`indienen`) or withdraw it (`intrekken`) here."""
    if request.method == "GET":
        return _detail(request, _wijziging_for_user(request, pk, nummer))
    wijziging = _bewerkbaar_for_user(request, pk, nummer)
    user = user_of(request)
    actie = request.POST.get("actie", "bewaren")
    if actie == "intrekken":
        try:
            wijzigingen.planwijziging_intrekken(wijziging=wijziging, by=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Het voorstel is ingetrokken; het plan blijft zoals het was.")
            )
        return redirect("planwijziging_detail", pk=pk, nummer=nummer)
    form = PlanwijzigingForm(request.POST)
    if not form.is_valid():
        return _detail(request, wijziging, status=400, form=form)
    indienen = actie == "indienen"
    try:
        wijzigingen.planwijziging_bewaren(
            wijziging=wijziging,
            by=user,
            motivatie=form.cleaned_data["motivatie"],
            indienen=indienen,
        )
    except ValidationError as exc:
        # Nothing is saved; the form keeps what was typed, above the list of what is missing.
        return _detail(request, wijziging, status=400, form=form, fouten=exc.messages)
    messages.success(
        request,
        _("Het voorstel is ingediend bij WSE.")
        if indienen
        else _("Bewaard als concept. Dien het voorstel in wanneer het klaar is."),
    )
    return redirect("planwijziging_detail", pk=pk, nummer=nummer)


def _actie_page(
    request: HttpRequest,
    wijziging: Planwijziging,
    form: WijzigingActieForm,
    *,
    titel: str,
    actie: Actie | None = None,
    onderdeel: Actiewijziging | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "uitvoering/planwijziging_actie.html",
        aanvraag_page_context(
            request,
            wijziging.aanvraag,
            "uitvoering",
            wijziging=wijziging,
            form=form,
            titel=titel,
            actie=actie,
            onderdeel=onderdeel,
        ),
        status=status,
    )


def _actie_form(
    request: HttpRequest, wijziging: Planwijziging, **kwargs: object
) -> WijzigingActieForm:
    return WijzigingActieForm(
        request.POST if request.method == "POST" else None,
        aanvraag=wijziging.aanvraag,
        jaren=wijzigingen.wijzigbare_jaren(wijziging.aanvraag, timezone.localdate()),
        **kwargs,
    )


def _gegevens(form: WijzigingActieForm) -> wijzigingen.Actiegegevens:
    d = form.cleaned_data
    return wijzigingen.Actiegegevens(
        prioriteit=d["prioriteit"],
        jaar=d["jaar"],
        titel=d["titel"],
        beschrijving=d["beschrijving"],
        doelgroep=d["doelgroep"],
        verwacht_resultaat=d["verwacht_resultaat"],
        indicator=d["indicator"],
        partners=d["partners"],
        budget=d["budget"],
    )


def _actie_bewaren(
    request: HttpRequest,
    wijziging: Planwijziging,
    form: WijzigingActieForm,
    *,
    titel: str,
    actie: Actie | None = None,
    onderdeel: Actiewijziging | None = None,
) -> HttpResponse:
    if form.is_valid():
        try:
            wijzigingen.actie_voorstellen(
                wijziging=wijziging,
                by=user_of(request),
                gegevens=_gegevens(form),
                actie_nummer=actie.pk if actie else None,
                onderdeel=onderdeel,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Opgenomen in het voorstel."))
            return redirect(
                "planwijziging_detail", pk=wijziging.aanvraag_id, nummer=wijziging.nummer
            )
    return _actie_page(
        request, wijziging, form, titel=titel, actie=actie, onderdeel=onderdeel, status=400
    )


@login_required
@require_http_methods(["GET", "POST"])
def planwijziging_actie_nieuw(request: HttpRequest, pk: int, nummer: int) -> HttpResponse:
    """A new action in the proposal."""
    wijziging = _bewerkbaar_for_user(request, pk, nummer)
    titel = _("Nieuwe actie voorstellen")
    initial = {k: request.GET[k] for k in ("jaar", "prioriteit") if k in request.GET}
    form = _actie_form(request, wijziging, initial=initial)
    if request.method == "GET":
        return _actie_page(request, wijziging, form, titel=titel)
    return _actie_bewaren(request, wijziging, form, titel=titel)


@login_required
@require_http_methods(["GET", "POST"])
def planwijziging_actie(request: HttpRequest, pk: int, nummer: int, actie_pk: int) -> HttpResponse:
    """New values for an action of the plan, or (`schrappen`) cancelling it."""
    wijziging = _bewerkbaar_for_user(request, pk, nummer)
    actie = get_object_or_404(
        Actie.objects.select_related("prioriteit"), pk=actie_pk, aanvraag=wijziging.aanvraag
    )
    titel = _("Actie wijzigen of schrappen")
    if request.method == "POST" and "schrappen" in request.POST:
        try:
            wijzigingen.actie_schrappen(
                wijziging=wijziging, by=user_of(request), actie_nummer=actie.pk
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De actie staat als geschrapt in het voorstel."))
        return redirect("planwijziging_detail", pk=pk, nummer=nummer)
    bestaand = (
        wijziging.acties.filter(actie_nummer=actie.pk)
        .exclude(soort=Actiewijzigingssoort.GESCHRAPT)
        .first()
    )
    bron: Actie | Actiewijziging = bestaand or actie
    form = _actie_form(
        request,
        wijziging,
        initial={
            "prioriteit": bron.prioriteit.pk,
            "jaar": bron.jaar,
            **{v: getattr(bron, v) for v in wijzigingen.VELDEN},
        },
    )
    if request.method == "GET":
        return _actie_page(request, wijziging, form, titel=titel, actie=actie)
    return _actie_bewaren(request, wijziging, form, titel=titel, actie=actie)


@login_required
@require_http_methods(["GET", "POST"])
def planwijziging_onderdeel(
    request: HttpRequest, pk: int, nummer: int, onderdeel_pk: int
) -> HttpResponse:
    """An action the proposal holds: edit it (a new one, or new values), or take it out of the
    proposal again (`verwijderen`)."""
    wijziging = _bewerkbaar_for_user(request, pk, nummer)
    onderdeel = get_object_or_404(
        Actiewijziging.objects.select_related("prioriteit"),
        pk=onderdeel_pk,
        planwijziging=wijziging,
    )
    if request.method == "POST" and "verwijderen" in request.POST:
        return _verwijder(request, wijziging, onderdeel)
    titel = _("Actie in het voorstel bewerken")
    form = _actie_form(
        request,
        wijziging,
        initial={
            "prioriteit": onderdeel.prioriteit.pk,
            "jaar": onderdeel.jaar,
            **{v: getattr(onderdeel, v) for v in wijzigingen.VELDEN},
        },
    )
    if request.method == "GET":
        return _actie_page(request, wijziging, form, titel=titel, onderdeel=onderdeel)
    return _actie_bewaren(request, wijziging, form, titel=titel, onderdeel=onderdeel)


def _verwijder(
    request: HttpRequest, wijziging: Planwijziging, onderdeel: Actiewijziging | Ledenwijziging
) -> HttpResponse:
    try:
        wijzigingen.onderdeel_verwijderen(
            wijziging=wijziging, by=user_of(request), onderdeel=onderdeel
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Uit het voorstel gehaald."))
    return redirect("planwijziging_detail", pk=wijziging.aanvraag_id, nummer=wijziging.nummer)


@login_required
@require_http_methods(["GET", "POST"])
def planwijziging_lid(request: HttpRequest, pk: int, nummer: int) -> HttpResponse:
    """A bestuur joining, or a member leaving, in the proposal."""
    wijziging = _bewerkbaar_for_user(request, pk, nummer)
    form = LedenwijzigingForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                wijzigingen.lid_voorstellen(
                    wijziging=wijziging,
                    by=user_of(request),
                    soort=Ledenwijzigingssoort(form.cleaned_data["soort"]),
                    bestuur=form.cleaned_data["lokaal_bestuur"],
                    datum=form.cleaned_data["datum"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, default_field="bestuur")
            else:
                messages.success(request, _("Opgenomen in het voorstel."))
                return redirect("planwijziging_detail", pk=pk, nummer=nummer)
    vandaag = timezone.localdate()
    return render(
        request,
        "uitvoering/planwijziging_lid.html",
        aanvraag_page_context(
            request,
            wijziging.aanvraag,
            "uitvoering",
            wijziging=wijziging,
            form=form,
            leden=wijzigingsselectors.leden_nu(wijziging.aanvraag, vandaag),
            besturen=LokaalBestuur.objects.filter(geldig_tot__isnull=True).order_by("naam"),
        ),
        status=status,
    )


@login_required
@require_POST
def planwijziging_lid_verwijder(
    request: HttpRequest, pk: int, nummer: int, lid_pk: int
) -> HttpResponse:
    wijziging = _bewerkbaar_for_user(request, pk, nummer)
    lid = get_object_or_404(Ledenwijziging, pk=lid_pk, planwijziging=wijziging)
    return _verwijder(request, wijziging, lid)


@login_required
@require_POST
def planwijziging_beoordelen(request: HttpRequest, pk: int, nummer: int) -> HttpResponse:
    """WSE approves the submitted proposal, or refuses it with the reason."""
    wijziging = _wijziging_for_user(request, pk, nummer)
    user = user_of(request)
    check_access(
        may_see=True,
        may_change=can_judge_planwijziging(user, wijziging.aanvraag),
        waarom=_(
            "Alleen WSE (beoordelaars en beheerders) beslist over een wijziging van het plan."
        ),
    )
    form = PlanwijzigingBeoordelingForm(request.POST)
    if form.is_valid():
        goedkeuren = form.cleaned_data["besluit"] == "goedkeuren"
        try:
            wijzigingen.planwijziging_beoordelen(
                wijziging=wijziging,
                by=user,
                goedkeuren=goedkeuren,
                reden=form.cleaned_data["reden"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("De wijziging is goedgekeurd en als nieuwe versie verzegeld.")
                if goedkeuren
                else _("De wijziging is geweigerd; de regisseurs krijgen de reden."),
            )
            return redirect("planwijziging_detail", pk=pk, nummer=nummer)
    if wijziging.status != Wijzigingsstatus.INGEDIEND:
        messages.error(request, _("Dit voorstel wacht niet op een beslissing van WSE."))
    return _detail(request, wijziging, status=400, beoordeling_form=form)
