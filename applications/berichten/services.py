"""Queueing e-mails and sending them: the only code that talks to the mail server.

A service queues an e-mail inside its own transaction (`queue_email`); the worker sends it
(`verstuur`), and when the mail server fails it tries again later, each time waiting twice as long,
until it gives up after `BERICHTEN_MAX_POGINGEN` attempts. Staff see the state on the message and
a beheerder can try a failed message again (`opnieuw_proberen`).
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from applications.berichten.models import Bericht
from applications.core import taken

logger = logging.getLogger(__name__)

VERSTUUR = "applications.berichten.services.verstuur"


def queue_email(
    *,
    subject: str,
    template: str,
    context: dict[str, object],
    to: list[str],
    vertrouwelijk: bool = False,
) -> Bericht | None:
    """Queue `template` + ".txt" with `template` + ".html" as its HTML part (if that template
    exists), rendered now, in Dutch. `template` is named with its app, as in
    "aanvragen/emails/herinnering": each app keeps its e-mails under its own
    `templates/<app>/emails/`; their common frame is "core/emails/_base.html".

    Call it inside the transaction of the change the e-mail is about: the e-mail is queued exactly
    when that change is saved. Returns the message, or None when there is nobody to send it to.
    """
    if not to:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        tekst = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    bericht = Bericht.objects.create(
        aan=list(to),
        onderwerp=subject[:300],
        sjabloon=template,
        tekst=tekst,
        html=html,
        vertrouwelijk=vertrouwelijk,
    )
    taken.later(VERSTUUR, bericht.pk)
    return bericht


def verstuur(bericht_id: int) -> None:
    """The worker's task: send one queued message if it is due. Two workers never send the same
    message: the row is locked while sending and its state is read again under the lock."""
    with transaction.atomic():
        bericht = (
            Bericht.objects.select_for_update(skip_locked=True)
            .filter(pk=bericht_id, status=Bericht.Status.IN_WACHTRIJ)
            .first()
        )
        if bericht is None:
            return
        nu = timezone.now()
        try:
            _send(bericht)
        except Exception as fout:
            _mislukt(bericht, fout, nu)
            return
        bericht.status = Bericht.Status.VERSTUURD
        bericht.verstuurd_op = nu
        bericht.pogingen += 1
        bericht.laatste_fout = ""
        velden = ["status", "verstuurd_op", "pogingen", "laatste_fout"]
        if bericht.vertrouwelijk:
            bericht.tekst = bericht.html = ""
            velden += ["tekst", "html"]
        bericht.save(update_fields=velden)


def wachtende_versturen() -> int:
    """The worker's schedule: send every message whose next attempt is due (retries, and any
    message whose first task was lost). Returns how many were tried."""
    ids = list(
        Bericht.objects.filter(
            status=Bericht.Status.IN_WACHTRIJ, volgende_poging__lte=timezone.now()
        )
        .order_by("volgende_poging", "pk")
        .values_list("pk", flat=True)[:500]
    )
    for bericht_id in ids:
        verstuur(bericht_id)
    return len(ids)


@transaction.atomic
def opnieuw_proberen(bericht: Bericht) -> bool:
    """A beheerder tries a failed message again: it goes back into the queue at once, with a fresh
    count of attempts. Returns False when the message was not (or no longer) failed."""
    bijgewerkt = Bericht.objects.filter(pk=bericht.pk, status=Bericht.Status.MISLUKT).update(
        status=Bericht.Status.IN_WACHTRIJ, pogingen=0, volgende_poging=timezone.now()
    )
    if bijgewerkt:
        taken.later(VERSTUUR, bericht.pk)
    return bool(bijgewerkt)


def wachttijd(pogingen: int) -> datetime.timedelta:
    """How long to wait after the `pogingen`-th failed attempt: 1, 2, 4, 8... minutes, at most a
    day."""
    return min(datetime.timedelta(minutes=2 ** (pogingen - 1)), datetime.timedelta(days=1))


def _send(bericht: Bericht) -> None:
    connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
    message = EmailMultiAlternatives(
        subject=bericht.onderwerp, body=bericht.tekst, to=bericht.aan, connection=connection
    )
    if bericht.html:
        message.attach_alternative(bericht.html, "text/html")
    message.send()


def _mislukt(bericht: Bericht, fout: Exception, nu: datetime.datetime) -> None:
    bericht.pogingen += 1
    bericht.laatste_fout = (f"{type(fout).__name__}: {fout}")[:500]
    if bericht.pogingen >= settings.BERICHTEN_MAX_POGINGEN:
        bericht.status = Bericht.Status.MISLUKT
    else:
        bericht.volgende_poging = nu + wachttijd(bericht.pogingen)
    bericht.save(update_fields=["pogingen", "laatste_fout", "status", "volgende_poging"])
    logger.warning("E-mail %s niet verstuurd (poging %s): %s", bericht.pk, bericht.pogingen, fout)
