"""The benchmark proper: build the data, warm up, time the three documents (the large aanvraag,
the plain document with the same text, the one-page baseline) in turn, round after round, in
the same run, measure memory."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import escape

from applications.aanvragen.models import Aanvraag, Actie
from applications.aanvragen.pdf import Stempel, render_aanvraag
from applications.core.pdf import PDF_LANGUAGE, html_to_pdf

from .data import build_large_aanvraag
from .measure import Measurement, Render, peak_python_memory, time_interleaved
from .plain import plain_html, render_plain


@dataclass(frozen=True)
class Results:
    large: Measurement
    plain: Measurement
    baseline: Measurement
    acties: int
    large_peak_python_bytes: int

    @property
    def ratio_to_plain(self) -> float:
        """The large aanvraag's median render against the plain document's, same run."""
        return self.large.median / self.plain.median


def baseline_html() -> str:
    """A one-page document with the stylesheet of aanvragen/pdf/aanvraag.html, for comparison."""
    title = escape("Basisdocument voor de benchmark")
    return f"""<!DOCTYPE html>
<html lang="{PDF_LANGUAGE}">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="stylesheet" href="{settings.STATIC_URL}css/pdf.css">
</head>
<body>
  <h1>{title}</h1>
  <p>Een korte alinea op één pagina: wat WeasyPrint kost voor een document zonder inhoud,
  met hetzelfde stijlblad als de aanvraag.</p>
</body>
</html>
"""


def large_render(aanvraag: Aanvraag) -> Render:
    def render() -> bytes:
        return render_aanvraag(aanvraag, Stempel(concept=True))

    return render


def plain_render(aanvraag: Aanvraag) -> Render:
    html = plain_html(aanvraag)

    def render() -> bytes:
        return render_plain(html)

    return render


def baseline_render() -> Render:
    html = baseline_html()

    def render() -> bytes:
        return html_to_pdf(html)

    return render


def run(repeat: int) -> Results:
    aanvraag = build_large_aanvraag()
    large = large_render(aanvraag)
    plain = plain_render(aanvraag)
    baseline = baseline_render()
    # Warm-up, not timed: the first render imports WeasyPrint and loads the fonts.
    large()
    plain()
    baseline()
    timed_large, timed_plain, timed_baseline = time_interleaved(
        {
            "large aanvraag": large,
            "plain document, same text": plain,
            "one-page baseline": baseline,
        },
        repeat,
    )
    return Results(
        large=timed_large,
        plain=timed_plain,
        baseline=timed_baseline,
        acties=Actie.objects.filter(aanvraag=aanvraag).count(),
        large_peak_python_bytes=peak_python_memory(large),
    )
