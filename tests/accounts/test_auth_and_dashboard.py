import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from applications.besturen.models import LokaalBestuur

from ..conftest import client_for
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

FAILED_LOGIN = "Dit e-mailadres en wachtwoord horen niet bij elkaar"


def without_tokens(html: bytes | str) -> str:
    text = html.decode() if isinstance(html, bytes) else html
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def login(client: Client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password}, follow=True)


def test_a_regisseur_logs_in_with_email_and_sees_the_dashboard(regisseur):
    response = login(Client(), regisseur.email.upper(), "geheim-wachtwoord-123")
    assert response.redirect_chain[-1][0] == reverse("dashboard")
    assert response.status_code == 200
    assert f"Welkom, {regisseur.first_name}" in response.content.decode()


@pytest.mark.parametrize("role", ["beoordelaar", "beheerder"])
def test_wse_staff_log_in_with_email_and_are_asked_for_the_second_step(role, request):
    user = request.getfixturevalue(role)
    client = Client()
    response = login(client, user.email.upper(), "geheim-wachtwoord-123")
    assert response.redirect_chain[-1][0].startswith(reverse("tweestaps_instellen"))
    assert "Authenticator-app instellen" in response.content.decode()
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("tweestaps_controleren"))


def test_wrong_password_and_unknown_account_get_the_same_message(regisseur):
    wrong = login(Client(), regisseur.email, "verkeerd")
    unknown = login(Client(), "niemand@example.org", "verkeerd")
    assert FAILED_LOGIN in wrong.content.decode()
    assert FAILED_LOGIN in unknown.content.decode()
    assert without_tokens(wrong.content).replace(regisseur.email, "X") == without_tokens(
        unknown.content
    ).replace("niemand@example.org", "X")


def test_inactive_account_gets_the_same_message_as_a_wrong_password():
    user = UserFactory.create(is_active=False, email="weg@example.org")
    response = login(Client(), user.email, "geheim-wachtwoord-123")
    assert FAILED_LOGIN in response.content.decode()


def test_password_reset_reveals_nothing_about_accounts(regisseur, mailoutbox):
    known = Client().post(reverse("password_reset"), {"email": regisseur.email}, follow=True)
    unknown = Client().post(reverse("password_reset"), {"email": "x@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert without_tokens(known.content) == without_tokens(unknown.content)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [regisseur.email]


def test_anonymous_dashboard_goes_to_login():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_regisseur_dashboard_lists_only_own_verbanden(regisseur, verband, ander_verband):
    body = client_for(regisseur).get("/").content.decode()
    assert verband.naam in body
    assert ander_verband.naam not in body


def test_beheerder_dashboard_counts_reference_data(beheerder):
    body = client_for(beheerder).get("/").content.decode()
    assert "285 lokale besturen, waarvan 13 centrumsteden" in body


@pytest.mark.parametrize(
    ("who", "expected"),
    [("regisseur", 200), ("collega", 404), ("beoordelaar", 200), ("beheerder", 200), (None, 302)],
)
def test_regieverband_page_permissions(who, expected, verband, request):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get(reverse("regieverband_detail", args=[verband.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "73107" in response.content.decode()


def test_unknown_regieverband_is_404(beheerder):
    assert client_for(beheerder).get("/regieverbanden/999999/").status_code == 404


def test_language_switch_to_english(regisseur):
    client = client_for(regisseur)
    assert "Mijn regieverbanden" in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get("/").content.decode()
    assert "My regieverbanden" in body
    assert 'lang="en"' in body


def test_healthz_checks_the_database():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize(
    ("who", "expected"),
    [("regisseur", 302), ("collega", 302), ("beoordelaar", 302), ("beheerder", 200), (None, 302)],
)
def test_beheer_is_for_beheerders_only(who, expected, request):
    user = request.getfixturevalue(who) if who else None
    response = client_for(user).get("/beheer/besturen/lokaalbestuur/")
    assert response.status_code == expected


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
