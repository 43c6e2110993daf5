"""Retention of closed dossiers (`manage.py dossiers_anonimiseren`): the preview changes nothing;
the run anonymises the contact person, the accounts of people who left and the personal data in
the sealed snapshots, deletes sealed PDFs whole after the archive period (their hashes kept),
keeps amounts, decisions and hashes, logs what it did, and a second run finds nothing to do."""

from __future__ import annotations

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db.models import Sum

from applications.aanvragen.models import Aanvraag, Indiening
from applications.accounts.models import User
from applications.audit.models import Auditregel
from applications.beoordeling.models import Beslissing
from applications.oproepen.models import Oproep
from applications.uitvoering.afsluiting import dossier_afsluiten
from applications.uitvoering.bewaring import bewaarplan, jaren_na
from applications.uitvoering.models import Afsluiting, Boeking
from applications.uitvoering.opvolging import opvolgmoment_bewaren

from ..conftest import client_for
from ..factories import UserFactory
from .conftest import volledig

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("dossiers_anonimiseren", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def oud_dossier(echt_dossier: Aanvraag, beoordelaar: User, beheerder: User) -> Aanvraag:
    """`echt_dossier` closed ten years ago, its call keeping personal data 5 years and sealed
    PDFs 8 years after closing; the beheerder who booked its payments has left since, with
    lines in the audit log (a login, a refused login with their address, a change of their
    account in /beheer/)."""
    dossier_afsluiten(aanvraag=echt_dossier, by=beoordelaar)
    Afsluiting.objects.filter(aanvraag=echt_dossier).update(
        afgesloten_op=datetime.datetime(2016, 1, 4, 10, 0, tzinfo=datetime.UTC)
    )
    Oproep.objects.filter(pk=echt_dossier.oproep_id).update(
        bewaartermijn_jaren=5, archieftermijn_jaren=8
    )
    User.objects.filter(pk=beheerder.pk).update(is_active=False)
    Auditregel.objects.create(
        soort=Auditregel.Soort.AANMELDING,
        gebruiker=beheerder,
        gebruiker_email=beheerder.email,
        actie="aangemeld via wachtwoord",
        pad="/accounts/login/",
        gegevens={"vo_id": "verzonnen"},
    )
    Auditregel.objects.create(
        soort=Auditregel.Soort.AANMELDING,
        gebruiker_email=beheerder.email,
        actie="geweigerd via wachtwoord",
        pad="/accounts/login/",
        gegevens={"e-mailadres": beheerder.email},
    )
    Auditregel.objects.create(
        soort=Auditregel.Soort.BEHEER,
        gebruiker=beoordelaar,
        gebruiker_email=beoordelaar.email,
        actie="beheer_gebruiker_deactiveren",
        pad=f"/beheer/gebruikers/{beheerder.pk}/deactiveren/",
        onderwerp=f"Gebruiker {beheerder}",
        onderwerp_type="accounts.user",
        onderwerp_id=beheerder.pk,
        gegevens={"parameters": {"pk": str(beheerder.pk)}, "formulier": {"email": beheerder.email}},
    )
    return Aanvraag.objects.get(pk=echt_dossier.pk)


def _stand() -> dict[str, object]:
    """What the run may change, to compare before and after."""
    return {
        "aanvragen": list(Aanvraag.objects.order_by("pk").values()),
        "indieningen": list(Indiening.objects.order_by("pk").values()),
        "beslissingen": list(Beslissing.objects.order_by("pk").values()),
        "gebruikers": list(User.objects.order_by("pk").values()),
        "audit": list(Auditregel.objects.order_by("pk").values()),
        "afsluitingen": list(Afsluiting.objects.order_by("pk").values()),
    }


def test_the_preview_lists_what_it_would_do_and_changes_nothing(oud_dossier, beheerder):
    voor = _stand()
    uit = _run()
    assert voor == _stand()
    indiening = oud_dossier.indieningen.get()
    assert default_storage.exists(indiening.pdf.name)
    assert f"{oud_dossier.referentie} {oud_dossier.regieverband.naam}" in uit
    assert "contactpersoon geanonimiseerd (naam, functie, e-mail, telefoon): Test Contact" in uit
    assert f"verzegelde PDF van versie 1 verwijderd (SHA-256 {indiening.pdf_sha256} blijft)" in uit
    assert "beslissingsbrief verwijderd" in uit
    assert f"gebruiker {beheerder.pk} (" in uit and beheerder.email in uit
    assert "Voorbeeld: er is niets gewijzigd." in uit


def test_the_run_anonymises_and_deletes_what_it_must_and_keeps_the_rest(
    oud_dossier, beheerder, beoordelaar, regisseur, django_capture_on_commit_callbacks
):
    indiening = oud_dossier.indieningen.get()
    beslissing = Beslissing.objects.get(aanvraag=oud_dossier)
    pdf_pad, brief_pad = indiening.pdf.name, beslissing.brief.name
    bedragen = beslissing.bedragen
    betaald = Boeking.objects.filter(aanvraag=oud_dossier).aggregate(s=Sum("bedrag"))["s"]
    oud_email = beheerder.email

    with django_capture_on_commit_callbacks(execute=True):
        uit = _run("--uitvoeren")
    assert (
        "Uitgevoerd: dossiers geanonimiseerd: 1, pdfs verwijderd: 1, brieven verwijderd: 1" in uit
    )

    # The contact person of the aanvraag.
    aanvraag = Aanvraag.objects.get(pk=oud_dossier.pk)
    assert (aanvraag.contact_naam, aanvraag.contact_email) == ("", "")
    # The sealed PDF and the letter: the files gone whole, their hashes and sizes kept.
    indiening.refresh_from_db()
    beslissing.refresh_from_db()
    assert not default_storage.exists(pdf_pad) and not default_storage.exists(brief_pad)
    assert indiening.pdf.name == "" and indiening.pdf_verwijderd
    assert len(indiening.pdf_sha256) == 64 and indiening.pdf_grootte
    assert beslissing.brief.name == "" and beslissing.brief_verwijderd
    assert len(beslissing.brief_sha256) == 64
    # The snapshot loses the contact and the submitter; its sealed hash stays.
    assert indiening.inhoud["contact"] == {"naam": "", "functie": "", "email": "", "telefoon": ""}
    assert indiening.inhoud["indiening"]["ingediend_door"] == {"naam": "", "email": ""}
    assert indiening.inhoud_geanonimiseerd_op is not None
    assert indiening.inhoud["acties"]  # the plan itself stays
    # Amounts, decision and ledger stay.
    assert beslissing.bedragen == bedragen and beslissing.uitkomst == "goedgekeurd"
    assert Boeking.objects.filter(aanvraag=oud_dossier).aggregate(s=Sum("bedrag"))["s"] == betaald
    # The beheerder who left: name and address gone, the id and every row naming it kept.
    weg = User.objects.get(pk=beheerder.pk)
    assert (weg.email, weg.first_name, weg.last_name) == ("", "", "")
    assert weg.geanonimiseerd_op is not None and not weg.has_usable_password()
    assert str(weg) == f"gebruiker {beheerder.pk}"
    assert Boeking.objects.filter(geboekt_door=weg).count() == 3
    # Their audit lines keep the id and lose the address.
    eigen = Auditregel.objects.filter(gebruiker=weg)
    assert eigen.exists() and set(eigen.values_list("gebruiker_email", flat=True)) == {""}
    assert eigen.get(soort=Auditregel.Soort.AANMELDING).gegevens == {}
    assert not Auditregel.objects.filter(gebruiker_email__iexact=oud_email).exists()
    over = Auditregel.objects.get(
        onderwerp_type="accounts.user", onderwerp_id=weg.pk, soort="beheer"
    )
    assert over.onderwerp == f"Gebruiker gebruiker {weg.pk}"
    assert "formulier" not in over.gegevens
    assert oud_email not in json.dumps(list(Auditregel.objects.values()), default=str)
    # People still active are untouched.
    assert User.objects.get(pk=beoordelaar.pk).email == beoordelaar.email
    assert User.objects.get(pk=regisseur.pk).email == regisseur.email
    # What the run did is in the audit log, without a user (the command ran on the server).
    acties = list(
        Auditregel.objects.filter(soort=Auditregel.Soort.DOSSIER, gebruiker=None).values_list(
            "actie", flat=True
        )
    )
    assert sorted(acties) == sorted(
        [
            "persoonsgegevens geanonimiseerd",
            "verzegelde PDF's verwijderd",
            "ingediende inhoud geanonimiseerd",
            "gebruiker geanonimiseerd",
            "bewaartermijnen toegepast",
        ]
    )
    afsluiting = Afsluiting.objects.get(aanvraag=oud_dossier)
    assert afsluiting.geanonimiseerd_op and afsluiting.pdfs_verwijderd_op


def test_a_second_run_finds_nothing_to_do(oud_dossier, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _run("--uitvoeren")
    voor = _stand()
    assert "Niets te doen" in _run("--uitvoeren")
    assert voor == _stand()


def test_a_user_who_left_but_works_on_an_open_dossier_is_kept(
    oud_dossier, lopend, beheerder, regisseur
):
    opvolgmoment_bewaren(
        aanvraag=lopend, jaar=2023, by=regisseur, invoer=volledig(lopend, 2023), indienen=True
    )
    User.objects.filter(pk__in=[regisseur.pk]).update(is_active=False)
    plan = bewaarplan()
    # The regisseur also worked on `oud_dossier`, but `lopend` is not closed: kept.
    assert [u.pk for u in plan.gebruikers] == [beheerder.pk]


def test_nothing_happens_while_the_call_sets_no_periods(oud_dossier):
    Oproep.objects.filter(pk=oud_dossier.oproep_id).update(
        bewaartermijn_jaren=None, archieftermijn_jaren=None
    )
    assert bewaarplan().leeg
    assert "Niets te doen" in _run("--uitvoeren")


def test_periods_count_from_the_closing(oud_dossier):
    afgesloten_op = Afsluiting.objects.get(aanvraag=oud_dossier).afgesloten_op
    assert bewaarplan(nu=jaren_na(afgesloten_op, 5) - datetime.timedelta(seconds=1)).leeg
    plan = bewaarplan(nu=jaren_na(afgesloten_op, 5))
    assert [(s.anonimiseren, s.pdfs) for s in plan.dossiers] == [(True, [])]
    plan = bewaarplan(nu=jaren_na(afgesloten_op, 8))
    assert [(s.anonimiseren, len(s.pdfs)) for s in plan.dossiers] == [(True, 1)]


def test_after_the_archive_period_only_the_pdfs_go(oud_dossier, django_capture_on_commit_callbacks):
    Oproep.objects.filter(pk=oud_dossier.oproep_id).update(
        bewaartermijn_jaren=30, archieftermijn_jaren=5
    )
    with django_capture_on_commit_callbacks(execute=True):
        _run("--uitvoeren")
    aanvraag = Aanvraag.objects.get(pk=oud_dossier.pk)
    indiening = aanvraag.indieningen.get()
    assert indiening.pdf_verwijderd
    assert aanvraag.contact_naam == "Test Contact"
    assert indiening.inhoud["contact"]["naam"] == "Test Contact"
    assert indiening.inhoud_geanonimiseerd_op is None


def test_pages_say_a_pdf_was_deleted_and_show_its_hash(
    oud_dossier, regisseur, beoordelaar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _run("--uitvoeren")
    indiening = oud_dossier.indieningen.get()
    beslissing = Beslissing.objects.get(aanvraag=oud_dossier)
    for wie in (regisseur, beoordelaar):
        klant = client_for(wie)
        antwoord = klant.get(f"/aanvragen/{oud_dossier.pk}/pdf/1/")
        assert antwoord.status_code == 410
        html = antwoord.content.decode()
        assert (
            "verwijderd, toen de archieftermijn van het afgesloten dossier verstreken was" in html
        )
        assert indiening.pdf_sha256 in html
        antwoord = klant.get(f"/aanvragen/{oud_dossier.pk}/beslissing.pdf")
        assert antwoord.status_code == 410
        assert beslissing.brief_sha256 in antwoord.content.decode()
    html = client_for(regisseur).get(f"/aanvragen/{oud_dossier.pk}/").content.decode()
    assert "PDF verwijderd op" in html and indiening.pdf_sha256 in html
    # The final bundle names them in its manifest, with their hashes.
    antwoord = client_for(regisseur).get(f"/aanvragen/{oud_dossier.pk}/uitvoering/eindbundel.zip")
    zf = zipfile.ZipFile(io.BytesIO(antwoord.getvalue()))
    manifest = json.loads(zf.read("manifest.json"))
    assert {(m["wat"], m["sha256"]) for m in manifest["niet_in_de_zip"]} == {
        ("verzegelde PDF van versie 1", indiening.pdf_sha256),
        ("beslissingsbrief", beslissing.brief_sha256),
    }
    assert not any(n.endswith(".pdf") for n in zf.namelist())


def test_the_beheer_page_shows_the_same_preview_and_changes_nothing(oud_dossier, beheerder):
    # The fixture's beheerder has left; another one reads the page.
    klant = client_for(UserFactory.create(email="beheerder2@example.org", beheerder=True))
    voor = _stand()  # after the login, which notes its time
    antwoord = klant.get("/beheer/bewaring/")
    assert antwoord.status_code == 200
    html = antwoord.content.decode()
    indiening = oud_dossier.indieningen.get()
    assert f"{oud_dossier.referentie} {oud_dossier.regieverband.naam}" in html
    assert "De contactpersoon wordt geanonimiseerd" in html
    assert indiening.pdf_sha256 in html
    assert f"Gebruiker {beheerder.pk}: " in html
    assert voor == _stand()
