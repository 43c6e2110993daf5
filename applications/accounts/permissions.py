"""Who someone is to the portal, as plain functions: WSE staff (`is_wse`) and beheerders
(`is_beheerder`). Pages only WSE or beheerders may see refuse everyone else with a 404
(`require_wse`, `require_beheerder`); services refuse with a message (`ensure_*`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from applications.accounts.models import User
from applications.core.permissions import check_access

AnyUser = User | AnonymousUser


def is_wse(user: AnyUser) -> bool:
    """WSE staff: reviewers and beheerders see every regieverband and aanvraag."""
    return isinstance(user, User) and (user.is_beoordelaar or user.is_beheerder)


def is_beheerder(user: AnyUser) -> bool:
    """Beheerders manage besturen, verbanden, calls, users and money; /beheer/ is theirs."""
    return isinstance(user, User) and user.is_beheerder


def user_of(request: HttpRequest) -> User:
    """The logged-in user of a view behind `login_required`."""
    assert isinstance(request.user, User)
    return request.user


def require_wse(request: HttpRequest) -> User:
    """WSE's pages: nobody else learns they exist (404)."""
    check_access(may_see=is_wse(request.user))
    return user_of(request)


def require_beheerder(request: HttpRequest) -> User:
    """The pages of /beheer/: nobody but a beheerder learns they exist (404)."""
    check_access(may_see=is_beheerder(request.user))
    return user_of(request)


def ensure_wse(by: User) -> None:
    """For services: refuses anyone but WSE staff (reviewers and beheerders)."""
    if not is_wse(by):
        raise PermissionDenied(_("Alleen WSE ziet en schrijft dit."))


def ensure_beheerder(by: User, waarom: str) -> None:
    """For services: refuses anyone but a beheerder, saying what only beheerders do."""
    if not is_beheerder(by):
        raise PermissionDenied(waarom)
