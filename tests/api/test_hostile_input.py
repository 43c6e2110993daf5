"""Hostile input to the token forms: a regisseur's on /account/api-sleutels/, a beheerder's
for WSE's systems in /beheer/. The harness and the properties every example checks:
`tests/hostile.py`. A token made answers 200 with its text (shown once), not a redirect."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from applications.api.constants import MAX_GELDIG_DAGEN, Scope
from applications.api.forms import SysteemTokenForm, TokenForm
from applications.api.models import ApiToken

from ..hostile import (
    ENCODING,
    GETAL,
    VEEL,
    Veld,
    alleen,
    als_querydict,
    formulier,
    post,
    tekstveld,
    voorbeeld,
)

pytestmark = pytest.mark.django_db

SCOPES = Veld(
    st.lists(st.sampled_from(Scope.values), min_size=1, max_size=3, unique=True),
    st.one_of(
        st.just([]),
        st.lists(st.sampled_from(("alles", "admin", "OPROEPEN", "0", "")), min_size=1, max_size=2),
    ),
)
DAGEN = Veld(st.integers(1, MAX_GELDIG_DAGEN).map(str), GETAL)
TOKEN = {"naam": tekstveld(100), "scopes": SCOPES, "geldig_dagen": DAGEN}
SYSTEEM = {**TOKEN, "per_uur": Veld(st.integers(1, 100_000).map(str), GETAL)}


def _gemaakt(response, veranderd: set[str]) -> bool:
    return response.status_code == 200 and "api_apitoken" in veranderd


def _klopt(token: ApiToken, form: TokenForm) -> None:
    assert token.naam == form.cleaned_data["naam"]
    assert token.scopes == sorted(set(form.cleaned_data["scopes"]))
    dagen = (token.verloopt_op - timezone.now()).total_seconds() / 86400
    assert abs(dagen - form.cleaned_data["geldig_dagen"]) < 1


@VEEL
@given(invoer=formulier(TOKEN), encoding=ENCODING)
def test_token_form(invoer, encoding, regisseur, als_regisseur):
    with voorbeeld():
        uitkomst = post(als_regisseur, "/account/api-sleutels/", invoer, encoding, gelukt=_gemaakt)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "api_apitoken")
            form = TokenForm(als_querydict(invoer))
            assert form.is_valid(), form.errors
            token = ApiToken.objects.get()
            assert token.gebruiker == regisseur
            _klopt(token, form)


@VEEL
@given(invoer=formulier(SYSTEEM), encoding=ENCODING)
def test_systeem_token_form(invoer, encoding, beheerder, als_beheerder):
    with voorbeeld():
        uitkomst = post(
            als_beheerder,
            "/beheer/api/apitoken/add/",
            {**invoer, "_save": "Bewaren"},
            encoding,
            gelukt=_gemaakt,
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "api_apitoken", "audit_auditregel", "django_admin_log")
            form = SysteemTokenForm(als_querydict(invoer))
            assert form.is_valid(), form.errors
            token = ApiToken.objects.get()
            assert token.gebruiker is None
            assert token.per_uur == form.cleaned_data["per_uur"]
            assert token.verloopt_op > timezone.now() + datetime.timedelta(hours=23)
            _klopt(token, form)
