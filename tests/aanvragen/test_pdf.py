"""The PDF of an aanvraag: content read back, accessibility, seal, safety, who may download."""

from __future__ import annotations

import csv
import hashlib
import http.server
import io
import logging
import re
import subprocess
import threading
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from applications.aanvragen import pdf
from applications.aanvragen.models import Aanvraag, Actie, Indiening
from applications.aanvragen.pdf import Stempel, render_aanvraag
from applications.aanvragen.selectors import leden_van_aanvraag
from applications.aanvragen.services import aanvraag_transition
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import (
    SealBrokenError,
    aanvraag_pdf,
    aanvraag_submit,
    indiening_filename,
    pdf_export,
    read_sealed,
)
from applications.accounts.models import User
from applications.core.pdf import RefusedUrl, html_to_pdf, static_path_for

from ..aanvraag_helpers import fill_everything, fill_large, worker_maakt_pdfs
from ..conftest import client_for
from ..factories import AanvraagFactory, LidmaatschapFactory, RegieverbandFactory
from ..pdf_helpers import pdf_pages, pdf_reader, pdf_text

pytestmark = pytest.mark.django_db

MARK = "CONCEPT - niet ingediend"


def _submit(aanvraag: Aanvraag, by: User, **kwargs: Any) -> Indiening:
    """Submit, then the worker's turn (after the commit, in production): the PDF is made."""
    aanvraag_submit(aanvraag=aanvraag, by=by, **kwargs)
    indiening = aanvraag.indieningen.order_by("-nummer").first()
    assert indiening is not None and not indiening.pdf_klaar
    assert worker_maakt_pdfs() == [indiening]
    indiening.refresh_from_db()
    return indiening


def _reopen(aanvraag: Aanvraag, beoordelaar: User) -> None:
    """WSE asks for changes: the aanvraag is editable again for its regisseurs."""
    for naar in (AanvraagStatus.IN_BEHANDELING, AanvraagStatus.WIJZIGINGEN_GEVRAAGD):
        aanvraag_transition(
            aanvraag=Aanvraag.objects.get(pk=aanvraag.pk), naar=naar, by=beoordelaar
        )


# --- What the PDF says ----------------------------------------------------------------------------


def test_text_holds_verband_members_priorities_actions_and_amounts(aanvraag, verband, regisseur):
    LidmaatschapFactory.create(regieverband=verband, bestuur__nis_code="72018")
    fill_everything(aanvraag, regisseur)
    Actie.objects.filter(aanvraag=aanvraag, jaar=2031).update(budget=Decimal("1234.56"))
    text = pdf_text(aanvraag_pdf(aanvraag).inhoud)

    assert verband.naam in text
    leden = leden_van_aanvraag(aanvraag)
    assert len(leden) == 2
    for bestuur in leden:
        assert bestuur.naam in text
        assert bestuur.nis_code in text
    for code in ("WSE-LR1", "WSE-LR2", "WSE-LR3", "WSE-LR4"):
        assert code in text
    for actie in aanvraag.acties.all():
        assert actie.titel in text
    assert "EUR 1.000,50" in text
    assert "EUR 1.234,56" in text
    # Totals: 4 priorities x (1.000,50 + 1.234,56 + 1.000,50) = 12.942,24.
    assert "EUR 12.942,24" in text
    # A hash wraps inside its cell; read without the line breaks.
    unbroken = text.replace(" ", "")
    for bijlage in aanvraag.bijlagen.all():
        assert bijlage.sha256 in unbroken
        assert bijlage.naam in text
    assert aanvraag.referentie in text


