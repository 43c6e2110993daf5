"""The invitation e-mail."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from applications.beheer.models import Uitnodiging
from applications.berichten.models import Bericht
from applications.berichten.services import queue_email


def send_invitation(*, uitnodiging_id: int, token: str) -> Bericht | None:
    """A beheerder invited someone: the link to choose a password. The token exists only in this
    e-mail (the database keeps its hash), so this is the one place the link is written; the
    outbox erases the text once it is sent (`vertrouwelijk`)."""
    uitnodiging = Uitnodiging.objects.select_related("gebruiker", "verstuurd_door").get(
        pk=uitnodiging_id
    )
    gebruiker = uitnodiging.gebruiker
    return queue_email(
        subject="Uitnodiging voor het portaal regierol sociale economie en werk",
        template="beheer/emails/uitnodiging",
        context={
            "gebruiker": gebruiker,
            "rollen": sorted(gebruiker.role_names),
            "verbanden": list(gebruiker.regieverbanden.order_by("naam")),
            "uitnodiging": uitnodiging,
            "url": settings.SITE_URL.rstrip("/") + reverse("uitnodiging_aanvaarden", args=[token]),
        },
        to=[gebruiker.email],
        vertrouwelijk=True,
    )
