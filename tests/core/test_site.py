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


def test_links_in_e_mails_follow_the_port_make_run_serves_on():
    """`PORT=8001 make run` sent e-mails with links to port 8000."""
    import os
    import subprocess
    import sys

    def site_url(**env: str) -> str:
        omgeving = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
        uit = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django; django.setup(); "
                "from django.conf import settings; print(settings.SITE_URL)",
            ],
            env={**omgeving, "DJANGO_SETTINGS_MODULE": "regierol.settings", **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return uit.stdout.strip()

    assert site_url(PORT="8123") == "http://127.0.0.1:8123"
    assert site_url() == "http://127.0.0.1:8000"
    assert (
        site_url(PORT="8123", SITE_URL="https://regierol.example.be")
        == "https://regierol.example.be"
    )
