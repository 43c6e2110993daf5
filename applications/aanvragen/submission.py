"""Submitting an aanvraag, sealing it (the snapshot and its hash at once, the PDF from the
snapshot by the worker: `verzegeling`), reading sealed versions back, and the PDFs of a call for
WSE."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
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
from applications.aanvragen.momentopname import (
    aanvraag_inhoud,
    indiening_gegevens,
    inhoud_sha256,
)
from applications.aanvragen.pdf import Stempel
from applications.aanvragen.services import aanvraag_transition, lock_aanvraag
from applications.aanvragen.statuses import EDITABLE_STATUSES, AanvraagStatus
from applications.accounts.models import User
from applications.besturen.permissions import is_regisseur_of
from applications.core import taken
from applications.core.tabellen import Tabel, as_csv
from applications.oproepen.models import Oproep

# The worker's task that prints a sealed version's PDF from its snapshot.
VERZEGEL = "applications.aanvragen.verzegeling.pdf_maken"

# How long the task queued at submission has before the schedule (`verzegeling.wachtende_pdfs`)
# queues the version again: at the deadline hour the worker may be busy with other submissions.
EERSTE_KANS = datetime.timedelta(minutes=2)


@transaction.atomic
def aanvraag_submit(
    *, aanvraag: Aanvraag, by: User, mandaat: str = "", now: datetime.datetime | None = None
) -> Aanvraag:
    """Submit a draft (or a reopened aanvraag). Refused after the deadline, or while incomplete.

    The deadline is checked here, on the server's clock, whatever the browser shows. The row is
    locked first, so a second click or a second server waits and then finds it submitted. On
    success, in one transaction: the aanvraag is frozen (status ingediend), the time and
    submitter are stored, the snapshot of everything sent is sealed with its SHA-256 as a new
    version (`aanvraag_seal`), and the e-mail to the verband's regisseurs is queued. Nothing here
    waits for the PDF: the worker prints it from the snapshot after the commit. `mandaat`: the
    sentence the regisseur confirmed (`mandaat_zin`), kept with the version and printed in its PDF.
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
    # The snapshot is frozen inside the transaction: no status change without it, and no
    # snapshot of a submission that did not happen. Its PDF is the worker's job.
    indiening = aanvraag_seal(aanvraag=locked, by=by, now=now, mandaat=mandaat)
    notifications.send_submission_confirmation(aanvraag_id=locked.pk, indiening_id=indiening.pk)
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


class PdfWordtVerzegeld(Exception):
    """The snapshot of this version is sealed, its PDF is not made yet ("wordt verzegeld")."""

    def __init__(self, indiening: Indiening) -> None:
        super().__init__(f"The PDF of {indiening} is not made yet.")
        self.indiening = indiening


class PdfVerwijderd(Exception):
    """The sealed PDF of this version was deleted whole after the archive period of its closed
    dossier; its SHA-256 and size are kept on the version."""

    def __init__(self, indiening: Indiening) -> None:
        super().__init__(f"The PDF of {indiening} was deleted after its archive period.")
        self.indiening = indiening


