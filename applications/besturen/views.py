"""The page of one regieverband, for its regisseurs and WSE."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render

from applications.besturen import selectors
from applications.besturen.models import Regieverband
from applications.besturen.permissions import can_view_regieverband
from applications.core.permissions import check_access


def _get_regieverband_for_user(request: HttpRequest, pk: int) -> Regieverband:
    """The verband if this user may see it; a 404 otherwise, so nobody learns it exists."""
    try:
        regieverband = selectors.regieverband_detail(pk=pk)
    except Regieverband.DoesNotExist:
        raise Http404 from None
    check_access(may_see=can_view_regieverband(request.user, regieverband))
    return regieverband


@login_required
def regieverband_detail(request: HttpRequest, pk: int) -> HttpResponse:
    regieverband = _get_regieverband_for_user(request, pk)
    aanvragen = regieverband.aanvragen.select_related("oproep").order_by("-oproep__eerste_jaar")
    return render(
        request,
        "besturen/regieverband_detail.html",
        {"regieverband": regieverband, "aanvragen": aanvragen},
    )
