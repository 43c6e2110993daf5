"""The API's opvolgmomenten and payments: the figures the uitvoering page shows, for the aanvragen
the token sees on the pages, granted only; no names of who booked or reported; filters, pages and
conditional requests as the other endpoints."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User
from applications.api.constants import Scope
from applications.beoordeling.models import Beslissing
from applications.uitvoering import services
from applications.uitvoering.constants import Boekingssoort, Opvolgstatus, Realisatie
from applications.uitvoering.models import Actierapport, Opvolgmoment, Opvolgtermijn
from tests.factories import AanvraagFactory, OproepFactory
from tests.opendata.conftest import beslis

from .conftest import Api, maak, vraag

pytestmark = pytest.mark.django_db

BETALINGEN = "/api/v1/betalingen/"
OPVOLGMOMENTEN = "/api/v1/opvolgmomenten/"


@dataclass
class Uitvoering:
    api: Api
    bob_toegekend: Aanvraag  # bob's verband, granted in another call
    moment: Opvolgmoment  # alice's 2030
    bob_moment: Opvolgmoment


def _boek(aanvraag: Aanvraag, by: User, soort: str, jaar: int, bedrag: str, ref: str) -> None:
    services.boeking_maken(
        aanvraag=aanvraag,
        by=by,
        soort=Boekingssoort(soort),
        jaar=jaar,
        datum=datetime.date(2026, 3, 2),
        bedrag=Decimal(bedrag),
        referentie=ref,
    )


@pytest.fixture
def uitvoering(api: Api, collega: User, beheerder: User, beoordelaar: User) -> Uitvoering:
    """Alice's aanvraag (granted 3000 / 4000 / 0): 2030 paid 2000 less a correction of 500;
    2031 paid 4000, then lowered to 3000 by a new decision (1000 to recover)."""
    eigen = api.eigen
    _boek(eigen, beheerder, Boekingssoort.BETALING, 2030, "2000", "BET-2030-1")
    _boek(eigen, beheerder, Boekingssoort.CORRECTIE, 2030, "500", "COR-2030-1")
    _boek(eigen, beheerder, Boekingssoort.BETALING, 2031, "4000", "BET-2031-1")
    services.bedragen_herzien(
        aanvraag=eigen,
        by=beoordelaar,
        bedragen={2030: Decimal(3000), 2031: Decimal(3000), 2032: Decimal(0)},
        motivatie="Verzonnen motivatie van de herziening.",
    )
    Opvolgtermijn.objects.create(oproep=api.oproep, jaar=2030, uiterlijk=datetime.date(2031, 6, 30))
    moment = Opvolgmoment.objects.create(aanvraag=eigen, jaar=2030, status=Opvolgstatus.INGEDIEND)
    lr1 = eigen.acties.get(jaar=2030, prioriteit__code="WSE-LR1")
    Actierapport.objects.create(
        opvolgmoment=moment,
        actie=lr1,
        realisatie=Realisatie.LOPEND,
        bbc_actie="AC-12 Regierol",
        code_toegepast=True,
        toelichting="Loopt door in 2031.",
    )
    bob_toegekend = AanvraagFactory.create(
        regieverband=api.ander.regieverband,
        oproep=OproepFactory.create(slug="ander-test"),
        ingediend=True,
    )
    beslis(bob_toegekend, AanvraagStatus.GOEDGEKEURD, {2030: "1000"}, beoordelaar)
    bob_toegekend.refresh_from_db()
    bob_moment = Opvolgmoment.objects.create(aanvraag=bob_toegekend, jaar=2030)
    # `beslis` dates the decisions in 2030; here they came before the bookings.
    Beslissing.objects.filter(aanvraag__in=[eigen, bob_toegekend]).update(
        op=timezone.now() - datetime.timedelta(days=30)
    )
    return Uitvoering(api, bob_toegekend, moment, bob_moment)


def _data(response: Any) -> Any:
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def _ids(token: str, url: str, veld: str = "id") -> set[int]:
    return {r[veld] for r in _data(vraag(token, url))["results"]}


def test_payments_per_year_as_the_ledger_computes_them_and_every_booking(uitvoering):
    api = uitvoering.api
    b = _data(vraag(api.alice, f"{BETALINGEN}{api.eigen.pk}/"))
    assert b["aanvraag"] == api.eigen.pk
    assert b["referentie"] == api.eigen.referentie
    assert b["oproep"] == "open-test"
    assert b["regieverband"] == api.eigen.regieverband_id
    assert {j["jaar"]: (j["toegekend"], j["betaald"], j["openstaand"], j["terug_te_vorderen"])
            for j in b["jaren"]} == {
        2030: ("3000.00", "1500.00", "1500.00", "0.00"),
        2031: ("3000.00", "4000.00", "0.00", "1000.00"),
        2032: ("0.00", "0.00", "0.00", "0.00"),
    }  # fmt: skip
    assert [(r["jaar"], r["soort"], r["datum"], r["bedrag"], r["referentie"]) for r in
            b["boekingen"]] == [
        (2030, "betaling", "2026-03-02", "2000.00", "BET-2030-1"),
        (2030, "correctie", "2026-03-02", "-500.00", "COR-2030-1"),
        (2031, "betaling", "2026-03-02", "4000.00", "BET-2031-1"),
    ]  # fmt: skip


def test_no_names_of_who_booked_reported_or_decided(uitvoering, beheerder, beoordelaar, regisseur):
    api = uitvoering.api
    Opvolgmoment.objects.filter(pk=uitvoering.moment.pk).update(
        ingediend_door=regisseur, ingediend_op=timezone.now(), beoordeeld_door=beoordelaar
    )
    for url in (BETALINGEN, f"{BETALINGEN}{api.eigen.pk}/", OPVOLGMOMENTEN):
        tekst = vraag(api.systeem, url).content.decode()
        for persoon in (beheerder, beoordelaar, regisseur):
            assert persoon.email not in tekst
            assert str(persoon) not in tekst
        assert "geboekt_door" not in tekst and "_door" not in tekst
        assert "Verzonnen motivatie" not in tekst


def test_an_opvolgmoment_with_its_due_date_and_every_action_of_its_year(uitvoering):
    api = uitvoering.api
    m = _data(vraag(api.alice, f"{OPVOLGMOMENTEN}{uitvoering.moment.pk}/"))
    assert (m["aanvraag"], m["jaar"], m["status"]) == (api.eigen.pk, 2030, "ingediend")
    assert (m["uiterlijk"], m["te_laat"], m["oproep"]) == ("2031-06-30", False, "open-test")
    assert [
        (a["prioriteit"], a["realisatie"], a["bbc_actie"], a["code_toegepast"], a["toelichting"])
        for a in m["acties"]
    ] == [
        ("WSE-LR1", "lopend", "AC-12 Regierol", True, "Loopt door in 2031."),
        ("WSE-LR2", "", "", False, ""),
    ]


def test_late_once_the_due_date_passed_unsubmitted(uitvoering):
    api = uitvoering.api
    Opvolgtermijn.objects.filter(oproep=api.oproep).update(uiterlijk=datetime.date(2020, 6, 30))
    Opvolgmoment.objects.filter(pk=uitvoering.moment.pk).update(status=Opvolgstatus.IN_OPMAAK)
    assert _data(vraag(api.alice, f"{OPVOLGMOMENTEN}{uitvoering.moment.pk}/"))["te_laat"] is True


def test_a_regisseurs_token_sees_only_its_verbanden_and_granted_aanvragen_only(uitvoering):
    api = uitvoering.api
    eigen, bob = api.eigen.pk, uitvoering.bob_toegekend.pk
    assert _ids(api.alice, BETALINGEN, "aanvraag") == {eigen}
    assert _ids(api.bob, BETALINGEN, "aanvraag") == {bob}
    assert _ids(api.systeem, BETALINGEN, "aanvraag") == {eigen, bob}
    assert _ids(api.alice, OPVOLGMOMENTEN) == {uitvoering.moment.pk}
    assert _ids(api.bob, OPVOLGMOMENTEN) == {uitvoering.bob_moment.pk}
    assert _ids(api.systeem, OPVOLGMOMENTEN) == {uitvoering.moment.pk, uitvoering.bob_moment.pk}
    assert vraag(api.bob, f"{BETALINGEN}{eigen}/").status_code == 404
    assert vraag(api.bob, f"{OPVOLGMOMENTEN}{uitvoering.moment.pk}/").status_code == 404
    # An aanvraag that was not granted has no uitvoering, even for WSE (as the page).
    assert vraag(api.systeem, f"{BETALINGEN}{api.ander.pk}/").status_code == 404


def test_payments_and_opvolgmomenten_need_the_uitvoering_scope(uitvoering, regisseur):
    api = uitvoering.api
    zonder = maak(regisseur, regisseur, [Scope.OPROEPEN, Scope.VERBANDEN, Scope.AANVRAGEN])
    for token in (zonder, api.alleen_oproepen):
        assert vraag(token, BETALINGEN).status_code == 403
        assert vraag(token, OPVOLGMOMENTEN).status_code == 403
    for token in (None, api.verlopen, api.ingetrokken):
        assert vraag(token, BETALINGEN).status_code == 401
        assert vraag(token, OPVOLGMOMENTEN).status_code == 401


def test_filters_by_call_verband_and_time_of_change(uitvoering, beheerder):
    api = uitvoering.api
    eigen, bob = api.eigen.pk, uitvoering.bob_toegekend.pk
    assert _ids(api.systeem, f"{BETALINGEN}?oproep=ander-test", "aanvraag") == {bob}
    verband = api.eigen.regieverband_id
    assert _ids(api.systeem, f"{BETALINGEN}?regieverband={verband}", "aanvraag") == {eigen}
    assert _ids(api.systeem, f"{OPVOLGMOMENTEN}?oproep=open-test") == {uitvoering.moment.pk}
    assert _ids(api.systeem, f"{OPVOLGMOMENTEN}?regieverband={verband}") == {uitvoering.moment.pk}
    sinds = (timezone.now() + datetime.timedelta(seconds=1)).isoformat().replace("+", "%2B")
    assert _ids(api.systeem, f"{BETALINGEN}?gewijzigd_sinds={sinds}", "aanvraag") == set()
    assert _ids(api.systeem, f"{OPVOLGMOMENTEN}?gewijzigd_sinds={sinds}") == set()
    later = timezone.now() + datetime.timedelta(minutes=5)
    services.boeking_maken(
        aanvraag=uitvoering.bob_toegekend,
        by=beheerder,
        soort=Boekingssoort.BETALING,
        jaar=2030,
        datum=datetime.date(2026, 3, 2),
        bedrag=Decimal(100),
        referentie="BET-BOB",
        now=later,
    )
    Opvolgmoment.objects.filter(pk=uitvoering.moment.pk).update(gewijzigd_op=later)
    assert _ids(api.systeem, f"{BETALINGEN}?gewijzigd_sinds={sinds}", "aanvraag") == {bob}
    assert _ids(api.systeem, f"{OPVOLGMOMENTEN}?gewijzigd_sinds={sinds}") == {uitvoering.moment.pk}
    for fout in ("regieverband=x", "gewijzigd_sinds=gisteren"):
        assert vraag(api.systeem, f"{BETALINGEN}?{fout}").status_code == 400
        assert vraag(api.systeem, f"{OPVOLGMOMENTEN}?{fout}").status_code == 400


def test_pages_of_payments(uitvoering):
    api = uitvoering.api
    eerste = _data(vraag(api.systeem, f"{BETALINGEN}?per_pagina=1"))
    tweede = _data(vraag(api.systeem, f"{BETALINGEN}?per_pagina=1&pagina=2"))
    assert eerste["count"] == 2 and eerste["next"] and tweede["previous"]
    assert {eerste["results"][0]["aanvraag"], tweede["results"][0]["aanvraag"]} == {
        api.eigen.pk,
        uitvoering.bob_toegekend.pk,
    }


def test_etag_and_last_modified_answer_304_until_a_booking_changes_them(uitvoering, beheerder):
    api = uitvoering.api
    for url in (BETALINGEN, f"{BETALINGEN}{api.eigen.pk}/"):
        eerste = vraag(api.systeem, url)
        etag, gewijzigd = eerste["ETag"], eerste["Last-Modified"]
        assert vraag(api.systeem, url, if_none_match=etag).status_code == 304
        assert vraag(api.systeem, url, if_modified_since=gewijzigd).status_code == 304
    later = timezone.now() + datetime.timedelta(minutes=5)
    services.boeking_maken(
        aanvraag=api.eigen,
        by=beheerder,
        soort=Boekingssoort.BETALING,
        jaar=2030,
        datum=datetime.date(2026, 3, 3),
        bedrag=Decimal(100),
        referentie="BET-2030-2",
        now=later,
    )
    nu = vraag(api.systeem, BETALINGEN)
    assert nu.status_code == 200
    assert nu["Last-Modified"] == http_date(later.timestamp())
    assert vraag(api.systeem, BETALINGEN, if_none_match=etag).status_code == 200
    assert vraag(api.systeem, BETALINGEN, if_modified_since=gewijzigd).status_code == 200
    url = f"{OPVOLGMOMENTEN}{uitvoering.moment.pk}/"
    etag = vraag(api.alice, url)["ETag"]
    assert vraag(api.alice, url, if_none_match=etag).status_code == 304
    Actierapport.objects.filter(opvolgmoment=uitvoering.moment).update(bbc_actie="AC-13")
    assert vraag(api.alice, url, if_none_match=etag).status_code == 200


def test_the_lists_take_as_many_queries_for_one_more_aanvraag(uitvoering, beoordelaar):
    """A fixed number of queries per page, whatever the number of aanvragen on it."""
    api = uitvoering.api

    def tellen(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            _data(vraag(api.systeem, url))
        return len(queries)

    voor = {url: tellen(url) for url in (BETALINGEN, OPVOLGMOMENTEN)}
    nog_een = AanvraagFactory.create(oproep=OproepFactory.create(slug="derde-test"), ingediend=True)
    beslis(nog_een, AanvraagStatus.GOEDGEKEURD, {2030: "500"}, beoordelaar)
    Opvolgmoment.objects.create(aanvraag=nog_een, jaar=2030)
    assert len(_data(vraag(api.systeem, BETALINGEN))["results"]) == 3
    assert {url: tellen(url) for url in voor} == voor
