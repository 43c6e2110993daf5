"""The admin site under /beheer/: for beheerders only, and changing through it only what
it may change."""

import datetime

import pytest

from applications.besturen.models import LokaalBestuur

from ..conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "expected"),
    [("regisseur", 404), ("collega", 404), ("beoordelaar", 404), ("beheerder", 200), (None, 302)],
)
def test_beheer_is_for_beheerders_only(who, expected, request):
    """Anyone logged in but a beheerder gets a 404, as on every page of /beheer/; an anonymous
    visitor goes to the login page."""
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get("/beheer/besturen/lokaalbestuur/")
    assert response.status_code == expected
    if who is None:
        assert response["Location"].startswith("/beheer/login/")


def test_beheer_lists_besturen_with_search_and_count(beheerder):
    response = client_for(beheerder).get("/beheer/besturen/lokaalbestuur/?q=71072")
    body = response.content.decode()
    assert "Hasselt" in body
    assert "1 lokaal bestuur" in body


def test_beheer_invalid_nis_code_gives_a_field_error_not_a_server_error(beheerder):
    response = client_for(beheerder).post(
        "/beheer/besturen/lokaalbestuur/add/",
        {
            "nis_code": "12AB",
            "naam": "Fout",
            "provincie": "70000",
            "bevolking-TOTAL_FORMS": "0",
            "bevolking-INITIAL_FORMS": "0",
            "lidmaatschappen-TOTAL_FORMS": "0",
            "lidmaatschappen-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Een NIS-code bestaat uit precies 5 cijfers" in response.content.decode()
    assert not LokaalBestuur.objects.filter(naam="Fout").exists()


def test_beheer_admin_shows_memberships_but_changes_them_only_on_the_verband_page(
    beheerder, verband
):
    """Memberships change on /beheer/regieverbanden/<pk>/, which checks overlaps and keeps the
    history; the admin's inline only shows them, so a posted change there is ignored."""
    lid = verband.lidmaatschappen.get()
    client = client_for(beheerder)
    page = client.get(f"/beheer/besturen/regieverband/{verband.pk}/change/").content.decode()
    assert lid.bestuur.naam in page
    assert f'href="/beheer/regieverbanden/{verband.pk}/"' in page
    client.post(
        f"/beheer/besturen/regieverband/{verband.pk}/change/",
        {
            "naam": verband.naam,
            "rechtsvorm": verband.rechtsvorm,
            "lidmaatschappen-TOTAL_FORMS": "1",
            "lidmaatschappen-INITIAL_FORMS": "1",
            "lidmaatschappen-0-id": lid.pk,
            "lidmaatschappen-0-regieverband": verband.pk,
            "lidmaatschappen-0-bestuur": lid.bestuur.pk,
            "lidmaatschappen-0-van": "2024-01-01",
            "lidmaatschappen-0-tot": "2023-01-01",
        },
    )
    lid.refresh_from_db()
    assert (lid.van, lid.tot) == (datetime.date(2020, 1, 1), None)


def test_the_admin_user_form_does_not_deactivate_outside_the_service(beheerder, regisseur):
    """Deactivating ends open invitation links and refuses one's own account: it goes through
    /beheer/gebruikers/ or the admin action, so the form shows 'actief' read-only."""
    page = client_for(beheerder).get(f"/beheer/accounts/user/{regisseur.pk}/change/")
    assert page.status_code == 200
    assert 'name="is_active"' not in page.content.decode()


# --- What the applicant sent stays as sent ------------------------------------------------------


@pytest.fixture
def ingediend(aanvraag, regisseur):
    from unittest import mock

    from applications.aanvragen import pdf as aanvraag_pdf
    from applications.aanvragen.submission import aanvraag_submit

    from ..aanvraag_helpers import fill_everything, pdf_bytes

    fill_everything(aanvraag, regisseur)
    with mock.patch.object(aanvraag_pdf, "render_aanvraag", return_value=pdf_bytes()):
        aanvraag_submit(aanvraag=aanvraag, by=regisseur)
    aanvraag.refresh_from_db()
    return aanvraag


@pytest.fixture
def beslist(ingediend, beoordelaar):
    from decimal import Decimal
    from unittest import mock

    from applications.aanvragen.statuses import AanvraagStatus
    from applications.beoordeling import pdf as beslissing_pdf
    from applications.beoordeling.services import aanvraag_decide, aanvraag_take

    from ..aanvraag_helpers import pdf_bytes

    aanvraag_take(aanvraag=ingediend, by=beoordelaar)
    with mock.patch.object(beslissing_pdf, "render_beslissing", return_value=pdf_bytes()):
        aanvraag_decide(
            aanvraag=ingediend,
            by=beoordelaar,
            uitkomst=AanvraagStatus.GOEDGEKEURD,
            motivatie="Verzonnen motivatie.",
            bedragen={jaar: Decimal("50000") for jaar in ingediend.oproep.jaren},
        )
    ingediend.refresh_from_db()
    return ingediend


def _contact_post(aanvraag, naam):
    return {
        "contact_naam": naam,
        "contact_functie": "",
        "contact_email": "ander@example.org",
        "contact_telefoon": "",
        "verlengingen-TOTAL_FORMS": "0",
        "verlengingen-INITIAL_FORMS": "0",
        "statuswijzigingen-TOTAL_FORMS": "0",
        "statuswijzigingen-INITIAL_FORMS": "0",
        "_save": "Bewaren",
    }


@pytest.mark.parametrize("welke", ["ingediend", "beslist"])
def test_the_admin_changes_nothing_of_a_submitted_or_decided_aanvraag(welke, beheerder, request):
    from applications.aanvragen.models import Actie, Bijlage, Indiening

    aanvraag = request.getfixturevalue(welke)
    client = client_for(beheerder)
    contact = aanvraag.contact_naam
    acties, bijlagen = aanvraag.acties.count(), aanvraag.bijlagen.count()
    assert acties and bijlagen
    pad = f"/beheer/aanvragen/aanvraag/{aanvraag.pk}"

    pagina = client.get(f"{pad}/change/")
    assert pagina.status_code == 200
    assert b'name="contact_naam"' not in pagina.content, "shown read-only"
    assert (
        client.post(f"{pad}/change/", _contact_post(aanvraag, "Iemand anders")).status_code == 403
    )
    assert client.get(f"{pad}/delete/").status_code == 403
    assert client.post(f"{pad}/delete/", {"post": "yes"}).status_code == 403

    actie = aanvraag.acties.first()
    bijlage = aanvraag.bijlagen.first()
    assert (
        client.post(f"/beheer/aanvragen/actie/{actie.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert (
        client.post(f"/beheer/aanvragen/bijlage/{bijlage.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    # The lists offer no bulk delete (it would skip the check per object).
    for model, pk in (("aanvraag", aanvraag.pk), ("actie", actie.pk), ("bijlage", bijlage.pk)):
        lijst = client.get(f"/beheer/aanvragen/{model}/")
        assert b"delete_selected" not in lijst.content
        client.post(
            f"/beheer/aanvragen/{model}/",
            {"action": "delete_selected", "_selected_action": [pk], "post": "yes"},
        )

    aanvraag.refresh_from_db()
    assert aanvraag.contact_naam == contact
    assert Actie.objects.filter(aanvraag=aanvraag).count() == acties
    assert Bijlage.objects.filter(aanvraag=aanvraag).count() == bijlagen
    assert Indiening.objects.filter(aanvraag=aanvraag).count() == 1
    assert "/beheer/aanvragen/indiening/" not in client.get("/beheer/").content.decode()


def test_the_admin_still_changes_a_draft(aanvraag, beheerder):
    from ..factories import ActieFactory

    actie = ActieFactory.create(aanvraag=aanvraag)
    client = client_for(beheerder)
    antwoord = client.post(
        f"/beheer/aanvragen/aanvraag/{aanvraag.pk}/change/", _contact_post(aanvraag, "Nieuw")
    )
    assert antwoord.status_code == 302
    aanvraag.refresh_from_db()
    assert aanvraag.contact_naam == "Nieuw"
    assert (
        client.post(f"/beheer/aanvragen/actie/{actie.pk}/delete/", {"post": "yes"}).status_code
        == 302
    )
    assert not aanvraag.acties.exists()


def test_a_beheerder_correcting_the_contact_of_a_draft_is_its_last_editor(
    aanvraag, regisseur, beheerder
):
    """The correction is a new version: the regisseur's page, based on the one before, cannot
    overwrite it unseen."""
    from applications.aanvragen.services import ConcurrentEditError, aanvraag_update

    voor = aanvraag.versie
    antwoord = client_for(beheerder).post(
        f"/beheer/aanvragen/aanvraag/{aanvraag.pk}/change/", _contact_post(aanvraag, "Gecorrigeerd")
    )
    assert antwoord.status_code == 302
    aanvraag.refresh_from_db()
    assert (aanvraag.contact_naam, aanvraag.gewijzigd_door) == ("Gecorrigeerd", beheerder)
    assert aanvraag.versie == voor + 1
    with pytest.raises(ConcurrentEditError):
        aanvraag_update(
            aanvraag=aanvraag, by=regisseur, versie=voor, changes={"contact_naam": "Oud"}
        )
    aanvraag.refresh_from_db()
    assert aanvraag.contact_naam == "Gecorrigeerd"


def test_a_beheerder_deleting_an_action_or_attachment_stamps_the_draft(
    aanvraag, regisseur, beheerder, settings, tmp_path, django_capture_on_commit_callbacks
):
    """As when the regisseurs delete one (`actie_delete`, `bijlage_delete`): the aanvraag says
    who changed it last and when. The attachment's file goes with it."""
    from django.core.files.storage import storages
    from django.utils import timezone

    from applications.aanvragen.models import Aanvraag, Bijlage
    from applications.aanvragen.services import bijlage_add
    from applications.oproepen.models import BijlageType

    from ..aanvraag_helpers import pdf_upload
    from ..factories import ActieFactory

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    actie = ActieFactory.create(aanvraag=aanvraag)
    soort = BijlageType.objects.filter(oproep=aanvraag.oproep, per_lid=False).first()
    assert soort is not None
    with django_capture_on_commit_callbacks(execute=True):
        bijlage = bijlage_add(
            aanvraag=aanvraag, by=regisseur, bijlagetype=soort, upload=pdf_upload()
        )
    assert storages["default"].exists(bijlage.bestand.name)
    client = client_for(beheerder)
    lang_geleden = timezone.now() - datetime.timedelta(days=30)
    for url in (
        f"/beheer/aanvragen/actie/{actie.pk}/delete/",
        f"/beheer/aanvragen/bijlage/{bijlage.pk}/delete/",
    ):
        Aanvraag.objects.filter(pk=aanvraag.pk).update(
            gewijzigd_op=lang_geleden, gewijzigd_door=regisseur
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"post": "yes"}).status_code == 302, url
        aanvraag.refresh_from_db()
        assert aanvraag.gewijzigd_door == beheerder, url
        assert aanvraag.gewijzigd_op > lang_geleden, url
    assert not aanvraag.acties.exists()
    assert not Bijlage.objects.filter(pk=bijlage.pk).exists()
    assert not storages["default"].exists(bijlage.bestand.name)


def test_the_beheer_deletions_refuse_others_and_a_submitted_aanvraag(
    aanvraag, ingediend, regisseur, beheerder
):
    from django.core.exceptions import PermissionDenied

    from applications.aanvragen.services import (
        actie_delete_door_beheerder,
        bijlage_delete_door_beheerder,
    )

    from ..factories import ActieFactory

    concept_actie = ActieFactory.create(aanvraag=aanvraag)
    pogingen = [
        lambda: actie_delete_door_beheerder(actie=concept_actie, by=regisseur),
        lambda: actie_delete_door_beheerder(actie=ingediend.acties.first(), by=beheerder),
        lambda: bijlage_delete_door_beheerder(bijlage=ingediend.bijlagen.first(), by=beheerder),
    ]
    for poging in pogingen:
        with pytest.raises(PermissionDenied, match="zolang de aanvraag gewijzigd kan worden"):
            poging()
    assert aanvraag.acties.filter(pk=concept_actie.pk).exists()
    assert ingediend.acties.exists() and ingediend.bijlagen.exists()
