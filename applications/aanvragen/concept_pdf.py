"""The draft PDF of an aanvraag: made once per content, and never too many at a time.

Making the PDF of a large aanvraag takes seconds of CPU. So:

- **Kept while nothing changed.** The key (`sleutel`) is the SHA-256 of the HTML the PDF is made
  from (with a fixed time in place of "gemaakt op"), of the stylesheet and of `OPMAAK`: anything
  the PDF shows is in that HTML (texts, actions, attachments, members, extensions, the call's
  settings), so no writer has to remember to invalidate it. While the key is the same, the bytes
  stored in `ConceptPdf` (the database: shared by every process and server) are handed out.
- **Bounded.** One render at a time per user and `REGIEROL_PDF_GELIJKTIJDIG` in all, counted with
  PostgreSQL advisory locks (held by the request's connection, so they hold across processes and
  servers and vanish with a crashed process). On SQLite, the single-server demo, a semaphore in
  the process does the same.
- **Never a timeout.** A request that gets no slot waits up to `REGIEROL_PDF_WACHTTIJD` seconds,
  taking the PDF as soon as another request has stored it, and otherwise raises `PdfBezet`: the
  page then says "wordt aangemaakt" and asks again a few seconds later.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connection
from django.utils import timezone

from applications.aanvragen import pdf
from applications.aanvragen.models import Aanvraag, ConceptPdf
from applications.core.pdf import html_to_pdf, render_html, stylesheet_sha256

# Raise when the PDF changes in a way its HTML and stylesheet do not show (the engine's options).
OPMAAK = "1"

# The "gemaakt op" of the HTML that is hashed: not part of what the PDF says about the content.
_VASTE_TIJD = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)

# Advisory lock classes (the first of PostgreSQL's two-integer form): per user, per slot.
_SLOT_GEBRUIKER = 0x52474C31
_SLOT_TOTAAL = 0x52474C32


class PdfBezet(Exception):
    """No slot came free in time; the PDF is being made for someone (or something) else."""


def sleutel(aanvraag: Aanvraag, stempel: pdf.Stempel) -> str:
    html = render_html(pdf.TEMPLATE, pdf.aanvraag_context(aanvraag, stempel, _VASTE_TIJD))
    inhoud = f"{OPMAAK}\n{stylesheet_sha256()}\n{html}"
    return hashlib.sha256(inhoud.encode()).hexdigest()


def concept_pdf(aanvraag: Aanvraag, *, gebruiker_id: int) -> bytes:
    """The draft PDF, from the store when its content did not change, or made now."""
    stempel = pdf.Stempel(concept=True)
    gezocht = sleutel(aanvraag, stempel)
    tot = time.monotonic() + settings.REGIEROL_PDF_WACHTTIJD
    while True:
        bewaard = _bewaard(aanvraag, gezocht)
        if bewaard is not None:
            return bewaard
        with _plaats(gebruiker_id) as gekregen:
            if gekregen:
                bewaard = _bewaard(aanvraag, gezocht)  # made while this request waited
                if bewaard is not None:
                    return bewaard
                return _maken(aanvraag, stempel, gezocht)
        if time.monotonic() >= tot:
            raise PdfBezet
        time.sleep(0.25)


def _bewaard(aanvraag: Aanvraag, gezocht: str) -> bytes | None:
    inhoud = (
        ConceptPdf.objects.filter(aanvraag=aanvraag, sleutel=gezocht)
        .values_list("inhoud", flat=True)
        .first()
    )
    return bytes(inhoud) if inhoud is not None else None


def _maken(aanvraag: Aanvraag, stempel: pdf.Stempel, gezocht: str) -> bytes:
    html = render_html(pdf.TEMPLATE, pdf.aanvraag_context(aanvraag, stempel))
    inhoud = html_to_pdf(html)
    ConceptPdf.objects.update_or_create(
        aanvraag=aanvraag,
        defaults={"sleutel": gezocht, "inhoud": inhoud, "aangemaakt_op": timezone.now()},
    )
    return inhoud


# --- Slots ---------------------------------------------------------------------------------------


@contextmanager
def _plaats(gebruiker_id: int) -> Iterator[bool]:
    """One of the render slots, and this user's own, or False when none is free now."""
    if connection.vendor == "postgresql":
        with _advisory_plaats(gebruiker_id) as gekregen:
            yield gekregen
    else:
        with _proces_plaats(gebruiker_id) as gekregen:
            yield gekregen


def _try_lock(klasse: int, nummer: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [klasse, nummer])
        row = cursor.fetchone()
    return bool(row and row[0])


def _unlock(klasse: int, nummer: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [klasse, nummer])


@contextmanager
def _advisory_plaats(gebruiker_id: int) -> Iterator[bool]:
    if not _try_lock(_SLOT_GEBRUIKER, gebruiker_id):
        yield False
        return
    try:
        slot = next(
            (i for i in range(settings.REGIEROL_PDF_GELIJKTIJDIG) if _try_lock(_SLOT_TOTAAL, i)),
            None,
        )
        if slot is None:
            yield False
            return
        try:
            yield True
        finally:
            _unlock(_SLOT_TOTAAL, slot)
    finally:
        _unlock(_SLOT_GEBRUIKER, gebruiker_id)


_proces_slot = threading.Lock()
_proces_bezig: set[int] = set()


@contextmanager
def _proces_plaats(gebruiker_id: int) -> Iterator[bool]:
    with _proces_slot:
        vrij = (
            gebruiker_id not in _proces_bezig
            and len(_proces_bezig) < settings.REGIEROL_PDF_GELIJKTIJDIG
        )
        if vrij:
            _proces_bezig.add(gebruiker_id)
    if not vrij:
        yield False
        return
    try:
        yield True
    finally:
        with _proces_slot:
            _proces_bezig.discard(gebruiker_id)
