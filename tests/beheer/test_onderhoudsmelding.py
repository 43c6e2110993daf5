"""A beheerder switches a message on for every page (before maintenance) and off again."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from applications.beheer.context_processors import SLEUTEL
from applications.beheer.models import Onderhoudsmelding

from ..conftest import client_for

pytestmark = pytest.mark.django_db

TEKST = "Op 12 januari van 18 tot 20 uur is het portaal niet bereikbaar. <b>Sorry</b>"


@pytest.fixture(autouse=True)
def geen_oude_melding() -> Iterator[None]:
    cache.delete(SLEUTEL)
    yield
    cache.delete(SLEUTEL)


def test_a_beheerder_shows_a_message_on_every_page_and_switches_it_off(beheerder, regisseur):
    client = client_for(beheerder)
    antwoord = client.post(
        "/beheer/beheer/onderhoudsmelding/add/", {"tekst": TEKST, "actief": "on", "_save": "1"}
    )
    assert antwoord.status_code == 302
    escaped = (
        "Op 12 januari van 18 tot 20 uur is het portaal niet bereikbaar. &lt;b&gt;Sorry&lt;/b&gt;"
    )
    for wie, pad in ((None, "/accounts/login/"), (regisseur, "/"), (regisseur, "/aanvragen/")):
        pagina = client_for(wie).get(pad).content.decode()
        assert 'id="onderhoudsmelding"' in pagina and escaped in pagina, pad

    melding = Onderhoudsmelding.objects.get()
    client.post(
        f"/beheer/beheer/onderhoudsmelding/{melding.pk}/change/", {"tekst": TEKST, "_save": "1"}
    )
    assert not Onderhoudsmelding.objects.get().actief
    assert 'id="onderhoudsmelding"' not in client_for(regisseur).get("/").content.decode()


def test_no_message_no_banner(regisseur):
    Onderhoudsmelding.objects.create(tekst="Oud bericht", actief=False)
    assert 'id="onderhoudsmelding"' not in client_for(regisseur).get("/").content.decode()
