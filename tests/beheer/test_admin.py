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
