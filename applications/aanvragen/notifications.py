"""E-mails about an aanvraag to its regisseurs: the submission confirmation and the deadline
reminders. Sent after the transaction that caused them has committed."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from applications.aanvragen.constants import Herinneringsmoment
from applications.aanvragen.deadline import effective_deadline
from applications.aanvragen.models import Aanvraag, Indiening
from applications.berichten.services import queue_email
from applications.besturen.selectors import regisseurs_mailadressen


def send_submission_confirmation(*, aanvraag_id: int, indiening_id: int) -> None:
    """Tell the verband's active regisseurs (and WSE, if configured) that it was submitted, with
    the SHA-256 of the sealed snapshot. Queued at submission: it neither attaches nor links the
    PDF (which the worker makes afterwards), only the aanvraag's page, where the PDF appears."""
    aanvraag = Aanvraag.objects.select_related("regieverband", "oproep", "ingediend_door").get(
        pk=aanvraag_id
    )
    indiening = Indiening.objects.get(pk=indiening_id)
    recipients = regisseurs_mailadressen(regieverband=aanvraag.regieverband)
    context = {
        "aanvraag": aanvraag,
        "indiening": indiening,
        "url": settings.SITE_URL.rstrip("/") + reverse("aanvraag_overzicht", args=[aanvraag.pk]),
    }
    subject = f"Aanvraag ingediend: {aanvraag.regieverband.naam} ({aanvraag.oproep.naam})"
    queue_email(
        subject=subject,
        template="aanvragen/emails/aanvraag_ingediend",
        context=context,
        to=recipients,
    )
    if settings.WSE_EMAIL:
        queue_email(
            subject=subject,
            template="aanvragen/emails/aanvraag_ingediend",
            context=context,
            to=[settings.WSE_EMAIL],
        )


def regisseurs_van(aanvraag: Aanvraag) -> list[str]:
    return regisseurs_mailadressen(regieverband=aanvraag.regieverband)


def site_url(name: str, pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[pk])


def aanvraag_voor_mail(aanvraag_id: int) -> Aanvraag:
    return Aanvraag.objects.select_related("regieverband", "oproep").get(pk=aanvraag_id)


def send_deadline_reminder(*, aanvraag_id: int, moment: str) -> None:
    """A draft's deadline is near (14 or 2 days)."""
    aanvraag = aanvraag_voor_mail(aanvraag_id)
    queue_email(
        subject=f"Herinnering: uw aanvraag {aanvraag.referentie} is nog niet ingediend",
        template="aanvragen/emails/herinnering",
        context={
            "aanvraag": aanvraag,
            "deadline": effective_deadline(aanvraag),
            "moment": Herinneringsmoment(moment),
            "url": site_url("aanvraag_overzicht", aanvraag.pk),
        },
        to=regisseurs_van(aanvraag),
    )
