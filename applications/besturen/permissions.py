"""Who may see a regieverband: its regisseurs and WSE."""

from __future__ import annotations

from applications.accounts.models import User
from applications.accounts.permissions import AnyUser, is_wse
from applications.besturen.models import Regieverband


def is_regisseur_of(user: AnyUser, regieverband: Regieverband) -> bool:
    """A regisseur reaches what their regieverband owns, and nothing of other verbanden."""
    return is_regisseur_van(user, regieverband.pk)


def is_regisseur_van(user: AnyUser, regieverband_id: int) -> bool:
    """The same, by the verband's id (no verband read)."""
    if not isinstance(user, User) or not user.is_regisseur:
        return False
    return regieverband_id in user.regieverband_ids


def can_view_regieverband(user: AnyUser, regieverband: Regieverband) -> bool:
    return is_wse(user) or is_regisseur_of(user, regieverband)
