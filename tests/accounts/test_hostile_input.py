"""Hostile input to logging in, the two-step login and the password forms.

The harness and the properties every example checks: `tests/hostile.py`.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from hypothesis import given
from hypothesis import strategies as st

from applications.accounts.models import User

from ..aanvraag_helpers import PASSWORD
from ..conftest import client_for, totp_code
from ..hostile import (
    ENCODING,
    FOUT_EMAIL,
    FOUT_WACHTWOORD,
    VEEL,
    Veld,
    _foute_tekst,
    _tekst,
    alleen,
    formulier,
    invullen,
    laatste,
    post,
    voorbeeld,
    wachtwoorden,
)

pytestmark = pytest.mark.django_db


# --- Logging in, passwords, the two-step login ---------------------------------------------------

LOGIN = {
    "username": Veld(
        st.sampled_from(
            ("alice@example.org", "ALICE@example.org", "  alice@example.org ", "x@example.org")
        ),
        FOUT_EMAIL,
    ),
    "password": Veld(
        st.sampled_from((PASSWORD, PASSWORD.upper(), f" {PASSWORD}")), FOUT_WACHTWOORD
    ),
}


@VEEL
@given(invoer=formulier(LOGIN), encoding=ENCODING)
def test_login_form(invoer, encoding, regisseur):
    with voorbeeld():
        client = Client()
        # Every attempt is a line of the audit log (`audit.signals`), refused ones too.
        uitkomst = post(
            client, "/accounts/login/", invoer, encoding, negeer=frozenset({"audit_auditregel"})
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "accounts_user")  # last_login
            assert laatste(invoer, "password") == PASSWORD
            assert laatste(invoer, "username").strip().lower() == regisseur.email
            assert client.session["_auth_user_id"] == str(regisseur.pk)


CODE = Veld(
    st.sampled_from(("§code", "§code_spaties", "§reserve", "000000")),
    st.one_of(
        st.sampled_from(("", "12345", "1234567", "reserve02", "§code§code", "\uff11" * 6)),
        _foute_tekst(16),
        _tekst(30),
    ),
)
# Wrong codes count against the device (django-otp's throttling): not compared.
OTP_TELLERS = frozenset({"otp_totp_totpdevice", "otp_static_staticdevice"})


@VEEL
@given(invoer=formulier({"code": CODE}), encoding=ENCODING)
def test_tweestaps_code_form(invoer, encoding, beoordelaar):
    with voorbeeld():
        device = TOTPDevice.objects.create(user=beoordelaar, name="app", confirmed=True)
        reserve = StaticDevice.objects.create(user=beoordelaar, name="Reservecodes")
        reserve.token_set.create(token="reserve01")
        code = totp_code(device)
        gepost = invullen(
            invoer,
            {"§code": code, "§code_spaties": f"{code[:3]} {code[3:]}", "§reserve": "reserve01"},
        )
        client = Client()
        client.force_login(beoordelaar)
        uitkomst = post(client, "/accounts/tweestaps/", gepost, encoding, negeer=OTP_TELLERS)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "otp_static_statictoken")
            assert DEVICE_ID_SESSION_KEY in client.session
        else:
            assert DEVICE_ID_SESSION_KEY not in client.session


@VEEL
@given(invoer=formulier({"code": CODE}), encoding=ENCODING)
def test_tweestaps_setup_form(invoer, encoding, beheerder):
    with voorbeeld():
        client = Client()
        client.force_login(beheerder)
        assert client.get("/accounts/tweestaps/instellen/").status_code == 200
        device = TOTPDevice.objects.get(user=beheerder, confirmed=False)
        code = totp_code(device)
        gepost = invullen(
            invoer,
            {"§code": code, "§code_spaties": f" {code[:3]} {code[3:]} ", "§reserve": "reserve01"},
        )
        uitkomst = post(
            client,
            "/accounts/tweestaps/instellen/",
            gepost,
            encoding,
            negeer=OTP_TELLERS,
            gelukt=lambda _response, veranderd: bool(veranderd),
        )
        bevestigd = TOTPDevice.objects.filter(user=beheerder, confirmed=True).exists()
        assert bevestigd == uitkomst.gelukt
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "otp_static_statictoken")
            assert StaticToken.objects.filter(device__user=beheerder).count() == 10


@VEEL
@given(
    email=formulier(
        {"email": Veld(st.sampled_from(("alice@example.org", "ALICE@EXAMPLE.ORG")), FOUT_EMAIL)}
    ),
    invoer=wachtwoorden(),
    uid=st.sampled_from(("§uid", "§uid", "§vreemde_uid", "OTk5OTk5OTk5OTk5OTk5OTk5OTk5", "!!", "")),
    encoding=ENCODING,
)
def test_password_reset_forms(email, invoer, uid, encoding, regisseur, collega):
    with voorbeeld():
        client = Client()
        vraag = post(
            client,
            "/accounts/password_reset/",
            email,
            encoding,
            gelukt=lambda _response, _veranderd: False,  # asking never writes
        )
        assert vraag.response.status_code in (200, 302)
        assert len(mail.outbox) <= 1
        if mail.outbox:
            assert mail.outbox[0].to == [regisseur.email]

        uidb64 = invullen(
            uid,
            {
                "§uid": urlsafe_base64_encode(force_bytes(regisseur.pk)),
                "§vreemde_uid": urlsafe_base64_encode(force_bytes(collega.pk)),
            },
        )
        token = default_token_generator.make_token(regisseur)
        link = client.get(f"/accounts/reset/{uidb64 or 'x'}/{token}/")
        assert link.status_code < 500
        if link.status_code != 302:
            return
        uitkomst = post(client, link["Location"], invoer, encoding)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "accounts_user")
            assert User.objects.get(pk=regisseur.pk).check_password(
                laatste(invoer, "new_password1")
            )


@VEEL
@given(
    invoer=wachtwoorden(),
    oud=st.one_of(st.just(PASSWORD), FOUT_WACHTWOORD),
    encoding=ENCODING,
)
def test_password_change_form(invoer, oud, encoding, regisseur):
    with voorbeeld():
        # A new client each time: a saved password gives the session a new key.
        uitkomst = post(
            client_for(regisseur),
            "/accounts/password_change/",
            {**invoer, "old_password": oud},
            encoding,
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "accounts_user")
            assert oud == PASSWORD
            assert User.objects.get(pk=regisseur.pk).check_password(
                laatste(invoer, "new_password1")
            )
