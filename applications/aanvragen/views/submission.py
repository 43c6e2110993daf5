"""An aanvraag's overview and submission, its PDFs (drafts and sealed versions), the check of a
PDF someone holds, and WSE's ZIP of a call's PDFs."""

from __future__ import annotations

import io
import zipfile
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from applications.aanvragen import submission
from applications.aanvragen.completeness import Completeness
from applications.aanvragen.concept_pdf import PdfBezet
from applications.aanvragen.forms import IndienenForm, VerifieerForm
from applications.aanvragen.models import Aanvraag, Indiening
from applications.aanvragen.pages import (
    aanvraag_for_user,
    aanvraag_page_context,
)
from applications.aanvragen.permissions import can_view_aanvraag
from applications.aanvragen.selectors import (
    begroting,
    indiening_by_sha256,
    leden_van_aanvraag,
    meerjarenplan,
)
from applications.aanvragen.statuses import EDITABLE_STATUSES, AanvraagStatus
from applications.aanvragen.submission import (
    PdfVerwijderd,
    PdfWordtVerzegeld,
    aanvraag_submit,
    mandaat_zin,
    pdf_export,
    pdf_klaar,
    submitted_pdfs,
    versie_gegevens,
)
from applications.accounts.permissions import require_wse, user_of
from applications.audit import services as audit
from applications.besturen.permissions import is_regisseur_of
from applications.core.http import pdf_response
from applications.core.permissions import check_access
from applications.oproepen.models import Oproep


