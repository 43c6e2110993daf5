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


def test_a_call_past_its_deadline_is_shown_closed_with_its_date(regisseur, verband):
    """Still marked open (a beheerder closes it after the review), but nobody can start or submit
    without an extension: the dashboard says so, the list offers no new aanvraag for it."""
    import datetime as _dt

    from django.utils import timezone as _tz

    from ..factories import OproepFactory as _Oproep

    voorbij = _Oproep.create(
        naam="Voorbije oproep",
        slug="voorbij",
        deadline=_tz.make_aware(_dt.datetime(2026, 1, 15, 23, 59, 59)),
    )
    client = client_for(regisseur)
    pagina = client.get("/").content.decode()
    gesloten = pagina.split('id="voorbije-oproepen"')[1]
    assert "Voorbije oproep" in gesloten
    assert "gesloten sinds 15 januari 2026 om 23:59" in gesloten
    assert (
        "Voorbije oproep"
        not in pagina.split('id="voorbije-oproepen"')[0].split('id="open-oproepen"')[-1]
    )
    lijst = client.get("/aanvragen/").content.decode()
    assert f"Aanvraag starten voor {verband.naam}, {voorbij.naam}" not in lijst
