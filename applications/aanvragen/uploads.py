"""Checks on an uploaded PDF before it is stored: size, content, name and active content.

An attachment is judged by its bytes, never by its name or the browser's content type: it must
be a PDF that a reader opens without a password, that is not encrypted at all (restrictions on
printing or copying hinder WSE, who must read, print and archive it), and that has pages, and it
may not carry anything a PDF viewer would run or fetch by itself (JavaScript, a command to start a
program, embedded files, multimedia, an XFA form, a link to another file or a network share, a
form that sends or imports data, a web address opened when the document opens). Ordinary links a
reader clicks are fine. The uploaded name is only shown (and offered again on download); the stored
name is made by the model from the aanvraag and the file's SHA-256.

The check itself is bounded, so that a crafted file cannot tie up a worker: at most `MAX_OBJECTEN`
objects walked, at most `REGIEROL_PDF_CONTROLE_MAX_MB` of data unpacked in all (a "decompression
bomb" spreads hundreds of MB over many object streams, each under pypdf's own limit per stream),
and at most `REGIEROL_PDF_CONTROLE_SECONDEN` seconds. Past any of them the file is refused: "Dit
bestand kunnen we niet veilig nakijken".
"""

from __future__ import annotations

import hashlib
import math
import re
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import pypdf.filters as pypdf_filters
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from applications.aanvragen.constants import PDF_MAX_UPLOAD_BYTES

# The longest name shown for an attachment, ".pdf" included.
NAAM_MAX = 120
DEFAULT_NAAM = "bijlage.pdf"
# Readers accept the "%PDF-" header anywhere in the first kilobyte.
HEADER_WINDOW = 1024
# A PDF of at most 10 MB made by an office program or a scanner has a few thousand objects; a file
# with more than this many is refused rather than walked (pypdf reads some 10,000-30,000 objects a
# second: the limit keeps a crafted file from tying up a worker for long).
MAX_OBJECTEN = 50_000

# What a PDF may not contain, with the words a user reads in the refusal.
JAVASCRIPT = "javascript"
LAUNCH = "launch"
INGESLOTEN_BESTANDEN = "embedded_files"
RICHMEDIA = "richmedia"
XFA = "xfa"
ANDER_BESTAND = "gotor"
FORMULIER_VERSTUREN = "submitform"
GEGEVENS_IMPORTEREN = "importdata"
AUTOMATISCHE_LINK = "openaction_uri"
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

# Dictionary keys that are active content whatever their value.
_SLEUTELS = {
    "/JS": JAVASCRIPT,  # the script of a JavaScript action (in /OpenAction, /AA, /A, ...)
    "/JavaScript": JAVASCRIPT,  # the document-level scripts in the /Names tree
    "/EmbeddedFiles": INGESLOTEN_BESTANDEN,  # the /Names tree of attached files
    "/EF": INGESLOTEN_BESTANDEN,  # a file specification that carries the file itself
    "/RichMediaContent": RICHMEDIA,
    "/RichMediaSettings": RICHMEDIA,
    "/XFA": XFA,  # in /AcroForm
}
# (key, value) pairs that are active content: action types and annotation/object types.
_WAARDEN = {
    ("/S", "/JavaScript"): JAVASCRIPT,
    ("/S", "/Launch"): LAUNCH,
    ("/S", "/GoToR"): ANDER_BESTAND,
    ("/S", "/GoToE"): ANDER_BESTAND,
    ("/S", "/SubmitForm"): FORMULIER_VERSTUREN,
    ("/S", "/ImportData"): GEGEVENS_IMPORTEREN,
    ("/Type", "/EmbeddedFile"): INGESLOTEN_BESTANDEN,
    ("/Subtype", "/FileAttachment"): INGESLOTEN_BESTANDEN,
    ("/Subtype", "/RichMedia"): RICHMEDIA,
}

