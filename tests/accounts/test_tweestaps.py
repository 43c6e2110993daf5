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
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from applications.accounts.middleware import LAATSTE_ACTIVITEIT

from ..conftest import client_for, totp_code
from ..factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-123"


def _login(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(
        reverse("login"), {"username": email, "password": password}, follow=True, **extra
    )


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

    done = client.post(page.redirect_chain[-1][0], {"code": totp_code(device)})
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
    ok = client.post(reverse("tweestaps_controleren"), {"code": totp_code(device)})
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
        {"code": totp_code(device)},
    )
    assert response["Location"] == "/"


def test_a_regisseur_logs_in_with_a_password_only(regisseur):
    client = Client()
    page = _login(client, regisseur.email)
    assert page.redirect_chain[-1][0] == "/"
    assert not TOTPDevice.objects.filter(user=regisseur).exists()


def test_a_post_without_the_second_step_changes_nothing(beheerder, verband):
    from applications.besturen.models import Trekkerwissel

    client = Client()
    client.force_login(beheerder)  # password given, no code yet
    bestuur = verband.lidmaatschappen.get().bestuur
    response = client.post(
        reverse("beheer_trekker", args=[verband.pk]),
        {"trekker-trekker": str(bestuur.pk), "trekker-vanaf": "2030-01-01"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("tweestaps_controleren"))
    assert not Trekkerwissel.objects.exists()
    # The same post with the second step given does change the trekker (the data is valid).
    assert (
        client_for(beheerder)
        .post(
            reverse("beheer_trekker", args=[verband.pk]),
            {"trekker-trekker": str(bestuur.pk), "trekker-vanaf": "2030-01-01"},
        )
        .status_code
        == 302
    )
    assert Trekkerwissel.objects.count() == 1


def test_repeated_failures_lock_the_account_from_that_address_only(regisseur):
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, regisseur.email, "verkeerd").status_code == 200
    locked = _login(client, regisseur.email.upper(), "verkeerd")
    assert locked.status_code == 429
    assert "tijdelijk geblokkeerd" in locked.content.decode()
    # Even the right password is refused now, from this address...
    assert _login(client, regisseur.email, PASSWORD).status_code == 429
    # ... also written differently ...
    assert _login(client, f"  {regisseur.email.upper()} ", PASSWORD).status_code == 429
    # ... but not from another address, and other accounts from this address still log in.
    assert _login(Client(REMOTE_ADDR="10.0.0.2"), regisseur.email).redirect_chain[-1][0] == "/"
    other = UserFactory.create(email="ander@example.org")
    assert _login(client, other.email).redirect_chain[-1][0] == "/"


def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_saw(regisseur, settings):
    """The client may send any X-Forwarded-For; only the entry our proxy appended counts."""
    settings.REGIEROL_PROXIES = 1
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        forged = Client(
            REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=f"1.2.3.{attempt}, 203.0.113.9"
        )
        _login(forged, regisseur.email, "verkeerd")
    locked = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert _login(locked, regisseur.email).status_code == 429
    # Another client behind the same proxy is not locked out.
    elsewhere = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert _login(elsewhere, regisseur.email).redirect_chain[-1][0] == "/"


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


def test_a_session_ends_8_hours_after_login_however_active(regisseur, settings):
    from applications.accounts.middleware import AANGEMELD_OP

    client = client_for(regisseur)
    session = client.session
    session[AANGEMELD_OP] = time.time() - settings.SESSION_COOKIE_AGE - 5
    session[LAATSTE_ACTIVITEIT] = time.time()  # busy until a moment ago
    session.save()
    response = client.get("/aanvragen/")
    assert response["Location"].startswith(reverse("login"))
    assert client.get("/").status_code == 302


def test_two_sessions_setting_up_the_app_see_different_keys_and_only_one_links(beoordelaar):
    first, second = Client(), Client()
    _login(first, beoordelaar.email)
    _login(second, beoordelaar.email)
    instellen = reverse("tweestaps_instellen")
    key_first = first.get(instellen).context["sleutel"]
    key_second = second.get(instellen).context["sleutel"]
    assert key_first != key_second
    assert first.get(instellen).context["sleutel"] == key_first  # stable within a session
    devices = list(TOTPDevice.objects.filter(user=beoordelaar, confirmed=False).order_by("pk"))
    assert first.post(instellen, {"code": totp_code(devices[0])}).status_code == 200
    # The other session's app cannot be linked any more: it is asked for the linked app's code.
    late = second.post(instellen, {"code": totp_code(devices[1])})
    assert late.status_code == 302 and late["Location"].startswith(reverse("tweestaps_controleren"))
    assert list(TOTPDevice.objects.filter(user=beoordelaar)) == [devices[0]]


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
        reverse("beheer:accounts_user_changelist"),
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
    from django.contrib.admin import site as beheer_site
    from django.test import RequestFactory

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


def test_the_inactivity_limit_is_never_late_and_at_most_a_minute_early(
    regisseur, settings, monkeypatch
):
    """The time of the last request is written once a minute (no database write per request):
    a user who rests the whole limit is out; one whose last request was less than a minute
    after the written time may be logged out that much early, never later."""
    from applications.accounts import middleware

    limiet = settings.REGIEROL_SESSIE_INACTIEF_MINUTEN * 60
    begin = time.time()
    klok = {"nu": begin}
    monkeypatch.setattr(middleware.time, "time", lambda: klok["nu"])
    client = client_for(regisseur)
    session = client.session
    session[LAATSTE_ACTIVITEIT] = begin
    session.save()
    klok["nu"] = begin + middleware.SCHRIJF_ELKE_SECONDEN - 1  # not written: within the minute
    assert client.get("/").status_code == 200
    klok["nu"] = begin + limiet - 1
    assert client.get("/").status_code == 200, "before the limit of the written time: still in"
    klok["nu"] = begin + limiet - 1 + limiet + 1  # the last request was written (over a minute)
    assert client.get("/aanvragen/")["Location"].startswith(reverse("login"))
