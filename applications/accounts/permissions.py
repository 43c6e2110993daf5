"""permissions (moved from permissions.py)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import (
    Http404,
    HttpRequest,
)

from applications.accounts.models import User

AnyUser = User | AnonymousUser


def is_wse(user: AnyUser) -> bool:
    """WSE staff: reviewers and beheerders see every regieverband and aanvraag."""
    return isinstance(user, User) and (user.is_beoordelaar or user.is_beheerder)


def user_of(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def require_wse(request: HttpRequest) -> User:
    """WSE's pages: nobody else learns they exist (404)."""
    if not is_wse(request.user):
        raise Http404
    return user_of(request)
