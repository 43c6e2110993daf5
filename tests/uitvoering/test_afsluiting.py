"""Closing a dossier: refused with every missing item until all opvolgmomenten are accepted and
the ledger is settled, allowed to reviewers and beheerders, read-only afterwards (every write
path refused), and its final bundle (a ZIP whose manifest hashes match its files)."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.text import slugify

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.audit.models import Auditregel
from applications.beoordeling.models import Notitie
from applications.beoordeling.services import notitie_add
from applications.oproepen.constants import Bijlagemoment
from applications.oproepen.models import BijlageType
from applications.uitvoering.afsluiting import dossier_afsluiten, dossier_heropenen, wat_ontbreekt
from applications.uitvoering.constants import Boekingssoort, Opvolgstatus
from applications.uitvoering.models import Afsluiting, Boeking, Opvolgbijlage, Opvolgmoment
from applications.uitvoering.opvolging import (
    opvolgbijlage_toevoegen,
    opvolgbijlage_verwijderen,
    opvolgmoment_beoordelen,
    opvolgmoment_bewaren,
)
from applications.uitvoering.permissions import is_afgesloten
from applications.uitvoering.services import bedragen_herzien, boeking_maken

from ..aanvraag_helpers import pdf_upload
from ..conftest import client_for
from ..factories import UserFactory
from ..pdf_helpers import pdf_reader
from .conftest import volledig

pytestmark = pytest.mark.django_db


def _betaal(aanvraag: Aanvraag, by: User, jaar: int, bedrag: str, soort=Boekingssoort.BETALING):
    return boeking_maken(
        aanvraag=aanvraag,
        by=by,
        soort=soort,
        jaar=jaar,
        datum=datetime.date(2026, 1, 5),
        bedrag=Decimal(bedrag),
        referentie=f"FIN-{jaar}-{bedrag}",
    )


# --- When a dossier may be closed ----------------------------------------------------------------


def test_closing_is_refused_with_every_missing_item(lopend, beoordelaar, beheerder):
    _betaal(lopend, beheerder, 2023, "50000")
    with pytest.raises(ValidationError) as fout:
        dossier_afsluiten(aanvraag=lopend, by=beoordelaar)
    redenen = fout.value.messages
    assert redenen == wat_ontbreekt(lopend)
    # Each year's opvolgmoment (none started) and what is left to pay of 2024 and 2025.
    for jaar in (2023, 2024, 2025):
        assert any(f"opvolgmoment van {jaar} is nog niet aanvaard" in r for r in redenen)
    assert not any("Voor 2023 is nog" in r for r in redenen)
    assert any("Voor 2024 is nog EUR 50.000,00 te betalen" in r for r in redenen)
    assert any("Voor 2025 is nog EUR 50.000,00 te betalen" in r for r in redenen)
    assert not Afsluiting.objects.exists()


def test_a_submitted_but_not_accepted_opvolgmoment_holds_the_closing(
    lopend, regisseur, beoordelaar, beheerder
):
    for jaar in (2023, 2024, 2025):
        _betaal(lopend, beheerder, jaar, "50000")
        moment = opvolgmoment_bewaren(
            aanvraag=lopend, jaar=jaar, by=regisseur, invoer=volledig(lopend, jaar), indienen=True
        )
        if jaar < 2025:
            opvolgmoment_beoordelen(moment=moment, by=beoordelaar, aanvaarden=True)
    assert wat_ontbreekt(lopend) == [
        "Het opvolgmoment van 2025 is nog niet aanvaard (nu: ingediend)."
    ]


def test_an_open_terugvordering_holds_the_closing_until_repaid(afsluitbaar, beoordelaar, beheerder):
    assert wat_ontbreekt(afsluitbaar) == []
    bedragen_herzien(
        aanvraag=afsluitbaar,
        by=beoordelaar,
        bedragen={2023: Decimal(50000), 2024: Decimal(50000), 2025: Decimal(40000)},
        motivatie="Minder besteed in 2025.",
    )
    assert wat_ontbreekt(afsluitbaar) == ["Voor 2025 is nog EUR 10.000,00 terug te vorderen."]
    _betaal(afsluitbaar, beheerder, 2025, "10000", soort=Boekingssoort.TERUGBETALING)
    assert wat_ontbreekt(afsluitbaar) == []


def test_closing_waits_for_the_end_of_the_call_period(toegekend, beoordelaar):
    assert "De periode van de oproep loopt nog tot en met 31 december 2032." in wat_ontbreekt(
        toegekend, vandaag=datetime.date(2032, 6, 1)
    )


def test_a_reviewer_closes_and_it_is_audited(afsluitbaar, beoordelaar):
    afsluiting = dossier_afsluiten(aanvraag=afsluitbaar, by=beoordelaar)
    assert afsluiting.afgesloten_door == beoordelaar
    assert is_afgesloten(Aanvraag.objects.get(pk=afsluitbaar.pk))
    regel = Auditregel.objects.get(soort=Auditregel.Soort.DOSSIER, actie="dossier afgesloten")
    assert (regel.gebruiker, regel.actie, regel.onderwerp_id) == (
        beoordelaar,
        "dossier afgesloten",
        afsluitbaar.pk,
    )
    assert regel.gegevens["betaald"] == "150000.00"
    # Closed once: a second closing is refused and says why.
    with pytest.raises(ValidationError, match="al afgesloten"):
        dossier_afsluiten(aanvraag=afsluitbaar, by=beoordelaar)


def test_a_beheerder_closes_too(afsluitbaar, beheerder):
    assert dossier_afsluiten(aanvraag=afsluitbaar, by=beheerder).afgesloten_door == beheerder


def test_regisseurs_and_wse_staff_of_their_own_verband_do_not_close(
    afsluitbaar, regisseur, collega
):
    wse_regisseur = UserFactory.create(
        email="wse-regisseur@example.org",
        beoordelaar=True,
        beheerder=True,
        regisseur_van=[afsluitbaar.regieverband],
    )
    for wie in (regisseur, collega, wse_regisseur):
        with pytest.raises(PermissionDenied):
            dossier_afsluiten(aanvraag=afsluitbaar, by=wie)
    assert not Afsluiting.objects.exists()


# --- Read-only once closed ----------------------------------------------------------------------


@pytest.fixture
def afgesloten(afsluitbaar: Aanvraag, beoordelaar: User) -> Aanvraag:
    """`afsluitbaar` with one attachment on its 2025 opvolgmoment (uploaded before it was
    accepted), then closed."""
    dossier_afsluiten(aanvraag=afsluitbaar, by=beoordelaar)
    return Aanvraag.objects.get(pk=afsluitbaar.pk)


def _opvolgbijlage(aanvraag: Aanvraag) -> Opvolgbijlage:
    soort = BijlageType.objects.get_or_create(
        oproep=aanvraag.oproep,
        code="jaarrekening",
        defaults={"naam": "Jaarrekening", "voor": Bijlagemoment.OPVOLGMOMENT},
    )[0]
    return Opvolgbijlage.objects.create(
        opvolgmoment=Opvolgmoment.objects.get(aanvraag=aanvraag, jaar=2025),
        bijlagetype=soort,
        bestand="opvolging/verzonnen.pdf",
        naam="jaarrekening.pdf",
        grootte=1,
        sha256="0" * 64,
    )


def test_every_write_service_refuses_a_closed_dossier(
    afgesloten, regisseur, beoordelaar, beheerder
):
    bijlage = _opvolgbijlage(afgesloten)
    moment = Opvolgmoment.objects.get(aanvraag=afgesloten, jaar=2025)
    Opvolgmoment.objects.filter(pk=moment.pk).update(status=Opvolgstatus.INGEDIEND)
    moment.refresh_from_db()
    pogingen = {
        "boeking": lambda: _betaal(afgesloten, beheerder, 2025, "1", Boekingssoort.CORRECTIE),
        "herbeslissing": lambda: bedragen_herzien(
            aanvraag=afgesloten,
            by=beoordelaar,
            bedragen={j: Decimal(1) for j in (2023, 2024, 2025)},
            motivatie="Te laat.",
        ),
        "opvolgmoment": lambda: opvolgmoment_bewaren(
            aanvraag=afgesloten,
            jaar=2025,
            by=regisseur,
            invoer=volledig(afgesloten, 2025),
            indienen=False,
        ),
        "beoordelen": lambda: opvolgmoment_beoordelen(
            moment=moment, by=beoordelaar, aanvaarden=False, reden="Meer."
        ),
        "bijlage": lambda: opvolgbijlage_toevoegen(
            aanvraag=afgesloten,
            jaar=2025,
            by=regisseur,
            bijlagetype=bijlage.bijlagetype,
            upload=pdf_upload(),
        ),
        "bijlage weg": lambda: opvolgbijlage_verwijderen(bijlage=bijlage, by=regisseur),
        # WSE's internal notes sit in the review, below the uitvoering: the same rule.
        "notitie": lambda: notitie_add(aanvraag=afgesloten, by=beoordelaar, tekst="Nog iets."),
    }
    boekingen = Boeking.objects.count()
    for naam, poging in pogingen.items():
        with pytest.raises(PermissionDenied, match="afgesloten"):
            poging()
        assert Boeking.objects.count() == boekingen, naam
    assert Opvolgbijlage.objects.filter(pk=bijlage.pk).exists()
    assert not afgesloten.herbeslissingen.exists()
    assert not Notitie.objects.filter(aanvraag=afgesloten).exists()


def test_every_write_url_answers_403_on_a_closed_dossier(
    afgesloten, regisseur, beoordelaar, beheerder
):
    bijlage = _opvolgbijlage(afgesloten)
    basis = f"/aanvragen/{afgesloten.pk}/uitvoering"
    pogingen = [
        (beheerder, f"{basis}/boekingen/", {"soort": "betaling"}),
        (beoordelaar, f"{basis}/bedragen/", {}),
        (regisseur, f"{basis}/opvolging/2025/", {"actie": "bewaren"}),
        (regisseur, f"{basis}/opvolging/2025/bijlagen/", {}),
        (regisseur, f"{basis}/opvolging/2025/bijlagen/{bijlage.pk}/verwijderen/", {}),
        (beoordelaar, f"{basis}/opvolging/2025/beoordelen/", {"besluit": "aanvaarden"}),
        (beoordelaar, f"{basis}/afsluiten/", {"bevestigen": "on"}),
        (beoordelaar, f"/beoordeling/{afgesloten.pk}/notitie/", {"notitie-tekst": "Nog iets."}),
        (beheerder, f"/beoordeling/{afgesloten.pk}/notitie/", {"notitie-tekst": ""}),
    ]
    for wie, url, data in pogingen:
        antwoord = client_for(wie).post(url, data)
        assert antwoord.status_code == 403, url
        assert "Dit dossier is afgesloten" in antwoord.content.decode(), url
    assert Afsluiting.objects.count() == 1
    assert Opvolgbijlage.objects.filter(pk=bijlage.pk).exists()
    assert not Notitie.objects.filter(aanvraag=afgesloten).exists()


def test_a_closed_dossier_shows_who_closed_it_and_no_forms(afgesloten, beoordelaar, beheerder):
    op = timezone.localtime(Afsluiting.objects.get(aanvraag=afgesloten).afgesloten_op)
    for wie in (beoordelaar, beheerder):
        html = client_for(wie).get(f"/aanvragen/{afgesloten.pk}/uitvoering/").content.decode()
        assert "Dossier afgesloten" in html
        assert f"Afgesloten op {op.day}" in html and f"door {beoordelaar}" in html
        assert "eindbundel.zip" in html
        assert "Een betaling boeken" not in html
        assert "Nieuwe beslissing over de bedragen" not in html
        assert "Dossier afsluiten…" not in html
    html = (
        client_for(beoordelaar)
        .get(f"/aanvragen/{afgesloten.pk}/uitvoering/opvolging/2025/")
        .content.decode()
    )
    assert "aan dit opvolgmoment kan niets meer veranderen" in html


def test_a_closed_dossier_keeps_its_notes_read_only_until_reopened(
    afgesloten, beoordelaar, beheerder
):
    Notitie.objects.create(aanvraag=afgesloten, tekst="Van voor de afsluiting.", door=beoordelaar)
    url = f"/beoordeling/{afgesloten.pk}/"
    html = client_for(beoordelaar).get(url).content.decode()
    assert "Van voor de afsluiting." in html
    assert "Het dossier is afgesloten: er kunnen geen notities meer bij." in html
    assert f"/beoordeling/{afgesloten.pk}/notitie/" not in html
    assert "Notitie bewaren" not in html
    # Reopened, the note can be written again, on the page and through its service.
    dossier_heropenen(aanvraag=afgesloten, by=beheerder, reden="Een notitie vergeten.")
    html = client_for(beoordelaar).get(url).content.decode()
    assert "er kunnen geen notities meer bij" not in html
    assert f"/beoordeling/{afgesloten.pk}/notitie/" in html
    notitie_add(aanvraag=afgesloten, by=beoordelaar, tekst="Na het heropenen.")
    assert Notitie.objects.filter(aanvraag=afgesloten).count() == 2


# --- The confirmation step ------------------------------------------------------------------------


def test_the_confirmation_step_lists_what_is_missing_and_refuses_the_post(lopend, beoordelaar):
    klant = client_for(beoordelaar)
    url = f"/aanvragen/{lopend.pk}/uitvoering/afsluiten/"
    html = klant.get(url).content.decode()
    assert "Het dossier kan nog niet afgesloten worden" in html
    assert "Het opvolgmoment van 2023 is nog niet aanvaard" in html
    assert 'name="bevestigen"' not in html
    antwoord = klant.post(url, {"bevestigen": "on"})
    assert antwoord.status_code == 400
    assert "Voor 2025 is nog EUR 50.000,00 te betalen." in antwoord.content.decode()
    assert not Afsluiting.objects.exists()
    # The uitvoering page says the same, with the link to the step.
    html = klant.get(f"/aanvragen/{lopend.pk}/uitvoering/").content.decode()
    assert "Het dossier kan nog niet afgesloten worden:" in html
    assert url in html


def test_the_confirmation_step_asks_the_box_then_closes(afsluitbaar, beheerder):
    klant = client_for(beheerder)
    url = f"/aanvragen/{afsluitbaar.pk}/uitvoering/afsluiten/"
    assert 'name="bevestigen"' in klant.get(url).content.decode()
    antwoord = klant.post(url, {})
    assert antwoord.status_code == 400
    assert "Vink aan dat u het dossier wilt afsluiten." in antwoord.content.decode()
    assert not Afsluiting.objects.exists()
    antwoord = klant.post(url, {"bevestigen": "on"}, follow=True)
    assert antwoord.redirect_chain == [(f"/aanvragen/{afsluitbaar.pk}/uitvoering/", 302)]
    assert "Het dossier is afgesloten." in antwoord.content.decode()
    assert Afsluiting.objects.get().afgesloten_door == beheerder


def test_a_regisseur_sees_why_not_yet_but_not_the_step(lopend, regisseur):
    klant = client_for(regisseur)
    html = klant.get(f"/aanvragen/{lopend.pk}/uitvoering/").content.decode()
    assert "Het dossier kan nog niet afgesloten worden:" in html
    assert "Dossier afsluiten…" not in html
    assert klant.get(f"/aanvragen/{lopend.pk}/uitvoering/afsluiten/").status_code == 403


# --- The final bundle ---------------------------------------------------------------------------


def _tekst(pdf: bytes) -> str:
    """The text of a PDF as pypdf reads it back."""
    return " ".join(page.extract_text() for page in pdf_reader(pdf).pages)


def test_the_final_bundle_holds_every_file_with_its_hash(echt_dossier, regisseur, beoordelaar):
    klant = client_for(regisseur)
    url = f"/aanvragen/{echt_dossier.pk}/uitvoering/eindbundel.zip"
    assert klant.get(url).status_code == 404  # not closed: no final bundle yet
    dossier_afsluiten(aanvraag=echt_dossier, by=beoordelaar)

    antwoord = klant.get(url)
    assert antwoord.status_code == 200
    assert antwoord["Content-Type"] == "application/zip"
    assert antwoord["Content-Disposition"] == (
        f'attachment; filename="dossier-echt-2023-{slugify(echt_dossier.regieverband.naam)}.zip"'
    )
    zf = zipfile.ZipFile(io.BytesIO(antwoord.getvalue()))
    namen = set(zf.namelist())
    manifest = json.loads(zf.read("manifest.json"))
    assert manifest["dossier"] == echt_dossier.referentie
    assert manifest["niet_in_de_zip"] == []
    # Every file but the manifest and SHA256SUMS is in the manifest with its true hash and size.
    assert {b["naam"] for b in manifest["bestanden"]} == namen - {"manifest.json", "SHA256SUMS"}
    for b in manifest["bestanden"]:
        inhoud = zf.read(b["naam"])
        assert (hashlib.sha256(inhoud).hexdigest(), len(inhoud)) == (b["sha256"], b["grootte"])
    sums = zf.read("SHA256SUMS").decode().splitlines()
    assert sorted(sums) == sorted(f"{b['sha256']}  {b['naam']}" for b in manifest["bestanden"])

    # The sealed PDF is the stored one, byte for byte, and reads back as the aanvraag.
    indiening = echt_dossier.indieningen.get()
    pdfnaam = next(n for n in namen if n.startswith("aanvraag/"))
    pdf = zf.read(pdfnaam)
    assert hashlib.sha256(pdf).hexdigest() == indiening.pdf_sha256
    assert echt_dossier.referentie in _tekst(pdf)
    brief = zf.read(f"beslissing/beslissing-echt-2023-{echt_dossier.pk}.pdf")
    assert hashlib.sha256(brief).hexdigest() == echt_dossier.beslissing.brief_sha256
    assert "goedgekeurd" in _tekst(brief).lower()

    # The opvolgmomenten and the ledger as CSV (`;`, UTF-8 with BOM).
    opvolging = list(
        csv.reader(io.StringIO(zf.read("opvolgmomenten.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert opvolging[0][:3] == ["Jaar", "Status", "Ingediend op"]
    assert {r[0] for r in opvolging[1:]} == {"2023", "2024", "2025"}
    assert all(r[1] == "aanvaard" for r in opvolging[1:])
    grootboek = list(
        csv.reader(io.StringIO(zf.read("grootboek.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert [r[4] for r in grootboek[1:]] == ["FIN-2023", "FIN-2024", "FIN-2025"]
    jaren = list(
        csv.reader(io.StringIO(zf.read("bedragen_per_jaar.csv").decode("utf-8-sig")), delimiter=";")
    )
    assert [r[:3] for r in jaren[1:]] == [
        [str(j), "40000,00", "40000,00"] for j in (2023, 2024, 2025)
    ]


def test_a_wse_download_of_the_bundle_is_audited(echt_dossier, beoordelaar, beheerder, collega):
    dossier_afsluiten(aanvraag=echt_dossier, by=beoordelaar)
    url = f"/aanvragen/{echt_dossier.pk}/uitvoering/eindbundel.zip"
    assert client_for(collega).get(url).status_code == 404
    assert client_for(beheerder).get(url).status_code == 200
    acties = set(
        Auditregel.objects.filter(soort=Auditregel.Soort.DOWNLOAD, gebruiker=beheerder).values_list(
            "omschrijving", flat=True
        )
    )
    assert any(a.startswith("eindbundel dossier-echt-2023-") for a in acties)
    assert any(a.startswith("PDF versie 1 (in dossier-echt-2023-") for a in acties)


# --- Reopening -----------------------------------------------------------------------------------


def test_a_beheerder_reopens_with_a_reason_and_it_may_be_closed_again(
    afgesloten, beheerder, beoordelaar
):
    with pytest.raises(ValidationError, match="waarom"):
        dossier_heropenen(aanvraag=afgesloten, by=beheerder, reden="  ")
    afsluiting = dossier_heropenen(aanvraag=afgesloten, by=beheerder, reden="Boeking vergeten.")
    assert (afsluiting.heropend_door, afsluiting.heropen_reden) == (beheerder, "Boeking vergeten.")
    assert not is_afgesloten(afgesloten)
    # Open again: a booking goes through (a correction), then it is closed anew.
    _betaal(afgesloten, beheerder, 2025, "100", Boekingssoort.CORRECTIE)
    _betaal(afgesloten, beheerder, 2025, "100")
    tweede = dossier_afsluiten(aanvraag=afgesloten, by=beoordelaar)
    assert is_afgesloten(afgesloten)
    assert Afsluiting.objects.filter(aanvraag=afgesloten).count() == 2
    assert tweede.heropend_op is None
    acties = list(
        Auditregel.objects.filter(soort=Auditregel.Soort.DOSSIER)
        .order_by("pk")
        .values_list("actie", "omschrijving")
    )
    assert ("dossier heropend", "Boeking vergeten.") in acties
    html = client_for(beheerder).get(f"/aanvragen/{afgesloten.pk}/uitvoering/").content.decode()
    assert "Dossier heropend" in html and "Boeking vergeten." in html


def test_only_a_beheerder_reopens(afgesloten, regisseur, beoordelaar):
    for wie in (regisseur, beoordelaar):
        with pytest.raises(PermissionDenied):
            dossier_heropenen(aanvraag=afgesloten, by=wie, reden="Waarom niet.")
    assert is_afgesloten(afgesloten)


def test_a_dossier_touched_by_the_retention_run_is_not_reopened(afgesloten, beheerder):
    Afsluiting.objects.filter(aanvraag=afgesloten).update(geanonimiseerd_op=timezone.now())
    with pytest.raises(ValidationError, match="kan niet meer heropend worden"):
        dossier_heropenen(aanvraag=afgesloten, by=beheerder, reden="Te laat.")
    assert is_afgesloten(afgesloten)


def test_reopening_on_the_page(afgesloten, beheerder, beoordelaar):
    url = f"/aanvragen/{afgesloten.pk}/uitvoering/heropenen/"
    assert (
        'name="reden"'
        not in client_for(beoordelaar)
        .get(f"/aanvragen/{afgesloten.pk}/uitvoering/")
        .content.decode()
    )
    assert client_for(beoordelaar).post(url, {"reden": "Nee."}).status_code == 403
    klant = client_for(beheerder)
    assert 'name="reden"' in klant.get(f"/aanvragen/{afgesloten.pk}/uitvoering/").content.decode()
    antwoord = klant.post(url, {"reden": ""})
    assert antwoord.status_code == 400
    assert "Schrijf waarom het dossier heropend wordt." in antwoord.content.decode()
    antwoord = klant.post(url, {"reden": "Een terugbetaling komt nog."}, follow=True)
    assert antwoord.redirect_chain == [(f"/aanvragen/{afgesloten.pk}/uitvoering/", 302)]
    assert "Het dossier is heropend." in antwoord.content.decode()
    assert not is_afgesloten(afgesloten)
    # Not closed any more: a second reopening is refused, and said.
    antwoord = klant.post(url, {"reden": "Nog eens."})
    assert antwoord.status_code == 400
    assert "Dit dossier is niet afgesloten." in antwoord.content.decode()
