"""Proper Dutch on the pages: singular and plural, and month names in full ("2 december 2026",
not "2 Dec 2026")."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from applications.aanvragen.completeness import aanvraag_completeness

from .conftest import client_for
from .factories import ActieFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_users_page_names_the_month_in_full(beheerder):
    UserFactory.create(
        email="jan@gemeente.be",
        last_login=timezone.make_aware(datetime.datetime(2026, 12, 2, 10, 30)),
    )
    pagina = client_for(beheerder).get("/beheer/gebruikers/").content.decode()
    assert "2 december 2026 10:30" in pagina
    assert "Dec 2026" not in pagina


def test_one_action_and_one_cell_are_singular(aanvraag, regisseur):
    oproep = aanvraag.oproep
    cellen = oproep.prioriteiten.count() * len(oproep.jaren)
    ActieFactory.create(
        aanvraag=aanvraag, prioriteit=oproep.prioriteiten.first(), jaar=oproep.eerste_jaar
    )
    pagina = client_for(regisseur).get(f"/aanvragen/{aanvraag.pk}/meerjarenplan/").content
    tekst = pagina.decode()
    assert "Nu 1 actie;" in tekst
    assert f"{cellen - 1} vakken hebben er nog te weinig." in tekst
    labels = [c.label for c in aanvraag_completeness(aanvraag).missing]
    assert not any("actie(s)" in label for label in labels)


def test_the_403_page_says_what_was_refused(aanvraag, regisseur, beoordelaar):
    """It always spoke of "deze fase van de aanvraag", whatever was refused."""
    from applications.aanvragen.models import Aanvraag
    from applications.aanvragen.statuses import AanvraagStatus

    pad = f"/aanvragen/{aanvraag.pk}/teksten/"
    reviewer = client_for(beoordelaar).post(pad, {"versie": 1, "omgevingsanalyse": "x"})
    assert reviewer.status_code == 403
    assert "alleen de regisseurs van" in reviewer.content.decode()
    Aanvraag.objects.filter(pk=aanvraag.pk).update(status=AanvraagStatus.INGEDIEND)
    eigenaar = client_for(regisseur).post(pad, {"versie": 1, "omgevingsanalyse": "x"})
    assert eigenaar.status_code == 403
    assert "Deze aanvraag is ingediend: in deze fase kan ze niet meer gewijzigd worden" in (
        eigenaar.content.decode()
    )
