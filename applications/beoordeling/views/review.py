"""WSE's pages: the review queue and the review of one aanvraag (the regisseurs' follow-up page
is in `follow_up.py`).

Views glue requests to selectors and services. WSE-beoordelaars and beheerders see these pages;
only beoordelaars act (the services say so). A form with errors comes back with its input on the
page it was sent from.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import re
from dataclasses import asdict
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.aanvragen import versietellers
from applications.aanvragen.deadline import effective_deadline, is_open_for_editing
from applications.aanvragen.forms import VerlengingForm
from applications.aanvragen.models import Aanvraag, Indiening
from applications.aanvragen.oproepleden import leden_van_oproep
from applications.aanvragen.pages import kijker
from applications.aanvragen.permissions import AFGESLOTEN, is_dossier_afgesloten
from applications.aanvragen.selectors import (
    begroting,
    meest_wachtende_oproep,
    oproepen_met_indieningen,
)
from applications.aanvragen.services import verlenging_add
from applications.aanvragen.statuses import CLOSED_STATUSES, AanvraagStatus
from applications.aanvragen.versietellers import met_oproepstand, met_referentieversie
from applications.aanvragen.versions import versie_verschil
from applications.accounts.models import User
from applications.accounts.permissions import require_wse, user_of
from applications.beoordeling.forms import (
    BeoordelingForm,
    BeslissingForm,
    NotitieForm,
    TakeForm,
    VoorstelBevestigenForm,
    VoorstelTerugsturenForm,
    VraagForm,
    WijzigingenForm,
    bedragen_uit,
)
from applications.beoordeling.models import (
    Beoordeling,
    BeoordelingConcept,
    Beslissingsvoorstel,
)
from applications.beoordeling.permissions import can_see_as_wse, can_see_verband_as_wse
from applications.beoordeling.selectors import (
    QUEUE_SORTS,
    Nieuw,
    QueueFilters,
    bezoek_van,
    bezoeken,
    dossier,
    gewijzigd_sinds_bekeken,
    mijn_open_dossiers,
    nieuw_op_reviewpagina,
    nieuw_sinds,
    review_queue,
    status_counts,
    timeline,
    toegekend_in_oproep,
)
from applications.beoordeling.services import (
    aanvraag_bekeken,
    aanvraag_decide,
    aanvraag_request_changes,
    aanvraag_take,
    beoordeling_concept_discard,
    beoordeling_concept_save,
    beoordeling_save,
    beslissing_controleren,
    beslissing_voorstellen,
    notitie_add,
    voorstel_bevestigen,
    voorstel_terugsturen,
    vraag_stellen,
)
from applications.besturen.constants import Provincie
from applications.besturen.models import LokaalBestuur
from applications.besturen.selectors import inwoners_per_bestuur
from applications.core.forms import add_service_errors
from applications.core.permissions import check_access
from applications.oproepen.models import Oproep
from applications.oproepen.subsidie import Indicatie, Lid, indicatie


def _get_wse_aanvraag(request: HttpRequest, pk: int) -> Aanvraag:
    """An aanvraag as WSE sees it, notes and reviews included. Someone who is also a regisseur
    of its own verband never gets this view of it (404): they see it as a regisseur."""
    user = require_wse(request)
    aanvraag = get_object_or_404(_wse_aanvragen(), pk=pk)
    check_access(may_see=can_see_as_wse(user, aanvraag))
    return aanvraag


def _wse_aanvragen() -> QuerySet[Aanvraag]:
    return Aanvraag.objects.select_related("regieverband__trekker", "oproep", "behandelaar")


# --- The queue ---------------------------------------------------------------------------------


def _one_of(value: str, pattern: str) -> str:
    """A query parameter if it has the expected form, else "" (no filter)."""
    return value if re.fullmatch(pattern, value) else ""


@login_required
@require_GET
def beoordeling_queue(request: HttpRequest) -> HttpResponse:
    """The queue, kept per state of all aanvragen (`versietellers.stand`), of the user's visits
    (what is new to them) and of the viewer, for each choice of call, filters and page."""
    user = require_wse(request)
    now = timezone.now()
    slug = _one_of(request.GET.get("oproep", ""), r"[-a-zA-Z0-9_]{1,100}")
    filters = QueueFilters(
        status=request.GET.get("status", "") if request.GET.get("status") in AanvraagStatus else "",
        behandelaar=_one_of(request.GET.get("behandelaar", ""), r"geen|[0-9]{1,12}"),
        provincie=request.GET.get("provincie", "")
        if request.GET.get("provincie") in Provincie
        else "",
        centrumstad=_one_of(request.GET.get("centrumstad", ""), r"ja|nee"),
        zoek=request.GET.get("zoek", "").replace("\x00", "")[:100],
        sort=_one_of(request.GET.get("sort", ""), "|".join(map(re.escape, QUEUE_SORTS)))
        or "ingediend",
        gewijzigd="ja" if request.GET.get("gewijzigd") == "ja" else "",
    )
    pagina = _one_of(request.GET.get("pagina", ""), r"[0-9]{1,9}") or "1"
    sleutel = "|".join(
        [
            "wachtrij",
            versietellers.stand(),
            bezoeken(user),
            kijker(request, now),
            repr((slug, asdict(filters), pagina)),
        ]
    )

    @functools.cache
    def inhoud() -> dict[str, Any]:
        return _queue_context(user, slug, filters, pagina, now=now)

    return render(
        request,
        "beoordeling/beoordeling_queue.html",
        {"pagina_sleutel": sleutel, "inhoud": inhoud},
    )


def _queue_context(
    user: User, slug: str, filters: QueueFilters, pagina: str, *, now: datetime.datetime
) -> dict[str, Any]:
    # The calls of the menu also give the default call, without a query more.
    keuzes = oproepen_met_indieningen()
    oproepen = [k.oproep for k in keuzes]
    oproep = next((o for o in oproepen if o.slug == slug), None) or meest_wachtende_oproep(keuzes)
    queue = review_queue(oproep, filters, now=now, user=user, pagina=pagina) if oproep else None
    counts = status_counts(oproep) if oproep else {}
    return {
        "oproepen": oproepen,
        "oproep": oproep,
        "filters": filters,
        "mijn_dossiers": mijn_open_dossiers(oproep, user) if oproep else 0,
        "gewijzigd": gewijzigd_sinds_bekeken(oproep, user) if oproep else 0,
        "rows": queue.rijen if queue else [],
        "pagina": queue.pagina if queue else None,
        # The filters of this page, for the links to the other pages.
        "query": urlencode(
            [("oproep", oproep.slug if oproep else "")]
            + [(k, v) for k, v in asdict(filters).items() if v and k != "sort"]
            + ([("sort", filters.sort)] if filters.sort != "ingediend" else [])
        ),
        "counts": [(AanvraagStatus(s), n) for s, n in counts.items()],
        "statussen": AanvraagStatus.choices,
        "provincies": Provincie.choices,
        "beoordelaars": TakeForm().fields["behandelaar"].queryset,  # type: ignore[attr-defined]
        "sorts": [
            ("ingediend", _("Ingediend (oudste eerst)")),
            ("-ingediend", _("Ingediend (nieuwste eerst)")),
            ("wachtend", _("Langst wachtend")),
            ("verband", _("Regieverband (A-Z)")),
            ("status", _("Status")),
        ],
    }


# --- The review of one aanvraag ------------------------------------------------------------------


# The review page holds several forms; each has a prefix so their fields' names and ids differ
# (two "tekst" fields would share a label target).
def _review_context(
    request: HttpRequest, aanvraag: Aanvraag, **bound: django_forms.Form
) -> dict[str, Any]:
    user = user_of(request)
    oproep = aanvraag.oproep
    # Each relation is read once, for the page's lists and for its timeline alike; the deadline
    # rule reads the extensions the dossier loaded, and the budget and the score table the same
    # priorities.
    prefetch_related_objects([oproep], "prioriteiten")
    bron = dossier(aanvraag, voor_wse=True)
    beoordelingen = bron.beoordelingen
    eigen = next((b for b in beoordelingen if b.beoordelaar_id == user.pk), None)
    # Reviews are independent: the lead and beheerders see all of them side by side, other
    # reviewers see their own; the second pair of eyes of a proposed decision sees them all too.
    voorstel = bron.open_voorstel
    ziet_alle = (
        aanvraag.behandelaar_id == user.pk
        or user.is_beheerder
        or (voorstel is not None and user.is_beoordelaar and voorstel.door_id != user.pk)
    )
    zichtbaar = beoordelingen if ziet_alle else [b for b in beoordelingen if b == eigen]
    indieningen = bron.indieningen
    now = timezone.now()
    afgesloten = is_dossier_afgesloten(aanvraag)
    # The members and overlaps of the whole call, kept per version of the reference data.
    stand = leden_van_oproep(oproep)
    leden = stand.leden(aanvraag.regieverband_id)
    kosten = begroting(aanvraag)
    gevraagd = dict(zip(kosten["jaren"], kosten["per_jaar"], strict=True))
    return {
        "aanvraag": aanvraag,
        "oproep": oproep,
        "leden": leden,
        "overlaps": stand.overlaps_van(aanvraag.regieverband),
        "begroting": kosten,
        "gevraagd": gevraagd,
        "indicatief": _indicatief(oproep, leden),
        "is_reviewer": user.is_beoordelaar,
        "is_lead": aanvraag.behandelaar_id == user.pk,
        "ziet_alle": ziet_alle,
        "beoordelingen": zichtbaar,
        "aantal_beoordelingen": len(beoordelingen),
        "eigen": eigen,
        "prioriteiten": list(oproep.prioriteiten.all()),
        "vragen": bron.vragen,
        "notities": bron.notities,
        "indieningen": indieningen,
        "versieparen": list(itertools.pairwise(indieningen)),
        "beslissing": bron.beslissing,
        "voorstel": bron.open_voorstel,
        "voorstel_rijen": [
            (jaar, bedrag, bron.open_voorstel.bedragen_per_jaar.get(jaar, Decimal(0)))
            for jaar, bedrag in gevraagd.items()
        ]
        if bron.open_voorstel
        else [],
        "open_vragen": [v for v in bron.vragen if not v.beantwoord_op],
        "mijn_concept": BeoordelingConcept.objects.filter(
            aanvraag=aanvraag, beoordelaar=user
        ).first(),
        "tijdlijn": timeline(aanvraag, voor_wse=True, bron=bron),
        "deadline": effective_deadline(aanvraag),
        "open": is_open_for_editing(aanvraag, now=now),
        "gesloten": aanvraag.status in CLOSED_STATUSES,
        "toegekend": toegekend_in_oproep(oproep, behalve=aanvraag),
        "take_form": bound.get("take_form")
        or TakeForm(
            prefix="behandelaar", initial={"behandelaar": aanvraag.behandelaar_id or user.pk}
        ),
        "vraag_form": bound.get("vraag_form") or VraagForm(prefix="vraag"),
        # A closed dossier keeps its notes, read-only.
        "dossier_afgesloten": afgesloten,
        "notitie_form": None
        if afgesloten
        else bound.get("notitie_form") or NotitieForm(prefix="notitie"),
        "wijzigingen_form": bound.get("wijzigingen_form") or WijzigingenForm(prefix="wijzigingen"),
        "verlenging_form": bound.get("verlenging_form") or VerlengingForm(prefix="uitstel"),
        "beslissing_form": bound.get("beslissing_form")
        or BeslissingForm(
            prefix="beslissing",
            oproep=oproep,
            gevraagd=gevraagd,
            initial=_voorstel(beoordelingen, aanvraag, gevraagd),
        ),
        "bevestigen": _samenvatting(bound.get("bevestigen_form"), gevraagd),
        "voorstel_bevestigen_form": VoorstelBevestigenForm(
            prefix="voorstel",
            initial={"voorstel": bron.open_voorstel.pk if bron.open_voorstel else None},
        ),
        "voorstel_terugsturen_form": bound.get("voorstel_terugsturen_form")
        or VoorstelTerugsturenForm(
            prefix="terug",
            initial={"voorstel": bron.open_voorstel.pk if bron.open_voorstel else None},
        ),
    }


def _samenvatting(form: django_forms.Form | None, gevraagd: dict[int, Decimal]) -> Any:
    """What the confirmation step shows: the outcome and, per year, asked against granted."""
    if form is None:
        return None
    data = form.cleaned_data
    goedgekeurd = data["uitkomst"] == AanvraagStatus.GOEDGEKEURD.value
    rijen = [
        (jaar, bedrag, (data.get(f"bedrag_{jaar}") or Decimal(0)) if goedgekeurd else Decimal(0))
        for jaar, bedrag in gevraagd.items()
    ]
    return {
        "uitkomst": AanvraagStatus(data["uitkomst"]).label,
        "goedgekeurd": goedgekeurd,
        "rijen": rijen,
        "gevraagd": sum(gevraagd.values(), Decimal(0)),
        "toegekend": sum((r[2] for r in rijen), Decimal(0)),
        "velden": [veld for veld in form if veld.name != "bevestigd"],
    }


def _indicatief(oproep: Oproep, leden: list[LokaalBestuur]) -> Indicatie | None:
    """The call's formula applied to this verband (a yearly amount, before any sharing of a
    short budget); None when the call's formula is unknown."""
    inwoners = inwoners_per_bestuur([b.pk for b in leden], jaar=oproep.eerste_jaar)
    return indicatie(
        oproep.subsidieformule,
        [Lid(b.naam, inwoners.get(b.pk), b.is_centrumstad) for b in leden],
        min_inwoners=oproep.min_inwoners,
    )


