"""The draft PDF is made once per content and never by too many requests at once: a second view
of an unchanged aanvraag takes the stored bytes, any change the PDF shows makes a new one, and a
request that finds every slot taken gets "wordt aangemaakt" instead of waiting for a timeout."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

import psycopg2
import pytest
from django.db import connection
from django.utils import timezone

from applications.aanvragen import concept_pdf
from applications.aanvragen.models import Aanvraag, ConceptPdf, Verlenging
from applications.aanvragen.services import bijlage_add
from applications.accounts.models import User
from applications.besturen.models import LokaalBestuur

from ..aanvraag_helpers import pdf_upload
from ..conftest import client_for
from ..factories import ActieFactory, LidmaatschapFactory, LokaalBestuurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How often WeasyPrint was asked for a draft."""
    gemaakt: list[int] = []
    echt = concept_pdf.html_to_pdf

    def tellend(html: str) -> bytes:
        gemaakt.append(1)
        return echt(html)

    monkeypatch.setattr(concept_pdf, "html_to_pdf", tellend)
    return gemaakt


def _pdf(user: User, aanvraag: Aanvraag) -> Any:
    return client_for(user).get(f"/aanvragen/{aanvraag.pk}/pdf/")


def test_an_unchanged_draft_is_made_once(aanvraag, regisseur, beoordelaar, renders):
    eerste = _pdf(regisseur, aanvraag)
    tweede = _pdf(regisseur, aanvraag)
    derde = _pdf(beoordelaar, aanvraag)
    assert eerste.status_code == tweede.status_code == derde.status_code == 200
    assert len(renders) == 1
    assert eerste.content == tweede.content == derde.content
    assert ConceptPdf.objects.filter(aanvraag=aanvraag).count() == 1


def _tekst(aanvraag: Aanvraag, regisseur: User) -> None:
    Aanvraag.objects.filter(pk=aanvraag.pk).update(omgevingsanalyse="Een nieuwe analyse.")


def _actie(aanvraag: Aanvraag, regisseur: User) -> None:
    ActieFactory.create(aanvraag=aanvraag, titel="Nieuwe actie")


def _bijlage(aanvraag: Aanvraag, regisseur: User) -> None:
    lso = aanvraag.oproep.bijlagetypes.get(code="lso-vdab")
    bijlage_add(aanvraag=aanvraag, by=regisseur, bijlagetype=lso, upload=pdf_upload("lso.pdf"))


def _lid(aanvraag: Aanvraag, regisseur: User) -> None:
    bestuur = LokaalBestuurFactory.create(naam="Nieuwgemeente", nis_code="99991")
    LidmaatschapFactory.create(regieverband=aanvraag.regieverband, bestuur=bestuur)


def _verlenging(aanvraag: Aanvraag, regisseur: User) -> None:
    Verlenging.objects.create(
        aanvraag=aanvraag,
        tot=aanvraag.oproep.deadline + datetime.timedelta(days=14),
        reden="Fusie van gemeenten.",
        toegekend_op=timezone.now(),
    )


def _oproep(aanvraag: Aanvraag, regisseur: User) -> None:
    aanvraag.oproep.__class__.objects.filter(pk=aanvraag.oproep_id).update(naam="Hernoemde oproep")


def _trekker(aanvraag: Aanvraag, regisseur: User) -> None:
    bestuur = LokaalBestuur.objects.get(nis_code="73107")
    aanvraag.regieverband.__class__.objects.filter(pk=aanvraag.regieverband_id).update(
        naam="Hernoemd verband", trekker=bestuur
    )


@pytest.mark.parametrize("wijziging", [_tekst, _actie, _bijlage, _lid, _oproep, _trekker])
def test_any_change_the_pdf_shows_makes_a_new_one(
    wijziging: Callable[[Aanvraag, User], None], aanvraag, regisseur, renders
):
    voor = _pdf(regisseur, aanvraag).content
    wijziging(aanvraag, regisseur)
    na = _pdf(regisseur, aanvraag).content
    assert len(renders) == 2, wijziging.__name__
    assert voor != na


def test_a_change_the_pdf_does_not_show_keeps_it(aanvraag, regisseur, renders):
    """The key is what the PDF shows: an extension of the deadline is not printed in it."""
    voor = _pdf(regisseur, aanvraag).content
    _verlenging(aanvraag, regisseur)
    assert _pdf(regisseur, aanvraag).content == voor
    assert len(renders) == 1


@pytest.fixture
def andere_sessie() -> Iterator[Any]:
    """A second database session, as another gunicorn worker or server would hold."""
    sessie = psycopg2.connect(**connection.get_connection_params())
    sessie.autocommit = True
    yield sessie.cursor()
    sessie.close()


def _houd(cursor: Any, klasse: int, nummer: int) -> None:
    cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [klasse, nummer])
    assert cursor.fetchone()[0]


def test_a_user_whose_pdf_is_being_made_elsewhere_hears_so(
    aanvraag, regisseur, renders, andere_sessie, settings
):
    settings.REGIEROL_PDF_WACHTTIJD = 0
    _houd(andere_sessie, concept_pdf._SLOT_GEBRUIKER, regisseur.pk)
    antwoord = _pdf(regisseur, aanvraag)
    assert antwoord.status_code == 503
    assert antwoord["Retry-After"] == "5"
    assert "Uw PDF wordt aangemaakt" in antwoord.content.decode()
    assert renders == []


def test_when_every_slot_is_taken_nobody_renders(
    aanvraag, regisseur, beoordelaar, renders, andere_sessie, settings
):
    settings.REGIEROL_PDF_WACHTTIJD = 0
    for slot in range(settings.REGIEROL_PDF_GELIJKTIJDIG):
        _houd(andere_sessie, concept_pdf._SLOT_TOTAAL, slot)
    assert _pdf(beoordelaar, aanvraag).status_code == 503
    assert renders == []
    andere_sessie.execute("SELECT pg_advisory_unlock_all()")
    assert _pdf(beoordelaar, aanvraag).status_code == 200, "free again"
    assert len(renders) == 1


def test_a_waiting_request_takes_the_pdf_another_one_stored(
    aanvraag, regisseur, renders, andere_sessie, settings
):
    """Held elsewhere, but the PDF of this very content is already stored: no wait, no render."""
    assert _pdf(regisseur, aanvraag).status_code == 200
    _houd(andere_sessie, concept_pdf._SLOT_GEBRUIKER, regisseur.pk)
    assert _pdf(regisseur, aanvraag).status_code == 200
    assert len(renders) == 1
