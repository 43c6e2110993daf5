"""Turning HTML into PDF: the one module that talks to WeasyPrint, for every app that renders one.

WeasyPrint is imported inside the functions: it is slow to import and only needed when a PDF is
made. It may read nothing but the project's own static files (`static_path_for`): a `file://`
URL would pull files of the host into the PDF, and a remote URL would make the server fetch
whatever a user typed. User text is escaped by the template anyway; the fetcher is the second
lock on the same door.
"""

from __future__ import annotations

import hashlib
import mimetypes
from functools import cache
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher


# The document's own address. It is never fetched: relative links in the templates resolve
# against it, and the fetcher maps its static part to files on disk.
BASE_URL = "https://regierol.invalid/"


PDF_VARIANT = "pdf/ua-1"


PDF_LANGUAGE = "nl-BE"


STYLESHEET = "css/pdf.css"


class RefusedUrl(ValueError):
    """A resource the PDF may not load: anything but the project's own static files."""


def static_path_for(url: str) -> Path:
    """The file on disk behind a static URL of the PDF, or `RefusedUrl`.

    Only `BASE_URL` + `STATIC_URL` + a relative path without `..` that the static-files finders
    know is allowed; `file://`, `data:`, other hosts and query strings are refused.
    """
    parts = urlsplit(url)
    base = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query:
        raise RefusedUrl(f"Alleen eigen statische bestanden, niet {url!r}.")
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    path = unquote(parts.path)
    if not path.startswith(static_prefix):
        raise RefusedUrl(f"Alleen eigen statische bestanden, niet {url!r}.")
    relative = PurePosixPath(path.removeprefix(static_prefix))
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise RefusedUrl(f"Ongeldig pad {url!r}.")
    found = finders.find(str(relative))
    if not isinstance(found, str):
        raise RefusedUrl(f"Geen statisch bestand: {url!r}.")
    return Path(found)


def _url_fetcher() -> URLFetcher:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            path = static_path_for(url)
            mime_type, _encoding = mimetypes.guess_type(path.name)
            return URLFetcherResponse(
                url,
                body=path.read_bytes(),
                headers={"Content-Type": mime_type or "application/octet-stream"},
            )

    return StaticFilesOnly(allowed_protocols=("https",), allow_redirects=False)


def html_to_pdf(html: str) -> bytes:
    """Tagged PDF/UA-1 from HTML; title, author and language come from the HTML's head."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_url_fetcher())
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None
    return pdf


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """A PDF template (`<app>/pdf/...`, e.g. "aanvragen/pdf/aanvraag.html") as PDF: always in Dutch
    and Brussels time, whatever language the requesting user reads, with the PDF stylesheet."""
    return html_to_pdf(render_html(template, context))


def render_html(template: str, context: dict[str, Any]) -> str:
    """The HTML that `render_pdf` hands to WeasyPrint."""
    context = {
        **context,
        "static_base": settings.STATIC_URL,
        "stylesheet": STYLESHEET,
        "lang": PDF_LANGUAGE,
    }
    with translation.override("nl-be"), timezone.override("Europe/Brussels"):
        return render_to_string(template, context)


@cache
def stylesheet_sha256() -> str:
    """The PDF stylesheet's SHA-256: what a PDF looks like depends on it as on its HTML."""
    gevonden = finders.find(STYLESHEET)
    assert isinstance(gevonden, str), STYLESHEET
    return hashlib.sha256(Path(gevonden).read_bytes()).hexdigest()
