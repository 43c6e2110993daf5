"""Who sees the uitvoering of an aanvraag, who books in its ledger, who closes the dossier, and
the one rule that a closed dossier is read-only (`is_afgesloten`), as plain functions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.permissions import AFGESLOTEN, can_view_aanvraag
from applications.accounts.models import User
from applications.accounts.permissions import AnyUser, is_beheerder
from applications.beoordeling.permissions import can_review_aanvraag
from applications.besturen.permissions import is_regisseur_of
from applications.uitvoering.models import Afsluiting


def geldende_afsluiting(aanvraag: Aanvraag) -> Afsluiting | None:
    """The closing in force of the aanvraag's dossier (not reopened), if any."""
    return (
        Afsluiting.objects.filter(aanvraag_id=aanvraag.pk, heropend_op__isnull=True)
        .select_related("afgesloten_door")
        .first()
    )


def is_afgesloten(aanvraag: Aanvraag) -> bool:
    """Whether the aanvraag's dossier is closed (and not reopened): then it is read-only
    everywhere (no bookings, no opvolgmoment or its attachments changed, no later decision on
    the amounts, no change to the plan). Every write of the uitvoering asks this, and so should
    any other feature that changes a granted aanvraag; the apps below this one ask it through
    `aanvragen.permissions.is_dossier_afgesloten` (registered in `UitvoeringConfig.ready`). Read
    from the database each time, so a closing that committed meanwhile counts."""
    return Afsluiting.objects.filter(aanvraag_id=aanvraag.pk, heropend_op__isnull=True).exists()


def ensure_niet_afgesloten(aanvraag: Aanvraag) -> None:
    """Refuse any write to a closed dossier (`is_afgesloten`)."""
    if is_afgesloten(aanvraag):
        raise PermissionDenied(AFGESLOTEN)


def can_close_dossier(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """A reviewer who may judge the aanvraag, or a beheerder, closes a dossier; never for a
    verband of which they are a regisseur themselves."""
    if is_regisseur_of(user, aanvraag.regieverband):
        return False
    return can_review_aanvraag(user, aanvraag) or is_beheerder(user)


def can_reopen_dossier(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Only a beheerder reopens a closed dossier (with a reason), never for a verband of which
    they are a regisseur themselves: the exception, not the reviewer's daily work."""
    return is_beheerder(user) and not is_regisseur_of(user, aanvraag.regieverband)


def can_view_uitvoering(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Whoever sees the aanvraag: the verband's regisseurs, WSE reviewers and beheerders."""
    return can_view_aanvraag(user, aanvraag)


def can_book_payment(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Beheerders book payments, corrections and repayments ("beheerders manage money";
    DOMAIN.md gives reviewers the decision and its amount, not the payments), never in the
    ledger of a verband of which they are a regisseur themselves."""
    return is_beheerder(user) and not is_regisseur_of(user, aanvraag.regieverband)


def can_decide_amounts(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """A new decision on the granted amounts is a decision: the reviewers who may judge it."""
    return can_review_aanvraag(user, aanvraag)


def ensure_can_book(by: User, aanvraag: Aanvraag) -> None:
    if not can_book_payment(by, aanvraag):
        raise PermissionDenied(
            _("Alleen beheerders boeken betalingen, en niet voor hun eigen regieverband.")
        )


def ensure_can_decide_amounts(by: User, aanvraag: Aanvraag) -> None:
    if not can_decide_amounts(by, aanvraag):
        raise PermissionDenied(
            _(
                "Alleen WSE-beoordelaars beslissen over de bedragen, en niet voor hun eigen "
                "regieverband."
            )
        )


def can_report_opvolging(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Who fills in the opvolgmoment of a year: the verband's regisseurs, who submit it, when
    the call asks a separate report; otherwise it is WSE's own check of the BBC data, filled in
    (and accepted) by the reviewers who may judge the aanvraag, and the regisseurs only read it."""
    if aanvraag.oproep.aparte_rapportering:
        return is_regisseur_of(user, aanvraag.regieverband)
    return can_review_aanvraag(user, aanvraag)


def can_judge_opvolging(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Accepting an opvolgmoment or asking for more: the reviewers who may judge the aanvraag."""
    return can_review_aanvraag(user, aanvraag)


def ensure_can_judge_opvolging(by: User, aanvraag: Aanvraag) -> None:
    if not can_judge_opvolging(by, aanvraag):
        raise PermissionDenied(
            _(
                "Alleen WSE-beoordelaars aanvaarden een opvolgmoment, en niet voor hun eigen "
                "regieverband."
            )
        )


def can_propose_planwijziging(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Proposing a change to the meerjarenplan (and editing, submitting or withdrawing it): the
    verband's regisseurs, who also submitted the aanvraag; not once the dossier is closed."""
    return is_regisseur_of(user, aanvraag.regieverband) and not is_afgesloten(aanvraag)


def can_judge_planwijziging(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Approving or refusing a proposed change: WSE, a reviewer or a beheerder, never for a
    verband of which they are a regisseur themselves; not once the dossier is closed."""
    return (
        isinstance(user, User)
        and (user.is_beoordelaar or is_beheerder(user))
        and not is_regisseur_of(user, aanvraag.regieverband)
        and not is_afgesloten(aanvraag)
    )


def ensure_can_propose_planwijziging(by: User, aanvraag: Aanvraag) -> None:
    ensure_niet_afgesloten(aanvraag)
    if not can_propose_planwijziging(by, aanvraag):
        raise PermissionDenied(
            _("Alleen de regisseurs van het regieverband stellen een wijziging van het plan voor.")
        )


def ensure_can_judge_planwijziging(by: User, aanvraag: Aanvraag) -> None:
    ensure_niet_afgesloten(aanvraag)
    if not can_judge_planwijziging(by, aanvraag):
        raise PermissionDenied(
            _(
                "Alleen WSE (beoordelaars en beheerders) beslist over een wijziging van het plan, "
                "en niet voor het eigen regieverband."
            )
        )
