"""Two regisseurs of the same verband editing at once, each in their own session."""

import threading

import pytest
from django.db import connection

from applications.aanvragen.models import Aanvraag, Actie
from applications.aanvragen.services import ConcurrentEditError, aanvraag_update

from ..conftest import client_for
from ..factories import ActieFactory, UserFactory


@pytest.fixture
def tweede(verband):
    return UserFactory.create(regisseur_van=[verband], email="tweede@example.org", first_name="Tom")


@pytest.mark.django_db
def test_save_over_a_newer_version_is_refused_and_shows_what_changed(aanvraag, regisseur, tweede):
    alice, tom = client_for(regisseur), client_for(tweede)
    url = f"/aanvragen/{aanvraag.pk}/teksten/"
    assert 'name="versie" value="1"' in alice.get(url).content.decode()
    assert 'name="versie" value="1"' in tom.get(url).content.decode()

    alice.post(url, {"versie": 1, "omgevingsanalyse": "Versie van Alice", "visie": ""})
    response = tom.post(url, {"versie": 1, "omgevingsanalyse": "Versie van Tom", "visie": ""})
    body = response.content.decode()

    assert response.status_code == 200
    assert f"Niet opgeslagen: {regisseur} heeft dit intussen gewijzigd" in body
    # What is stored now against Tom's input, word by word; his input stays in the form.
    assert "Versie van <del>" in body and ">Alice<" in body and ">Tom<" in body
    assert ">\nVersie van Tom</textarea>" in body
    aanvraag.refresh_from_db()
    assert aanvraag.omgevingsanalyse == "Versie van Alice"
    # Tom decides to overwrite: the form now carries version 2
    assert 'name="versie" value="2"' in body
    tom.post(url, {"versie": 2, "omgevingsanalyse": "Versie van Tom", "visie": ""})
    aanvraag.refresh_from_db()
    assert aanvraag.omgevingsanalyse == "Versie van Tom"


@pytest.mark.django_db
def test_action_edited_by_two_is_refused_for_the_second(aanvraag, regisseur, tweede):
    actie = ActieFactory.create(aanvraag=aanvraag, titel="Origineel", jaar=2030)
    url = f"/aanvragen/{aanvraag.pk}/acties/{actie.pk}/"
    data = {"versie": 1, "prioriteit": actie.prioriteit_id, "jaar": 2030, "budget": "100"}
    client_for(regisseur).post(url, {**data, "titel": "Titel van Alice"})
    response = client_for(tweede).post(url, {**data, "titel": "Titel van Tom"})
    body = response.content.decode()
    assert "Niet opgeslagen" in body
    assert "Titel van <del>" in body and ">Alice<" in body and ">Tom<" in body
    assert 'value="Titel van Tom"' in body
    actie.refresh_from_db()
    assert actie.titel == "Titel van Alice"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_saves_on_postgresql_one_wins_one_is_refused(
    verband, oproep, regisseur, tweede
):
    """Two database sessions at the same moment: the row lock lets exactly one through."""
    assert connection.vendor == "postgresql"
    aanvraag = Aanvraag.objects.create(regieverband=verband, oproep=oproep)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(user, text):
        try:
            barrier.wait()
            aanvraag_update(aanvraag=aanvraag, by=user, versie=1, changes={"visie": text})
            outcomes.append("saved")
        except ConcurrentEditError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(u, t)) for u, t in ((regisseur, "A"), (tweede, "B"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "saved"]
    aanvraag.refresh_from_db()
    assert aanvraag.versie == 2
    assert aanvraag.visie in {"A", "B"}
    assert Actie.objects.count() == 0
