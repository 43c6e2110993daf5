"""Reads of calls: the open ones, and the ones whose deadline has passed while they are still
marked open (a beheerder closes a call after its review, not at its deadline)."""

from __future__ import annotations

import datetime

from django.db.models import (
    QuerySet,
)
from django.utils import timezone

from applications.oproepen.constants import OproepStatus
from applications.oproepen.models import Oproep


def open_oproepen(now: datetime.datetime | None = None) -> QuerySet[Oproep]:
    """Calls one can still submit to: open, deadline not passed."""
    return Oproep.objects.filter(
        status=OproepStatus.OPEN, deadline__gte=now or timezone.now()
    ).order_by("deadline")


def voorbije_oproepen(now: datetime.datetime | None = None) -> QuerySet[Oproep]:
    """Calls still marked open whose deadline has passed: closed for new submissions (an
    aanvraag with an extension from WSE can still be submitted)."""
    return Oproep.objects.filter(
        status=OproepStatus.OPEN, deadline__lt=now or timezone.now()
    ).order_by("-deadline")
