"""Who may see WSE's side of an aanvraag and who may judge it, as plain functions.

One rule holds everywhere (the review pages, the review services, the budget overview): a person
who is a regisseur of an aanvraag's regieverband never sees WSE's view of that aanvraag (notes,
reviews, proposed amounts) and never judges it, even when they also work for WSE.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.accounts.permissions import AnyUser, is_wse
from applications.besturen.permissions import is_regisseur_of, is_regisseur_van


def can_see_as_wse(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """WSE staff see an aanvraag with its notes and reviews, except that of their own verband."""
    return can_see_verband_as_wse(user, aanvraag.regieverband_id)


def can_see_verband_as_wse(user: AnyUser, regieverband_id: int) -> bool:
    """The same for an aanvraag of this verband, by its id."""
    return is_wse(user) and not is_regisseur_van(user, regieverband_id)


def can_review_aanvraag(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Reviewing, asking, sending back and deciding: an active WSE-beoordelaar who is not a
    regisseur of the aanvraag's own verband."""
    return (
        isinstance(user, User)
        and user.is_beoordelaar
        and not is_regisseur_of(user, aanvraag.regieverband)
    )


def ensure_reviewer(by: User, aanvraag: Aanvraag | None = None) -> None:
    """For services: refuses anyone but a WSE-beoordelaar, and (given the aanvraag) one who may
    not judge it (`can_review_aanvraag`), saying why."""
    if not by.is_beoordelaar:
        raise PermissionDenied(_("Alleen WSE-beoordelaars beoordelen aanvragen."))
    if aanvraag is not None and not can_review_aanvraag(by, aanvraag):
        raise PermissionDenied(
            _("U bent regisseur van dit regieverband en beoordeelt de aanvraag dus niet.")
        )