# Not walked: the tagged-PDF structure tree (a node per paragraph, thousands in a long accessible
# document) only describes content; nothing in it runs unless it is also reachable from a page,
# an annotation or the catalog, where the walk finds it.
_NIET_DOORLOPEN = {"/StructTreeRoot"}
# Actions under these keys run when the document or a page opens, without a click.
_VANZELF = {"/OpenAction", "/AA"}

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


class _TeVeelObjecten(LimitReachedError):
    """A limit of the check was reached: objects, unpacked bytes or time.

    A LimitReachedError, because pypdf reads leniently (strict=False) and keeps a dictionary as far
    as it got when a value inside it fails, except for its own limits: a plain exception raised
    while it read an /OpenAction let it keep the action without its /JS, and the file passed."""


@dataclass
class _Budget:
    bytes_over: int
    tot: float  # time.monotonic() after which the check gives up
    bereikt: bool = False  # a limit was reached, even if a reader swallowed the exception


# The budget of the check running in this thread or task; None outside a check.
_BUDGET: ContextVar[_Budget | None] = ContextVar("regierol_pdf_budget", default=None)
_pypdf_decode = pypdf_filters.decode_stream_data


def _begrensd_decode(stream: Any) -> bytes:
    """pypdf's unpacking of one stream, counted against the running check's budget."""
    budget = _BUDGET.get()
    if budget is not None and time.monotonic() > budget.tot:
        budget.bereikt = True
        raise _TeVeelObjecten
    data = _pypdf_decode(stream)
    if budget is not None:
        budget.bytes_over -= len(data)
        if budget.bytes_over < 0:
            budget.bereikt = True
            raise _TeVeelObjecten
    return data


# pypdf looks the function up in its module each time it unpacks a stream (pypdf 7.1).
pypdf_filters.decode_stream_data = _begrensd_decode


@contextmanager
def _begrensd() -> Iterator[_Budget]:
    """Run a check within the limits: bytes unpacked in all (and so per stream), and time."""
    maximum = settings.REGIEROL_PDF_CONTROLE_MAX_MB * 1024 * 1024
    budget = _Budget(maximum, time.monotonic() + settings.REGIEROL_PDF_CONTROLE_SECONDEN)
    token = _BUDGET.set(budget)
    try:
        with apply_configuration(
            zlib_maximum_output_length=maximum,
            lzw_maximum_output_length=maximum,
            run_length_maximum_output_length=maximum,
            array_based_stream_maximum_output_length=maximum,
            jbig2_maximum_output_length=maximum,
        ):
            yield budget
    finally:
        _BUDGET.reset(token)


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


def _check_pdf_content(upload: UploadedFile) -> int:
    """Open the PDF, check it is readable and has pages and no active content; its page count."""
    kapot = ValidationError(
        _(
            "Deze PDF is beschadigd of kan niet gelezen worden. Open het bestand en druk het "
            "opnieuw af naar PDF, of bewaar het opnieuw als PDF."
        ),
        code="broken_pdf",
    )
    try:
        with _begrensd() as budget:
            reader = PdfReader(upload, strict=False)
            if reader.is_encrypted:
                if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
                    raise ValidationError(
                        _(
                            "Deze PDF is beveiligd met een wachtwoord en kan niet gelezen worden. "
                            "Bewaar hem zonder wachtwoord en laad hem opnieuw op."
                        ),
                        code="encrypted",
                    )
                raise ValidationError(
                    _(
                        "Deze PDF is beveiligd (versleuteld, bv. tegen afdrukken of kopiëren). "
                        "WSE moet hem kunnen lezen, afdrukken en bewaren: bewaar hem zonder "
                        "beveiliging en laad hem opnieuw op."
                    ),
                    code="encrypted",
                )
            paginas = len(reader.pages)
            if paginas < 1:
                raise ValidationError(_("Deze PDF heeft geen pagina's."), code="no_pages")
            gevonden = active_content(reader)
            # Whatever was read past a limit was not seen: the file is not judged on the rest.
            if budget.bereikt:
                raise _TeVeelObjecten
    except (_TeVeelObjecten, LimitReachedError):  # ours, or one of pypdf's parsing limits
        raise ValidationError(
            _(
                "Dit bestand kunnen we niet veilig nakijken: uitgepakt is het uitzonderlijk groot "
                "of bestaat het uit uitzonderlijk veel onderdelen. Druk het opnieuw af naar PDF "
                "en laad die kopie op."
            ),
            code="too_complex",
        ) from None
    except (
        PyPdfError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        AttributeError,
        OSError,
        NotImplementedError,  # an encryption method pypdf does not know
        RecursionError,
    ) as exc:
        raise kapot from exc
    if gevonden:
        raise ValidationError(
            _(
                "Deze PDF bevat %(wat)s. Zulke actieve inhoud aanvaardt het portaal niet. "
                "Open het bestand en druk het opnieuw af naar PDF (bv. met 'Microsoft Print "
                "to PDF' of 'Opslaan als PDF'): die kopie bevat alleen de pagina's."
            )
            % {
                "wat": get_text_list(
                    [str(ACTIEVE_INHOUD[soort]) for soort in ACTIEVE_INHOUD if soort in gevonden],
                    _("en"),
                )
            },
            code="active_content",
        )
    return paginas


