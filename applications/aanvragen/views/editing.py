"""The regisseur's pages of an aanvraag, the dashboard, the PDF check and WSE's ZIP of a call's
PDFs. Views glue requests to selectors and services; they hold no business rules."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from applications.aanvragen import services, submission
from applications.aanvragen.completeness import Sectie
from applications.aanvragen.forms import (
    ActieForm,
    BijlageForm,
    DupliceerForm,
    TekstenForm,
    VerbandContactForm,
    VerifieerForm,
)
from applications.aanvragen.models import Aanvraag, Actie, Bijlage, Indiening
from applications.aanvragen.pages import (
    aanvraag_for_user,
    aanvraag_page_context,
    editable_aanvraag_for_user,
)
from applications.aanvragen.permissions import can_view_aanvraag
from applications.aanvragen.selectors import (
    aanvraag_list_for_user,
    begroting,
    indiening_by_sha256,
    leden_van_aanvraag,
    meerjarenplan,
)
from applications.aanvragen.services import (
    ACTIE_FIELDS,
    ConcurrentEditError,
    aanvraag_update,
    actie_delete,
    actie_duplicate,
    actie_save,
    bijlage_add,
    bijlage_delete,
)
from applications.aanvragen.statuses import EDITABLE_STATUSES, AanvraagStatus
from applications.aanvragen.submission import (
    aanvraag_submit,
    pdf_export,
    submitted_pdfs,
    versie_gegevens,
)
from applications.accounts.models import User
from applications.accounts.permissions import require_wse, user_of
from applications.audit import services as audit
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.besturen.selectors import regieverband_list_for_user
from applications.core.forms import VersieForm, add_service_errors, readonly
from applications.core.http import pdf_response
from applications.oproepen.models import Oproep
from applications.oproepen.selectors import open_oproepen


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    context: dict[str, object] = {
        "regieverbanden": regieverband_list_for_user(user=user),
        "aanvragen": aanvraag_list_for_user(user=user).order_by("-oproep__eerste_jaar"),
        "open_oproepen": open_oproepen(),
    }
    if user.is_beoordelaar or user.is_beheerder:
        context["oproepen"] = Oproep.objects.order_by("-eerste_jaar")
        context["status_counts"] = _status_counts()
    if user.is_beheerder:
        context["counts"] = {
            "besturen": LokaalBestuur.objects.filter(geldig_tot__isnull=True).count(),
            "centrumsteden": LokaalBestuur.objects.filter(
                is_centrumstad=True, geldig_tot__isnull=True
            ).count(),
            "regieverbanden": Regieverband.objects.count(),
            "oproepen": Oproep.objects.count(),
            "gebruikers": User.objects.filter(is_active=True).count(),
        }
    return render(request, "aanvragen/dashboard.html", context)


def _status_counts() -> list[dict[str, object]]:
    """Per call, the number of aanvragen in each status (one query)."""
    from django.db.models import Count

    rows = Aanvraag.objects.values("oproep__naam", "oproep__slug", "status").annotate(n=Count("pk"))
    table: dict[str, dict[str, object]] = {}
    for row in rows:
        entry = table.setdefault(
            row["oproep__slug"], {"oproep": row["oproep__naam"], "per_status": {}}
        )
        entry["per_status"][AanvraagStatus(row["status"]).label] = row["n"]  # type: ignore[index]
    return list(table.values())


def _with_versie(request: HttpRequest, versie: int) -> QueryDict:
    """The user's own input, now based on the newest version: a second save is deliberate."""
    data = request.POST.copy()
    data["versie"] = str(versie)
    return data


@login_required
def aanvraag_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    aanvragen = list(aanvraag_list_for_user(user=user).order_by("-oproep__eerste_jaar", "pk"))
    startable = []
    if user.is_regisseur:
        bestaand = {(a.regieverband_id, a.oproep_id) for a in aanvragen}
        oproepen = list(open_oproepen())
        verbanden = list(user.regieverbanden.order_by("naam")) if oproepen else []
        for oproep in oproepen:
            for verband in verbanden:
                if (verband.pk, oproep.pk) not in bestaand:
                    startable.append({"oproep": oproep, "verband": verband})
    return render(
        request,
        "aanvragen/aanvraag_list.html",
        {"aanvragen": aanvragen, "startable": startable},
    )


def _posted_id(request: HttpRequest, name: str) -> int:
    """An id posted by a form, or 0 (which matches nothing) when it is not a whole number."""
    value = request.POST.get(name, "")
    return int(value) if value.isascii() and value.isdecimal() else 0


