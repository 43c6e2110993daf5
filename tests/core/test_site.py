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


def test_the_favicon_exists_for_pages_with_and_without_an_icon_link(client):
    """It was a 404 on every page."""
    from django.contrib.staticfiles import finders

    antwoord = client.get("/favicon.ico")
    assert antwoord.status_code == 302 and antwoord["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg")
    assert (
        'rel="icon" href="/static/favicon.svg"' in client.get("/accounts/login/").content.decode()
    )
