"""Submitting an aanvraag, sealing its PDF (hash stored, bytes never change), reading sealed
versions back, and the PDFs of a call for WSE."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db.models import Max, OuterRef, Subquery
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from applications.aanvragen import notifications, pdf
from applications.aanvragen.completeness import aanvraag_completeness
from applications.aanvragen.concept_pdf import concept_pdf
from applications.aanvragen.deadline import deadline_text, effective_deadline, is_before_deadline
from applications.aanvragen.models import (
    Aanvraag,
    Indiening,
)
from applications.aanvragen.pdf import Stempel
from applications.aanvragen.selectors import leden_van_aanvraag
from applications.aanvragen.services import aanvraag_transition, lock_aanvraag
from applications.aanvragen.statuses import EDITABLE_STATUSES, AanvraagStatus
from applications.accounts.models import User
from applications.besturen.permissions import is_regisseur_of
from applications.core.tabellen import Tabel, as_csv
from applications.core.transactions import atomic_with_files, store_file
from applications.oproepen.models import Oproep


@atomic_with_files()
def aanvraag_submit(
    *, aanvraag: Aanvraag, by: User, mandaat: str = "", now: datetime.datetime | None = None
) -> Aanvraag:
    """Submit a draft (or a reopened aanvraag). Refused after the deadline, or while incomplete.

    The deadline is checked here, on the server's clock, whatever the browser shows. On success
    the aanvraag is frozen (status ingediend), the time and submitter are stored, the PDF is
    sealed as a new version, and the verband's regisseurs get an e-mail once the transaction has
    committed. `mandaat`: the sentence the regisseur confirmed (`mandaat_zin`), kept with the
    version and printed in its PDF.
    """
    now = now or timezone.now()
    locked = lock_aanvraag(aanvraag)
    if not is_regisseur_of(by, locked.regieverband):
        raise PermissionDenied(
            _("Alleen de regisseurs van dit regieverband dienen de aanvraag in.")
        )
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Deze aanvraag is al %(status)s.")
            % {"status": AanvraagStatus(locked.status).label.lower()},
            code="not_editable",
        )
    if not is_before_deadline(locked, now=now):
        raise ValidationError(
            _(
                "Indienen kon tot en met %(deadline)s (Brusselse tijd). Die termijn is voorbij; "
                "de aanvraag is niet ingediend."
            )
            % {"deadline": deadline_text(effective_deadline(locked))},
            code="deadline_passed",
        )
    completeness = aanvraag_completeness(locked)
    if not completeness.is_complete:
        raise ValidationError(
            [_("Nog niet volledig: %(label)s.") % {"label": c.label} for c in completeness.missing],
            code="incomplete",
        )
    aanvraag_transition(aanvraag=locked, naar=AanvraagStatus.INGEDIEND, by=by, now=now)
    locked.ingediend_op = now
    locked.ingediend_door = by
    locked.save(update_fields=["ingediend_op", "ingediend_door", "gewijzigd_op"])
    # Sealed inside the transaction: if the PDF cannot be made, nothing is submitted.
    aanvraag_seal(aanvraag=locked, by=by, now=now, mandaat=mandaat)
    aanvraag_id = locked.pk
    notifications.send_submission_confirmation(aanvraag_id=aanvraag_id)
    return locked


def mandaat_zin(aanvraag: Aanvraag, by: User) -> str:
    """What the regisseur confirms at submission, word for word as it is kept and printed."""
    trekker = aanvraag.regieverband.trekker
    return _(
        "Ik, %(naam)s (%(email)s), dien deze aanvraag in namens %(verband)s, met het mandaat van "
        "het bestuur van de trekker, %(trekker)s."
    ) % {
        "naam": by.get_full_name() or by.email,
        "email": by.email,
        "verband": aanvraag.regieverband.naam,
        "trekker": trekker.naam if trekker else _("de trekker van het regieverband"),
    }


class SealBrokenError(Exception):
    """The stored bytes of a sealed PDF no longer match the hash recorded at submission."""


def aanvraag_inhoud(aanvraag: Aanvraag) -> dict[str, Any]:
    """The submitted content as plain data: texts, contact, actions and attachments."""
    return {
        "contact": {
            "naam": aanvraag.contact_naam,
            "functie": aanvraag.contact_functie,
            "email": aanvraag.contact_email,
            "telefoon": aanvraag.contact_telefoon,
        },
        "omgevingsanalyse": aanvraag.omgevingsanalyse,
        "visie": aanvraag.visie,
        "leden": [b.nis_code for b in leden_van_aanvraag(aanvraag)],
        "acties": [
            {
                "id": a.pk,
                "prioriteit": a.prioriteit.code,
                "jaar": a.jaar,
                "titel": a.titel,
                "beschrijving": a.beschrijving,
                "doelgroep": a.doelgroep,
                "verwacht_resultaat": a.verwacht_resultaat,
                "indicator": a.indicator,
                "partners": a.partners,
                "budget": str(a.budget),
            }
            for a in aanvraag.acties.select_related("prioriteit")
        ],
        "bijlagen": [
            {"naam": b.naam, "grootte": b.grootte, "sha256": b.sha256}
            for b in aanvraag.bijlagen.all()
        ],
    }


@atomic_with_files()
def aanvraag_seal(
    *,
    aanvraag: Aanvraag,
    by: User | None,
    now: datetime.datetime | None = None,
    mandaat: str = "",
) -> Indiening:
    """Render the PDF of a submission once and store it with its SHA-256 and size.

    Each call adds the next version; earlier versions stay. Called by `aanvraag_submit` while it
    holds the aanvraag's lock, so two submissions cannot take the same number.
    """
    now = now or timezone.now()
    nummer = (aanvraag.indieningen.aggregate(hoogste=Max("nummer"))["hoogste"] or 0) + 1
    stempel = Stempel(
        concept=False,
        versie=nummer,
        ingediend_op=now,
        ingediend_door=by.get_full_name() if by else "",
        mandaat=mandaat,
    )
    content = pdf.render_aanvraag(aanvraag, stempel)
    indiening = Indiening(
        aanvraag=aanvraag,
        nummer=nummer,
        ingediend_op=now,
        ingediend_door=by,
        pdf_sha256=hashlib.sha256(content).hexdigest(),
        pdf_grootte=len(content),
        inhoud=aanvraag_inhoud(aanvraag),
        mandaat=mandaat,
    )
    # The file is written before the row (never a row without its file) and removed again if
    # the transaction does not commit.
    store_file(indiening.pdf, indiening_filename(indiening), ContentFile(content))
    indiening.save()
    return indiening


def indiening_filename(indiening: Indiening) -> str:
    return pdf_filename(indiening.aanvraag, str(indiening.nummer))


def pdf_filename(aanvraag: Aanvraag, versie: str) -> str:
    """`aanvraag-<call>-<verband>-<version>.pdf`, safe as a download name."""
    return f"aanvraag-{aanvraag.oproep.slug}-{slugify(aanvraag.regieverband.naam)}-{versie}.pdf"


def read_sealed(stored: FieldFile, sha256: str) -> bytes:
    """The stored bytes of a sealed file (a submitted version, a decision letter), checked
    against the hash taken when it was sealed."""
    with stored.open("rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != sha256:
        raise SealBrokenError(f"Stored file {stored.name} does not match its SHA-256 {sha256}.")
    return content


@dataclass(frozen=True)
class PdfBestand:
    """A PDF ready to hand out: its download name, its bytes, and the sealed version it is."""

    naam: str
    inhoud: bytes
    indiening: Indiening | None


def aanvraag_pdf(
    aanvraag: Aanvraag, *, nummer: int | None = None, gebruiker_id: int | None = None
) -> PdfBestand:
    """The PDF of an aanvraag as a user downloads it.

    A given version number: those sealed bytes (`Indiening.DoesNotExist` if there is none).
    Otherwise, while the regisseurs can still change it: a draft marked "CONCEPT - niet
    ingediend", for a user (`gebruiker_id`) through the store and the render slots of
    `concept_pdf` (which may raise `PdfBezet`), otherwise (a command) made now. Otherwise the
    latest sealed version. An aanvraag submitted before sealing existed has no sealed version; it
    is printed now from its frozen content and says so.
    """
    if nummer is not None:
        indiening = aanvraag.indieningen.get(nummer=nummer)
        return PdfBestand(
            indiening_filename(indiening),
            read_sealed(indiening.pdf, indiening.pdf_sha256),
            indiening,
        )
    if aanvraag.status in EDITABLE_STATUSES:
        if gebruiker_id is not None:
            content = concept_pdf(aanvraag, gebruiker_id=gebruiker_id)
        else:
            content = pdf.render_aanvraag(aanvraag, Stempel(concept=True))
        return PdfBestand(pdf_filename(aanvraag, "concept"), content, None)
    latest = aanvraag.indieningen.order_by("-nummer").first()
    if latest is not None:
        return PdfBestand(
            indiening_filename(latest), read_sealed(latest.pdf, latest.pdf_sha256), latest
        )
    stempel = Stempel(
        concept=False,
        ingediend_op=aanvraag.ingediend_op,
        ingediend_door=aanvraag.ingediend_door.get_full_name() if aanvraag.ingediend_door else "",
    )
    content = pdf.render_aanvraag(aanvraag, stempel)
    return PdfBestand(pdf_filename(aanvraag, "onverzegeld"), content, None)


def submitted_pdfs(oproep: Oproep) -> list[Indiening]:
    """The latest sealed version of every aanvraag of a call, in the order of the verbanden."""
    hoogste = (
        Indiening.objects.filter(aanvraag=OuterRef("aanvraag"))
        .order_by("-nummer")
        .values("nummer")[:1]
    )
    return list(
        Indiening.objects.filter(aanvraag__oproep=oproep, nummer=Subquery(hoogste))
        .select_related("aanvraag__regieverband", "aanvraag__oproep")
        .order_by("aanvraag__regieverband__naam")
    )


def pdf_export(
    oproep: Oproep, *, indieningen: list[Indiening] | None = None
) -> list[tuple[str, bytes]]:
    """The files of a call's PDF export, for the ZIP download and `export_pdfs`.

    The latest sealed PDF of every submitted aanvraag, `SHA256SUMS` (checkable with
    `sha256sum -c SHA256SUMS`) and `overzicht.csv` (one row per PDF, Dutch headers).
    `indieningen`: the versions to export, as `submitted_pdfs` gave them to a caller that
    also needs them (the download logs each one); read now when not given.
    """
    rows = []
    used: set[str] = set()
    for i in submitted_pdfs(oproep) if indieningen is None else indieningen:
        name = indiening_filename(i)
        if name in used:  # two verband names with the same slug: add the reference
            name = pdf_filename(i.aanvraag, f"{i.aanvraag.pk}-{i.nummer}")
        used.add(name)
        rows.append((i, name, read_sealed(i.pdf, i.pdf_sha256)))
    sums = "".join(f"{indiening.pdf_sha256}  {name}\n" for indiening, name, _c in rows)
    overzicht = Tabel(
        "overzicht",
        [
            "Referentie",
            "Regieverband",
            "Versie",
            "Ingediend op",
            "Status",
            "Bestand",
            "Grootte (bytes)",
            "SHA-256",
        ],
        [
            [
                indiening.aanvraag.referentie,
                indiening.aanvraag.regieverband.naam,
                indiening.nummer,
                timezone.localtime(indiening.ingediend_op).replace(tzinfo=None),
                str(AanvraagStatus(indiening.aanvraag.status).label),
                name,
                indiening.pdf_grootte,
                indiening.pdf_sha256,
            ]
            for indiening, name, _content in rows
        ],
    )
    return [
        *((name, content) for _i, name, content in rows),
        ("SHA256SUMS", sums.encode()),
        ("overzicht.csv", as_csv(overzicht)),
    ]


def versie_gegevens(indiening: Indiening) -> dict[str, Any]:
    """What a download line keeps of a sealed version: which one, and the file's SHA-256."""
    return {"indiening": indiening.pk, "versie": indiening.nummer, "sha256": indiening.pdf_sha256}
