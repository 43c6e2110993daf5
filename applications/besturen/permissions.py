"""Who may see a regieverband: its regisseurs and WSE."""

from __future__ import annotations

from applications.accounts.models import User
from applications.accounts.permissions import AnyUser, is_wse
from applications.besturen.models import Regieverband


def is_regisseur_of(user: AnyUser, regieverband: Regieverband) -> bool:
    """A regisseur reaches what their regieverband owns, and nothing of other verbanden."""
    if not isinstance(user, User) or not user.is_regisseur:
        return False
    verband_ids: set[int] | None = getattr(user, "_regieverband_ids", None)
    if verband_ids is None:
        verband_ids = set(user.regieverbanden.values_list("pk", flat=True))
        user._regieverband_ids = verband_ids  # type: ignore[attr-defined]
    return regieverband.pk in verband_ids


def can_view_regieverband(user: AnyUser, regieverband: Regieverband) -> bool:
    return is_wse(user) or is_regisseur_of(user, regieverband)
