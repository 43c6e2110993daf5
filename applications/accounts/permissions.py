"""permissions (moved from permissions.py)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from applications.accounts.models import User

AnyUser = User | AnonymousUser


def is_wse(user: AnyUser) -> bool:
    """WSE staff: reviewers and beheerders see every regieverband and aanvraag."""
    return isinstance(user, User) and (user.is_beoordelaar or user.is_beheerder)
