"""The dashboard: what each role finds on the first page after logging in."""

import pytest
from django.test import Client

from ..conftest import client_for

pytestmark = pytest.mark.django_db


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
