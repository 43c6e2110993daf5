"""Sealing in two steps: the snapshot and its hash at submission, the PDF from the snapshot by
the worker; and every page in the state between the two ("wordt verzegeld")."""

from __future__ import annotations

import csv
import datetime
import hashlib
import importlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from applications.aanvragen import notifications, pdf, verzegeling
from applications.aanvragen.models import Aanvraag, Actie, Indiening
from applications.aanvragen.momentopname import canonieke_json, inhoud_sha256
from applications.aanvragen.statuses import AanvraagStatus
from applications.aanvragen.submission import (
    NOG_TE_VERZEGELEN,
    aanvraag_submit,
    indiening_filename,
)
from applications.aanvragen.verzegeling import pdf_maken, wachtende_pdfs, wachttijd
from applications.accounts.models import User
from applications.audit.models import Auditregel
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.oproepen.models import Oproep

from ..aanvraag_helpers import fill_everything, worker_maakt_pdfs
from ..conftest import client_for
from ..factories import AanvraagFactory, LidmaatschapFactory, UserFactory
from ..pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db

WORDT_VERZEGELD = "Wordt verzegeld"


def stored_files() -> list[str]:
    storage: Any = settings.STORAGES["default"]
    root = Path(storage["OPTIONS"]["location"])
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def ingediend(aanvraag: Aanvraag, regisseur: User) -> Indiening:
    """A submitted aanvraag whose sealed PDF is still being made."""
    fill_everything(aanvraag, regisseur)
    aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    indiening = Indiening.objects.get(aanvraag=aanvraag)
    assert not indiening.pdf_klaar
    return indiening


def _client(request: pytest.FixtureRequest, who: str | None) -> Client:
    return client_for(request.getfixturevalue(who) if who else None)


# --- Submitting answers at once -----------------------------------------------------------------


