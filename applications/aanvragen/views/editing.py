"""The tabs of one aanvraag that its regisseurs fill in: verband and contact, texts (with
autosave), the meerjarenplan and its actions, the budget, the attachments. Views glue requests to
selectors and services; they hold no business rules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.aanvragen import versietellers
from applications.aanvragen.completeness import Sectie
from applications.aanvragen.conflicts import Conflict, Keuze, keuze_of, merge_rows
from applications.aanvragen.forms import (
    ActieForm,
    BijlageForm,
    DupliceerForm,
    TekstenForm,
    VerbandContactForm,
)
from applications.aanvragen.models import Aanvraag, Actie, Bijlage
from applications.aanvragen.pages import (
    aanvraag_for_user,
    aanvraag_page_context,
    editable_aanvraag_for_user,
)
from applications.aanvragen.selectors import (
    begroting,
    leden_van_aanvraag,
    meerjarenplan,
)
from applications.aanvragen.services import (
    ACTIE_FIELDS,
    ConcurrentEditError,
    FieldChange,
    aanvraag_differences,
    aanvraag_update,
    actie_delete,
    actie_differences,
    actie_duplicate,
    actie_save,
    bijlage_add,
    bijlage_delete,
)
from applications.accounts.permissions import user_of
from applications.audit import services as audit
from applications.core.forms import VersieForm, add_service_errors, readonly


def _with_versie(request: HttpRequest, versie: int) -> QueryDict:
    """The user's own input, now based on the version the conflict screen shows: a save is then a
    deliberate overwrite of that version."""
    data = request.POST.copy()
    data["versie"] = str(versie)
    data.pop("keuze", None)
    return data


def _saved_message(keuze: Keuze | None) -> str:
    tijd = timezone.localtime().strftime("%H:%M")
    if keuze == Keuze.MIJN:
        return _("Opgeslagen om %(tijd)s: uw versie vervangt de vorige versie.") % {"tijd": tijd}
    return _("Opgeslagen om %(tijd)s.") % {"tijd": tijd}


def _took_theirs(request: HttpRequest) -> HttpResponse:
    """Hun versie overnemen: nothing saved, the page shows what is stored."""
    messages.info(
        request,
        _(
            "Niets opgeslagen: het formulier toont nu de opgeslagen versie. Uw invoer is niet "
            "bewaard."
        ),
    )
    return redirect(request.path)


def _compared(
    request: HttpRequest,
    differing: list[FieldChange],
    aanvraag: Aanvraag,
    versie: int,
    keuze: Keuze | None,
) -> Conflict | None:
    """The conflict screen for "Zelf samenvoegen" or "Verschillen opnieuw tonen", or, when the
    input equals what is stored, a message saying there is nothing to choose."""
    if not differing:
        messages.info(
            request, _("Uw invoer is gelijk aan de opgeslagen versie: er is niets te kiezen.")
        )
        return None
    return Conflict.of(
        differing,
        by=aanvraag.gewijzigd_door,
        at=aanvraag.gewijzigd_op,
        versie=versie,
        samenvoegen=keuze == Keuze.SAMENVOEGEN,
    )


def _text_section(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[VersieForm],
    active: str,
    template: str,
    extra: Callable[[Aanvraag], dict[str, object]] | None = None,
) -> HttpResponse:
    """A section whose form edits fields of the aanvraag itself (sections 1 and 2). On a GET the
    page is kept per version (`aanvraag_page_context(bewaar=True)`): the form and `extra` are made
    only when the page is drawn anew."""
    aanvraag = aanvraag_for_user(request, pk, bewaard=True)
    conflict: Conflict | None = None
    form: VersieForm | None = None
    fields = [name for name in form_class.base_fields if name != "versie"]
    if request.method == "POST":
        aanvraag = editable_aanvraag_for_user(request, pk)
        keuze = keuze_of(request)
        if keuze == Keuze.HUN:
            return _took_theirs(request)
        form = form_class(request.POST)
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in fields}
            if keuze in (Keuze.SAMENVOEGEN, Keuze.VERGELIJKEN):
                conflict = _compared(
                    request,
                    aanvraag_differences(aanvraag, changes),
                    aanvraag,
                    aanvraag.versie,
                    keuze,
                )
            else:
                try:
                    aanvraag_update(
                        aanvraag=aanvraag,
                        by=user_of(request),
                        versie=form.cleaned_data["versie"],
                        changes=changes,
                    )
                except ConcurrentEditError as exc:
                    conflict = Conflict.refused(exc)
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, _saved_message(keuze))
                    return redirect(request.path)
        else:
            messages.error(request, _("Niet opgeslagen: verbeter de aangeduide velden."))
    if conflict is not None:
        form = form_class(_with_versie(request, conflict.versie))
        conflict = conflict.labelled_as_in(form)
    context = aanvraag_page_context(
        request,
        aanvraag,
        active,
        bewaar=True,
        conflict=conflict,
        merge_rows=(
            merge_rows(form, conflict) if form and conflict and conflict.samenvoegen else None
        ),
    )
    editable = bool(context["editable"])

    def stored_form() -> VersieForm:
        initial = {name: getattr(aanvraag, name) for name in fields}
        return _shown(form_class(initial={**initial, "versie": aanvraag.versie}), editable)

    context["form"] = SimpleLazyObject(stored_form) if form is None else _shown(form, editable)
    if extra:
        context.update(extra(aanvraag))
    return render(request, template, context)


def _shown(form: VersieForm, editable: bool) -> VersieForm:
    if not editable:
        readonly(form)
    return form


def _verband_extra(aanvraag: Aanvraag) -> dict[str, object]:
    return {"leden": SimpleLazyObject(lambda: leden_van_aanvraag(aanvraag))}


@login_required
def aanvraag_verband(request: HttpRequest, pk: int) -> HttpResponse:
    return _text_section(
        request,
        pk,
        form_class=VerbandContactForm,
        active=Sectie.VERBAND,
        template="aanvragen/aanvraag_verband.html",
        extra=_verband_extra,
    )


@login_required
def aanvraag_teksten(request: HttpRequest, pk: int) -> HttpResponse:
    return _text_section(
        request,
        pk,
        form_class=TekstenForm,
        active=Sectie.TEKSTEN,
        template="aanvragen/aanvraag_teksten.html",
    )


AUTOSAVE_FIELDS = frozenset({"omgevingsanalyse", "visie"})


@login_required
@require_POST
def aanvraag_autosave(request: HttpRequest, pk: int) -> JsonResponse:
    """Saves one long text while the user types. Answers with the new version and the time."""
    aanvraag = editable_aanvraag_for_user(request, pk)
    name = request.POST.get("veld", "")
    if name not in AUTOSAVE_FIELDS:
        return JsonResponse({"ok": False, "message": _("Onbekend veld.")}, status=400)
    try:
        versie = int(request.POST.get("versie", ""))
    except ValueError:
        return JsonResponse({"ok": False, "message": _("Onbekende versie.")}, status=400)
    try:
        # Cleaned as the section's form cleans it (trimmed, no NUL), so both save the same text.
        waarde = TekstenForm.base_fields[name].clean(request.POST.get("waarde", ""))
    except ValidationError as exc:
        return JsonResponse({"ok": False, "message": " ".join(exc.messages)}, status=400)
    try:
        saved = aanvraag_update(
            aanvraag=aanvraag,
            by=user_of(request),
            versie=versie,
            changes={name: waarde},
        )
    except ConcurrentEditError as exc:
        who = str(exc.by) if exc.by else _("een collega")
        return JsonResponse(
            {
                "ok": False,
                "conflict": True,
                "message": _(
                    "Niet automatisch opgeslagen: %(wie)s heeft deze tekst intussen gewijzigd. "
                    "Klik op 'Opslaan als concept' om de verschillen te zien en te kiezen welke "
                    "versie u bewaart. Uw tekst blijft in het veld."
                )
                % {"wie": who},
            },
            status=409,
        )
    except ValidationError as exc:
        return JsonResponse({"ok": False, "message": " ".join(exc.messages)}, status=400)
    return JsonResponse(
        {"ok": True, "versie": saved.versie, "tijd": timezone.localtime().strftime("%H:%M")}
    )


@login_required
def aanvraag_meerjarenplan(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = aanvraag_for_user(request, pk, bewaard=True)
    voor, na = _actie_url_delen(aanvraag)
    return render(
        request,
        "aanvragen/aanvraag_meerjarenplan.html",
        aanvraag_page_context(
            request,
            aanvraag,
            Sectie.MEERJARENPLAN,
            bewaar=True,
            # Read only when the matrix is drawn: the drawn matrix is kept per version
            # (`plan_sleutel`), and a view that finds it kept reads no action.
            plan=SimpleLazyObject(lambda: meerjarenplan(aanvraag)),
            plan_sleutel=versietellers.sleutel(aanvraag),
            actie_url_voor=voor,
            actie_url_na=na,
        ),
    )


def _actie_url_delen(aanvraag: Aanvraag) -> tuple[str, str]:
    """The link of an action in two parts, before and after its id: the matrix links every
    action (60 and more), and one `reverse` per page instead of one per action saves about a
    millisecond of CPU on each view of it."""
    url = reverse("actie_wijzig", args=[aanvraag.pk, 0])
    voor, _nul, na = url.rpartition("/0/")
    return f"{voor}/", f"/{na}"


def _actie_data(form: ActieForm) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in ACTIE_FIELDS}


def _cel_anchor(aanvraag: Aanvraag, prioriteit_id: int, jaar: int) -> str:
    return f"{reverse('aanvraag_meerjarenplan', args=[aanvraag.pk])}#cel-{prioriteit_id}-{jaar}"


@login_required
def actie_form(request: HttpRequest, pk: int, actie_pk: int | None = None) -> HttpResponse:
    """Add an action (optionally in a given cell) or edit one."""
    aanvraag = aanvraag_for_user(request, pk)
    actie = None
    if actie_pk is not None:
        actie = get_object_or_404(
            Actie.objects.select_related("prioriteit"), pk=actie_pk, aanvraag=aanvraag
        )
    conflict: Conflict | None = None
    if request.method == "POST":
        aanvraag = editable_aanvraag_for_user(request, pk)
        # The choices of the conflict screen exist for an action that is stored already.
        keuze = keuze_of(request) if actie is not None else None
        if keuze == Keuze.HUN:
            return _took_theirs(request)
        form = ActieForm(request.POST, oproep=aanvraag.oproep)
        if form.is_valid():
            if actie is not None and keuze in (Keuze.SAMENVOEGEN, Keuze.VERGELIJKEN):
                conflict = _compared(
                    request,
                    actie_differences(actie, _actie_data(form)),
                    aanvraag,
                    actie.versie,
                    keuze,
                )
            else:
                try:
                    saved = actie_save(
                        aanvraag=aanvraag,
                        by=user_of(request),
                        data=_actie_data(form),
                        actie=actie,
                        versie=form.cleaned_data.get("versie"),
                    )
                except ConcurrentEditError as exc:
                    conflict = Conflict.refused(exc)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    message = (
                        _("Actie '%(titel)s' opgeslagen: uw versie vervangt de vorige versie.")
                        if keuze == Keuze.MIJN
                        else _("Actie '%(titel)s' opgeslagen.")
                    )
                    messages.success(request, message % {"titel": saved.titel})
                    return redirect(_cel_anchor(aanvraag, saved.prioriteit_id, saved.jaar))
        else:
            messages.error(request, _("Niet opgeslagen: verbeter de aangeduide velden."))
    elif actie is not None:
        form = ActieForm(
            initial={name: getattr(actie, name) for name in ACTIE_FIELDS}
            | {"versie": actie.versie},
            oproep=aanvraag.oproep,
        )
    else:
        form = ActieForm(
            initial={
                "prioriteit": request.GET.get("prioriteit"),
                "jaar": request.GET.get("jaar"),
            },
            oproep=aanvraag.oproep,
        )
    if conflict is not None:
        form = ActieForm(_with_versie(request, conflict.versie), oproep=aanvraag.oproep)
        conflict = conflict.labelled_as_in(form)
    context = aanvraag_page_context(
        request,
        aanvraag,
        Sectie.MEERJARENPLAN,
        form=form,
        actie=actie,
        conflict=conflict,
        merge_rows=merge_rows(form, conflict) if conflict and conflict.samenvoegen else None,
        dupliceer_form=DupliceerForm(oproep=aanvraag.oproep, exclude=actie.jaar) if actie else None,
    )
    if not context["editable"]:
        readonly(form)
    return render(request, "aanvragen/actie_form.html", context)


@login_required
@require_POST
def actie_dupliceer(request: HttpRequest, pk: int, actie_pk: int) -> HttpResponse:
    aanvraag = editable_aanvraag_for_user(request, pk)
    actie = get_object_or_404(
        Actie.objects.select_related("prioriteit", "aanvraag"), pk=actie_pk, aanvraag=aanvraag
    )
    form = DupliceerForm(request.POST, oproep=aanvraag.oproep, exclude=actie.jaar)
    if not form.is_valid():
        messages.error(request, _("Kies een ander jaar binnen de periode van de oproep."))
        return redirect("actie_wijzig", pk=pk, actie_pk=actie_pk)
    try:
        copy = actie_duplicate(actie=actie, jaar=form.cleaned_data["jaar"], by=user_of(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("actie_wijzig", pk=pk, actie_pk=actie_pk)
    messages.success(
        request,
        _("Actie '%(titel)s' gekopieerd naar %(jaar)s.") % {"titel": copy.titel, "jaar": copy.jaar},
    )
    return redirect(_cel_anchor(aanvraag, copy.prioriteit_id, copy.jaar))


@login_required
@require_POST
def actie_verwijder(request: HttpRequest, pk: int, actie_pk: int) -> HttpResponse:
    aanvraag = editable_aanvraag_for_user(request, pk)
    actie = get_object_or_404(
        Actie.objects.select_related("aanvraag"), pk=actie_pk, aanvraag=aanvraag
    )
    try:
        versie = int(request.POST.get("versie", ""))
    except ValueError:
        versie = 0
    try:
        actie_delete(actie=actie, by=user_of(request), versie=versie)
    except ConcurrentEditError:
        messages.error(
            request,
            _(
                "Niet verwijderd: een collega heeft deze actie intussen gewijzigd. "
                "Bekijk ze opnieuw."
            ),
        )
        return redirect("actie_wijzig", pk=pk, actie_pk=actie_pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("aanvraag_meerjarenplan", pk=pk)
    messages.success(request, _("Actie '%(titel)s' verwijderd.") % {"titel": actie.titel})
    return redirect(_cel_anchor(aanvraag, actie.prioriteit_id, actie.jaar))


@login_required
def aanvraag_begroting(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = aanvraag_for_user(request, pk, bewaard=True)
    return render(
        request,
        "aanvragen/aanvraag_begroting.html",
        aanvraag_page_context(
            request,
            aanvraag,
            Sectie.BEGROTING,
            bewaar=True,
            begroting=SimpleLazyObject(lambda: begroting(aanvraag)),
        ),
    )


@login_required
def aanvraag_bijlagen(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = aanvraag_for_user(request, pk)
    leden = leden_van_aanvraag(aanvraag)
    if request.method == "POST":
        aanvraag = editable_aanvraag_for_user(request, pk)
        form = BijlageForm(request.POST, request.FILES, oproep=aanvraag.oproep, leden=leden)
        if form.is_valid():
            try:
                bijlage = bijlage_add(
                    aanvraag=aanvraag,
                    by=user_of(request),
                    bijlagetype=form.cleaned_data["bijlagetype"],
                    bestuur=form.cleaned_data["bestuur"],
                    upload=form.cleaned_data["bestand"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc, default_field="bestand")
            else:
                messages.success(
                    request, _("Bijlage '%(naam)s' opgeladen.") % {"naam": bijlage.naam}
                )
                return redirect("aanvraag_bijlagen", pk=pk)
        messages.error(request, _("Niet opgeladen: verbeter de aangeduide velden."))
    else:
        form = BijlageForm(oproep=aanvraag.oproep, leden=leden)
    context = aanvraag_page_context(
        request,
        aanvraag,
        Sectie.BIJLAGEN,
        form=form,
        leden=leden,
        bijlagen=aanvraag.bijlagen.select_related("bijlagetype", "bestuur"),
        bijlagetypes=aanvraag.oproep.aanvraag_bijlagetypes(),
    )
    if not context["editable"]:
        readonly(form)
    return render(request, "aanvragen/aanvraag_bijlagen.html", context)


@login_required
@require_POST
def bijlage_verwijder(request: HttpRequest, pk: int, bijlage_pk: int) -> HttpResponse:
    aanvraag = editable_aanvraag_for_user(request, pk)
    bijlage = get_object_or_404(
        Bijlage.objects.select_related("aanvraag"), pk=bijlage_pk, aanvraag=aanvraag
    )
    try:
        bijlage_delete(bijlage=bijlage, by=user_of(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Bijlage '%(naam)s' verwijderd.") % {"naam": bijlage.naam})
    return redirect("aanvraag_bijlagen", pk=pk)


@login_required
def bijlage_download(request: HttpRequest, pk: int, bijlage_pk: int) -> FileResponse:
    aanvraag = aanvraag_for_user(request, pk)
    bijlage = get_object_or_404(
        Bijlage.objects.select_related("bijlagetype", "bestuur"), pk=bijlage_pk, aanvraag=aanvraag
    )
    response = FileResponse(
        bijlage.bestand.open("rb"),
        as_attachment=True,
        filename=bijlage.naam,
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    voor = f" voor {bijlage.bestuur.naam}" if bijlage.bestuur else ""
    audit.download(
        request,
        aanvraag,
        f"bijlage {bijlage.bijlagetype.code} {bijlage.naam}{voor}",
        bijlage=bijlage.pk,
        bijlagetype=bijlage.bijlagetype.code,
        bestuur=bijlage.bestuur.nis_code if bijlage.bestuur else None,
        bestandsnaam=bijlage.naam,
        sha256=bijlage.sha256,
    )
    return response
