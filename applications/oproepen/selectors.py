"""Reads of calls: the open ones."""

from __future__ import annotations

from django.db.models import (
    QuerySet,
)

from applications.oproepen.constants import OproepStatus
from applications.oproepen.models import Oproep


def open_oproepen() -> QuerySet[Oproep]:
    return Oproep.objects.filter(status=OproepStatus.OPEN).order_by("deadline")