@transaction.atomic
def aanvraag_seal(
    *,
    aanvraag: Aanvraag,
    by: User | None,
    now: datetime.datetime | None = None,
    mandaat: str = "",
    wijziging: dict[str, Any] | None = None,
) -> Indiening:
    """Seal a submission: freeze the snapshot of everything sent, with its SHA-256, as the next
    version, and queue its PDF for the worker (`verzegeling.pdf_maken`).

    The snapshot is the legal proof and exists when this transaction commits; the PDF follows,
    printed from the snapshot. Each call adds the next version; earlier versions stay. Called by
    `aanvraag_submit` while it holds the aanvraag's lock, so two submissions cannot take the same
    number. `wijziging`: a change to the plan that WSE approved during the uitvoering (plain
    data, canonical as the rest of the snapshot), sealed with the plan it made; the PDF prints
    it (`Indiening.wijzigingsnummer`).
    """
    now = now or timezone.now()
    nummer = (aanvraag.indieningen.aggregate(hoogste=Max("nummer"))["hoogste"] or 0) + 1
    inhoud = {
        **aanvraag_inhoud(aanvraag),
        "indiening": indiening_gegevens(versie=nummer, ingediend_op=now, by=by, mandaat=mandaat),
    }
    if wijziging is not None:
        inhoud["wijziging"] = wijziging
    indiening = Indiening.objects.create(
        aanvraag=aanvraag,
        nummer=nummer,
        ingediend_op=now,
        ingediend_door=by,
        inhoud=inhoud,
        inhoud_sha256=inhoud_sha256(inhoud),
        mandaat=mandaat,
        wijzigingsnummer=int(wijziging["nummer"]) if wijziging is not None else None,
        # When the schedule may queue it again if the task queued here has not taken it (the
        # worker's clock, not the submission time a caller may have given).
        pdf_volgende_poging=timezone.now() + EERSTE_KANS,
    )
    taken.later(VERZEGEL, indiening.pk)
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

    A given version number: those sealed bytes (`Indiening.DoesNotExist` if there is none,
    `PdfWordtVerzegeld` while its PDF is not made yet). Otherwise, while the regisseurs can still
    change it: a draft marked "CONCEPT - niet ingediend", for a user (`gebruiker_id`) through the
    store and the render slots of `concept_pdf` (which may raise `PdfBezet`), otherwise (a
    command) made now. Otherwise the latest sealed version (or `PdfWordtVerzegeld`). An aanvraag
    submitted before sealing existed has no sealed version; it is printed now from its frozen
    content and says so.
    """
    if nummer is not None:
        return _verzegeld(aanvraag.indieningen.get(nummer=nummer))
    if aanvraag.status in EDITABLE_STATUSES:
        if gebruiker_id is not None:
            content = concept_pdf(aanvraag, gebruiker_id=gebruiker_id)
        else:
            content = pdf.render_aanvraag(aanvraag, Stempel(concept=True))
        return PdfBestand(pdf_filename(aanvraag, "concept"), content, None)
    latest = aanvraag.indieningen.order_by("-nummer").first()
    if latest is not None:
        return _verzegeld(latest)
    stempel = Stempel(
        concept=False,
        ingediend_op=aanvraag.ingediend_op,
        ingediend_door=aanvraag.ingediend_door.get_full_name() if aanvraag.ingediend_door else "",
    )
    content = pdf.render_aanvraag(aanvraag, stempel)
    return PdfBestand(pdf_filename(aanvraag, "onverzegeld"), content, None)


def _verzegeld(indiening: Indiening) -> PdfBestand:
    if not indiening.pdf_klaar:
        raise PdfWordtVerzegeld(indiening)
    if indiening.pdf_verwijderd:
        raise PdfVerwijderd(indiening)
    return PdfBestand(
        indiening_filename(indiening), read_sealed(indiening.pdf, indiening.pdf_sha256), indiening
    )


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


# In the ZIP of a call: the versions whose PDF is not made yet, by name, so that nothing is
# missing from it without a word.
NOG_TE_VERZEGELEN = "NOG-TE-VERZEGELEN.txt"


def pdf_export(
    oproep: Oproep, *, indieningen: list[Indiening] | None = None
) -> list[tuple[str, bytes]]:
    """The files of a call's PDF export, for the ZIP download and `export_pdfs`.

    The latest sealed PDF of every submitted aanvraag, `SHA256SUMS` (checkable with
    `sha256sum -c SHA256SUMS`) and `overzicht.csv` (one row per version, Dutch headers, with the
    SHA-256 of the submitted snapshot). A latest version whose PDF is not made yet ("wordt
    verzegeld") is not replaced by an older one: it has a row in `overzicht.csv` without a file,
    and `NOG-TE-VERZEGELEN.txt` names it with its snapshot's SHA-256 (the file is there only when
    some PDF is pending). The export does not wait for the worker: a new download a minute later
    holds the PDF. `indieningen`: the versions to export, as `submitted_pdfs` gave them to a
    caller that also needs them (the download logs each one); read now when not given.
    """
    rows: list[tuple[Indiening, str, bytes | None]] = []
    used: set[str] = set()
    for i in submitted_pdfs(oproep) if indieningen is None else indieningen:
        if not i.pdf_beschikbaar:
            rows.append((i, "", None))
            continue
        name = indiening_filename(i)
        if name in used:  # two verband names with the same slug: add the reference
            name = pdf_filename(i.aanvraag, f"{i.aanvraag.pk}-{i.nummer}")
        used.add(name)
        rows.append((i, name, read_sealed(i.pdf, i.pdf_sha256)))
    sums = "".join(f"{i.pdf_sha256}  {name}\n" for i, name, c in rows if c is not None)
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
            "SHA-256 ingediende gegevens",
        ],
        [
            [
                indiening.aanvraag.referentie,
                indiening.aanvraag.regieverband.naam,
                indiening.nummer,
                timezone.localtime(indiening.ingediend_op).replace(tzinfo=None),
                str(AanvraagStatus(indiening.aanvraag.status).label),
                name
                or (
                    "PDF verwijderd na de archieftermijn"
                    if indiening.pdf_verwijderd
                    else "PDF wordt verzegeld"
                ),
                indiening.pdf_grootte,
                indiening.pdf_sha256,
                indiening.inhoud_sha256,
            ]
            for indiening, name, _content in rows
        ],
    )
    files = [(name, content) for _i, name, content in rows if content is not None]
    files += [("SHA256SUMS", sums.encode()), ("overzicht.csv", as_csv(overzicht))]
    wachtend = [i for i, _name, content in rows if content is None and not i.pdf_verwijderd]
    if wachtend:
        files.append((NOG_TE_VERZEGELEN, nog_te_verzegelen_tekst(wachtend).encode()))
    return files


def nog_te_verzegelen_tekst(wachtend: list[Indiening]) -> str:
    """The text file of the ZIP that names the versions whose PDF is still being made."""
    regels = [
        "Deze ingediende versies zijn verzegeld (de ingediende gegevens en hun SHA-256 liggen",
        "vast), maar hun PDF wordt nog gemaakt. Download de ZIP later opnieuw om ze te krijgen.",
        "",
    ]
    for i in wachtend:
        op = timezone.localtime(i.ingediend_op).strftime("%d/%m/%Y %H:%M:%S")
        regels.append(
            f"{i.aanvraag.referentie}  {i.aanvraag.regieverband.naam}  versie {i.nummer}  "
            f"ingediend op {op}  SHA-256 ingediende gegevens {i.inhoud_sha256}"
        )
    return "\n".join(regels) + "\n"


def versie_gegevens(indiening: Indiening) -> dict[str, Any]:
    """What a download line keeps of a sealed version: which one, and the file's SHA-256."""
    return {"indiening": indiening.pk, "versie": indiening.nummer, "sha256": indiening.pdf_sha256}


def pdf_klaar(indieningen: list[Indiening]) -> list[Indiening]:
    """The versions of `indieningen` whose PDF exists (the ones a ZIP holds)."""
    return [i for i in indieningen if i.pdf_beschikbaar]
