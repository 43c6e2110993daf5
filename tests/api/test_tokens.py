"""Making and revoking tokens: a regisseur on /account/api-sleutels/ (their own), a beheerder
in /beheer/ (for WSE's systems). The token's text is shown once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from applications.api import services
from applications.api.constants import Scope
from applications.api.models import ApiToken

from ..conftest import client_for
from .conftest import vraag

pytestmark = pytest.mark.django_db


def test_a_regisseur_makes_a_token_that_is_shown_once(regisseur):
    client = client_for(regisseur)
    response = client.post(
        "/account/api-sleutels/",
        {"naam": "Rapportage", "scopes": [Scope.AANVRAGEN], "geldig_dagen": "30"},
    )
    assert response.status_code == 200
    tekst = response.context["nieuw"]
    assert tekst.startswith("rr_")
    assert response["Cache-Control"] == "private, no-store"
    token = ApiToken.objects.get(gebruiker=regisseur)
    assert token.scopes == [Scope.AANVRAGEN]
    assert (token.verloopt_op - timezone.now()).days in (29, 30)
    assert vraag(tekst, "/api/v1/aanvragen/").status_code == 200
    later = client.get("/account/api-sleutels/")
    assert tekst not in later.content.decode()
    assert token.prefix in later.content.decode()


def test_a_bad_token_form_makes_nothing(regisseur):
    response = client_for(regisseur).post(
        "/account/api-sleutels/", {"naam": "", "scopes": ["alles"], "geldig_dagen": "366"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"naam", "scopes", "geldig_dagen"}
    assert not ApiToken.objects.exists()


def test_a_regisseur_revokes_their_own_token_and_no_one_elses(regisseur, collega):
    _token, tekst = services.token_maken(
        by=regisseur,
        voor=regisseur,
        naam="x",
        scopes=[Scope.OPROEPEN],
        verloopt_op=timezone.now() + datetime.timedelta(days=1),
    )
    token = ApiToken.objects.get()
    assert (
        client_for(collega).post(f"/account/api-sleutels/{token.pk}/intrekken/").status_code == 404
    )
    response = client_for(regisseur).post(f"/account/api-sleutels/{token.pk}/intrekken/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.ingetrokken_op is not None
    assert vraag(tekst, "/api/v1/oproepen/").status_code == 401


def test_only_beheerders_make_tokens_for_wses_systems_and_nobody_for_someone_else(
    regisseur, collega, beoordelaar, beheerder
):
    morgen = timezone.now() + datetime.timedelta(days=1)
    for by, voor in (
        (regisseur, None),
        (beoordelaar, None),
        (regisseur, collega),
        (beheerder, regisseur),
        (beoordelaar, beoordelaar),
    ):
        with pytest.raises(PermissionDenied):
            services.token_maken(
                by=by, voor=voor, naam="x", scopes=[Scope.OPROEPEN], verloopt_op=morgen
            )
    with pytest.raises(ValidationError):
        services.token_maken(
            by=beheerder,
            voor=None,
            naam="x",
            scopes=[Scope.OPROEPEN],
            verloopt_op=timezone.now() + datetime.timedelta(days=400),
        )
    assert not ApiToken.objects.exists()


def test_a_beheerder_makes_a_system_token_in_beheer_shown_once(beheerder, als_beheerder):
    response = als_beheerder.post(
        "/beheer/api/apitoken/add/",
        {
            "naam": "Subsidieregister",
            "scopes": [Scope.AANVRAGEN, Scope.VERBANDEN],
            "geldig_dagen": "365",
            "per_uur": "5000",
        },
    )
    assert response.status_code == 200
    tekst = response.context["tekst"]
    token = ApiToken.objects.get()
    assert token.gebruiker is None and token.per_uur == 5000
    assert token.aangemaakt_door == beheerder
    assert vraag(tekst, "/api/v1/regieverbanden/").status_code == 200
    wijzig = als_beheerder.get(f"/beheer/api/apitoken/{token.pk}/change/")
    assert tekst not in wijzig.content.decode()


def test_a_beheerder_revokes_any_token(regisseur, beheerder, als_beheerder):
    _token, tekst = services.token_maken(
        by=regisseur,
        voor=regisseur,
        naam="x",
        scopes=[Scope.OPROEPEN],
        verloopt_op=timezone.now() + datetime.timedelta(days=1),
    )
    token = ApiToken.objects.get()
    response = als_beheerder.post(
        "/beheer/api/apitoken/",
        {"action": "intrekken", "_selected_action": [str(token.pk)]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.ingetrokken_op is not None
    assert vraag(tekst, "/api/v1/oproepen/").status_code == 401