@login_required
@require_POST
def aanvraag_start(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    verband = user.regieverbanden.filter(pk=_posted_id(request, "regieverband")).first()
    oproep = Oproep.objects.filter(pk=_posted_id(request, "oproep")).first()
    if verband is None or oproep is None:
        raise Http404
    try:
        aanvraag, created = services.aanvraag_start(regieverband=verband, oproep=oproep, by=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("aanvraag_list")
    if created:
        messages.success(
            request,
            _("De aanvraag van %(verband)s voor %(oproep)s is gestart.")
            % {"verband": verband.naam, "oproep": oproep.naam},
        )
    else:
        messages.info(
            request,
            _("%(verband)s heeft al een aanvraag voor deze oproep; u werkt verder in die aanvraag.")
            % {"verband": verband.naam},
        )
    return redirect("aanvraag_verband", pk=aanvraag.pk)


def _text_section(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[VersieForm],
    active: str,
    template: str,
    extra: Callable[[Aanvraag], dict[str, object]] | None = None,
) -> HttpResponse:
    """A section whose form edits fields of the aanvraag itself (sections 1 and 2)."""
    aanvraag = aanvraag_for_user(request, pk)
    conflict: ConcurrentEditError | None = None
    fields = [name for name in form_class.base_fields if name != "versie"]
    if request.method == "POST":
        aanvraag = editable_aanvraag_for_user(request, pk)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                aanvraag_update(
                    aanvraag=aanvraag,
                    by=user_of(request),
                    versie=form.cleaned_data["versie"],
                    changes={name: form.cleaned_data[name] for name in fields},
                )
            except ConcurrentEditError as exc:
                conflict = exc
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request,
                    _("Opgeslagen om %(tijd)s.") % {"tijd": timezone.localtime().strftime("%H:%M")},
                )
                return redirect(request.path)
        else:
            messages.error(request, _("Niet opgeslagen: verbeter de aangeduide velden."))
    else:
        initial = {name: getattr(aanvraag, name) for name in fields}
        form = form_class(initial={**initial, "versie": aanvraag.versie})
    context = aanvraag_page_context(request, aanvraag, active, form=form, conflict=conflict)
    if not context["editable"]:
        readonly(form)
    if conflict is not None:
        # Show the user's own input, based on the newest version, so a second save is deliberate.
        form.data = _with_versie(request, Aanvraag.objects.get(pk=aanvraag.pk).versie)
    if extra:
        context.update(extra(aanvraag))
    return render(request, template, context)


def _verband_extra(aanvraag: Aanvraag) -> dict[str, object]:
    return {"leden": leden_van_aanvraag(aanvraag)}


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
                    "Kopieer uw tekst en herlaad de pagina om de nieuwste versie te zien."
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
    aanvraag = aanvraag_for_user(request, pk)
    # The plan and the checklist read the same priorities: once.
    prefetch_related_objects([aanvraag.oproep], "prioriteiten")
    plan = meerjarenplan(aanvraag)
    return render(
        request,
        "aanvragen/aanvraag_meerjarenplan.html",
        aanvraag_page_context(request, aanvraag, Sectie.MEERJARENPLAN, plan=plan),
    )


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
    conflict: ConcurrentEditError | None = None
    if request.method == "POST":
        aanvraag = editable_aanvraag_for_user(request, pk)
        form = ActieForm(request.POST, oproep=aanvraag.oproep)
        if form.is_valid():
            try:
                saved = actie_save(
                    aanvraag=aanvraag,
                    by=user_of(request),
                    data=_actie_data(form),
                    actie=actie,
                    versie=form.cleaned_data.get("versie"),
                )
            except ConcurrentEditError as exc:
                conflict = exc
                if actie is not None:
                    actie.refresh_from_db()
                    form.data = _with_versie(request, actie.versie)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Actie '%(titel)s' opgeslagen.") % {"titel": saved.titel},
                )
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
    context = aanvraag_page_context(
        request,
        aanvraag,
        Sectie.MEERJARENPLAN,
        form=form,
        actie=actie,
        conflict=conflict,
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
    aanvraag = aanvraag_for_user(request, pk)
    return render(
        request,
        "aanvragen/aanvraag_begroting.html",
        aanvraag_page_context(request, aanvraag, Sectie.BEGROTING, begroting=begroting(aanvraag)),
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
        bijlagetypes=aanvraag.oproep.bijlagetypes.all(),
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


@login_required
def aanvraag_overzicht(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = aanvraag_for_user(request, pk)
    return render(
        request,
        "aanvragen/aanvraag_overzicht.html",
        aanvraag_page_context(
            request,
            aanvraag,
            "overzicht",
            leden=leden_van_aanvraag(aanvraag),
            plan=meerjarenplan(aanvraag),
            begroting=begroting(aanvraag),
            bijlagen=aanvraag.bijlagen.select_related("bijlagetype", "bestuur"),
            indieningen=aanvraag.indieningen.select_related("ingediend_door"),
        ),
    )


@login_required
@require_POST
def aanvraag_indienen(request: HttpRequest, pk: int) -> HttpResponse:
    aanvraag = editable_aanvraag_for_user(request, pk)
    try:
        submitted = aanvraag_submit(aanvraag=aanvraag, by=user_of(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("aanvraag_overzicht", pk=pk)
    local = timezone.localtime(submitted.ingediend_op)
    messages.success(
        request,
        _(
            "Uw aanvraag is ingediend op %(datum)s om %(tijd)s (Brusselse tijd). De regisseurs "
            "van %(verband)s krijgen een bevestiging per e-mail."
        )
        % {
            "datum": date_format(local, "j F Y"),
            "tijd": local.strftime("%H:%M:%S"),
            "verband": submitted.regieverband.naam,
        },
    )
    return redirect("aanvraag_overzicht", pk=pk)


@login_required
@require_GET
def aanvraag_pdf(request: HttpRequest, pk: int, nummer: int | None = None) -> HttpResponse:
    """The aanvraag as PDF: the sealed bytes of a submitted version, or a marked draft."""
    aanvraag = aanvraag_for_user(request, pk)
    try:
        bestand = submission.aanvraag_pdf(aanvraag, nummer=nummer)
    except Indiening.DoesNotExist:
        raise Http404 from None
    indiening = bestand.indiening
    if indiening is not None:
        audit.download(
            request,
            aanvraag,
            f"PDF versie {indiening.nummer}",
            bestandsnaam=bestand.naam,
            **versie_gegevens(indiening),
        )
    else:
        soort = "concept" if aanvraag.status in EDITABLE_STATUSES else "onverzegeld"
        audit.download(request, aanvraag, f"PDF {soort}", bestandsnaam=bestand.naam)
    return pdf_response(bestand.inhoud, bestand.naam, indiening.pdf_sha256 if indiening else None)


@login_required
def pdf_verifieer(request: HttpRequest) -> HttpResponse:
    """Anyone logged in checks whether a PDF (or its SHA-256) is a submitted version, and which.

    Holding the file already shows its content, so the answer names the aanvraag; a download
    link appears only for users who may see that aanvraag.
    """
    if request.method == "POST":
        form = VerifieerForm(request.POST, request.FILES)
    else:
        form = VerifieerForm()
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        sha256 = form.sha256_value()
        indiening = indiening_by_sha256(sha256)
        context.update(sha256=sha256, indiening=indiening, gecontroleerd=True)
        if indiening is not None:
            aanvraag = indiening.aanvraag
            mag = can_view_aanvraag(request.user, aanvraag)
            # Whether a newer version exists is news beyond the file: only for who may see it.
            if mag:
                context["laatste"] = aanvraag.indieningen.order_by("-nummer").first()
            context["mag_downloaden"] = mag
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "aanvragen/pdf_verifieer.html", context, status=status)


@login_required
@require_GET
def oproep_pdfs_zip(request: HttpRequest, slug: str) -> FileResponse:
    """WSE downloads the latest sealed PDF of every submitted aanvraag of a call as one ZIP."""
    require_wse(request)
    oproep = get_object_or_404(Oproep, slug=slug)
    indieningen = submitted_pdfs(oproep)
    zipnaam = f"aanvragen-{oproep.slug}.zip"
    # A call has a few dozen PDFs of a few hundred kB: the archive fits in memory.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, content in pdf_export(oproep, indieningen=indieningen):
            zf.writestr(name, content)
    archive.seek(0)
    audit.downloads(
        request,
        (
            (
                indiening.aanvraag,
                f"PDF versie {indiening.nummer} (in {zipnaam})",
                {"oproep": oproep.slug, **versie_gegevens(indiening)},
            )
            for indiening in indieningen
        ),
    )
    return FileResponse(
        archive, as_attachment=True, filename=zipnaam, content_type="application/zip"
    )
