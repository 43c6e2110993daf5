"""The rate limit of each token, counted in the log of API calls: the same count whichever
server process answers (DRF's own throttles count in the cache, which is per process here)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from applications.api.models import ApiAanroep, ApiToken

VENSTER = datetime.timedelta(hours=1)


class PerTokenThrottle(BaseThrottle):
    """At most `token.per_uur` requests in the last hour, keyed on the token."""

    def allow_request(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True  # no token: the permission check refuses it
        self.now = timezone.now()
        recent = ApiAanroep.objects.filter(token=token, op__gt=self.now - VENSTER).exclude(
            status=429
        )
        if recent.count() < token.per_uur:
            return True
        # How long until the oldest call in the window leaves it.
        oudste = recent.order_by("-op").values_list("op", flat=True)[token.per_uur - 1]
        self.wachten = max(1.0, (oudste + VENSTER - self.now).total_seconds())
        return False

    def wait(self) -> float | None:
        return getattr(self, "wachten", None)
