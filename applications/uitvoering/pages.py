"""What every page of a granted aanvraag's uitvoering needs first: the aanvraag, if the user
may see it and it was granted."""

from __future__ import annotations

from django.http import HttpRequest

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.pages import aanvraag_for_user
from applications.core.permissions import check_access
from applications.uitvoering.selectors import is_toegekend


def uitvoering_for_user(request: HttpRequest, pk: int) -> Aanvraag:
    """The aanvraag if the user sees it and it was granted: an aanvraag without a grant has no
    uitvoering (404, as for an aanvraag the user may not see)."""
    aanvraag = aanvraag_for_user(request, pk)
    check_access(may_see=is_toegekend(aanvraag))
    return aanvraag
