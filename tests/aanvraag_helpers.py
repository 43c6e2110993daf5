"""Builders for aanvragen in a known state, shared by the aanvraag tests."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from applications.aanvragen.models import Aanvraag, Actie, Bijlage
from applications.aanvragen.services import bijlage_add
from applications.accounts.models import User

PASSWORD = "geheim-wachtwoord-123"


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "beslissing.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def fill_everything(aanvraag: Aanvraag, by: User, *, acties_per_cel: int = 1) -> Aanvraag:
    """Make an aanvraag complete: contact, texts, the minimum actions, all attachments."""
    Aanvraag.objects.filter(pk=aanvraag.pk).update(
        contact_naam="Test Contact",
        contact_email="contact@example.org",
        omgevingsanalyse="Verzonnen analyse.",
        visie="Verzonnen visie.",
    )
    aanvraag.refresh_from_db()
    oproep = aanvraag.oproep
    Actie.objects.bulk_create(
        Actie(
            aanvraag=aanvraag,
            prioriteit=p,
            jaar=jaar,
            titel=f"Actie {p.code} {jaar} nr. {n}",
            budget=Decimal("1000.50"),
            volgorde=n,
        )
        for p in oproep.prioriteiten.all()
        for jaar in oproep.jaren
        for n in range(1, acties_per_cel + 1)
    )
    # Upload as if a day before the deadline, so that calls already closed can be filled too.
    before = oproep.deadline - datetime.timedelta(days=1)
    for bijlagetype in oproep.bijlagetypes.all():
        if bijlagetype.per_lid:
            for lid in aanvraag.regieverband.lidmaatschappen.select_related("bestuur"):
                bijlage_add(
                    aanvraag=aanvraag,
                    by=by,
                    bijlagetype=bijlagetype,
                    bestuur=lid.bestuur,
                    upload=pdf_upload(),
                    now=before,
                )
        else:
            bijlage_add(
                aanvraag=aanvraag, by=by, bijlagetype=bijlagetype, upload=pdf_upload(), now=before
            )
    assert Bijlage.objects.filter(aanvraag=aanvraag).exists()
    return aanvraag


# A fixed Dutch paragraph, so a "long text" is the same length in every run (no Faker here).
ALINEA = (
    "Het regieverband brengt de lokale besturen, VDAB, de maatwerkbedrijven en de lokale "
    "diensteneconomie samen rond één agenda voor werk en sociale economie. Werkzoekenden met een "
    "afstand tot de arbeidsmarkt vinden zo sneller een passende job, en werkgevers vinden de "
    "ondersteuning die ze nodig hebben om inclusief te ondernemen. "
)


def long_text(paragraphs: int) -> str:
    return "\n\n".join(f"{n}. {ALINEA * 3}" for n in range(1, paragraphs + 1))


def fill_large(aanvraag: Aanvraag, *, acties_per_cel: int = 5) -> Aanvraag:
    """The large aanvraag of the PDF tests and benchmark: every priority x every year x 5
    actions, each described in about 700 characters, and an analysis and a vision of about
    8,000 characters each (8 paragraphs)."""
    Aanvraag.objects.filter(pk=aanvraag.pk).update(
        contact_naam="Test Contact",
        contact_functie="Regisseur",
        contact_email="contact@example.org",
        contact_telefoon="011 12 34 56",
        omgevingsanalyse=long_text(8),
        visie=long_text(8),
    )
    aanvraag.refresh_from_db()
    oproep = aanvraag.oproep
    Actie.objects.bulk_create(
        Actie(
            aanvraag=aanvraag,
            prioriteit=p,
            jaar=jaar,
            titel=f"Actie {p.code} {jaar} nr. {n}: trajecten naar werk",
            beschrijving=ALINEA * 2,
            doelgroep="Werkzoekenden met een afstand tot de arbeidsmarkt, leefloners",
            verwacht_resultaat=ALINEA,
            indicator="Aantal deelnemers dat binnen zes maanden werk vindt",
            partners="VDAB, OCMW, maatwerkbedrijf",
            budget=Decimal("12345.67") + n,
            volgorde=n,
        )
        for p in oproep.prioriteiten.all()
        for jaar in oproep.jaren
        for n in range(1, acties_per_cel + 1)
    )
    return aanvraag
