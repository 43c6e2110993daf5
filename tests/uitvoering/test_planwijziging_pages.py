"""The pages of a change to the plan, as the regisseurs and WSE use them: starting (or being led
to the open proposal), changing and cancelling an action, the diff WSE reads, and a refusal
without a reason coming back with the error."""

from __future__ import annotations

import pytest
from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.uitvoering.models import Planwijziging
from applications.uitvoering.opvolging import acties_van_jaar

from ..conftest import client_for

pytestmark = pytest.mark.django_db


def _pad(w: Planwijziging) -> str:
    return f"/aanvragen/{w.aanvraag_id}/uitvoering/wijzigingen/{w.nummer}/"


def test_starting_a_change_leads_to_the_draft_and_a_second_start_to_the_same_one(
    nu_lopend: Aanvraag, regisseur: User
) -> None:
    client = client_for(regisseur)
    lijst = f"/aanvragen/{nu_lopend.pk}/uitvoering/wijzigingen/"
    assert "Een wijziging voorstellen" in client.get(lijst).content.decode()
    eerste = client.post(lijst)
    w = Planwijziging.objects.get(aanvraag=nu_lopend)
    assert eerste["Location"] == _pad(w)
    assert client.post(lijst)["Location"] == _pad(w)
    assert Planwijziging.objects.filter(aanvraag=nu_lopend).count() == 1
    pagina = client.get(_pad(w)).content.decode()
    assert "Nieuwe actie voorstellen" in pagina
    assert "De toegekende bedragen veranderen niet" in pagina


def test_an_action_changed_and_another_cancelled_through_the_pages_show_in_the_diff(
    concept_wijziging: Planwijziging, nu_lopend: Aanvraag, regisseur: User, beoordelaar: User
) -> None:
    jaar = timezone.localdate().year
    a, b = acties_van_jaar(nu_lopend, jaar + 1)[:2]
    client = client_for(regisseur)
    form = client.get(_pad(concept_wijziging) + f"acties/{a.pk}/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(titel="Een betere titel", budget="2.345,60")
    antwoord = client.post(_pad(concept_wijziging) + f"acties/{a.pk}/", data)
    assert antwoord.status_code == 302, antwoord.content.decode()[:2000]
    client.post(_pad(concept_wijziging) + f"acties/{b.pk}/", {"schrappen": "1"})
    # An action of last year is over: not offered, and refused.
    vorig = acties_van_jaar(nu_lopend, jaar - 1)[0]
    geweigerd = client.post(_pad(concept_wijziging) + f"acties/{vorig.pk}/", {"schrappen": "1"})
    assert geweigerd.status_code == 302
    assert not concept_wijziging.acties.filter(actie_nummer=vorig.pk).exists()

    pagina = client_for(beoordelaar).get(_pad(concept_wijziging)).content.decode()
    assert "Een betere titel" in pagina and a.titel in pagina
    assert "<del>" in pagina and "2.345,60" in pagina and "1.000,00" in pagina
    assert "geschrapt" in pagina and b.titel in pagina
    assert "Verzonnen nieuwe actie" in pagina
    # WSE reads a draft but gets no forms of it.
    assert "Motiveren en indienen" not in pagina
    assert client_for(beoordelaar).get(_pad(concept_wijziging) + "leden/").status_code == 403


def test_a_refusal_without_a_reason_comes_back_with_the_error(
    concept_wijziging: Planwijziging, regisseur: User, beoordelaar: User
) -> None:
    client_for(regisseur).post(
        _pad(concept_wijziging), {"motivatie": "Waarom het moet.", "actie": "indienen"}
    )
    concept_wijziging.refresh_from_db()
    assert concept_wijziging.status == "ingediend"
    antwoord = client_for(beoordelaar).post(
        _pad(concept_wijziging) + "beoordelen/", {"besluit": "weigeren", "reden": " "}
    )
    assert antwoord.status_code == 400
    assert "Schrijf waarom WSE de wijziging weigert." in antwoord.content.decode()
    concept_wijziging.refresh_from_db()
    assert concept_wijziging.status == "ingediend"


def test_a_colleague_of_another_verband_gets_404_everywhere(
    concept_wijziging: Planwijziging, collega: User
) -> None:
    client = client_for(collega)
    for pad in ("", "acties/nieuw/", "leden/"):
        assert client.get(_pad(concept_wijziging) + pad).status_code == 404
    assert client.post(_pad(concept_wijziging) + "beoordelen/").status_code == 404
