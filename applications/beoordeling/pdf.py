"""The decision letter as a PDF document (the engine is `applications.core.pdf`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

from applications.beoordeling.models import Beslissing
from applications.core.pdf import render_pdf

if TYPE_CHECKING:
    pass


def render_beslissing(beslissing: Beslissing) -> bytes:
    """The decision letter: its legal basis, the outcome, the amounts per year, the call's
    conditions and how to object, signed for the department (the signatory is a setting, not the
    reviewer). No scores, no internal notes."""
    aanvraag = beslissing.aanvraag
    return render_pdf(
        "beoordeling/pdf/beslissing.html",
        {
            "beslissing": beslissing,
            "aanvraag": aanvraag,
            "oproep": aanvraag.oproep,
            "verband": aanvraag.regieverband,
            "ondertekenaar": settings.REGIEROL_ONDERTEKENAAR_NAAM,
            "ondertekenaar_functie": settings.REGIEROL_ONDERTEKENAAR_FUNCTIE,
        },
    )
