"""E-mails about a proposed change to the plan, queued in the outbox inside the transaction of
the change they tell about: to WSE when the regisseurs submit one, to the regisseurs when WSE
approves or refuses it."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from applications.accounts.constants import Rol
from applications.accounts.models import User
from applications.berichten.services import queue_email
from applications.besturen.selectors import regisseurs_mailadressen
from applications.uitvoering.constants import Wijzigingsstatus
from applications.uitvoering.models import Planwijziging


def _url(wijziging: Planwijziging) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(
        "planwijziging_detail", args=[wijziging.aanvraag_id, wijziging.nummer]
    )


def beoordelaars_van(wijziging: Planwijziging) -> list[str]:
    """Who of WSE hears of a submitted proposal: the aanvraag's lead reviewer (its
    behandelaar); without one, every active reviewer who may judge it. WSE's own address too
    when one is set (`WSE_EMAIL`)."""
    aanvraag = wijziging.aanvraag
    leider = aanvraag.behandelaar
    if leider is not None and leider.is_active and leider.email:
        adressen = [leider.email]
    else:
        adressen = list(
            User.objects.filter(is_active=True, groups__name=Rol.BEOORDELAAR.value)
            .exclude(regieverbanden=aanvraag.regieverband)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    if settings.WSE_EMAIL:
        adressen.append(settings.WSE_EMAIL)
    return sorted(set(adressen))


def ingediend(wijziging: Planwijziging) -> None:
    aanvraag = wijziging.aanvraag
    queue_email(
        subject=(
            f"Voorstel tot wijziging van het plan: {aanvraag.regieverband.naam} "
            f"({aanvraag.referentie}, nr. {wijziging.nummer})"
        ),
        template="uitvoering/emails/planwijziging_ingediend",
        context={"aanvraag": aanvraag, "wijziging": wijziging, "url": _url(wijziging)},
        to=beoordelaars_van(wijziging),
    )


def beoordeeld(wijziging: Planwijziging) -> None:
    aanvraag = wijziging.aanvraag
    goedgekeurd = wijziging.status == Wijzigingsstatus.GOEDGEKEURD
    uitkomst = "goedgekeurd" if goedgekeurd else "geweigerd"
    queue_email(
        subject=f"Wijziging {wijziging.nummer} van uw plan {uitkomst}: {aanvraag.referentie}",
        template="uitvoering/emails/planwijziging_beoordeeld",
        context={
            "aanvraag": aanvraag,
            "wijziging": wijziging,
            "goedgekeurd": goedgekeurd,
            "url": _url(wijziging),
        },
        to=regisseurs_mailadressen(regieverband=aanvraag.regieverband),
    )
