"""The decision letter as a PDF document (the engine is `applications.core.pdf`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from applications.beoordeling.models import Beslissing
from applications.core.pdf import render_pdf

if TYPE_CHECKING:
    pass


def render_beslissing(beslissing: Beslissing) -> bytes:
    """The decision letter: outcome, granted amounts, motivation. No scores, no internal notes."""
    aanvraag = beslissing.aanvraag
    return render_pdf(
        "beoordeling/pdf/beslissing.html",
        {
            "beslissing": beslissing,
            "aanvraag": aanvraag,
            "oproep": aanvraag.oproep,
            "verband": aanvraag.regieverband,
        },
    )
