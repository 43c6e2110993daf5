"""Who may read what through the API: a valid token with the view's scope; and which objects,
as on the pages (`aanvraag_list_for_user`): a regisseur's token only its own verbanden, a
token of one of WSE's systems everything WSE sees."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import permissions
from rest_framework.request import Request

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.selectors import aanvraag_list_for_user
from applications.accounts.models import User
from applications.api.models import ApiToken
from applications.besturen.models import Regieverband


def token_of(request: Request) -> ApiToken:
    assert isinstance(request.auth, ApiToken)
    return request.auth


class HeeftScope(permissions.BasePermission):
    """A valid token whose scopes include the view's `scope`."""

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        return isinstance(token, ApiToken) and getattr(view, "scope", None) in token.scopes


def aanvragen_voor(token: ApiToken) -> QuerySet[Aanvraag]:
    """The aanvragen a token may read: as its regisseur on the pages, or all of WSE's."""
    if token.gebruiker is None:
        return Aanvraag.objects.select_related("regieverband", "oproep")
    assert isinstance(token.gebruiker, User)
    return aanvraag_list_for_user(user=token.gebruiker)


def verbanden_voor(token: ApiToken) -> QuerySet[Regieverband]:
    """The regieverbanden a token may read: its regisseur's own, or all for WSE's systems."""
    if token.gebruiker is None:
        return Regieverband.objects.all()
    return Regieverband.objects.filter(regisseurs=token.gebruiker)
