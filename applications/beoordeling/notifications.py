"""E-mails of the review: a question, an answer, changes asked, the decision. Sent after the
transaction that caused them has committed."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from applications.aanvragen.notifications import aanvraag_voor_mail, regisseurs_van, site_url
from applications.beoordeling.models import Vraag
from applications.berichten.services import queue_email


def send_question(*, vraag_id: int) -> None:
    """WSE asked the regisseurs a question: they answer in the portal."""
    vraag = Vraag.objects.select_related("aanvraag__regieverband", "aanvraag__oproep").get(
        pk=vraag_id
    )
    aanvraag = vraag.aanvraag
    queue_email(
        subject=f"Vraag van WSE over uw aanvraag {aanvraag.referentie}",
        template="beoordeling/emails/vraag_gesteld",
        context={
            "aanvraag": aanvraag,
            "vraag": vraag,
            "url": site_url("aanvraag_opvolging", aanvraag.pk),
        },
        to=regisseurs_van(aanvraag),
    )


def send_answer(*, vraag_id: int) -> None:
    """The regisseurs answered: the reviewer who asked is told."""
    vraag = Vraag.objects.select_related(
        "aanvraag__regieverband", "aanvraag__oproep", "gesteld_door", "beantwoord_door"
    ).get(pk=vraag_id)
    if vraag.gesteld_door is None or not vraag.gesteld_door.is_active:
        return
    aanvraag = vraag.aanvraag
    queue_email(
        subject=f"Antwoord op uw vraag over {aanvraag.referentie} ({aanvraag.regieverband.naam})",
        template="beoordeling/emails/vraag_beantwoord",
        context={
            "aanvraag": aanvraag,
            "vraag": vraag,
            "url": site_url("beoordeling_detail", aanvraag.pk),
        },
        # A reviewer logging in through ACM/IDM may have no address: then WSE's own.
        to=[adres for adres in [vraag.gesteld_door.email or settings.WSE_EMAIL] if adres],
    )


def send_changes_requested(*, aanvraag_id: int) -> None:
    """WSE sent the aanvraag back with a due date: the regisseurs can change and resubmit."""
    aanvraag = aanvraag_voor_mail(aanvraag_id)
    reden = aanvraag.statuswijzigingen.filter(naar="wijzigingen_gevraagd").last()
    queue_email(
        subject=f"WSE vraagt wijzigingen aan uw aanvraag {aanvraag.referentie}",
        template="beoordeling/emails/wijzigingen_gevraagd",
        context={
            "aanvraag": aanvraag,
            "reden": reden.reden if reden else "",
            "url": site_url("aanvraag_overzicht", aanvraag.pk),
        },
        to=regisseurs_van(aanvraag),
    )


def send_decision(*, aanvraag_id: int) -> None:
    """The decision is recorded: the regisseurs read it, and the letter, in the portal."""
    aanvraag = aanvraag_voor_mail(aanvraag_id)
    beslissing = aanvraag.beslissing
    # Sent after the commit of the reviewer's request, in their language: the outcome in the
    # subject must be Dutch like the body.
    with translation.override(settings.LANGUAGE_CODE):
        uitkomst = beslissing.get_uitkomst_display().lower()
    queue_email(
        subject=f"Beslissing over uw aanvraag {aanvraag.referentie}: {uitkomst}",
        template="beoordeling/emails/beslissing",
        context={
            "aanvraag": aanvraag,
            "beslissing": beslissing,
            "url": site_url("aanvraag_opvolging", aanvraag.pk),
        },
        to=regisseurs_van(aanvraag),
    )
