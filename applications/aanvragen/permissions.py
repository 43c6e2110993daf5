"""Who may see and change an aanvraag, as plain functions; views turn a `False` into a 404 (may
not see) or a 403 (may see, not change) with `applications.core.permissions.check_access`."""

from __future__ import annotations

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import EDITABLE_STATUSES
from applications.accounts.permissions import AnyUser, is_wse
from applications.besturen.permissions import is_regisseur_of


def can_view_aanvraag(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """The verband's regisseurs, WSE reviewers and beheerders; nobody else learns it exists."""
    return is_wse(user) or is_regisseur_of(user, aanvraag.regieverband)


def can_edit_aanvraag(user: AnyUser, aanvraag: Aanvraag) -> bool:
    """Only the verband's regisseurs change the content, and only while it is editable.

    Whether the deadline still allows it is a separate rule (`deadline.is_open_for_editing`),
    because it depends on the time and on extensions, not on the user.
    """
    return is_regisseur_of(user, aanvraag.regieverband) and aanvraag.status in EDITABLE_STATUSES
