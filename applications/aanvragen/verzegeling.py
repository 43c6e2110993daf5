"""The worker's half of sealing: printing a submitted version's PDF from its snapshot, trying again
until it exists, and the state that the pages show meanwhile ("wordt verzegeld").

A submission freezes its snapshot and hash at once (`submission.aanvraag_seal`) and queues
`pdf_maken` for its version. Every minute `wachtende_pdfs` queues again the versions whose PDF is
still missing and whose next attempt is due: a render that failed (waits of 1, 2, 4... minutes, at
most an hour, with no end: the PDF is made in the end, or a beheerder sees why not), a task that
was lost or never ran (after `submission.EERSTE_KANS`), and an attempt whose worker died
mid-render (after `LOOPTIJD`). Rendering twice is harmless: the version is claimed
before the render, and the bytes are stored only while it has no PDF yet, so there is never a
second file and a stored PDF never changes.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from applications.aanvragen import pdf
from applications.aanvragen.models import Indiening
from applications.aanvragen.submission import VERZEGEL, indiening_filename
from applications.core import taken
from applications.core.transactions import atomic_with_files, store_file

logger = logging.getLogger(__name__)

# Versions queued again by one run of `wachtende_pdfs`; the rest wait for the next minute.
PER_RONDE = 100

# How long an attempt holds its version: a render takes seconds, but a worker killed mid-render
# never says so, and then the schedule takes the version again after this.
LOOPTIJD = datetime.timedelta(minutes=5)


def wachttijd(pogingen: int) -> datetime.timedelta:
    """How long after the `pogingen`-th attempt began, when it failed, the next may start: 1, 2,
    4... minutes, at most an hour."""
    return min(datetime.timedelta(minutes=2 ** max(pogingen - 1, 0)), datetime.timedelta(hours=1))


def pdf_maken(indiening_id: int, *, ook_als_niet_aan_de_beurt: bool = False) -> bool:
    """The worker's task: print the sealed PDF of one version from its snapshot and store it once.

    Returns True when this call stored the PDF; False when there was nothing to do (the PDF
    exists, another worker holds the version, or its next attempt is not due yet) or the attempt
    failed (the error is kept on the version and it is tried again later). Never raises for a
    failed render: the retry is ours, with its own waits, not the queue's.
    `ook_als_niet_aan_de_beurt`: an operator's "now" (`manage.py pdfs_verzegelen`), which skips
    the wait but never a claim another worker holds.
    """
    begonnen = timezone.now()
    indiening = _claim(indiening_id, nu=begonnen, negeer_wachttijd=ook_als_niet_aan_de_beurt)
    if indiening is None:
        return False
    try:
        content = pdf.render_inhoud(indiening.inhoud, indiening.inhoud_sha256)
        return _bewaar(indiening_id, content)
    except Exception as fout:
        logger.exception(
            "Sealed PDF of %s (version %s), attempt %s failed",
            indiening.aanvraag_id,
            indiening.nummer,
            indiening.pdf_pogingen,
        )
        reden = f"{type(fout).__name__}: {fout}"[:500]
        Indiening.objects.filter(pk=indiening_id, pdf_sha256="").update(
            pdf_laatste_fout=reden,
            pdf_volgende_poging=begonnen + wachttijd(indiening.pdf_pogingen),
        )
        return False


def _claim(indiening_id: int, *, nu: datetime.datetime, negeer_wachttijd: bool) -> Indiening | None:
    """Take the version for one attempt, in a transaction of its own that commits before the
    render: the attempt is counted and the version held for `LOOPTIJD` even if this worker dies
    mid-render, and no row lock is held while WeasyPrint works. The first attempt (the task
    queued at submission) always may; a later one only when the version is due."""
    with transaction.atomic():
        indiening = (
            Indiening.objects.select_for_update(skip_locked=True)
            .filter(pk=indiening_id, pdf_sha256="")
            .first()
        )
        if indiening is None:
            return None
        volgende = indiening.pdf_volgende_poging
        # Not yet: an attempt still holds it, or the wait after a failure runs. An operator's
        # "now" skips that wait, never an attempt that may still be running (no error noted).
        wacht = indiening.pdf_pogingen > 0 and volgende is not None and volgende > nu
        if wacht and not (negeer_wachttijd and indiening.pdf_laatste_fout):
            return None
        indiening.pdf_pogingen += 1
        indiening.pdf_volgende_poging = nu + LOOPTIJD
        indiening.save(update_fields=["pdf_pogingen", "pdf_volgende_poging"])
    return indiening


def _bewaar(indiening_id: int, content: bytes) -> bool:
    """Store the bytes as the version's PDF, unless another attempt stored one first."""
    with atomic_with_files():
        indiening = Indiening.objects.select_for_update().get(pk=indiening_id)
        if indiening.pdf_klaar:
            return False
        indiening.pdf_sha256 = hashlib.sha256(content).hexdigest()
        indiening.pdf_grootte = len(content)
        indiening.pdf_gemaakt_op = timezone.now()
        indiening.pdf_volgende_poging = None
        indiening.pdf_laatste_fout = ""
        # The file is written before the row (never a row without its file) and removed again if
        # the transaction does not commit.
        store_file(indiening.pdf, indiening_filename(indiening), ContentFile(content))
        indiening.save(
            update_fields=[
                "pdf",
                "pdf_sha256",
                "pdf_grootte",
                "pdf_gemaakt_op",
                "pdf_volgende_poging",
                "pdf_laatste_fout",
            ]
        )
    return True


def wachtende_pdfs() -> int:
    """The worker's schedule (every minute): queue the versions without PDF whose next attempt is
    due. Returns how many were queued."""
    ids = list(
        Indiening.objects.filter(pdf_sha256="")
        .filter(Q(pdf_volgende_poging__isnull=True) | Q(pdf_volgende_poging__lte=timezone.now()))
        .order_by("pdf_volgende_poging", "pk")
        .values_list("pk", flat=True)[:PER_RONDE]
    )
    for indiening_id in ids:
        taken.later(VERZEGEL, indiening_id)
    return len(ids)


@dataclass(frozen=True)
class Wachtrij:
    """What operators watch: versions whose PDF is missing, and those among them whose last
    attempt failed."""

    wachtend: list[Indiening]

    @property
    def mislukt(self) -> list[Indiening]:
        return [i for i in self.wachtend if i.pdf_laatste_fout]


def pdfs_in_de_maak() -> Wachtrij:
    """Every version whose sealed PDF is not made yet, oldest first, with its aanvraag."""
    return Wachtrij(
        list(
            Indiening.objects.filter(pdf_sha256="")
            .select_related("aanvraag__regieverband", "aanvraag__oproep")
            .order_by("ingediend_op", "pk")
        )
    )