def active_content(reader: PdfReader) -> set[str]:
    """The kinds of active content (keys of ACTIEVE_INHOUD) anywhere in the document.

    Walks every object reachable from the trailer (the catalog, its /Names tree, /OpenAction,
    /AcroForm, every page with its /AA and annotations, ...), each indirect object once, except
    the structure tree. Only dictionary keys and names are read, never the content of streams.
    Raises _TeVeelObjecten after MAX_OBJECTEN indirect objects.
    """
    gevonden: set[str] = set()
    gezien: set[tuple[int, int]] = set()
    # (object, reached through /OpenAction or /AA: runs without a click)
    stapel: list[tuple[Any, bool]] = [(reader.trailer, False)]
    budget = _BUDGET.get()
    while stapel:
        obj, vanzelf = stapel.pop()
        if budget is not None and time.monotonic() > budget.tot:
            raise _TeVeelObjecten
        if isinstance(obj, IndirectObject):
            sleutel = (obj.idnum, obj.generation)
            if sleutel in gezien:
                continue
            gezien.add(sleutel)
            if len(gezien) > MAX_OBJECTEN:
                raise _TeVeelObjecten
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams too: their dictionary, not their data
            for naam, waarde in obj.items():
                soort = _SLEUTELS.get(naam)
                if soort is None and naam in ("/S", "/Type", "/Subtype"):
                    soort = _WAARDEN.get((naam, str(_resolve(waarde))))
                elif soort is None and naam == "/URI":
                    soort = _uri_soort(waarde, vanzelf)
                if soort is not None:
                    gevonden.add(soort)
                if naam not in _NIET_DOORLOPEN:
                    stapel.append((waarde, vanzelf or naam in _VANZELF))
        elif isinstance(obj, ArrayObject):
            stapel.extend((waarde, vanzelf) for waarde in obj)
    return gevonden


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _uri_soort(value: Any, vanzelf: bool) -> str | None:
    """What a link's address is, if it is active content: a script (`javascript:`, also with
    control characters or spaces before or inside the scheme, which browsers drop), a file or a
    network share (`file:`, a UNC path `\\\\server\\share`: opening it sends the Windows login
    to that server), or any address opened by itself (in /OpenAction or /AA)."""
    uri = _resolve(value)
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    kaal = "".join(teken for teken in str(uri) if ord(teken) > 0x20).lower()
    if kaal.startswith(("javascript:", "vbscript:")):
        return JAVASCRIPT
    if kaal.startswith(("file:", "\\\\", "//", "smb:")):
        return ANDER_BESTAND
    if vanzelf:
        return AUTOMATISCHE_LINK
    return None


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
