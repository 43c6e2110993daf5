"""The beheerders' pages for accounts (invite, list, re-send, deactivate) and the invitation link.

Views glue requests to the services in `services.py`. The beheer pages are for beheerders only:
anyone else who is logged in gets a 404, as on WSE's pages. The invitation link is open to
anyone who holds it; the link is the proof.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from applications.accounts.models import User
from applications.accounts.permissions import require_beheerder
from applications.accounts.services import gebruiker_deactiveren, gebruiker_heractiveren
from applications.audit import services as audit
from applications.beheer import services
from applications.beheer.forms import UitnodigingForm
from applications.beheer.selectors import gebruikers_overzicht
from applications.beheer.services import (
    ONBEKEND,
    UitnodigingOngeldig,
    gebruiker_uitnodigen,
    geldig_tot_tekst,
    uitnodiging_opnieuw_versturen,
    uitnodiging_voor_token,
)
from applications.besturen.models import Regieverband
from applications.core.forms import add_service_errors


def _show_verband_error_without_choices(form: UitnodigingForm) -> None:
    """Crispy shows a checkbox list's error after its last box; with no verband at all there is
    no box, so the refusal goes to the top of the form instead."""
    if "regieverbanden" in form.errors and not Regieverband.objects.exists():
        form.add_error(None, form.errors["regieverbanden"])
        form.add_error(None, _("Er is nog geen regieverband: maak het eerst aan in het beheer."))


@login_required
def beheer_uitnodigen(request: HttpRequest) -> HttpResponse:
    """Invite a person: the account, its role and verbanden, and an e-mail with the link."""
    beheerder = require_beheerder(request)
    form = UitnodigingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resultaat = gebruiker_uitnodigen(
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                rol=data["rol"],
                regieverbanden=data["regieverbanden"],
                by=beheerder,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            _show_verband_error_without_choices(form)
        else:
            uitnodiging = resultaat.uitnodiging
            tekst = _(
                "Uitnodiging voor %(email)s in de wachtrij gezet; de link werkt tot %(tot)s. "
                "Of de e-mail vertrokken is, ziet u in de lijst van gebruikers."
            ) % {
                "email": uitnodiging.gebruiker.email,
                "tot": geldig_tot_tekst(uitnodiging),
            }
            if not resultaat.nieuw_account:
                tekst += " " + _("De vorige uitnodiging aan dit adres werkt niet meer.")
            messages.success(request, tekst)
            return redirect("beheer_gebruikers")
    return render(
        request,
        "beheer/uitnodigen.html",
        {"form": form, "dagen": settings.REGIEROL_UITNODIGING_DAGEN},
    )


@login_required
@require_GET
def beheer_gebruikers(request: HttpRequest) -> HttpResponse:
    """Every account with its roles, verbanden, activity and invitation."""
    beheerder = require_beheerder(request)
    return render(
        request,
        "beheer/gebruikers.html",
        {"rijen": gebruikers_overzicht(), "beheerder": beheerder},
    )


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one account action for a beheerder and go back to the list with its outcome."""
    beheerder = require_beheerder(request)
    gebruiker = get_object_or_404(User, pk=pk)
    audit.betreft(request, gebruiker)
    try:
        if action == "uitnodigen":
            uitnodiging = uitnodiging_opnieuw_versturen(gebruiker=gebruiker, by=beheerder)
            tekst = _(
                "Nieuwe uitnodiging voor %(email)s in de wachtrij gezet; de link werkt tot "
                "%(tot)s. Of de e-mail vertrokken is, ziet u hieronder."
            ) % {
                "email": gebruiker.email,
                "tot": geldig_tot_tekst(uitnodiging),
            }
        elif action == "deactiveren":
            gebruiker_deactiveren(gebruiker=gebruiker, by=beheerder)
            tekst = _("%(email)s is gedeactiveerd en kan niet meer aanmelden.") % {
                "email": gebruiker.email
            }
        else:
            gebruiker_heractiveren(gebruiker=gebruiker, by=beheerder)
            tekst = _("%(email)s is opnieuw actief.") % {"email": gebruiker.email}
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, tekst)
    return redirect("beheer_gebruikers")


@login_required
@require_POST
def beheer_uitnodiging_opnieuw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "uitnodigen")


@login_required
@require_POST
def beheer_gebruiker_deactiveren(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "deactiveren")


@login_required
@require_POST
def beheer_gebruiker_heractiveren(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "heractiveren")


def _ongeldig(request: HttpRequest, exc: UitnodigingOngeldig) -> HttpResponse:
    """A link that cannot be used: 404 when unknown, 410 (gone) otherwise; nothing is saved."""
    status = 404 if exc.code == ONBEKEND else 410
    return render(
        request, "registration/uitnodiging_ongeldig.html", {"reden": exc.message}, status=status
    )


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def uitnodiging_aanvaarden(request: HttpRequest, token: str) -> HttpResponse:
    """Choose a password through an invitation link; then the person is logged in."""
    try:
        uitnodiging = uitnodiging_voor_token(token=token)
    except UitnodigingOngeldig as exc:
        return _ongeldig(request, exc)
    gebruiker = uitnodiging.gebruiker
    form = SetPasswordForm(gebruiker, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            gebruiker = services.uitnodiging_aanvaarden(
                token=token, password=form.cleaned_data["new_password1"]
            )
        except UitnodigingOngeldig as exc:
            return _ongeldig(request, exc)
        except ValidationError as exc:
            add_service_errors(form, exc, "new_password2")
        else:
            login(request, gebruiker, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Uw wachtwoord is ingesteld. Welkom in het portaal."))
            return redirect("dashboard")
    return render(
        request,
        "registration/uitnodiging.html",
        {"form": form, "gebruiker": gebruiker, "uitnodiging": uitnodiging},
    )
