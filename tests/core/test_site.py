"""The site as a whole: switching the language, and the health check."""

import pytest
from django.test import Client
from django.urls import reverse

from ..conftest import client_for

pytestmark = pytest.mark.django_db


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
