"""Reminders of the opvolgmomenten through the outbox: 14 days before a year's due date and the
day after it, to the verband's regisseurs, while the opvolgmoment was never submitted (only
for calls that ask a separate report). Each
once (a unique row per aanvraag, year and moment); the worker runs it every day."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.berichten.services import queue_email
from applications.uitvoering.constants import OPVOLG_HERINNERING_DAGEN, Opvolgherinneringsmoment
from applications.uitvoering.models import Opvolgherinnering, Opvolgmoment, Opvolgtermijn
from applications.uitvoering.opvolging import open_vanaf

logger = logging.getLogger(__name__)


def _moment(vandaag: datetime.date, termijn: Opvolgtermijn) -> Opvolgherinneringsmoment | None:
    """Which reminder is due today: after the due date the late one (never both at once)."""
    if vandaag > termijn.uiterlijk:
        return Opvolgherinneringsmoment.TE_LAAT
    voor = termijn.uiterlijk - datetime.timedelta(days=OPVOLG_HERINNERING_DAGEN)
    if vandaag >= voor and vandaag >= open_vanaf(termijn.jaar):
        return Opvolgherinneringsmoment.VOOR
    return None


def send_opvolg_herinneringen(*, now: datetime.datetime | None = None) -> list[Opvolgherinnering]:
    now = now or timezone.now()
    vandaag = timezone.localdate(now)
    termijnen: dict[int, list[Opvolgtermijn]] = {}
    for t in Opvolgtermijn.objects.all():
        termijnen.setdefault(t.oproep_id, []).append(t)
    ingediend = set(
        Opvolgmoment.objects.filter(ingediend_op__isnull=False).values_list("aanvraag_id", "jaar")
    )
    al = set(Opvolgherinnering.objects.values_list("aanvraag_id", "jaar", "moment"))
    verstuurd: list[Opvolgherinnering] = []
    # A call without a separate report has nothing for the regisseurs to submit: WSE checks
    # the BBC data itself, so nobody is reminded.
    aanvragen = Aanvraag.objects.filter(
        status=AanvraagStatus.GOEDGEKEURD,
        oproep_id__in=termijnen,
        oproep__aparte_rapportering=True,
    ).select_related("regieverband", "oproep")
    for aanvraag in aanvragen:
        for termijn in termijnen[aanvraag.oproep_id]:
            moment = _moment(vandaag, termijn)
            if (
                moment is None
                or (aanvraag.pk, termijn.jaar) in ingediend
                or (aanvraag.pk, termijn.jaar, moment) in al
            ):
                continue
            try:
                # The row and the queued e-mail together: both or neither.
                with transaction.atomic():
                    rij, nieuw = Opvolgherinnering.objects.get_or_create(
                        aanvraag=aanvraag,
                        jaar=termijn.jaar,
                        moment=moment,
                        defaults={"verstuurd_op": now},
                    )
                    if nieuw:
                        _mail(aanvraag, termijn, moment)
                        verstuurd.append(rij)
            except Exception:
                logger.exception(
                    "Herinnering opvolgmoment %s %s voor aanvraag %s niet verstuurd",
                    termijn.jaar,
                    moment,
                    aanvraag.pk,
                )
    return verstuurd


def _mail(aanvraag: Aanvraag, termijn: Opvolgtermijn, moment: str) -> None:
    aan = sorted(
        aanvraag.regieverband.regisseurs.filter(is_active=True).values_list("email", flat=True)
    )
    if not aan:
        return
    te_laat = moment == Opvolgherinneringsmoment.TE_LAAT
    queue_email(
        subject=(
            f"Opvolgmoment {termijn.jaar} te laat: {aanvraag.regieverband.naam}"
            if te_laat
            else f"Herinnering: opvolgmoment {termijn.jaar} van {aanvraag.regieverband.naam}"
        ),
        template="uitvoering/emails/opvolg_herinnering",
        context={
            "aanvraag": aanvraag,
            "termijn": termijn,
            "te_laat": te_laat,
            "url": settings.SITE_URL.rstrip("/")
            + reverse("uitvoering_opvolgmoment", args=[aanvraag.pk, termijn.jaar]),
        },
        to=aan,
    )