def _voorstel(
    beoordelingen: list[Beoordeling], aanvraag: Aanvraag, gevraagd: dict[int, Decimal]
) -> dict[str, Any]:
    """The decision form starts from the lead reviewer's proposed amounts, or else from what
    the aanvraag asks; the reviewer changes what WSE decides otherwise."""
    lead = next((b for b in beoordelingen if b.beoordelaar_id == aanvraag.behandelaar_id), None)
    bedragen = lead.bedragen_per_jaar if lead and lead.bedragen_per_jaar else gevraagd
    return {f"bedrag_{jaar}": bedrag for jaar, bedrag in bedragen.items()}


def _review_page(
    request: HttpRequest, aanvraag: Aanvraag, status: int = 200, **bound: django_forms.Form
) -> HttpResponse:
    return render(
        request,
        "beoordeling/beoordeling_detail.html",
        _review_context(request, aanvraag, **bound),
        status=status,
    )


@login_required
@require_GET
def beoordeling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The review page; it says what changed since this user's previous visit, then remembers
    this one.

    While it has nothing new to say, it is kept per version of the aanvraag (the review
    included), of its call (what was granted elsewhere), of the reference data and of the
    viewer: then nothing on it depends on when they last looked. A visit that finds nothing new
    is not written down: what is new next time is the same either way, and the queue, which
    follows the user's visits, stays kept too."""
    user = require_wse(request)
    # The versions, the user's previous visit and who may see it, in one small query; the
    # aanvraag itself is read only when the page is drawn.
    stand = (
        met_oproepstand(met_referentieversie(Aanvraag.objects.filter(pk=pk)))
        .annotate(bekeken_op=bezoek_van(user))
        .values("regieverband_id", "inhoudsversie", "referentieversie", "oproepstand", "bekeken_op")
        .first()
    )
    if stand is None:
        raise Http404
    check_access(may_see=can_see_verband_as_wse(user, stand["regieverband_id"]))
    # The visit counts from before the page reads anything: an answer that arrives while it
    # is being made is not on it, and must still be new next time.
    gelezen_op = timezone.now()
    bekeken_op = stand["bekeken_op"]
    # What is new follows from this version of the aanvraag and that visit alone (nothing, for
    # someone who never looked): asked once per version and visit, with the visit read above.
    nieuw = Nieuw(None, 0, 0, 0)
    if bekeken_op is not None:
        sleutel_nieuw = (
            f"beoordeling:nieuw:{pk}:{stand['inhoudsversie']}:{user.pk}:{bekeken_op.isoformat()}"
        )
        bewaard = cache.get(sleutel_nieuw)
        if isinstance(bewaard, Nieuw):
            nieuw = bewaard
        else:
            nieuw = nieuw_sinds(pk, bekeken_op)
            cache.set(sleutel_nieuw, nieuw)
    # With nothing new, nothing on the page depends on the visit: it is kept without it.
    sleutel = (
        None
        if nieuw.iets
        else "|".join(
            [
                "beoordelingspagina",
                str(pk),
                str(stand["inhoudsversie"]),
                str(stand["referentieversie"]),
                str(stand["oproepstand"]),
                kijker(request, gelezen_op),
            ]
        )
    )

    @functools.cache
    def aanvraag() -> Aanvraag:
        return get_object_or_404(_wse_aanvragen(), pk=pk)

    @functools.cache
    def inhoud() -> dict[str, Any]:
        context = _review_context(request, aanvraag())
        context["sinds_bezoek"] = nieuw_op_reviewpagina(
            nieuw, vragen=context["vragen"], indieningen=context["indieningen"]
        )
        return context

    response = render(
        request,
        "beoordeling/beoordeling_detail.html",
        {"pagina_sleutel": sleutel, "inhoud": inhoud},
    )
    if bekeken_op is None or nieuw.iets:
        aanvraag_bekeken(aanvraag=aanvraag(), by=user, now=gelezen_op)
    return response


