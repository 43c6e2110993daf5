"""Login hardening: two-step login for WSE staff and beheerders, lockout after repeated failures
(django-axes), sessions that end, and the production settings passing `check --deploy`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.middleware import LAATSTE_ACTIVITEIT

from .conftest import client_for

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"


def _login(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(
        reverse("login"), {"username": email, "password": password}, follow=True, **extra
    )


def _code(device: TOTPDevice) -> str:
    token = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token()
    return f"{token:0{device.digits}d}"


def test_first_login_of_a_reviewer_sets_up_the_app_and_gives_backup_codes(beoordelaar):
    client = Client()
    page = _login(client, beoordelaar.email)
    html = page.content.decode()
    assert "<svg" in html and "QR-code" in html  # the QR code, inline (no image from elsewhere)
    device = TOTPDevice.objects.get(user=beoordelaar, confirmed=False)

    wrong = client.post(page.redirect_chain[-1][0], {"code": "000000"})
    assert "Deze code klopt niet" in wrong.content.decode()
    assert client.get(reverse("beoordeling_queue")).status_code == 302
    # After a wrong code the app is throttled for a moment (django-otp); the person types slower.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)

    done = client.post(page.redirect_chain[-1][0], {"code": _code(device)})
    assert done.status_code == 200
    codes = StaticToken.objects.filter(device__user=beoordelaar)
    assert codes.count() == 10
    assert all(code.token in done.content.decode() for code in codes)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("beoordeling_queue")).status_code == 200


def test_next_login_asks_a_code_and_a_backup_code_works_once(beoordelaar):
    device = TOTPDevice.objects.create(user=beoordelaar, name="app", confirmed=True)
    static = beoordelaar.staticdevice_set.create(name="Reservecodes", confirmed=True)
    static.token_set.create(token="reserve01")

    client = Client()
    page = _login(client, beoordelaar.email)
    assert page.redirect_chain[-1][0].startswith(reverse("tweestaps_controleren"))
    assert client.get(reverse("dashboard")).status_code == 302
    ok = client.post(reverse("tweestaps_controleren"), {"code": _code(device)})
    assert ok.status_code == 302 and ok["Location"] == "/"
    assert client.get(reverse("dashboard")).status_code == 200

    other = Client()
    _login(other, beoordelaar.email)
    assert other.post(reverse("tweestaps_controleren"), {"code": "reserve01"}).status_code == 302
    third = Client()
    _login(third, beoordelaar.email)
    again = third.post(reverse("tweestaps_controleren"), {"code": "reserve01"})
    assert again.status_code == 200 and "Deze code klopt niet" in again.content.decode()


def test_the_code_page_only_follows_a_local_next(beheerder):
    device = TOTPDevice.objects.create(user=beheerder, name="app", confirmed=True)
    client = Client()
    _login(client, beheerder.email)
    response = client.post(
        reverse("tweestaps_controleren") + "?next=https://evil.example/",
        {"code": _code(device)},
    )
    assert response["Location"] == "/"


def test_a_regisseur_logs_in_with_a_password_only(regisseur):
    client = Client()
    page = _login(client, regisseur.email)
    assert page.redirect_chain[-1][0] == "/"
    assert not TOTPDevice.objects.filter(user=regisseur).exists()


def test_a_post_without_the_second_step_changes_nothing(beheerder, verband):
    client = Client()
    client.force_login(beheerder)  # password given, no code yet
    response = client.post(
        reverse("beheer_trekker", args=[verband.pk]),
        {"bestuur": "1", "vanaf": "2030-01-01"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("tweestaps_controleren"))


def test_repeated_failures_lock_the_account_from_that_address_only(regisseur):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, regisseur.email, "verkeerd").status_code == 200
    locked = _login(client, regisseur.email.upper(), "verkeerd")
    assert locked.status_code == 429
    assert "tijdelijk geblokkeerd" in locked.content.decode()
    # Even the right password is refused now, from this address...
    assert _login(client, regisseur.email, PASSWORD).status_code == 429
    # ... but not from another address, and other accounts from this address still log in.
    assert _login(Client(REMOTE_ADDR="10.0.0.2"), regisseur.email).redirect_chain[-1][0] == "/"


def test_an_idle_session_ends(regisseur, settings):
    client = client_for(regisseur)
    assert client.get("/").status_code == 200
    session = client.session
    session[LAATSTE_ACTIVITEIT] = time.time() - settings.REGIEROL_SESSIE_INACTIEF_MINUTEN * 60 - 5
    session.save()
    response = client.get("/aanvragen/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get("/").status_code == 302  # logged out for good


def test_session_cookie_is_secure_http_only_and_ends_with_the_browser(regisseur):
    response = _login(Client(), regisseur.email)
    cookie = response.client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["secure"]
    assert not cookie["max-age"]  # a browser-session cookie
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60


def test_pages_carry_the_security_headers(regisseur):
    response = client_for(regisseur).get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_settings_pass_the_deploy_check():
    """`make check-deploy`: debug off, a real secret, HTTPS on; not one warning."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REGIEROL_"))
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="k" * 10 + "-production-secret-with-enough-randomness-0123456789",
        DJANGO_ALLOWED_HOSTS="regierol.example.be",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_beheerder_resets_a_lost_app_and_the_person_links_a_new_one(beheerder, beoordelaar):
    reviewer = client_for(beoordelaar)  # logged in with the old app
    assert reviewer.get(reverse("beoordeling_queue")).status_code == 200
    beoordelaar.staticdevice_set.create(name="Reservecodes", confirmed=True)

    response = client_for(beheerder).post(
        reverse("beheer:applications_user_changelist"),
        {"action": "tweestaps_herinstellen", "_selected_action": [beoordelaar.pk]},
        follow=True,
    )
    assert "De authenticator-app van 1 gebruiker(s) is gewist" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=beoordelaar).exists()
    assert not beoordelaar.staticdevice_set.exists()
    # The open session no longer counts as two-step: it has to link the new app first.
    page = reviewer.get(reverse("beoordeling_queue"), follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("tweestaps_instellen"))


def test_the_admin_site_stays_closed_to_a_beheerder_without_the_second_step(beheerder):
    from django.test import RequestFactory

    from applications.admin import beheer_site

    request = RequestFactory().get("/beheer/")
    request.user = beheerder
    beheerder.otp_device = None  # what django-otp's middleware sets without a code
    assert not beheer_site.has_permission(request)
    beheerder.otp_device = TOTPDevice(user=beheerder, confirmed=True)
    assert beheer_site.has_permission(request)


def test_before_the_second_step_the_menu_only_offers_logging_out(beoordelaar):
    TOTPDevice.objects.create(user=beoordelaar, name="app", confirmed=True)
    client = Client()
    page = _login(client, beoordelaar.email).content.decode()
    assert 'href="/beoordeling/"' not in page and 'href="/aanvragen/"' not in page
    assert 'action="/accounts/logout/"' in page


def test_where_it_is_not_required_the_menu_offers_the_two_step_login(beoordelaar, settings):
    settings.REGIEROL_TWEESTAPS_VERPLICHT = False
    client = Client()
    page = _login(client, beoordelaar.email)
    assert page.redirect_chain[-1][0] == "/"
    assert 'href="/accounts/tweestaps/">Aanmelden in twee stappen' in page.content.decode()
