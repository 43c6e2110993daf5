"""The regisseur's and WSE's start: the dashboard, the list of aanvragen and starting one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.aanvragen import services
from applications.aanvragen.models import Aanvraag
from applications.aanvragen.selectors import (
    aanvraag_list_for_user,
)
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.verzegeling import pdfs_in_de_maak
from applications.aanvragen.verzoeken import open_verzoeken
from applications.accounts.models import User
from applications.accounts.permissions import user_of
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.besturen.permissions import is_regisseur_of
from applications.besturen.selectors import regieverband_list_for_user
from applications.oproepen.models import Oproep
from applications.oproepen.selectors import open_oproepen, voorbije_oproepen


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    aanvragen = list(aanvraag_list_for_user(user=user).order_by("-oproep__eerste_jaar"))
    context: dict[str, object] = {
        "regieverbanden": regieverband_list_for_user(user=user),
        "aanvragen": aanvragen,
        # What WSE asks the regisseur (staff see it on each aanvraag and in the queue).
        "verzoeken": open_verzoeken(
            a for a in aanvragen if user.is_regisseur and is_regisseur_of(user, a.regieverband)
        ),
        "open_oproepen": open_oproepen(),
        "voorbije_oproepen": voorbije_oproepen(),
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
        # Operators watch the sealed PDFs still being made, and why an attempt failed.
        context["verzegeling"] = pdfs_in_de_maak()
    return render(request, "aanvragen/dashboard.html", context)


def _status_counts() -> list[dict[str, object]]:
    """Per call, the number of aanvragen in each status (one query)."""
    rows = Aanvraag.objects.values("oproep__naam", "oproep__slug", "status").annotate(n=Count("pk"))
    table: dict[str, dict[str, object]] = {}
    for row in rows:
        entry = table.setdefault(
            row["oproep__slug"], {"oproep": row["oproep__naam"], "per_status": {}}
        )
        entry["per_status"][AanvraagStatus(row["status"]).label] = row["n"]  # type: ignore[index]
    return list(table.values())


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