def _act(
    request: HttpRequest,
    aanvraag: Aanvraag,
    form_name: str,
    form: django_forms.Form,
    action: Any,
    success: str,
) -> HttpResponse:
    """Run a service with a valid form; show its refusal at the form, keeping the input."""
    if form.is_valid():
        try:
            action(form)
        except ValidationError as exc:
            _weigering(request, form, exc)
        else:
            messages.success(request, success)
            return redirect("beoordeling_detail", pk=aanvraag.pk)
    return _review_page(request, aanvraag, status=400, **{form_name: form})


def _weigering(request: HttpRequest, form: django_forms.Form, exc: ValidationError) -> None:
    """A service's refusal: at the fields it names, or else at the top of the page."""
    if hasattr(exc, "error_dict"):
        # What names no field of this form (an amount refused where no amount is typed) is
        # said at the top of the page: the form may not show errors of its own.
        for veld, fouten in exc.message_dict.items():
            if veld not in form.fields:
                for fout in fouten:
                    messages.error(request, fout)
        add_service_errors(
            form,
            ValidationError({v: f for v, f in exc.message_dict.items() if v in form.fields}),
        )
    else:
        # A refusal of the whole action (wrong status, withdrawn...): said at the top of the
        # page, which shows the form only when the action is possible.
        for message in exc.messages:
            messages.error(request, message)


