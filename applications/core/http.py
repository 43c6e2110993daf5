"""Small helpers for HTTP responses that every app's views use."""

from __future__ import annotations

from django.http import (
    HttpResponse,
)
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header


def pdf_response(content: bytes, naam: str, sha256: str | None = None) -> HttpResponse:
    """A PDF download; `sha256` of sealed bytes, which never change, is a true entity tag."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=naam) or "attachment"
    )
    if sha256 is not None:
        response["ETag"] = f'"{sha256}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response
