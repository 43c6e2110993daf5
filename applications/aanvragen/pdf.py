"""The aanvraag as a PDF document: its template context and its stamp (draft or sealed version).
The engine itself is `applications.core.pdf`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.selectors import begroting, leden_van_aanvraag, meerjarenplan
from applications.core.pdf import render_pdf

if TYPE_CHECKING:
    pass


@dataclass(frozen=True)
class Stempel:
    """What the PDF says about its own state: a draft, or which submitted version it is."""

    concept: bool
    versie: int | None = None
    ingediend_op: datetime.datetime | None = None
    ingediend_door: str = ""
    mandaat: str = ""


TEMPLATE = "aanvragen/pdf/aanvraag.html"


def aanvraag_context(
    aanvraag: Aanvraag, stempel: Stempel, aangemaakt_op: datetime.datetime | None = None
) -> dict[str, Any]:
    """Everything the template prints, read in a fixed number of queries. `aangemaakt_op`: the
    moment the document says it was made (a draft: now, unless given)."""

    aanvraag = (
        Aanvraag.objects.select_related("regieverband__trekker", "oproep")
        .prefetch_related("oproep__prioriteiten")
        .get(pk=aanvraag.pk)
    )
    leden = leden_van_aanvraag(aanvraag)
    return {
        "aanvraag": aanvraag,
        "oproep": aanvraag.oproep,
        "verband": aanvraag.regieverband,
        "leden": leden,
        "plan": meerjarenplan(aanvraag),
        "begroting": begroting(aanvraag),
        "bijlagen": list(aanvraag.bijlagen.select_related("bijlagetype", "bestuur")),
        "stempel": stempel,
        "aangemaakt_op": stempel.ingediend_op or aangemaakt_op or timezone.now(),
    }


def render_aanvraag(aanvraag: Aanvraag, stempel: Stempel) -> bytes:
    """The application document."""
    return render_pdf(TEMPLATE, aanvraag_context(aanvraag, stempel))