@login_required
def aanvraag_overzicht(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything that will be (or was) sent, kept per version like the tabs before it: what it
    shows is read only when the page is drawn anew."""
    aanvraag = aanvraag_for_user(request, pk, bewaard=True)
    return render(
        request,
        "aanvragen/aanvraag_overzicht.html",
        aanvraag_page_context(
            request,
            aanvraag,
            "overzicht",
            bewaar=True,
            leden=SimpleLazyObject(lambda: leden_van_aanvraag(aanvraag)),
            plan=SimpleLazyObject(lambda: meerjarenplan(aanvraag)),
            begroting=SimpleLazyObject(lambda: begroting(aanvraag)),
            bijlagen=aanvraag.bijlagen.select_related("bijlagetype", "bestuur"),
            # The list of versions, without each one's snapshot (large JSON, parsed on read).
            indieningen=aanvraag.indieningen.select_related("ingediend_door").defer("inhoud"),
        ),
    )


@login_required
@require_GET
def aanvraag_pdf_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The sealed versions of an aanvraag and the state of their PDFs ("wordt verzegeld" or the
    download link), as a fragment of the overview: what its script asks while a PDF is being
    made. Whoever may see the aanvraag may ask (404 otherwise)."""
    aanvraag = aanvraag_for_user(request, pk)
    antwoord = render(
        request,
        "aanvragen/partials/_indieningen.html",
        {
            "aanvraag": aanvraag,
            "indieningen": aanvraag.indieningen.select_related("ingediend_door"),
        },
    )
    antwoord["Cache-Control"] = "no-store"
    return antwoord


@login_required
@require_http_methods(["GET", "POST"])
def aanvraag_indienen(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation step, then the submission. The page shows what will be sent (members,
    totals per year and priority, attachments), says it cannot be changed afterwards and asks
    the regisseur to confirm the mandate of the trekker's board; that sentence is kept with the
    sealed version and printed in its PDF. A second click (or a second tab) that arrives after the
    first submission, or while it is under way, gets the overview with "al ingediend", never an
    error page."""
    aanvraag = aanvraag_for_user(request, pk)
    check_access(
        may_see=True,
        may_change=is_regisseur_of(request.user, aanvraag.regieverband),
        waarom=_("Alleen de regisseurs van %(verband)s dienen deze aanvraag in.")
        % {"verband": aanvraag.regieverband.naam},
    )
    if aanvraag.status not in EDITABLE_STATUSES:
        return _al_ingediend(request, aanvraag)
    zin = mandaat_zin(aanvraag, user_of(request))
    form = IndienenForm(request.POST if request.method == "POST" else None, zin=zin)
    if request.method == "POST" and form.is_valid():
        return _dien_in(request, aanvraag, zin)
    context = aanvraag_page_context(
        request,
        aanvraag,
        "overzicht",
        form=form,
        leden=leden_van_aanvraag(aanvraag),
        begroting=begroting(aanvraag),
        aantal_acties=aanvraag.acties.count(),
        bijlagen=aanvraag.bijlagen.select_related("bijlagetype", "bestuur"),
    )
    if not cast(Completeness, context["completeness"]).is_complete or not context["editable"]:
        # Nothing to confirm: the overview says what is missing, or why it is closed.
        return redirect("aanvraag_overzicht", pk=pk)
    return render(request, "aanvragen/aanvraag_indienen.html", context)


def _dien_in(request: HttpRequest, aanvraag: Aanvraag, zin: str) -> HttpResponse:
    pk = aanvraag.pk
    try:
        submitted = aanvraag_submit(aanvraag=aanvraag, by=user_of(request), mandaat=zin)
    except ValidationError as exc:
        if getattr(exc, "code", None) == "not_editable":
            aanvraag.refresh_from_db()
            return _al_ingediend(request, aanvraag)
        for message in exc.messages:
            messages.error(request, message)
        return redirect("aanvraag_overzicht", pk=pk)
    local = timezone.localtime(submitted.ingediend_op)
    messages.success(
        request,
        _(
            "Uw aanvraag is ingediend op %(datum)s om %(tijd)s (Brusselse tijd). De regisseurs "
            "van %(verband)s krijgen een bevestiging per e-mail. Alles wat u indiende, ligt vast; "
            "de verzegelde PDF wordt daaruit gemaakt en verschijnt hieronder zodra hij klaar is."
        )
        % {
            "datum": date_format(local, "j F Y"),
            "tijd": local.strftime("%H:%M:%S"),
            "verband": submitted.regieverband.naam,
        },
    )
    return redirect("aanvraag_overzicht", pk=pk)


def _al_ingediend(request: HttpRequest, aanvraag: Aanvraag) -> HttpResponse:
    if aanvraag.ingediend_op is not None:
        local = timezone.localtime(aanvraag.ingediend_op)
        tekst = _(
            "Deze aanvraag is al ingediend op %(datum)s om %(tijd)s (Brusselse tijd); er is niets "
            "opnieuw verstuurd."
        ) % {"datum": date_format(local, "j F Y"), "tijd": local.strftime("%H:%M:%S")}
    else:
        tekst = _("Deze aanvraag is al %(status)s; er is niets opnieuw verstuurd.") % {
            "status": AanvraagStatus(aanvraag.status).label.lower()
        }
    messages.info(request, tekst)
    return redirect("aanvraag_overzicht", pk=aanvraag.pk)


# How long the "wordt aangemaakt" page waits before it asks for the PDF again.
WACHT_SECONDEN = 5


@login_required
@require_GET
def aanvraag_pdf(request: HttpRequest, pk: int, nummer: int | None = None) -> HttpResponse:
    """The aanvraag as PDF: the sealed bytes of a submitted version, or a marked draft."""
    aanvraag = aanvraag_for_user(request, pk)
    try:
        bestand = submission.aanvraag_pdf(aanvraag, nummer=nummer, gebruiker_id=request.user.pk)
    except Indiening.DoesNotExist:
        raise Http404 from None
    except PdfWordtVerzegeld as wacht:
        # Not an error: the submission is sealed, its PDF follows. 202 (accepted, not done yet)
        # and the page asks again by itself.
        antwoord = render(
            request,
            "aanvragen/pdf_wordt_verzegeld.html",
            {"aanvraag": aanvraag, "indiening": wacht.indiening, "seconden": WACHT_SECONDEN},
            status=202,
        )
        antwoord["Retry-After"] = str(WACHT_SECONDEN)
        antwoord["Refresh"] = str(WACHT_SECONDEN)
        antwoord["Cache-Control"] = "no-store"
        return antwoord
    except PdfVerwijderd as weg:
        # Gone for good, and said so: the archive period of the closed dossier ended.
        return render(
            request,
            "aanvragen/pdf_verwijderd.html",
            {
                "aanvraag": aanvraag,
                "naam": _("De PDF van versie %(nummer)s") % {"nummer": weg.indiening.nummer},
                "sha256": weg.indiening.pdf_sha256,
                "verwijderd_op": weg.indiening.pdf_verwijderd_op,
            },
            status=410,
        )
    except PdfBezet:
        antwoord = render(
            request,
            "aanvragen/pdf_wordt_aangemaakt.html",
            {"aanvraag": aanvraag, "seconden": WACHT_SECONDEN},
            status=503,
        )
        antwoord["Retry-After"] = str(WACHT_SECONDEN)
        antwoord["Refresh"] = str(WACHT_SECONDEN)
        return antwoord
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

    The SHA-256 of a version's snapshot (shown while its PDF is made, and printed in it) is
    recognised too, also before the PDF exists: the answer then says the PDF is still being made.
    Holding the file or the hash already shows its content, so the answer names the aanvraag; a
    download link appears only for users who may see that aanvraag.
    """
    if request.method == "POST":
        form = VerifieerForm(request.POST, request.FILES)
    else:
        form = VerifieerForm()
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        sha256 = form.sha256_value()
        indiening = indiening_by_sha256(sha256)
        context.update(
            sha256=sha256,
            indiening=indiening,
            gecontroleerd=True,
            van_gegevens=indiening is not None and indiening.inhoud_sha256 == sha256,
        )
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
    """WSE downloads the latest sealed PDF of every submitted aanvraag of a call as one ZIP.

    It does not wait for PDFs still being made: those versions are named in the ZIP's
    `NOG-TE-VERZEGELEN.txt` and in `overzicht.csv` (see `pdf_export`), and only the PDFs it holds
    are logged as downloaded."""
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
            for indiening in pdf_klaar(indieningen)
        ),
    )
    return FileResponse(
        archive, as_attachment=True, filename=zipnaam, content_type="application/zip"
    )
