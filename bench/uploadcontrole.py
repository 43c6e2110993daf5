"""The upload check of a PDF (`uploads.check_pdf_upload`), timed in the worker's own process and
in its child process under limits (REGIEROL_PDF_CONTROLE_APART), on PDFs the portal's WeasyPrint
makes: one page, and 40 pages with headings, links and a table on each (tagged PDF/UA, as an
office program's "Save as PDF" makes them, more or less). What the child costs is its start: a
fresh interpreter that imports pypdf."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils.html import escape

from applications.aanvragen.uploads import check_pdf_upload
from applications.core.pdf import PDF_LANGUAGE, html_to_pdf

from .measure import page_count

_ALINEA = escape(
    "Het regieverband brengt de lokale besturen, VDAB, de maatwerkbedrijven en de lokale "
    "diensteneconomie samen rond één agenda voor werk en sociale economie. "
)


def document_html(pages: int) -> str:
    """`pages` pages, each a section that ends in a page break: the page count is exact."""
    secties = "".join(
        f"""<section style="break-after: page" id="s{n}">
  <h2>Hoofdstuk {n}</h2>
  <p>{_ALINEA * 5} <a href="https://www.vlaanderen.be/werk/{n}">Meer op vlaanderen.be</a>,
  <a href="#s1">terug naar het begin</a>.</p>
  <table><caption>Acties in hoofdstuk {n}</caption>
  {"".join(f"<tr><td>Actie {n}.{a}</td><td>{1000 * a} euro</td></tr>" for a in range(1, 9))}
  </table>
</section>"""
        for n in range(1, pages + 1)
    )
    return f"""<!DOCTYPE html>
<html lang="{PDF_LANGUAGE}">
<head><meta charset="utf-8"><title>Bijlage voor de benchmark</title></head>
<body>{secties}</body>
</html>
"""


@dataclass(frozen=True)
class UploadMeasurement:
    """One PDF checked `repeat` times each way: the wall-clock seconds of every check."""

    name: str
    pages: int
    size: int
    in_process: tuple[float, ...]
    child: tuple[float, ...]

    @property
    def in_process_median(self) -> float:
        return statistics.median(self.in_process)

    @property
    def child_median(self) -> float:
        return statistics.median(self.child)


def check_seconds(data: bytes, *, apart: bool) -> tuple[float, int]:
    """One upload check of `data`, in a child process or not: its seconds, and the pages found."""
    with override_settings(REGIEROL_PDF_CONTROLE_APART=apart):
        start = time.perf_counter()
        gecontroleerd = check_pdf_upload(SimpleUploadedFile("bijlage.pdf", data))
        return time.perf_counter() - start, gecontroleerd.paginas


def measure(name: str, data: bytes, repeat: int) -> UploadMeasurement:
    """One warm-up check each way, then `repeat` rounds of both (alternating, so that a slower
    moment of the machine weighs on both alike). Both ways must find every page."""
    pages = page_count(data)
    tijden: dict[bool, list[float]] = {False: [], True: []}
    for ronde in range(repeat + 1):
        for apart in (False, True):
            seconden, gevonden = check_seconds(data, apart=apart)
            if gevonden != pages:
                raise AssertionError(f"{name}: the check found {gevonden} of {pages} pages")
            if ronde:
                tijden[apart].append(seconden)
    return UploadMeasurement(
        name=name,
        pages=pages,
        size=len(data),
        in_process=tuple(tijden[False]),
        child=tuple(tijden[True]),
    )


def run_upload(repeat: int) -> list[UploadMeasurement]:
    return [
        measure(f"{pages}-page PDF", html_to_pdf(document_html(pages)), repeat) for pages in (1, 40)
    ]
