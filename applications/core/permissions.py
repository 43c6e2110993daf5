"""The one answer every page gives to someone who may not: a 404 when they may not see a thing,
so nobody learns that it exists, and a 403 when they see it but may not change it.

Each app's `permissions.py` says who may (plain `can_*` and `is_*` functions); views ask here how
to refuse, so the policy is decided once.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404


def check_access(*, may_see: bool, may_change: bool = True, waarom: str = "") -> None:
    """Raises Http404 when `may_see` is false, else PermissionDenied when `may_change` is;
    `waarom` is what the 403 page says (what was refused, in Dutch)."""
    if not may_see:
        raise Http404
    if not may_change:
        raise PermissionDenied(waarom)
