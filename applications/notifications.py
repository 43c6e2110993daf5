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

from .constants import Herinneringsmoment
from .models import Aanvraag, Uitnodiging, Vraag


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


def _regisseurs(aanvraag: Aanvraag) -> list[str]:
    return sorted(
        aanvraag.regieverband.regisseurs.filter(is_active=True).values_list("email", flat=True)
    )


def _url(name: str, pk: int) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=[pk])


def _aanvraag(aanvraag_id: int) -> Aanvraag:
    return Aanvraag.objects.select_related("regieverband", "oproep").get(pk=aanvraag_id)


def send_question(*, vraag_id: int) -> None:
    """WSE asked the regisseurs a question: they answer in the portal."""
    vraag = Vraag.objects.select_related("aanvraag__regieverband", "aanvraag__oproep").get(
        pk=vraag_id
    )
    aanvraag = vraag.aanvraag
    _send(
        subject=f"Vraag van WSE over uw aanvraag {aanvraag.referentie}",
        template="vraag_gesteld",
        context={
            "aanvraag": aanvraag,
            "vraag": vraag,
            "url": _url("aanvraag_opvolging", aanvraag.pk),
        },
        to=_regisseurs(aanvraag),
    )


def send_answer(*, vraag_id: int) -> None:
    """The regisseurs answered: the reviewer who asked is told."""
    vraag = Vraag.objects.select_related(
        "aanvraag__regieverband", "aanvraag__oproep", "gesteld_door", "beantwoord_door"
    ).get(pk=vraag_id)
    if vraag.gesteld_door is None or not vraag.gesteld_door.is_active:
        return
    aanvraag = vraag.aanvraag
    _send(
        subject=f"Antwoord op uw vraag over {aanvraag.referentie} ({aanvraag.regieverband.naam})",
        template="vraag_beantwoord",
        context={
            "aanvraag": aanvraag,
            "vraag": vraag,
            "url": _url("beoordeling_detail", aanvraag.pk),
        },
        to=[vraag.gesteld_door.email],
    )


def send_changes_requested(*, aanvraag_id: int) -> None:
    """WSE sent the aanvraag back with a due date: the regisseurs can change and resubmit."""
    aanvraag = _aanvraag(aanvraag_id)
    reden = aanvraag.statuswijzigingen.filter(naar="wijzigingen_gevraagd").last()
    _send(
        subject=f"WSE vraagt wijzigingen aan uw aanvraag {aanvraag.referentie}",
        template="wijzigingen_gevraagd",
        context={
            "aanvraag": aanvraag,
            "reden": reden.reden if reden else "",
            "url": _url("aanvraag_overzicht", aanvraag.pk),
        },
        to=_regisseurs(aanvraag),
    )


def send_decision(*, aanvraag_id: int) -> None:
    """The decision is recorded: the regisseurs read it, and the letter, in the portal."""
    aanvraag = _aanvraag(aanvraag_id)
    beslissing = aanvraag.beslissing
    # Sent after the commit of the reviewer's request, in their language: the outcome in the
    # subject must be Dutch like the body.
    with translation.override(settings.LANGUAGE_CODE):
        uitkomst = beslissing.get_uitkomst_display().lower()
    _send(
        subject=f"Beslissing over uw aanvraag {aanvraag.referentie}: {uitkomst}",
        template="beslissing",
        context={
            "aanvraag": aanvraag,
            "beslissing": beslissing,
            "url": _url("aanvraag_opvolging", aanvraag.pk),
        },
        to=_regisseurs(aanvraag),
    )


def send_deadline_reminder(*, aanvraag_id: int, moment: str) -> None:
    """A draft's deadline is near (14 or 2 days)."""
    from .services import effective_deadline

    aanvraag = _aanvraag(aanvraag_id)
    _send(
        subject=f"Herinnering: uw aanvraag {aanvraag.referentie} is nog niet ingediend",
        template="herinnering",
        context={
            "aanvraag": aanvraag,
            "deadline": effective_deadline(aanvraag),
            "moment": Herinneringsmoment(moment),
            "url": _url("aanvraag_overzicht", aanvraag.pk),
        },
        to=_regisseurs(aanvraag),
    )


def send_invitation(*, uitnodiging_id: int, token: str) -> None:
    """A beheerder invited someone: the link to choose a password. The token exists only in this
    e-mail (the database keeps its hash), so this is the one place the link is written."""
    uitnodiging = Uitnodiging.objects.select_related("gebruiker", "verstuurd_door").get(
        pk=uitnodiging_id
    )
    gebruiker = uitnodiging.gebruiker
    _send(
        subject="Uitnodiging voor het portaal regierol sociale economie en werk",
        template="uitnodiging",
        context={
            "gebruiker": gebruiker,
            "rollen": sorted(gebruiker.role_names),
            "verbanden": list(gebruiker.regieverbanden.order_by("naam")),
            "uitnodiging": uitnodiging,
            "url": settings.SITE_URL.rstrip("/") + reverse("uitnodiging_aanvaarden", args=[token]),
        },
        to=[gebruiker.email],
    )
