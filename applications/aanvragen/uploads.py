"""Checks on an uploaded PDF before it is stored: size, content, name and active content.

An attachment is judged by its bytes, never by its name or the browser's content type: it must
be a PDF that a reader opens without a password, that is not encrypted at all (restrictions on
printing or copying hinder WSE, who must read, print and archive it), and that has pages, and it
may not carry anything a PDF viewer would run or fetch by itself (JavaScript, a command to start a
program, embedded files, multimedia, an XFA form, a link to another file or a network share, a
form that sends or imports data, a web address opened when the document opens). Ordinary links a
reader clicks are fine. The uploaded name is only shown (and offered again on download); the stored
name is made by the model from the aanvraag and the file's SHA-256.

The check itself is bounded (`pdf_controle`), so that a crafted file cannot tie up a worker: at
most `REGIEROL_PDF_CONTROLE_MAX_ONDERDELEN` parts of the document walked, at most
`REGIEROL_PDF_CONTROLE_MAX_MB` of data unpacked in all (a "decompression bomb" spreads hundreds of
MB over many object streams, each under pypdf's own limit per stream), and at most
`REGIEROL_PDF_CONTROLE_SECONDEN` seconds; and it runs in a child process that the operating system
holds to `REGIEROL_PDF_CONTROLE_GEHEUGEN_MB` of memory and a CPU time limit. Past any of them the
file is refused: "Dit bestand kunnen we niet veilig nakijken".
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.aanvragen import pdf_controle
from applications.aanvragen.constants import PDF_MAX_UPLOAD_BYTES
from applications.aanvragen.pdf_controle import (
    ANDER_BESTAND,
    AUTOMATISCHE_LINK,
    FORMULIER_VERSTUREN,
    GEGEVENS_IMPORTEREN,
    INGESLOTEN_BESTANDEN,
    JAVASCRIPT,
    LAUNCH,
    RICHMEDIA,
    XFA,
)

# The longest name shown for an attachment, ".pdf" included.
NAAM_MAX = 120
DEFAULT_NAAM = "bijlage.pdf"
# Readers accept the "%PDF-" header anywhere in the first kilobyte.
HEADER_WINDOW = 1024

# What a PDF may not contain, with the words a user reads in the refusal.
ACTIEVE_INHOUD = {
    JAVASCRIPT: gettext_lazy("JavaScript"),
    LAUNCH: gettext_lazy("een opdracht om een programma te starten (Launch)"),
    INGESLOTEN_BESTANDEN: gettext_lazy("ingesloten bestanden"),
    RICHMEDIA: gettext_lazy("multimedia (RichMedia)"),
    XFA: gettext_lazy("een XFA-formulier"),
    ANDER_BESTAND: gettext_lazy("een link naar een ander bestand of een netwerkmap (GoToR)"),
    FORMULIER_VERSTUREN: gettext_lazy("een formulier dat gegevens verstuurt (SubmitForm)"),
    GEGEVENS_IMPORTEREN: gettext_lazy("een opdracht om gegevens in te lezen (ImportData)"),
    AUTOMATISCHE_LINK: gettext_lazy("een webadres dat vanzelf opent bij het openen"),
}

# Characters never kept in a shown name (white space becomes a space first): control characters,
# format characters (among them the right-to-left override U+202E that makes "fdp.exe" look like
# "exe.pdf", and zero-width characters), surrogates, private-use and unassigned code points.
_WEG = {"Cc", "Cf", "Cs", "Co", "Cn"}
# Characters Windows refuses in a file name; replaced so the name can be saved as offered.
_WINDOWS = re.compile(r'[<>:"|?*]')


@dataclass(frozen=True)
class GecontroleerdePdf:
    """An upload that passed every check: the name to show, its hash, size and pages."""

    naam: str
    sha256: str
    grootte: int
    paginas: int


def upload_sha256(upload: UploadedFile) -> str:
    """The SHA-256 of an uploaded file, read in chunks (a large upload is never read whole)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


def check_pdf_upload(upload: UploadedFile) -> GecontroleerdePdf:
    """Accept a real PDF of at most PDF_MAX_UPLOAD_BYTES without active content.

    Raises ValidationError (codes: empty, too_large, not_pdf, broken_pdf, encrypted, no_pages,
    too_complex, active_content) with a Dutch message that says what to do. Leaves the upload
    at its start, ready to be stored.
    """
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Het bestand is leeg."), code="empty")
    if size > PDF_MAX_UPLOAD_BYTES:
        megabytes = math.ceil(size * 10 / (1024 * 1024)) / 10  # 10 MB + 1 byte reads 10,1 MB
        raise ValidationError(
            _(
                "Het bestand is %(mb)s MB; het maximum is %(max)s MB. Maak het kleiner, "
                "bv. door scans in een lagere resolutie te bewaren."
            )
            % {
                "mb": formats.number_format(megabytes, 1),
                "max": PDF_MAX_UPLOAD_BYTES // (1024 * 1024),
            },
            code="too_large",
        )
    upload.seek(0)
    if b"%PDF-" not in upload.read(HEADER_WINDOW):
        raise ValidationError(
            _("Dit bestand is geen PDF (de inhoud telt, niet de naam). Bewaar het als PDF."),
            code="not_pdf",
        )
    upload.seek(0)
    paginas = _check_pdf_content(upload)
    upload.seek(0)
    sha256 = upload_sha256(upload)
    upload.seek(0)
    return GecontroleerdePdf(
        naam=safe_display_name(upload.name),
        sha256=sha256,
        grootte=size,
        paginas=paginas,
    )