@login_required
@require_POST
def beoordeling_nemen(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = _get_wse_aanvraag(request, pk)
    form = TakeForm(request.POST, prefix="behandelaar")
    return _act(
        request,
        aanvraag,
        "take_form",
        form,
        lambda f: aanvraag_take(
            aanvraag=aanvraag, by=user_of(request), behandelaar=f.cleaned_data["behandelaar"]
        ),
        _("De dossierbehandelaar is aangepast."),
    )


@login_required
@require_POST
def beoordeling_vraag(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = _get_wse_aanvraag(request, pk)
    return _act(
        request,
        aanvraag,
        "vraag_form",
        VraagForm(request.POST, prefix="vraag"),
        lambda f: vraag_stellen(
            aanvraag=aanvraag, by=user_of(request), tekst=f.cleaned_data["tekst"]
        ),
        _("De vraag is gesteld; de regisseurs krijgen een e-mail."),
    )


@login_required
@require_POST
def beoordeling_notitie(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = _get_wse_aanvraag(request, pk)
    check_access(
        may_see=True, may_change=not is_dossier_afgesloten(aanvraag), waarom=str(AFGESLOTEN)
    )
    return _act(
        request,
        aanvraag,
        "notitie_form",
        NotitieForm(request.POST, prefix="notitie"),
        lambda f: notitie_add(
            aanvraag=aanvraag, by=user_of(request), tekst=f.cleaned_data["tekst"]
        ),
        _("De interne notitie is bewaard."),
    )


@login_required
@require_POST
def beoordeling_wijzigingen(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = _get_wse_aanvraag(request, pk)
    return _act(
        request,
        aanvraag,
        "wijzigingen_form",
        WijzigingenForm(request.POST, prefix="wijzigingen"),
        lambda f: aanvraag_request_changes(
            aanvraag=aanvraag,
            by=user_of(request),
            reden=f.cleaned_data["reden"],
            tot=f.cleaned_data["tot"],
        ),
        _("De aanvraag is teruggestuurd; de regisseurs krijgen een e-mail."),
    )


@login_required
@require_POST
def beoordeling_uitstel(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = _get_wse_aanvraag(request, pk)
    return _act(
        request,
        aanvraag,
        "verlenging_form",
        VerlengingForm(request.POST, prefix="uitstel"),
        lambda f: verlenging_add(
            aanvraag=aanvraag,
            by=user_of(request),
            tot=f.cleaned_data["tot"],
            reden=f.cleaned_data["reden"],
        ),
        _("Het uitstel is toegekend."),
    )


@login_required
@require_POST
def beoordeling_beslissing(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = _get_wse_aanvraag(request, pk)
    kosten = begroting(aanvraag)
    form = BeslissingForm(
        request.POST,
        prefix="beslissing",
        oproep=aanvraag.oproep,
        gevraagd=dict(zip(kosten["jaren"], kosten["per_jaar"], strict=True)),
    )
    if form.is_valid() and not form.cleaned_data["bevestigd"]:
        # Money: the figures are shown once more, beside what was asked, before they count;
        # what the decision would refuse (the call's budget...) is refused before that.
        try:
            beslissing_controleren(
                aanvraag=aanvraag,
                by=user_of(request),
                uitkomst=AanvraagStatus(form.cleaned_data["uitkomst"]),
                motivatie=form.motivatie_voor_brief(),
                bedragen=bedragen_uit(form, aanvraag.oproep),
            )
        except ValidationError as exc:
            _weigering(request, form, exc)
            return _review_page(request, aanvraag, status=400, beslissing_form=form)
        return _review_page(request, aanvraag, beslissing_form=form, bevestigen_form=form)
    # Under the call's vier-ogenprincipe the same figures become a proposal for a second reviewer.
    if aanvraag.oproep.vier_ogen:
        vastleggen: Any = beslissing_voorstellen
        gelukt = _(
            "Het voorstel is vastgelegd. Een tweede beoordelaar bevestigt het; pas dan is de "
            "beslissing definitief en krijgen de regisseurs ze."
        )
    else:
        vastleggen = aanvraag_decide
        gelukt = _(
            "De beslissing is vastgelegd. De regisseurs krijgen een e-mail en vinden de "
            "beslissingsbrief in het portaal."
        )
    return _act(
        request,
        aanvraag,
        "beslissing_form",
        form,
        lambda f: vastleggen(
            aanvraag=aanvraag,
            by=user_of(request),
            uitkomst=AanvraagStatus(f.cleaned_data["uitkomst"]),
            motivatie=f.motivatie_voor_brief(),
            bedragen=bedragen_uit(f, aanvraag.oproep),
        ),
        gelukt,
    )


def _genoemd_voorstel(aanvraag: Aanvraag, form: django_forms.Form) -> Beslissingsvoorstel:
    """The proposal the form names, of this aanvraag (the service checks it is still open)."""
    voorstel = aanvraag.beslissingsvoorstellen.filter(pk=form.cleaned_data["voorstel"]).first()
    if voorstel is None:
        raise ValidationError(_("Dit beslissingsvoorstel bestaat niet."), code="onbekend")
    return voorstel


@login_required
@require_POST
def beoordeling_voorstel_bevestigen(request: HttpRequest, pk: int) -> HttpResponse:
    """Vier-ogenprincipe: a second reviewer makes the proposed decision final."""
    aanvraag = _get_wse_aanvraag(request, pk)
    return _act(
        request,
        aanvraag,
        "voorstel_bevestigen_form",
        VoorstelBevestigenForm(request.POST, prefix="voorstel"),
        lambda f: voorstel_bevestigen(voorstel=_genoemd_voorstel(aanvraag, f), by=user_of(request)),
        _(
            "De beslissing is bevestigd en vastgelegd. De regisseurs krijgen een e-mail en "
            "vinden de beslissingsbrief in het portaal."
        ),
    )


@login_required
@require_POST
def beoordeling_voorstel_terugsturen(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = _get_wse_aanvraag(request, pk)
    return _act(
        request,
        aanvraag,
        "voorstel_terugsturen_form",
        VoorstelTerugsturenForm(request.POST, prefix="terug"),
        lambda f: voorstel_terugsturen(
            voorstel=_genoemd_voorstel(aanvraag, f),
            by=user_of(request),
            reden=f.cleaned_data["reden"],
        ),
        _("Het voorstel is teruggestuurd of ingetrokken; er kan een nieuw voorstel komen."),
    )


@login_required
def beoordeling_form(request: HttpRequest, pk: int) -> HttpResponse:
    """This reviewer's own review of the aanvraag, to write or revise: finished at once, or kept
    as a draft (for them only) and finished later."""
    aanvraag = _get_wse_aanvraag(request, pk)
    user = user_of(request)
    oproep = aanvraag.oproep
    prefetch_related_objects([oproep], "prioriteiten__ankers")
    eigen = (
        Beoordeling.objects.filter(aanvraag=aanvraag, beoordelaar=user)
        .prefetch_related("scores")
        .first()
    )
    concept = BeoordelingConcept.objects.filter(aanvraag=aanvraag, beoordelaar=user).first()
    actie = ""
    if request.method == "POST":
        gekozen = request.POST.get("actie", "")
        actie = gekozen if gekozen in ("concept", "weggooien") else "afronden"
    if actie == "weggooien":
        beoordeling_concept_discard(aanvraag=aanvraag, by=user)
        messages.success(request, _("Het concept is weggegooid."))
        return redirect("beoordeling_form", pk=aanvraag.pk)
    form = BeoordelingForm(
        request.POST if request.method == "POST" else None,
        oproep=oproep,
        initial=concept.gegevens if concept else _eigen_initial(eigen),
    )
    status = 200
    if actie == "concept":
        form.als_concept()
        if form.is_valid():
            try:
                beoordeling_concept_save(aanvraag=aanvraag, by=user, gegevens=form.ingevuld())
            except ValidationError as exc:
                _weigering(request, form, exc)
            else:
                messages.success(
                    request,
                    _("Uw concept is bewaard. Het telt pas mee wanneer u de beoordeling afrondt."),
                )
                return redirect("beoordeling_detail", pk=aanvraag.pk)
        status = 400
    elif actie == "afronden":
        if form.is_valid():
            try:
                beoordeling_save(
                    aanvraag=aanvraag,
                    by=user,
                    scores=form.scores(),
                    advies=form.cleaned_data["advies"],
                    motivatie=form.cleaned_data["motivatie"],
                    bedragen=bedragen_uit(form, oproep),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Uw beoordeling is bewaard."))
                return redirect("beoordeling_detail", pk=aanvraag.pk)
        status = 400
    return render(
        request,
        "beoordeling/beoordeling_form.html",
        {
            "aanvraag": aanvraag,
            "oproep": oproep,
            "form": form,
            "eigen": eigen,
            "concept": concept,
            "gesloten": aanvraag.status in CLOSED_STATUSES,
            "mag": user.is_beoordelaar,
        },
        status=status,
    )


def _eigen_initial(eigen: Beoordeling | None) -> dict[str, Any]:
    """The reviewer's finished review as the form's starting values."""
    if eigen is None:
        return {}
    initial: dict[str, Any] = {"advies": eigen.advies, "motivatie": eigen.motivatie}
    for score in eigen.scores.all():
        initial[f"score_{score.prioriteit_id}"] = score.score
        initial[f"motivatie_{score.prioriteit_id}"] = score.motivatie
    for jaar, bedrag in eigen.bedragen_per_jaar.items():
        initial[f"bedrag_{jaar}"] = bedrag
    return initial


@login_required
@require_GET
def beoordeling_versies(request: HttpRequest, pk: int, oud: int, nieuw: int) -> HttpResponse:
    """What the regisseurs changed between two submitted versions."""
    aanvraag = _get_wse_aanvraag(request, pk)
    try:
        a = aanvraag.indieningen.get(nummer=oud)
        b = aanvraag.indieningen.get(nummer=nieuw)
    except Indiening.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "beoordeling/beoordeling_versies.html",
        {"aanvraag": aanvraag, "verschil": versie_verschil(a, b)},
    )


# --- The regisseurs' follow-up -------------------------------------------------------------------
