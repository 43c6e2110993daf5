"""The pages every government portal has, public and linked in the footer of every page: the
accessibility statement, the privacy statement, contact and help."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client

from applications.accounts.models import User

from ..conftest import client_for

pytestmark = pytest.mark.django_db

PAGINAS = {
    "/toegankelijkheid/": "Toegankelijkheidsverklaring",
    "/privacy/": "Privacyverklaring",
    "/contact/": "Contact en hulp",
}


def _tekst(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


@pytest.mark.parametrize(("pad", "titel"), PAGINAS.items())
def test_readable_without_logging_in(pad: str, titel: str) -> None:
    antwoord = Client().get(pad)
    assert antwoord.status_code == 200
    assert f"<h1>{titel}</h1>" in antwoord.content.decode()


def test_every_page_links_them_in_its_footer(regisseur: User) -> None:
    for client, pad in ((Client(), "/accounts/login/"), (client_for(regisseur), "/")):
        html = client.get(pad).content.decode()
        voet = html[html.index("<footer") :]
        for link in PAGINAS:
            assert f'href="{link}"' in voet, (pad, link)


def test_the_addresses_and_date_come_from_the_settings(settings: Any) -> None:
    settings.WSE_EMAIL = "regierol@wse.example.org"
    settings.REGIEROL_PRIVACY_EMAIL = "dpo@wse.example.org"
    settings.REGIEROL_TOEGANKELIJKHEID_DATUM = datetime.date(2027, 2, 1)
    assert "mailto:regierol@wse.example.org" in Client().get("/contact/").content.decode()
    assert "mailto:dpo@wse.example.org" in Client().get("/privacy/").content.decode()
    toegankelijkheid = _tekst(Client().get("/toegankelijkheid/").content)
    assert "mailto:regierol@wse.example.org" in Client().get("/toegankelijkheid/").content.decode()
    assert "Deze verklaring werd opgesteld op 1 februari 2027." in toegankelijkheid


def test_without_an_address_the_page_says_so_instead_of_a_dead_link(settings: Any) -> None:
    settings.WSE_EMAIL = ""
    settings.REGIEROL_PRIVACY_EMAIL = ""
    assert "mailto:" not in Client().get("/contact/").content.decode()
    assert "nog niet ingesteld (instelling WSE_EMAIL)" in _tekst(Client().get("/contact/").content)
    privacy = _tekst(Client().get("/privacy/").content)
    assert "nog niet ingesteld (instelling REGIEROL_PRIVACY_EMAIL)" in privacy