def pdf_grenzen() -> pdf_controle.Grenzen:
    """The limits of the check, from the settings.

    The child's CPU time and the parent's wait are the hard stops behind line 1's own time
    limit: 2 and 5 seconds past it, so that line 1 decides whenever it can (its refusal is the
    same, and a child that answers costs less than one that is killed).
    """
    seconden = settings.REGIEROL_PDF_CONTROLE_SECONDEN
    return pdf_controle.Grenzen(
        max_bytes=settings.REGIEROL_PDF_CONTROLE_MAX_MB * 1024 * 1024,
        max_onderdelen=settings.REGIEROL_PDF_CONTROLE_MAX_ONDERDELEN,
        seconden=seconden,
        geheugen_bytes=settings.REGIEROL_PDF_CONTROLE_GEHEUGEN_MB * 1024 * 1024,
        cpu_seconden=seconden + 2,
        wachttijd=seconden + 5,
    )


def _check_pdf_content(upload: UploadedFile) -> int:
    """Open the PDF, check it is readable and has pages and no active content; its page count.

    In a child process with limits (`pdf_controle.nakijken_apart`) unless
    REGIEROL_PDF_CONTROLE_APART is off or the system cannot limit a process (Windows).
    """
    grenzen = pdf_grenzen()
    if settings.REGIEROL_PDF_CONTROLE_APART and pdf_controle.apart_mogelijk():
        uitslag = pdf_controle.nakijken_apart(upload.read(), grenzen)
    else:
        uitslag = pdf_controle.nakijken(upload, grenzen)
    if uitslag.fout is not None:
        raise ValidationError(_FOUTEN[uitslag.fout], code=uitslag.fout)
    if uitslag.gevonden:
        raise ValidationError(
            _(
                "Deze PDF bevat %(wat)s. Zulke actieve inhoud aanvaardt het portaal niet. "
                "Open het bestand en druk het opnieuw af naar PDF (bv. met 'Microsoft Print "
                "to PDF' of 'Opslaan als PDF'): die kopie bevat alleen de pagina's."
            )
            % {
                "wat": get_text_list(
                    [
                        str(ACTIEVE_INHOUD[soort])
                        for soort in ACTIEVE_INHOUD
                        if soort in uitslag.gevonden
                    ],
                    _("en"),
                )
            },
            code="active_content",
        )
    return uitslag.paginas


# Why a PDF is refused before its content is judged, by pdf_controle's codes.
_FOUTEN = {
    pdf_controle.WACHTWOORD: gettext_lazy(
        "Deze PDF is beveiligd met een wachtwoord en kan niet gelezen worden. "
        "Bewaar hem zonder wachtwoord en laad hem opnieuw op."
    ),
    pdf_controle.VERSLEUTELD: gettext_lazy(
        "Deze PDF is beveiligd (versleuteld, bv. tegen afdrukken of kopiëren). "
        "WSE moet hem kunnen lezen, afdrukken en bewaren: bewaar hem zonder "
        "beveiliging en laad hem opnieuw op."
    ),
    pdf_controle.KAPOT: gettext_lazy(
        "Deze PDF is beschadigd of kan niet gelezen worden. Open het bestand en druk het "
        "opnieuw af naar PDF, of bewaar het opnieuw als PDF."
    ),
    pdf_controle.GEEN_PAGINAS: gettext_lazy("Deze PDF heeft geen pagina's."),
    pdf_controle.TE_COMPLEX: gettext_lazy(
        "Dit bestand kunnen we niet veilig nakijken: uitgepakt is het uitzonderlijk groot "
        "of bestaat het uit uitzonderlijk veel onderdelen. Druk het opnieuw af naar PDF "
        "en laad die kopie op."
    ),
}


def safe_display_name(raw: str | None) -> str:
    """The uploaded name made safe to show and to offer on download.

    Keeps the last path part only, turns every kind of white space into one space, drops control,
    format (right-to-left override, zero-width) and unassigned characters, replaces the
    characters Windows refuses, removes leading and trailing dots and spaces and runs of dots,
    ends the name in `.pdf` and shortens it to NAAM_MAX characters. Never used as a path: storage
    names come from `bijlage_path`.
    """
    naam = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    naam = "".join(
        " " if teken.isspace() else teken
        for teken in naam
        if teken.isspace() or unicodedata.category(teken) not in _WEG
    )
    naam = re.sub(r" +", " ", _WINDOWS.sub("_", naam)).strip()
    if naam.lower().endswith(".pdf"):
        stam, extensie = naam[:-4], naam[-4:]
    else:
        stam, extensie = naam, ".pdf"
    stam = re.sub(r"\.{2,}", ".", stam).strip(" .")
    stam = stam[: NAAM_MAX - len(extensie)].rstrip(" .")
    return stam + extensie if stam else DEFAULT_NAAM
