"""Reminders of the deadline to the regisseurs of drafts, each moment once (cron:
`manage.py send_deadline_reminders`)."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from applications.aanvragen import notifications
from applications.aanvragen.constants import Herinneringsmoment
from applications.aanvragen.deadline import effective_deadline
from applications.aanvragen.models import (
    Aanvraag,
    Herinnering,
)
from applications.aanvragen.statuses import AanvraagStatus
from applications.oproepen.constants import OproepStatus

logger = logging.getLogger(__name__)


REMINDERS = (
    (Herinneringsmoment.TWEE_DAGEN, datetime.timedelta(days=2)),
    (Herinneringsmoment.VEERTIEN_DAGEN, datetime.timedelta(days=14)),
)


def send_deadline_reminders(*, now: datetime.datetime | None = None) -> list[Herinnering]:
    """E-mail the regisseurs of every draft of an open call 14 and 2 days before its deadline.

    The worker runs it every hour (`apps.plan_herinneringen`): each reminder goes out once (a
    unique row per aanvraag and moment). Within 2 days of the deadline only the 2-day reminder is
    sent, never both at once. Submitted, withdrawn and expired drafts get nothing.
    """
    now = now or timezone.now()
    sent: list[Herinnering] = []
    drafts = (
        Aanvraag.objects.filter(status=AanvraagStatus.CONCEPT, oproep__status=OproepStatus.OPEN)
        .select_related("oproep", "regieverband")
        .prefetch_related("verlengingen", "herinneringen")
    )
    for aanvraag in drafts:
        deadline = effective_deadline(aanvraag)
        if now > deadline:
            continue
        al = {h.moment for h in aanvraag.herinneringen.all()}
        moment = next((m for m, before in REMINDERS if now >= deadline - before), None)
        if moment is None or moment in al:
            continue
        try:
            # The row and the queued e-mail together: both or neither, so the next run tries
            # again after a failure; a row already there (a parallel run) sends nothing.
            with transaction.atomic():
                herinnering, created = Herinnering.objects.get_or_create(
                    aanvraag=aanvraag, moment=moment, defaults={"verstuurd_op": now}
                )
                if created:
                    notifications.send_deadline_reminder(aanvraag_id=aanvraag.pk, moment=moment)
                    sent.append(herinnering)
        except Exception:
            logger.exception("Herinnering %s voor aanvraag %s niet verstuurd", moment, aanvraag.pk)
    return sent