def test_submission_answers_without_rendering_and_the_worker_makes_the_pdf_after_the_commit(
    aanvraag: Aanvraag,
    regisseur: User,
    als_regisseur: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    fill_everything(aanvraag, regisseur)
    weasyprint = mock.Mock(side_effect=AssertionError("WeasyPrint ran in the request"))
    with (
        mock.patch("weasyprint.HTML", weasyprint),
        django_capture_on_commit_callbacks(execute=False) as hooks,
    ):
        response = als_regisseur.post(f"/aanvragen/{aanvraag.pk}/indienen/", {"mandaat": "on"})
        overzicht = als_regisseur.get(response["Location"])

    assert response.status_code == 302
    assert weasyprint.call_count == 0
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.INGEDIEND
    indiening = aanvraag.indieningen.get()
    assert not indiening.pdf_klaar and not indiening.pdf and indiening.pdf_grootte is None
    assert stored_files() == sorted(b.bestand.name for b in aanvraag.bijlagen.all())
    html = overzicht.content.decode()
    assert "Uw aanvraag is ingediend" in html
    assert WORDT_VERZEGELD in html and indiening.inhoud_sha256 in html
    assert 'aria-live="polite"' in html

    # The commit's hooks: the e-mail and the PDF, for the worker. Now the worker's turn.
    for hook in hooks:
        hook()
    indiening.refresh_from_db()
    assert indiening.pdf_klaar
    assert indiening.pdf_pogingen == 1 and indiening.pdf_gemaakt_op is not None
    assert hashlib.sha256(indiening.pdf.read()).hexdigest() == indiening.pdf_sha256
    html = als_regisseur.get(f"/aanvragen/{aanvraag.pk}/").content.decode()
    assert WORDT_VERZEGELD not in html
    assert f"/aanvragen/{aanvraag.pk}/pdf/1/" in html and indiening.pdf_sha256 in html


def test_snapshot_holds_everything_sent_and_its_hash_is_of_the_canonical_json(
    ingediend: Indiening, regisseur: User, verband: Regieverband
) -> None:
    indiening = Indiening.objects.get(pk=ingediend.pk)  # read back from PostgreSQL's jsonb
    inhoud = indiening.inhoud
    assert indiening.inhoud_sha256 == hashlib.sha256(canonieke_json(inhoud)).hexdigest()
    assert indiening.inhoud_sha256 == inhoud_sha256(inhoud)
    assert inhoud["formaat"] == 2
    assert inhoud["regieverband"]["naam"] == verband.naam
    assert inhoud["leden"] == ["73107"]
    assert inhoud["leden_gegevens"][0]["nis_code"] == "73107"
    assert {p["code"] for p in inhoud["prioriteiten"]} == {f"WSE-LR{n}" for n in range(1, 5)}
    assert inhoud["acties"][0]["budget"] == "1000.50"
    assert {b["sha256"] for b in inhoud["bijlagen"]} == set(
        ingediend.aanvraag.bijlagen.values_list("sha256", flat=True)
    )
    assert inhoud["indiening"] == {
        "versie": 1,
        "ingediend_op": indiening.ingediend_op.astimezone(datetime.UTC).isoformat(),
        "ingediend_door": {"naam": regisseur.get_full_name(), "email": regisseur.email},
        "mandaat": "",
    }
    assert indiening.aanvraag.ingediend_op == indiening.ingediend_op


def test_canonical_json_sorts_keys_has_no_spaces_keeps_text_and_refuses_floats() -> None:
    assert canonieke_json({"b": [1, None, True], "a": "één €"}) == (
        '{"a":"één €","b":[1,null,true]}'.encode()
    )
    assert canonieke_json({"x": 1}) == json.dumps({"x": 1}, separators=(",", ":")).encode()
    for waarde in (1.5, Decimal("1.50"), datetime.date(2030, 1, 1), {1: "x"}):
        with pytest.raises(TypeError):
            canonieke_json({"waarde": waarde})


def test_a_failure_after_the_snapshot_rolls_back_the_snapshot_and_the_status_change(
    aanvraag: Aanvraag, regisseur: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_everything(aanvraag, regisseur)

    def kapot(**kwargs: Any) -> None:
        assert Indiening.objects.filter(aanvraag=aanvraag).exists()  # it was written
        raise RuntimeError("na de momentopname")

    monkeypatch.setattr(notifications, "send_submission_confirmation", kapot)
    with pytest.raises(RuntimeError):
        aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.CONCEPT and aanvraag.ingediend_op is None
    assert not aanvraag.indieningen.exists() and not aanvraag.statuswijzigingen.exists()


def test_the_confirmation_email_names_the_snapshot_hash_and_does_not_wait_for_the_pdf(
    aanvraag: Aanvraag,
    regisseur: User,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fill_everything(aanvraag, regisseur)
    monkeypatch.setattr(pdf, "render_pdf", mock.Mock(side_effect=RuntimeError("stuk")))
    with django_capture_on_commit_callbacks(execute=True):
        aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    indiening = aanvraag.indieningen.get()
    assert not indiening.pdf_klaar  # the render failed, the e-mail went anyway
    [mail] = mailoutbox
    assert indiening.inhoud_sha256 in mail.body
    assert "/pdf/" not in mail.body and not mail.attachments


# --- The worker prints the PDF from the snapshot ------------------------------------------------


def test_the_pdf_is_printed_from_the_snapshot_even_after_the_aanvraag_changed(
    ingediend: Indiening, verband: Regieverband
) -> None:
    aanvraag = ingediend.aanvraag
    titel = (
        Actie.objects.filter(aanvraag=aanvraag).order_by("pk").values_list("titel", flat=True)[0]
    )
    # Everything the PDF prints changes after the submission (WSE reopens it, an admin renames).
    Aanvraag.objects.filter(pk=aanvraag.pk).update(visie="Later herschreven visie.")
    Actie.objects.filter(aanvraag=aanvraag).update(titel="Later hernoemde actie")
    Regieverband.objects.filter(pk=verband.pk).update(naam="Later hernoemd verband")
    LokaalBestuur.objects.filter(nis_code="73107").update(naam="Later hernoemde gemeente")
    LidmaatschapFactory.create(regieverband=verband, bestuur__nis_code="72018")

    assert worker_maakt_pdfs() == [ingediend]
    ingediend.refresh_from_db()
    text = pdf_text(ingediend.pdf.read())
    assert "Verzonnen visie." in text and "Later herschreven" not in text
    assert titel in text and "Later hernoemde actie" not in text
    assert "Sociale Economie Maasland (test)" in text and "Later hernoemd verband" not in text
    assert "Later hernoemde gemeente" not in text and "72018" not in text
    # The snapshot's hash is printed in it (a 64-character string may wrap: read without spaces).
    assert ingediend.inhoud_sha256 in "".join(text.split())
    assert "SHA-256 van de ingediende gegevens" in text


def test_a_failed_render_is_tried_again_with_growing_waits_until_the_pdf_exists(
    ingediend: Indiening,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    echt = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", mock.Mock(side_effect=OSError("schijf vol")))
    voor = timezone.now()
    assert pdf_maken(ingediend.pk) is False
    ingediend.refresh_from_db()
    assert not ingediend.pdf_klaar and stored_files() == sorted(
        b.bestand.name for b in ingediend.aanvraag.bijlagen.all()
    )
    assert ingediend.pdf_pogingen == 1
    assert ingediend.pdf_laatste_fout == "OSError: schijf vol"
    assert ingediend.pdf_volgende_poging is not None
    assert ingediend.pdf_volgende_poging >= voor + datetime.timedelta(minutes=1)

    # Not due yet: neither the schedule nor a stray task tries again.
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        assert wachtende_pdfs() == 0
    assert hooks == []
    assert pdf_maken(ingediend.pk) is False
    assert Indiening.objects.get(pk=ingediend.pk).pdf_pogingen == 1

    # Due (a minute later): the schedule queues it, the render works this time.
    monkeypatch.setattr(pdf, "render_pdf", echt)
    Indiening.objects.filter(pk=ingediend.pk).update(
        pdf_volgende_poging=timezone.now() - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert wachtende_pdfs() == 1
    ingediend.refresh_from_db()
    assert ingediend.pdf_klaar
    assert ingediend.pdf_pogingen == 2 and ingediend.pdf_laatste_fout == ""
    assert ingediend.pdf_volgende_poging is None


def test_the_schedule_leaves_the_first_task_its_chance_and_takes_over_from_a_dead_worker(
    ingediend: Indiening, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        assert wachtende_pdfs() == 0  # the task queued at submission comes first
    assert hooks == []
    # The worker took it and died mid-render: nothing is noted but the claim.
    assert verzegeling._claim(ingediend.pk, nu=timezone.now(), negeer_wachttijd=False)
    with django_capture_on_commit_callbacks(execute=False):
        assert wachtende_pdfs() == 0
    later = timezone.now() + verzegeling.LOOPTIJD + datetime.timedelta(seconds=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert wachtende_pdfs() == 1
    ingediend.refresh_from_db()
    assert ingediend.pdf_klaar and ingediend.pdf_pogingen == 2


def test_the_waits_double_and_stop_growing_at_an_hour() -> None:
    assert [wachttijd(n).total_seconds() / 60 for n in range(1, 9)] == [
        1,
        2,
        4,
        8,
        16,
        32,
        60,
        60,
    ]


def test_rendering_twice_never_makes_a_second_file_nor_changes_a_stored_pdf(
    ingediend: Indiening,
) -> None:
    assert pdf_maken(ingediend.pk) is True
    ingediend.refresh_from_db()
    eerst = (ingediend.pdf.name, ingediend.pdf_sha256, ingediend.pdf.read(), stored_files())
    # The task again (a duplicate in the queue, the schedule, an operator): nothing happens.
    assert pdf_maken(ingediend.pk) is False
    assert pdf_maken(ingediend.pk, ook_als_niet_aan_de_beurt=True) is False
    # Two attempts that both rendered: the slower one finds the PDF stored and keeps it.
    assert verzegeling._bewaar(ingediend.pk, b"%PDF-1.7 andere bytes") is False
    ingediend.refresh_from_db()
    assert (
        ingediend.pdf.name,
        ingediend.pdf_sha256,
        ingediend.pdf.read(),
        stored_files(),
    ) == eerst
    assert ingediend.pdf_pogingen == 1


def test_an_attempt_under_way_is_not_started_twice(
    ingediend: Indiening, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claimed version (an attempt running on another worker) is left alone, also by an
    operator's "now"; after a failure the operator may skip the wait."""
    geclaimd = verzegeling._claim(ingediend.pk, nu=timezone.now(), negeer_wachttijd=False)
    assert geclaimd is not None and geclaimd.pdf_pogingen == 1
    render = mock.Mock(side_effect=AssertionError("rendered twice"))
    monkeypatch.setattr(pdf, "render_pdf", render)
    assert pdf_maken(ingediend.pk) is False
    assert pdf_maken(ingediend.pk, ook_als_niet_aan_de_beurt=True) is False
    assert render.call_count == 0

    Indiening.objects.filter(pk=ingediend.pk).update(pdf_laatste_fout="OSError: weg")
    monkeypatch.undo()
    assert pdf_maken(ingediend.pk, ook_als_niet_aan_de_beurt=True) is True


def test_a_failing_store_leaves_no_file_and_the_version_waiting(
    ingediend: Indiening, monkeypatch: pytest.MonkeyPatch
) -> None:
    bestanden = stored_files()
    echt = Indiening.save

    def save(self: Indiening, *args: Any, **kwargs: Any) -> None:
        if "pdf_sha256" in (kwargs.get("update_fields") or ()):
            raise OSError("database weg na het schrijven van het bestand")
        echt(self, *args, **kwargs)

    monkeypatch.setattr(Indiening, "save", save)
    assert pdf_maken(ingediend.pk) is False
    ingediend.refresh_from_db()
    assert not ingediend.pdf_klaar and stored_files() == bestanden
    assert ingediend.pdf_laatste_fout.startswith("OSError: database weg")


def test_the_operator_command_lists_the_waiting_pdfs_and_makes_them_now(
    ingediend: Indiening, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "render_pdf", mock.Mock(side_effect=OSError("lettertype weg")))
    pdf_maken(ingediend.pk)
    out = io.StringIO()
    call_command("pdfs_verzegelen", stdout=out)
    assert f"{ingediend.aanvraag.referentie} versie 1" in out.getvalue()
    assert "1 poging(en), laatste fout: OSError: lettertype weg" in out.getvalue()
    with pytest.raises(CommandError, match="1 verzegelde PDF"):
        call_command("pdfs_verzegelen", "--nu", stdout=io.StringIO())
    monkeypatch.undo()
    out = io.StringIO()
    call_command("pdfs_verzegelen", "--nu", stdout=out)  # the wait after the failure is skipped
    assert "1 PDF('s) gemaakt, 0 ontbreken nog." in out.getvalue()
    out = io.StringIO()
    call_command("pdfs_verzegelen", stdout=out)
    assert "Elke ingediende versie heeft haar verzegelde PDF." in out.getvalue()


def test_the_worker_schedule_is_set_up_by_migrate() -> None:
    from django_q.models import Schedule

    schema = Schedule.objects.get(name="aanvragen: verzegelde PDF's maken")
    assert schema.func == "applications.aanvragen.verzegeling.wachtende_pdfs"
    assert schema.minutes == 1


# --- Existing submissions get their hash --------------------------------------------------------


def test_the_data_migration_hashes_the_stored_content_of_existing_submissions(
    ingediend: Indiening,
) -> None:
    migratie = importlib.import_module(
        "applications.aanvragen.migrations.0006_indiening_momentopname"
    )
    oud = {"contact": {"naam": "Oud"}, "acties": [{"budget": "12.50", "titel": "Één"}]}
    Indiening.objects.filter(pk=ingediend.pk).update(inhoud=oud, inhoud_sha256="0" * 64)
    migratie.hash_bestaande_inhoud(apps, None)
    assert Indiening.objects.get(pk=ingediend.pk).inhoud_sha256 == inhoud_sha256(oud)
    # The migration's copy of the canonical form is the module's.
    assert migratie.canonieke_json(ingediend.inhoud) == canonieke_json(ingediend.inhoud)


# --- Every page in the state "snapshot sealed, PDF pending" ---------------------------------------

ROLLEN_DIE_ZIEN = ["regisseur", "beoordelaar", "beheerder"]
NIET = [("collega", 404), (None, 302)]


@pytest.mark.parametrize("who", ROLLEN_DIE_ZIEN)
def test_the_overview_and_its_status_fragment_say_wordt_verzegeld_with_the_hash(
    who: str, ingediend: Indiening, request: pytest.FixtureRequest
) -> None:
    client = _client(request, who)
    pk = ingediend.aanvraag_id
    for url in (f"/aanvragen/{pk}/", f"/aanvragen/{pk}/pdf/status/"):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert WORDT_VERZEGELD in html and ingediend.inhoud_sha256 in html
        assert f'data-wordt-verzegeld="{ingediend.nummer}"' in html
        assert f"/aanvragen/{pk}/pdf/1/" not in html
    assert client.get(f"/aanvragen/{pk}/pdf/status/")["Cache-Control"] == "no-store"
    worker_maakt_pdfs()
    html = client.get(f"/aanvragen/{pk}/pdf/status/").content.decode()
    assert "data-wordt-verzegeld" not in html and f"/aanvragen/{pk}/pdf/1/" in html


@pytest.mark.parametrize(("who", "status"), NIET)
def test_the_status_fragment_is_hidden_from_others(
    who: str | None, status: int, ingediend: Indiening, request: pytest.FixtureRequest
) -> None:
    response = _client(request, who).get(f"/aanvragen/{ingediend.aanvraag_id}/pdf/status/")
    assert response.status_code == status


@pytest.mark.parametrize("who", ROLLEN_DIE_ZIEN)
@pytest.mark.parametrize("pad", ["pdf/", "pdf/1/"])
def test_downloading_a_pdf_still_being_made_says_so_and_asks_again(
    who: str, pad: str, ingediend: Indiening, request: pytest.FixtureRequest
) -> None:
    response = _client(request, who).get(f"/aanvragen/{ingediend.aanvraag_id}/{pad}")
    assert response.status_code == 202
    assert response["Retry-After"] == "5" and response["Refresh"] == "5"
    html = response.content.decode()
    assert "De PDF van versie 1 wordt verzegeld" in html
    assert ingediend.inhoud_sha256 in html
    assert not Auditregel.objects.exists()  # nothing was handed out


@pytest.mark.parametrize(("who", "status"), NIET)
def test_a_pdf_being_made_is_hidden_from_others(
    who: str | None, status: int, ingediend: Indiening, request: pytest.FixtureRequest
) -> None:
    response = _client(request, who).get(f"/aanvragen/{ingediend.aanvraag_id}/pdf/1/")
    assert response.status_code == status


@pytest.mark.parametrize("who", ["regisseur", "collega", "beoordelaar", "beheerder"])
def test_verify_knows_the_snapshot_hash_before_and_after_the_pdf_exists(
    who: str, ingediend: Indiening, request: pytest.FixtureRequest
) -> None:
    client = _client(request, who)
    mag = who != "collega"
    response = client.post("/aanvragen/verifieer/", {"sha256": ingediend.inhoud_sha256})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit is de SHA-256 van de gegevens van een ingediende versie." in html
    assert "De PDF van deze versie wordt nog verzegeld" in html
    assert "Deze versie downloaden" not in html
    worker_maakt_pdfs()
    ingediend.refresh_from_db()
    html = client.post(
        "/aanvragen/verifieer/", {"sha256": ingediend.inhoud_sha256}
    ).content.decode()
    assert ingediend.pdf_sha256 in html
    assert ("Deze versie downloaden" in html) is mag
    # The PDF's own hash still names the version, as before.
    html = client.post("/aanvragen/verifieer/", {"sha256": ingediend.pdf_sha256}).content.decode()
    assert "Dit is een ingediende versie." in html


def _zip(client: Client, oproep: Oproep) -> dict[str, bytes]:
    response = client.get(f"/beoordeling/{oproep.slug}/pdfs.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.getvalue())) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.mark.parametrize("who", ["beoordelaar", "beheerder"])
def test_the_zip_names_the_pdfs_still_being_made_instead_of_leaving_them_out_silently(
    who: str, ingediend: Indiening, oproep: Oproep, request: pytest.FixtureRequest
) -> None:
    ander = AanvraagFactory.create(oproep=oproep)
    LidmaatschapFactory.create(regieverband=ander.regieverband, bestuur__nis_code="71072")
    regisseur_ander = UserFactory.create(regisseur_van=[ander.regieverband])
    fill_everything(ander, regisseur_ander)
    aanvraag_submit(aanvraag=ander, by=regisseur_ander)
    klaar = Indiening.objects.get(aanvraag=ander)
    assert pdf_maken(klaar.pk)
    klaar.refresh_from_db()

    files = _zip(_client(request, who), oproep)
    assert [n for n in files if n.endswith(".pdf")] == [indiening_filename(klaar)]
    assert files["SHA256SUMS"].decode().count("\n") == 1
    assert klaar.pdf_sha256 in files["SHA256SUMS"].decode()
    wachtend = files[NOG_TE_VERZEGELEN].decode()
    assert ingediend.aanvraag.referentie in wachtend and ingediend.inhoud_sha256 in wachtend
    rows = list(
        csv.DictReader(io.StringIO(files["overzicht.csv"].decode("utf-8-sig")), delimiter=";")
    )
    per_ref = {row["Referentie"]: row for row in rows}
    assert per_ref[ingediend.aanvraag.referentie]["Bestand"] == "PDF wordt verzegeld"
    assert per_ref[ingediend.aanvraag.referentie]["SHA-256"] == ""
    assert per_ref[ingediend.aanvraag.referentie]["SHA-256 ingediende gegevens"] == (
        ingediend.inhoud_sha256
    )
    assert per_ref[ander.referentie]["SHA-256"] == klaar.pdf_sha256
    # Only what the ZIP holds is logged as downloaded.
    assert list(Auditregel.objects.values_list("onderwerp_id", flat=True)) == [ander.pk]

    worker_maakt_pdfs()
    files = _zip(_client(request, who), oproep)
    assert NOG_TE_VERZEGELEN not in files
    assert len([n for n in files if n.endswith(".pdf")]) == 2


def test_export_pdfs_says_which_pdfs_are_still_being_made(
    ingediend: Indiening, oproep: Oproep, tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command("export_pdfs", "--oproep", oproep.slug, "--out", str(tmp_path), stdout=out)
    assert "0 PDF's" in out.getvalue() and NOG_TE_VERZEGELEN in out.getvalue()
    assert ingediend.inhoud_sha256 in (tmp_path / NOG_TE_VERZEGELEN).read_text()


def test_aanvraag_pdf_command_says_the_pdf_is_being_made(
    ingediend: Indiening, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="wordt nog gemaakt"):
        call_command("aanvraag_pdf", ingediend.aanvraag_id, "--out", str(tmp_path / "x.pdf"))


@pytest.mark.parametrize("who", ["beoordelaar", "beheerder"])
def test_the_queue_and_the_review_page_show_the_pdf_being_made(
    who: str, ingediend: Indiening, oproep: Oproep, request: pytest.FixtureRequest
) -> None:
    client = _client(request, who)
    queue = client.get(f"/beoordeling/?oproep={oproep.slug}").content.decode()
    assert "PDF wordt verzegeld" in queue
    detail = client.get(f"/beoordeling/{ingediend.aanvraag_id}/")
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "PDF wordt verzegeld" in html and ingediend.inhoud_sha256 in html
    assert f"/aanvragen/{ingediend.aanvraag_id}/pdf/1/" not in html
    worker_maakt_pdfs()
    assert (
        "PDF wordt verzegeld"
        not in client.get(f"/beoordeling/?oproep={oproep.slug}").content.decode()
    )
    html = client.get(f"/beoordeling/{ingediend.aanvraag_id}/").content.decode()
    assert f"/aanvragen/{ingediend.aanvraag_id}/pdf/1/" in html


@pytest.mark.parametrize(("who", "ziet_fout"), [("beoordelaar", False), ("beheerder", True)])
def test_a_failed_attempt_is_shown_to_beheerders(
    who: str,
    ziet_fout: bool,
    ingediend: Indiening,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pdf, "render_pdf", mock.Mock(side_effect=OSError("lettertype weg")))
    pdf_maken(ingediend.pk)
    client = _client(request, who)
    for url in (
        "/",
        f"/aanvragen/{ingediend.aanvraag_id}/",
        f"/beoordeling/{ingediend.aanvraag_id}/",
    ):
        html = client.get(url).content.decode()
        assert ("OSError: lettertype weg" in html) is ziet_fout, url
    dashboard = client.get("/").content.decode()
    assert ("Verzegelde PDF's in de maak" in dashboard) is ziet_fout


def test_the_regisseur_never_sees_why_an_attempt_failed(
    ingediend: Indiening, als_regisseur: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "render_pdf", mock.Mock(side_effect=OSError("/srv/geheim/pad")))
    pdf_maken(ingediend.pk)
    for url in (
        "/",
        f"/aanvragen/{ingediend.aanvraag_id}/",
        f"/aanvragen/{ingediend.aanvraag_id}/pdf/status/",
    ):
        assert "/srv/geheim/pad" not in als_regisseur.get(url).content.decode()