def test_cover_shows_submission_time_in_brussels_time_and_dutch(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    moment = aanvraag.oproep.deadline  # 15 January 2030 23:59:59 Brussels = 22:59:59 UTC
    _submit(aanvraag, regisseur, now=moment)
    first_page = pdf_pages(aanvraag_pdf(Aanvraag.objects.get(pk=aanvraag.pk)).inhoud)[0]
    assert "dinsdag 15 januari 2030 om 23:59:59 (Brusselse tijd)" in first_page
    assert regisseur.get_full_name() in first_page
    assert "Versie 1" in first_page
    assert "Inhoud" not in first_page  # the table of contents has a page of its own


def test_large_aanvraag_page_count_and_footer_on_every_page(aanvraag, regisseur):
    """4 priorities x 3 years x 5 actions with long texts."""
    fill_large(aanvraag)
    assert aanvraag.acties.count() == 60
    content = aanvraag_pdf(aanvraag).inhoud
    pages = pdf_pages(content)
    assert len(pdf_reader(content).pages) == len(pages)
    # Cover, contents, about 5 pages of analysis and vision, about 7 pages per priority (each
    # from a new page), budget and attachments: 39 pages with DejaVu Sans on A4.
    assert 30 <= len(pages) <= 45, len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Pagina {number} van {len(pages)}" in page
        assert f"Aanvraag {aanvraag.referentie}" in page
    text = " ".join(pages)
    for actie in aanvraag.acties.all():
        assert actie.titel in text
    # Each priority starts a page.
    for code in ("WSE-LR2", "WSE-LR3", "WSE-LR4"):
        assert any(page.startswith(f"{MARK} {code} ") for page in pages), code


def test_table_of_contents_gives_the_page_of_each_section(aanvraag, regisseur):
    fill_large(aanvraag)
    pages = pdf_pages(aanvraag_pdf(aanvraag).inhoud)
    toc = next(page for page in pages if "Inhoud 1. Omgevingsanalyse" in page)
    chapters = dict(re.findall(r"(\d\. [A-Za-z ]+?) ?\.{3,} ?(\d+)", toc))
    assert list(chapters) == [
        "1. Omgevingsanalyse",
        "2. Visie en beleidsplanning",
        "3. Meerjarenplan",
        "4. Begroting",
        "5. Bijlagen",
    ]
    for heading, number in chapters.items():
        assert heading in pages[int(number) - 1], heading
    priorities = re.findall(r"(WSE-LR\d) [^.]+?\.{3,} ?(\d+)", toc)
    assert [code for code, _n in priorities] == ["WSE-LR1", "WSE-LR2", "WSE-LR3", "WSE-LR4"]
    for code, number in priorities:
        assert f"{code} \u2013 {aanvraag.oproep.eerste_jaar}" in pages[int(number) - 1], code


# --- Draft mark -----------------------------------------------------------------------------------


def test_draft_carries_the_mark_on_every_page(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    bestand = aanvraag_pdf(aanvraag)
    assert bestand.indiening is None
    assert bestand.naam.endswith("-concept.pdf")
    pages = pdf_pages(bestand.inhoud)
    assert len(pages) > 3
    for page in pages:
        assert page.startswith(MARK)


def test_submitted_pdf_has_no_mark(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    indiening = _submit(aanvraag, regisseur)
    text = pdf_text(read_sealed(indiening.pdf, indiening.pdf_sha256))
    assert "CONCEPT" not in text
    assert "niet ingediend" not in text


# --- Accessibility: tagged PDF/UA-1, metadata, fonts ----------------------------------------------


def test_pdf_is_tagged_pdf_ua_with_title_author_language_and_embedded_fonts(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    content = _submit(aanvraag, regisseur).pdf.read()
    reader = pdf_reader(content)
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "nl-BE"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert reader.metadata is not None
    assert aanvraag.referentie in str(reader.metadata.title)
    assert reader.metadata.author == aanvraag.regieverband.naam
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp
    fonts = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            fonts.append(font.get_object())
    assert fonts
    for font in fonts:
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor, font["/BaseFont"]


def test_reading_order_follows_the_document(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    text = pdf_text(aanvraag_pdf(aanvraag).inhoud)
    positions = [
        text.index(heading)
        for heading in (
            "Aanvraag subsidie lokale regierol",
            "Inhoud",
            "1. Omgevingsanalyse",
            "2. Visie en beleidsplanning",
            "3. Meerjarenplan",
            "4. Begroting",
            "5. Bijlagen",
        )
    ]
    assert positions == sorted(positions)


def test_render_logs_no_weasyprint_warning_or_error(aanvraag, regisseur, caplog):
    fill_large(aanvraag)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render_aanvraag(aanvraag, Stempel(concept=True))
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []


# --- The seal -------------------------------------------------------------------------------------


def test_submission_seals_the_pdf_and_downloads_serve_exactly_those_bytes(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    indiening = _submit(aanvraag, regisseur)
    stored = indiening.pdf.read()
    assert indiening.nummer == 1
    assert indiening.pdf_sha256 == hashlib.sha256(stored).hexdigest()
    assert indiening.pdf_grootte == len(stored)
    assert indiening.ingediend_door == regisseur
    assert indiening.inhoud["acties"] and indiening.inhoud["visie"] == "Verzonnen visie."

    client = client_for(regisseur)
    first = client.get(f"/aanvragen/{aanvraag.pk}/pdf/")
    second = client.get(f"/aanvragen/{aanvraag.pk}/pdf/")
    assert first.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert hashlib.sha256(first.content).hexdigest() == indiening.pdf_sha256
    assert second.content == first.content
    assert first["ETag"] == f'"{indiening.pdf_sha256}"'
    slug = aanvraag.oproep.slug
    assert (
        f'filename="aanvraag-{slug}-sociale-economie-maasland-test-1.pdf"'
        in first["Content-Disposition"]
    )


def test_resubmission_stores_a_new_version_and_keeps_the_old(aanvraag, regisseur, beoordelaar):
    fill_everything(aanvraag, regisseur)
    eerste = _submit(aanvraag, regisseur)
    eerste_bytes = eerste.pdf.read()
    _reopen(aanvraag, beoordelaar)

    # While changes are asked, the download is a marked draft of what is being changed.
    Aanvraag.objects.filter(pk=aanvraag.pk).update(visie="Aangepaste visie na vraag van WSE.")
    draft = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/pdf/")
    assert MARK in pdf_text(draft.content)
    assert "Aangepaste visie" in pdf_text(draft.content)

    tweede = _submit(Aanvraag.objects.get(pk=aanvraag.pk), regisseur)
    assert tweede.nummer == 2
    assert tweede.pdf_sha256 != eerste.pdf_sha256
    assert aanvraag.indieningen.count() == 2

    client = client_for(beoordelaar)
    latest = client.get(f"/aanvragen/{aanvraag.pk}/pdf/")
    assert hashlib.sha256(latest.content).hexdigest() == tweede.pdf_sha256
    assert "Aangepaste visie" in pdf_text(latest.content)
    old = client.get(f"/aanvragen/{aanvraag.pk}/pdf/1/")
    assert old.content == eerste_bytes
    assert "Aangepaste visie" not in pdf_text(old.content)
    assert old["Content-Disposition"].endswith('-1.pdf"')
    assert client.get(f"/aanvragen/{aanvraag.pk}/pdf/3/").status_code == 404


def test_submission_does_not_wait_for_the_pdf_nor_fail_with_it(aanvraag, regisseur, monkeypatch):
    """The render is the worker's: a broken WeasyPrint does not undo or delay a submission."""
    fill_everything(aanvraag, regisseur)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("WeasyPrint stuk")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    assert worker_maakt_pdfs() == []
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.INGEDIEND
    indiening = aanvraag.indieningen.get()
    assert not indiening.pdf_klaar
    assert indiening.pdf_laatste_fout == "RuntimeError: WeasyPrint stuk"


def test_a_tampered_stored_file_is_never_served(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    indiening = _submit(aanvraag, regisseur)
    with open(indiening.pdf.path, "ab") as handle:
        handle.write(b"% extra")
    with pytest.raises(SealBrokenError):
        aanvraag_pdf(Aanvraag.objects.get(pk=aanvraag.pk))


def test_aanvraag_submitted_before_sealing_existed_is_printed_and_says_so(verband, oproep):
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, ingediend=True)
    bestand = aanvraag_pdf(aanvraag)
    assert bestand.indiening is None
    assert bestand.naam.endswith("-onverzegeld.pdf")
    text = pdf_text(bestand.inhoud)
    assert "niet verzegeld" in text
    assert MARK not in text


# --- Safety: user text cannot pull files or URLs into the PDF -------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b'body::before { content: "OPGEHAALD"; }')

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def remote() -> Iterator[str]:
    """A web server on loopback that records every request it gets."""
    _Recorder.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_html_in_user_text_is_printed_as_text_and_nothing_is_fetched(aanvraag, remote, caplog):
    hostile = (
        '<img src="file:///etc/passwd">\n'
        f'<img src="{remote}/pixel.png">\n'
        f'<link rel="stylesheet" href="{remote}/style.css">\n'
        '<a rel="attachment" href="file:///etc/passwd">bijlage</a>'
    )
    Aanvraag.objects.filter(pk=aanvraag.pk).update(omgevingsanalyse=hostile, visie=remote)
    Actie.objects.create(
        aanvraag=aanvraag,
        prioriteit=aanvraag.oproep.prioriteiten.first(),
        jaar=2030,
        titel=f'<img src="{remote}/titel.png">',
        partners='<img src="file:///etc/hostname">',
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        content = aanvraag_pdf(aanvraag).inhoud
    text = pdf_text(content)
    assert '<img src="file:///etc/passwd">' in text
    assert f'<img src="{remote}/pixel.png">' in text
    # In a narrow table cell the URL wraps; read it without the line breaks.
    assert f'<imgsrc="{remote}/titel.png">' in text.replace(" ", "")
    assert "root:x:0:0" not in text
    assert "OPGEHAALD" not in text
    assert _Recorder.requests == []
    assert pdf_reader(content).attachments == {}
    assert [r for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_fetcher_refuses_files_and_remote_urls_even_in_raw_html(remote, tmp_path, caplog):
    """The second lock: HTML that did reach WeasyPrint unescaped still cannot load anything."""
    css = tmp_path / "steel.css"
    css.write_text('body::before { content: "GESTOLEN"; }')
    html = (
        '<html lang="nl-BE"><head><title>t</title>'
        f'<link rel="stylesheet" href="file://{css}">'
        f'<link rel="stylesheet" href="{remote}/style.css">'
        '<link rel="stylesheet" href="static/../../../etc/passwd">'
        "</head><body><p>Tekst</p>"
        '<a rel="attachment" href="file:///etc/passwd">x</a>'
        f'<img src="{remote}/x.png" alt="x"></body></html>'
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        content = html_to_pdf(html)
    text = pdf_text(content)
    assert "Tekst" in text
    assert "GESTOLEN" not in text
    assert "OPGEHAALD" not in text
    assert _Recorder.requests == []
    assert pdf_reader(content).attachments == {}
    # WeasyPrint reports what it was refused.
    assert any("passwd" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.org/static/css/pdf.css",
        "https://example.org/static/css/pdf.css",
        "data:text/css,body{}",
        "https://regierol.invalid/static/../../etc/passwd",
        "https://regierol.invalid/static/%2e%2e/%2e%2e/etc/passwd",
        "https://regierol.invalid/static/css/pdf.css?x=1",
        "https://regierol.invalid/etc/passwd",
        "https://regierol.invalid/static/bestaat-niet.css",
        "https://regierol.invalid/static/",
    ],
)
def test_static_path_for_refuses(url, settings):
    with pytest.raises(RefusedUrl):
        static_path_for(url)


def test_static_path_for_serves_the_project_stylesheet(settings):
    path = static_path_for("https://regierol.invalid/static/css/pdf.css")
    assert path.name == "pdf.css"
    assert path.read_text().startswith("/* The printed aanvraag")


# --- Who may download -----------------------------------------------------------------------------

DOWNLOAD_EXPECTED = {
    "regisseur": 200,
    "collega": 404,
    "beoordelaar": 200,
    "beheerder": 200,
    None: 302,
}


@pytest.mark.parametrize("path", ["pdf/", "pdf/1/"])
@pytest.mark.parametrize("who", list(DOWNLOAD_EXPECTED))
def test_download_permission_matrix(path, who, aanvraag, regisseur, request):
    fill_everything(aanvraag, regisseur)
    _submit(aanvraag, regisseur)
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(f"/aanvragen/{aanvraag.pk}/{path}")
    assert response.status_code == DOWNLOAD_EXPECTED[who]
    if who is None:
        assert response["Location"].startswith("/accounts/login/")
    if response.status_code == 200:
        assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("who", list(DOWNLOAD_EXPECTED))
def test_draft_download_permission_matrix(who, aanvraag, request):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(f"/aanvragen/{aanvraag.pk}/pdf/")
    assert response.status_code == DOWNLOAD_EXPECTED[who]


def test_download_of_an_unknown_aanvraag_is_404(regisseur):
    assert client_for(regisseur).get("/aanvragen/999999/pdf/").status_code == 404


def test_pdf_is_in_dutch_for_a_user_reading_english(aanvraag, regisseur):
    client = client_for(regisseur)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get(f"/aanvragen/{aanvraag.pk}/pdf/")
    text = pdf_text(response.content)
    assert "Aanvraag subsidie lokale regierol" in text
    assert "Pagina 1 van" in text


def test_overview_lists_sealed_versions_with_links(aanvraag, regisseur):
    fill_everything(aanvraag, regisseur)
    indiening = _submit(aanvraag, regisseur)
    page = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/").content.decode()
    assert indiening.pdf_sha256 in page
    assert f"/aanvragen/{aanvraag.pk}/pdf/1/" in page


# --- Verify a PDF ---------------------------------------------------------------------------------


@pytest.fixture
def sealed(aanvraag: Aanvraag, regisseur: User) -> Indiening:
    fill_everything(aanvraag, regisseur)
    return _submit(aanvraag, regisseur)


def _verify(client: Client, status: int = 200, **data: object) -> str:
    response = client.post("/aanvragen/verifieer/", data)
    assert response.status_code == status
    return response.content.decode()


def test_verify_by_upload_names_the_version(sealed, collega):
    upload = SimpleUploadedFile("ontvangen.pdf", sealed.pdf.read(), "application/pdf")
    page = _verify(client_for(collega), bestand=upload)
    assert "Dit is een ingediende versie." in page
    assert f"Versie 1 van aanvraag {sealed.aanvraag.referentie}" in page
    # A colleague of another verband learns which version the file is, and nothing more: no
    # download link, no news of later versions.
    assert "/pdf/1/" not in page
    assert "laatst ingediende versie" not in page


def test_verify_by_pasted_hash_tolerates_case_and_spaces(sealed, beoordelaar):
    pasted = " ".join([sealed.pdf_sha256[:32].upper(), sealed.pdf_sha256[32:]])
    page = _verify(client_for(beoordelaar), sha256=pasted)
    assert "Dit is een ingediende versie." in page
    assert f"/aanvragen/{sealed.aanvraag_id}/pdf/1/" in page


def test_verify_says_when_a_newer_version_exists(sealed, regisseur, beoordelaar):
    _reopen(sealed.aanvraag, beoordelaar)
    _submit(Aanvraag.objects.get(pk=sealed.aanvraag_id), regisseur)
    page = _verify(client_for(regisseur), sha256=sealed.pdf_sha256)
    assert "er is een nieuwere versie, versie 2" in page


def test_verify_unknown_or_changed_file(sealed, regisseur):
    changed = SimpleUploadedFile("x.pdf", sealed.pdf.read() + b"\n", "application/pdf")
    page = _verify(client_for(regisseur), bestand=changed)
    assert "Geen ingediende versie heeft deze SHA-256." in page
    page = _verify(client_for(regisseur), sha256="0" * 64)
    assert "Geen ingediende versie heeft deze SHA-256." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "niet allebei en niet geen van beide"),
        ({"sha256": "abc"}, "precies 64 tekens"),
        ({"sha256": "g" * 64}, "precies 64 tekens"),
    ],
)
def test_verify_bad_input_is_explained(data, message, regisseur):
    page = _verify(client_for(regisseur), status=400, **data)
    assert message in page
    assert "ingediende versie" not in page.split("<form")[0]


def test_verify_needs_a_login():
    response = Client().get("/aanvragen/verifieer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- Export of a call -----------------------------------------------------------------------------


@pytest.fixture
def two_sealed(aanvraag, regisseur, oproep, beoordelaar) -> list[Indiening]:
    """Two submitted aanvragen of one call; the first was resubmitted (version 2)."""
    fill_everything(aanvraag, regisseur)
    _submit(aanvraag, regisseur)
    _reopen(aanvraag, beoordelaar)
    first = _submit(Aanvraag.objects.get(pk=aanvraag.pk), regisseur)
    other_verband = RegieverbandFactory.create(naam="Tweede verband (test)")
    LidmaatschapFactory.create(regieverband=other_verband, bestuur__nis_code="71072")
    other_regisseur = User.objects.create_user("tweede@example.org", first_name="Tom")
    other_regisseur.groups.add(*regisseur.groups.all())
    other_verband.regisseurs.add(other_regisseur)
    other = fill_everything(
        AanvraagFactory.create(regieverband=other_verband, oproep=oproep), other_regisseur
    )
    second = _submit(other, other_regisseur)
    AanvraagFactory.create(oproep=oproep)  # a draft: not exported
    return [first, second]


def _zip_files(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.mark.parametrize("who", ["beoordelaar", "beheerder"])
def test_wse_downloads_the_latest_sealed_pdfs_of_a_call_as_zip(who, two_sealed, oproep, request):
    response = client_for(request.getfixturevalue(who)).get(f"/beoordeling/{oproep.slug}/pdfs.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    files = _zip_files(response.getvalue())
    pdfs = {name: data for name, data in files.items() if name.endswith(".pdf")}
    assert len(pdfs) == 2
    for indiening in two_sealed:
        name = indiening_filename(indiening)
        assert hashlib.sha256(pdfs[name]).hexdigest() == indiening.pdf_sha256
        assert f"{indiening.pdf_sha256}  {name}" in files["SHA256SUMS"].decode()
    assert any(name.endswith("-2.pdf") for name in pdfs)  # the resubmission, not version 1
    overzicht = io.StringIO(files["overzicht.csv"].decode("utf-8-sig"))
    rows = list(csv.DictReader(overzicht, delimiter=";"))
    # One row per PDF, in the order of the verbanden' names.
    assert [(row["Regieverband"], row["Versie"]) for row in rows] == [
        ("Sociale Economie Maasland (test)", "2"),
        ("Tweede verband (test)", "1"),
    ]
    assert [row["SHA-256"] for row in rows] == [i.pdf_sha256 for i in two_sealed]


@pytest.mark.parametrize(("who", "status"), [("regisseur", 404), ("collega", 404), (None, 302)])
def test_zip_is_for_wse_only(who, status, oproep, request):
    user = request.getfixturevalue(who) if who else None
    assert client_for(user).get(f"/beoordeling/{oproep.slug}/pdfs.zip").status_code == status


def test_zip_of_an_unknown_call_is_404(beoordelaar):
    assert client_for(beoordelaar).get("/beoordeling/bestaat-niet/pdfs.zip").status_code == 404


# --- Commands -------------------------------------------------------------------------------------


def test_aanvraag_pdf_command_writes_the_sealed_pdf(sealed, tmp_path):
    out = tmp_path / "aanvraag.pdf"
    call_command("aanvraag_pdf", str(sealed.aanvraag_id), "--out", str(out))
    assert hashlib.sha256(out.read_bytes()).hexdigest() == sealed.pdf_sha256


def test_aanvraag_pdf_command_writes_a_marked_draft(aanvraag, tmp_path):
    out = tmp_path / "concept.pdf"
    call_command("aanvraag_pdf", str(aanvraag.pk), "--out", str(out))
    assert MARK in pdf_text(out.read_bytes())


@pytest.mark.parametrize(
    ("args", "message"),
    [(["999999"], "Geen aanvraag met id 999999"), (["{pk}", "--versie", "7"], "geen verzegelde")],
)
def test_aanvraag_pdf_command_errors(args, message, aanvraag, tmp_path):
    args = [a.format(pk=aanvraag.pk) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("aanvraag_pdf", *args, "--out", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_export_pdfs_command_writes_a_checkable_directory(two_sealed, oproep, tmp_path):
    out = tmp_path / "export"
    call_command("export_pdfs", "--oproep", oproep.slug, "--out", str(out))
    names = sorted(p.name for p in out.iterdir())
    assert len([n for n in names if n.endswith(".pdf")]) == 2
    assert "SHA256SUMS" in names and "overzicht.csv" in names
    check = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=out, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_export_pdfs_command_unknown_call(oproep, tmp_path):
    with pytest.raises(CommandError, match=f"Bestaande: .*{oproep.slug}"):
        call_command("export_pdfs", "--oproep", "1999-2000", "--out", str(tmp_path))


def test_export_names_stay_distinct_when_two_verband_names_share_a_slug(
    oproep, regisseur, tmp_path
):
    indieningen = []
    for naam in ("Regio Kempen", "Regio-Kempen"):
        verband = RegieverbandFactory.create(naam=naam)
        LidmaatschapFactory.create(regieverband=verband, bestuur__nis_code="13040")
        verband.regisseurs.add(regisseur)
        regisseur.__dict__.pop("regieverband_ids", None)  # read the new verband
        aanvraag = fill_everything(
            AanvraagFactory.create(regieverband=verband, oproep=oproep), regisseur
        )
        indieningen.append(_submit(aanvraag, regisseur))
    names = [name for name, _content in pdf_export(oproep) if name.endswith(".pdf")]
    assert len(names) == len(set(names)) == 2
    call_command("export_pdfs", "--oproep", oproep.slug, "--out", str(tmp_path))
    check = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=tmp_path, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize("begin", ["=", "+", "-", "@", "\t", "\r"])
def test_overzicht_csv_in_the_zip_guards_against_formulas(begin, two_sealed, oproep):
    """A verband's name that a spreadsheet would run as a formula comes out as text, as in every
    other export (one writer for all: core.tabellen)."""
    from applications.aanvragen.submission import pdf_export
    from applications.besturen.models import Regieverband

    naam = f'{begin}HYPERLINK("http://evil.example","klik")'
    Regieverband.objects.filter(pk=two_sealed[0].aanvraag.regieverband_id).update(naam=naam)
    files = dict(pdf_export(oproep))
    rows = list(
        csv.DictReader(io.StringIO(files["overzicht.csv"].decode("utf-8-sig")), delimiter=";")
    )
    assert "'" + naam in [row["Regieverband"] for row in rows]
    assert naam not in [row["Regieverband"] for row in rows]


LOS_AAN_HET_EINDE = re.compile(
    r"^(WSE-LR\d \u2013 \d{4} \u2013 \d+\. .*"  # an action's heading
    r"|WSE-LR\d \u2013 \d{4}: \d+ acties?"  # a table's caption
    r"|WSE-LR\d .*Prioriteit.*"  # a priority's heading
    r"|\d\. [A-Z].*"  # a chapter's heading
    r"|Beschrijving|Doelgroep|Verwacht resultaat|Indicator|Partners|Budget)$"  # a label
)


def test_no_heading_label_or_caption_ends_a_page_alone(aanvraag, regisseur):
    """A heading could sit alone at the bottom of a page, its text on the next. Long descriptions
    push the breaks to every possible place; the last line of no page may introduce what follows."""
    import subprocess
    import tempfile

    fill_everything(aanvraag, regisseur, acties_per_cel=5)
    for actie in aanvraag.acties.all():
        actie.beschrijving = "Een beschrijving van de actie. " * 25
        actie.verwacht_resultaat = "Resultaat. " * 20
        actie.save()
    with tempfile.NamedTemporaryFile(suffix=".pdf") as bestand:
        bestand.write(render_aanvraag(aanvraag, Stempel(concept=True)))
        bestand.flush()
        tekst = subprocess.run(
            ["pdftotext", "-layout", bestand.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    alleen = []
    for nummer, pagina in enumerate(tekst.split("\f"), start=1):
        regels = [r.strip() for r in pagina.splitlines() if r.strip()]
        # Without the footer and the table of contents' lines ("5. Bijlagen ....... 28").
        inhoud = [
            r
            for r in regels
            if not re.search(r"Pagina \d+ van \d+$", r) and not re.search(r"\.{4,}", r)
        ]
        if inhoud and LOS_AAN_HET_EINDE.match(inhoud[-1]):
            alleen.append(f"pagina {nummer}: {inhoud[-1]!r}")
    assert alleen == []
