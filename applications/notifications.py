"""E-mails of the portal, in Dutch, as plain text with an HTML alternative.

Called after the transaction that caused them has committed (`transaction.on_commit`), so nobody
is told about a change that was rolled back.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Aanvraag


def _send(*, subject: str, template: str, context: dict[str, object], to: list[str]) -> None:
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def send_submission_confirmation(*, aanvraag_id: int) -> None:
    """Tell the verband's active regisseurs (and WSE, if configured) that it was submitted."""
    aanvraag = Aanvraag.objects.select_related("regieverband", "oproep", "ingediend_door").get(
        pk=aanvraag_id
    )
    recipients = sorted(
        aanvraag.regieverband.regisseurs.filter(is_active=True).values_list("email", flat=True)
    )
    context = {
        "aanvraag": aanvraag,
        "url": settings.SITE_URL.rstrip("/") + reverse("aanvraag_overzicht", args=[aanvraag.pk]),
    }
    subject = f"Aanvraag ingediend: {aanvraag.regieverband.naam} ({aanvraag.oproep.naam})"
    _send(subject=subject, template="aanvraag_ingediend", context=context, to=recipients)
    if settings.WSE_EMAIL:
        _send(
            subject=subject,
            template="aanvraag_ingediend",
            context=context,
            to=[settings.WSE_EMAIL],
        )
