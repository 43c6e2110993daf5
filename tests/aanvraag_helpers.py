"""Builders for aanvragen in a known state, shared by the aanvraag tests."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from applications.aanvragen.models import Aanvraag, Actie, Bijlage, Indiening
from applications.aanvragen.services import bijlage_add
from applications.aanvragen.verzegeling import pdf_maken
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


def worker_maakt_pdfs(aanvraag: Aanvraag | None = None) -> list[Indiening]:
    """The worker's turn after a submission: every sealed PDF still missing is made from its
    snapshot, as `verzegeling.pdf_maken` does once the submission has committed. A test's
    transaction never commits, so the task that `aanvraag_submit` queues does not run by itself
    (unless the test captures the commit hooks). Only those of `aanvraag` when given. Returns the
    versions it made."""
    wachtend = Indiening.objects.filter(pdf_sha256="").order_by("pk")
    if aanvraag is not None:
        wachtend = wachtend.filter(aanvraag=aanvraag)
    gemaakt = [i for i in wachtend if pdf_maken(i.pk)]
    for indiening in gemaakt:
        indiening.refresh_from_db()
    return gemaakt


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


def pdf_bom(strooms: int, per_stroom: int) -> bytes:
    """A "decompression bomb": a valid one-page PDF whose catalog points at `strooms` objects,
    each alone in its own object stream that unpacks to about `per_stroom` bytes (spaces after the
    object, which deflate squeezes about a thousandfold). Each stream stays under pypdf's own limit
    per stream; resolving them all unpacks strooms x per_stroom bytes."""
    import zlib

    uit = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    posities: dict[int, int] = {}

    def obj(nummer: int, inhoud: bytes) -> None:
        posities[nummer] = len(uit)
        uit.extend(b"%d 0 obj\n" % nummer + inhoud + b"\nendobj\n")

    eerste = 10
    verwijzingen = b" ".join(b"%d 0 R" % (eerste + i) for i in range(strooms))
    obj(1, b"<< /Type /Catalog /Pages 2 0 R /Bom [" + verwijzingen + b"] >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    stroom_nummers = []
    for i in range(strooms):
        kop = b"%d 0 " % (eerste + i)
        kop = kop.ljust(16)
        data = zlib.compress(kop + b"<< /Leeg true >>" + b" " * per_stroom, 9)
        nummer = 1000 + i
        stroom_nummers.append(nummer)
        obj(
            nummer,
            b"<< /Type /ObjStm /N 1 /First 16 /Filter /FlateDecode /Length %d >>\nstream\n"
            % len(data)
            + data
            + b"\nendstream",
        )
    xref_nummer = 1000 + strooms
    grootte = xref_nummer + 1
    rijen = bytearray()
    for n in range(grootte):
        if n in posities:
            rijen += bytes([1]) + posities[n].to_bytes(4, "big") + (0).to_bytes(2, "big")
        elif eerste <= n < eerste + strooms:
            rijen += bytes([2]) + (1000 + n - eerste).to_bytes(4, "big") + (0).to_bytes(2, "big")
        elif n == xref_nummer:
            rijen += bytes([1]) + len(uit).to_bytes(4, "big") + (0).to_bytes(2, "big")
        else:
            rijen += bytes([0]) + (0).to_bytes(4, "big") + (0xFFFF).to_bytes(2, "big")
    start = len(uit)
    uit.extend(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_nummer, grootte, len(rijen))
        + bytes(rijen)
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
    )
    return bytes(uit)


def pdf_uit(objecten: dict[int, bytes], verpakt: dict[int, bytes] | None = None) -> bytes:
    """A PDF of these objects (number: its bytes between `obj` and `endobj`; object 1 is the
    catalog), with a cross-reference stream. Each object of `verpakt` lies alone in an object
    stream of its own (number + 1000), compressed: what it holds is unpacked when it is read."""
    import zlib

    verpakt = verpakt or {}
    uit = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    rijen: dict[int, bytes] = {}

    def obj(nummer: int, inhoud: bytes) -> None:
        rijen[nummer] = bytes([1]) + len(uit).to_bytes(4, "big") + bytes(2)
        uit.extend(b"%d 0 obj\n" % nummer + inhoud + b"\nendobj\n")

    for nummer, inhoud in objecten.items():
        obj(nummer, inhoud)
    for nummer, inhoud in verpakt.items():
        kop = (b"%d 0 " % nummer).ljust(16)
        data = zlib.compress(kop + inhoud, 9)
        obj(
            1000 + nummer,
            b"<< /Type /ObjStm /N 1 /First 16 /Filter /FlateDecode /Length %d >>\nstream\n"
            % len(data)
            + data
            + b"\nendstream",
        )
        rijen[nummer] = bytes([2]) + (1000 + nummer).to_bytes(4, "big") + bytes(2)
    xref_nummer = max(rijen) + 1
    rijen[xref_nummer] = bytes([1]) + len(uit).to_bytes(4, "big") + bytes(2)
    vrij = bytes([0]) + bytes(4) + (0xFFFF).to_bytes(2, "big")
    tabel = b"".join(rijen.get(n, vrij) for n in range(xref_nummer + 1))
    start = len(uit)
    uit.extend(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref_nummer, xref_nummer + 1, len(tabel))
        + tabel
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start
    )
    return bytes(uit)


def pdf_veel_objecten(aantal: int) -> bytes:
    """A valid one-page PDF whose catalog points at `aantal` tiny objects (`<< /N i >>`), each
    with its own entry in a classic xref table: nothing unpacks, there is just much to read (about
    64 bytes and 3 parts of the document per object, so 100,000 objects make 6.4 MB). The
    references are in arrays of at most 50,000 (pypdf refuses an array of more than 100,000)."""
    uit = bytearray(b"%PDF-1.4\n")
    posities: dict[int, int] = {}

    def obj(nummer: int, inhoud: bytes) -> None:
        posities[nummer] = len(uit)
        uit.extend(b"%d 0 obj\n" % nummer + inhoud + b"\nendobj\n")

    eerste = 10
    reeksen = b" ".join(
        b"["
        + b" ".join(b"%d 0 R" % (eerste + i) for i in range(van, min(van + 50_000, aantal)))
        + b"]"
        for van in range(0, aantal, 50_000)
    )
    obj(1, b"<< /Type /Catalog /Pages 2 0 R /Vulling [" + reeksen + b"] >>")
    obj(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    obj(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    for i in range(aantal):
        obj(eerste + i, b"<< /N %d >>" % i)
    grootte = eerste + aantal
    start = len(uit)
    uit.extend(b"xref\n0 %d\n" % grootte)
    for n in range(grootte):
        uit.extend(b"%010d 00000 n \n" % posities[n] if n in posities else b"0000000000 65535 f \n")
    uit.extend(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (grootte, start))
    return bytes(uit)
