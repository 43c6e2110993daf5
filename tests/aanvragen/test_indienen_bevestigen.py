"""Submitting has a confirmation step: it shows what will be sent, says it cannot be changed
afterwards and asks the regisseur to confirm the mandate of the trekker's board; that sentence
is kept with the sealed version and printed in its PDF."""

from __future__ import annotations

import re
from typing import Any

import pytest

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.selectors import leden_van_aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User

from ..aanvraag_helpers import fill_everything
from ..conftest import client_for
from ..pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _trekker(aanvraag: Aanvraag) -> None:
    verband = aanvraag.regieverband
    verband.trekker = leden_van_aanvraag(aanvraag)[0]
    verband.save(update_fields=["trekker"])


def _zin(aanvraag: Aanvraag, regisseur: User) -> str:
    trekker = aanvraag.regieverband.trekker
    assert trekker is not None
    return (
        f"Ik, {regisseur.get_full_name()} ({regisseur.email}), dien deze aanvraag in namens "
        f"{aanvraag.regieverband.naam}, met het mandaat van het bestuur van de trekker, "
        f"{trekker.naam}."
    )


def _tekst(html: bytes) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.decode()))


def test_the_step_shows_what_will_be_sent_and_asks_for_the_mandate(
    aanvraag: Aanvraag, regisseur: User
) -> None:
    fill_everything(aanvraag, regisseur)
    overzicht = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/")
    assert f'href="/aanvragen/{aanvraag.pk}/indienen/"' in overzicht.content.decode()

    pagina = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/indienen/")
    assert pagina.status_code == 200
    tekst = _tekst(pagina.content)
    assert "Na het indienen kunt u niets meer wijzigen." in tekst
    for bestuur in leden_van_aanvraag(aanvraag):
        assert f"{bestuur.naam} ({bestuur.nis_code})" in tekst
    assert "Budget in euro per beleidsprioriteit en per jaar" in tekst
    assert "Totaal per jaar" in tekst
    for bijlage in aanvraag.bijlagen.all():
        assert bijlage.naam in tekst
    assert _zin(aanvraag, regisseur) in tekst
    assert "Definitief indienen" in tekst


def test_without_the_mandate_nothing_is_submitted(aanvraag: Aanvraag, regisseur: User) -> None:
    fill_everything(aanvraag, regisseur)
    antwoord = client_for(regisseur).post(f"/aanvragen/{aanvraag.pk}/indienen/", {})
    assert antwoord.status_code == 200
    assert "Bevestig dat u indient met het mandaat" in _tekst(antwoord.content)
    aanvraag.refresh_from_db()
    assert aanvraag.status == AanvraagStatus.CONCEPT
    assert not aanvraag.indieningen.exists()


def test_the_confirmed_sentence_is_kept_and_printed_in_the_sealed_pdf(
    aanvraag: Aanvraag, regisseur: User, django_capture_on_commit_callbacks: Any
) -> None:
    fill_everything(aanvraag, regisseur)
    with django_capture_on_commit_callbacks(execute=True):
        antwoord = client_for(regisseur).post(
            f"/aanvragen/{aanvraag.pk}/indienen/", {"mandaat": "on"}
        )
    assert antwoord.status_code == 302
    indiening = aanvraag.indieningen.get()
    assert indiening.mandaat == _zin(aanvraag, regisseur)
    pdf = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/pdf/1/")
    tekst = " ".join(pdf_text(pdf.content).split())
    assert "Mandaat " + _zin(aanvraag, regisseur) in tekst


def test_an_incomplete_aanvraag_has_nothing_to_confirm(aanvraag: Aanvraag, regisseur: User) -> None:
    antwoord = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/indienen/")
    assert antwoord.status_code == 302
    assert antwoord["Location"] == f"/aanvragen/{aanvraag.pk}/"
