"""Logging in with an e-mail address, and what a failed login or a password reset
reveals about accounts: nothing."""

import re

import pytest
from django.test import Client
from django.urls import reverse

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


def test_password_reset_reveals_nothing_about_accounts(
    regisseur, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(reverse("password_reset"), {"email": regisseur.email}, follow=True)
        unknown = Client().post(reverse("password_reset"), {"email": "x@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert without_tokens(known.content) == without_tokens(unknown.content)
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [regisseur.email]


def test_logout_tells_the_browser_to_forget_what_the_portal_kept(regisseur):
    """Drafts kept on the device while offline go at logout: a municipal PC is shared."""
    from ..conftest import client_for

    antwoord = client_for(regisseur).post(reverse("logout"))
    assert antwoord["Clear-Site-Data"] == '"storage"'
