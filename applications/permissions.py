"""Who may see and change what, as plain functions. Views fetch objects through the helpers in
`views.py`, which turn a `False` here into a 404 (may not see) or a 403 (may see, not change).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from .constants import EDITABLE_STATUSES
from .models import Aanvraag, Regieverband, User

AnyUser = User | AnonymousUser


def is_regisseur_of(user: AnyUser, regieverband: Regieverband) -> bool:
    """A regisseur reaches what their regieverband owns, and nothing of other verbanden."""
    if not isinstance(user, User) or not user.is_regisseur:
        return False
    verband_ids: set[int] | None = getattr(user, "_regieverband_ids", None)
    if verband_ids is None:
        verband_ids = set(user.regieverbanden.values_list("pk", flat=True))
        user._regieverband_ids = verband_ids  # type: ignore[attr-defined]
    return regieverband.pk in verband_ids


def is_wse(user: AnyUser) -> bool:
    """WSE staff: reviewers and beheerders see every regieverband and aanvraag."""
    return isinstance(user, User) and (user.is_beoordelaar or user.is_beheerder)


def can_view_regieverband(user: AnyUser, regieverband: Regieverband) -> bool:
    return is_wse(user) or is_regisseur_of(user, regieverband)


def can_view_aanvraag(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """The verband's regisseurs, WSE reviewers and beheerders; nobody else learns it exists."""
    return is_wse(user) or is_regisseur_of(user, aanvraag.regieverband)


def can_edit_aanvraag(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Only the verband's regisseurs change the content, and only while it is editable.

    Whether the deadline still allows it is a separate rule (`services.is_open_for_editing`),
    because it depends on the time and on extensions, not on the user.
    """
    return is_regisseur_of(user, aanvraag.regieverband) and aanvraag.status in EDITABLE_STATUSES
