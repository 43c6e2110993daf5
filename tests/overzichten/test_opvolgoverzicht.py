"""WSE's overview of the follow-up of a call (/opvolging/<call>/): per granted aanvraag and year
where its opvolgmoment stands, filtered, 50 a page, in a fixed number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.oproepen.models import Oproep
from applications.uitvoering.constants import (
    OPVOLGOVERZICHT_PER_PAGINA,
    Opvolgstaat,
    Opvolgstatus,
)
from applications.uitvoering.models import Opvolgmoment, Opvolgtermijn
from applications.uitvoering.overzicht import Opvolgfilters, opvolgoverzicht, opvolgstaat

from ..conftest import client_for
from ..factories import AanvraagFactory, OproepFactory, RegieverbandFactory

pytestmark = pytest.mark.django_db

# 2023 is due on 30 June 2024, 2024 on 30 June 2025, 2025 on 30 June 2026.
OP_1_MEI_2025 = datetime.date(2025, 5, 1)  # 2023 late or in, 2024 open, 2025 not yet due


@pytest.fixture
def oproep() -> Oproep:
    oproep = OproepFactory.create(slug="opvolg-overzicht", eerste_jaar=2023, laatste_jaar=2025)
    for jaar in oproep.jaren:
        Opvolgtermijn.objects.create(
            oproep=oproep, jaar=jaar, uiterlijk=datetime.date(jaar + 1, 6, 30)
        )
    return oproep


def _toegekend(oproep: Oproep, n: int, *, begin: int = 0) -> list:
    return [
        AanvraagFactory.create(
            regieverband=RegieverbandFactory.create(naam=f"Opvolgverband {i:03d}"),
            oproep=oproep,
            goedgekeurd=True,
        )
        for i in range(begin, begin + n)
    ]


def test_the_state_rule(oproep):
    termijn = Opvolgtermijn.objects.get(oproep=oproep, jaar=2024)
    moment = Opvolgmoment(jaar=2024, status=Opvolgstatus.IN_OPMAAK)
    assert opvolgstaat(termijn, None, datetime.date(2024, 12, 31)) == Opvolgstaat.NIET_AAN_DE_BEURT
    assert opvolgstaat(termijn, moment, datetime.date(2025, 1, 1)) == Opvolgstaat.OPEN
    assert opvolgstaat(termijn, None, datetime.date(2025, 6, 30)) == Opvolgstaat.OPEN
    assert opvolgstaat(termijn, moment, datetime.date(2025, 7, 1)) == Opvolgstaat.TE_LAAT
    moment.status = Opvolgstatus.MEER_GEVRAAGD
    assert opvolgstaat(termijn, moment, datetime.date(2025, 7, 1)) == Opvolgstaat.TE_LAAT
    moment.status = Opvolgstatus.INGEDIEND
    assert opvolgstaat(termijn, moment, datetime.date(2025, 7, 1)) == Opvolgstaat.INGEDIEND
    moment.status = Opvolgstatus.AANVAARD
    assert opvolgstaat(termijn, moment, datetime.date(2025, 7, 1)) == Opvolgstaat.AANVAARD


def test_each_granted_aanvraag_and_year_with_its_state_and_the_filters(oproep):
    laat, binnen, aanvaard = _toegekend(oproep, 3)
    AanvraagFactory.create(
        regieverband=RegieverbandFactory.create(naam="Niet toegekend"), oproep=oproep
    )
    Opvolgmoment.objects.create(aanvraag=laat, jaar=2023, status=Opvolgstatus.IN_OPMAAK)
    Opvolgmoment.objects.create(aanvraag=binnen, jaar=2023, status=Opvolgstatus.INGEDIEND)
    Opvolgmoment.objects.create(aanvraag=aanvaard, jaar=2023, status=Opvolgstatus.AANVAARD)
    Opvolgmoment.objects.create(aanvraag=aanvaard, jaar=2024, status=Opvolgstatus.INGEDIEND)

    def staten(filters: Opvolgfilters | None = None) -> dict[str, list[str]]:
        filters = filters or Opvolgfilters()
        overzicht = opvolgoverzicht(oproep, filters, vandaag=OP_1_MEI_2025)
        return {
            r.aanvraag.regieverband.naam: [c.staat.value for c in r.cellen] for r in overzicht.rijen
        }

    assert staten() == {
        "Opvolgverband 000": ["te_laat", "open", "niet_aan_de_beurt"],
        "Opvolgverband 001": ["ingediend", "open", "niet_aan_de_beurt"],
        "Opvolgverband 002": ["aanvaard", "ingediend", "niet_aan_de_beurt"],
    }
    assert list(staten(Opvolgfilters(jaar=2023, staat="te_laat"))) == ["Opvolgverband 000"]
    assert list(staten(Opvolgfilters(jaar=2024, staat="open"))) == [
        "Opvolgverband 000",
        "Opvolgverband 001",
    ]
    # A state in any year.
    assert list(staten(Opvolgfilters(staat="ingediend"))) == [
        "Opvolgverband 001",
        "Opvolgverband 002",
    ]
    assert list(staten(Opvolgfilters(jaar=2025, staat="niet_aan_de_beurt"))) == [
        "Opvolgverband 000",
        "Opvolgverband 001",
        "Opvolgverband 002",
    ]
    assert staten(Opvolgfilters(jaar=2024, staat="te_laat")) == {}
    assert list(staten(Opvolgfilters(zoek="  verband 002 "))) == ["Opvolgverband 002"]


def test_the_page_links_each_opvolgmoment_and_ignores_unknown_filters(oproep, beoordelaar):
    (aanvraag,) = _toegekend(oproep, 1)
    client = client_for(beoordelaar)
    url = f"/opvolging/{oproep.slug}/"
    pagina = client.get(url).content.decode()
    assert f'href="/aanvragen/{aanvraag.pk}/uitvoering/opvolging/2024/"' in pagina
    assert f'href="/aanvragen/{aanvraag.pk}/uitvoering/"' in pagina
    assert "1 goedgekeurde aanvraag</caption>" in pagina
    for rare in ({"jaar": "1999"}, {"jaar": "x"}, {"staat": "<script>"}, {"pagina": "-1"}):
        antwoord = client.get(url, rare)
        assert antwoord.status_code == 200
        assert "Opvolgverband 000" in antwoord.content.decode()
    assert (
        "Opvolging van de goedgekeurde aanvragen"
        in client.get(f"/beoordeling/?oproep={oproep.slug}").content.decode()
    )
    assert (
        f'href="/opvolging/{oproep.slug}/"'
        in client.get(f"/budget/{oproep.slug}/").content.decode()
    )


def test_fifty_a_page_with_the_filters_kept(oproep, beheerder):
    _toegekend(oproep, OPVOLGOVERZICHT_PER_PAGINA + 3)
    client = client_for(beheerder)
    filters = {"jaar": "2023", "staat": "te_laat", "zoek": "opvolg"}
    eerste = client.get(f"/opvolging/{oproep.slug}/", filters).content.decode()
    namen = re.findall(r">(Opvolgverband \d+)</a>", eerste)
    assert namen == [f"Opvolgverband {i:03d}" for i in range(OPVOLGOVERZICHT_PER_PAGINA)]
    assert f"1 tot {OPVOLGOVERZICHT_PER_PAGINA} van {OPVOLGOVERZICHT_PER_PAGINA + 3}" in eerste
    assert 'href="?jaar=2023&amp;staat=te_laat&amp;zoek=opvolg&amp;pagina=2"' in eerste
    tweede = client.get(f"/opvolging/{oproep.slug}/", {**filters, "pagina": "2"}).content.decode()
    assert re.findall(r">(Opvolgverband \d+)</a>", tweede) == [
        f"Opvolgverband {i:03d}"
        for i in range(OPVOLGOVERZICHT_PER_PAGINA, OPVOLGOVERZICHT_PER_PAGINA + 3)
    ]


@pytest.mark.parametrize("n", [10, 60])
def test_the_query_count_does_not_grow_with_aanvragen(n, oproep, beoordelaar):
    for aanvraag in _toegekend(oproep, n):
        Opvolgmoment.objects.create(aanvraag=aanvraag, jaar=2023, status=Opvolgstatus.INGEDIEND)
        Opvolgmoment.objects.create(aanvraag=aanvraag, jaar=2024, status=Opvolgstatus.AANVAARD)
    client = client_for(beoordelaar)
    url = f"/opvolging/{oproep.slug}/"
    client.get(url)  # session and permissions warm
    with CaptureQueriesContext(connection) as queries:
        antwoord = client.get(url, {"staat": "ingediend"})
    assert antwoord.status_code == 200
    assert antwoord.content.decode().count("opvolgstaat-ingediend") == min(
        n, OPVOLGOVERZICHT_PER_PAGINA
    )
    assert len(queries) == OVERZICHT_QUERIES, [q["sql"][:80] for q in queries]


# Session, user, two-step device, the user's groups, the call, the calls to choose from, the due
# dates (for the filter and for the table), the count, the page, its opvolgmomenten.
OVERZICHT_QUERIES = 11


def test_only_wse_sees_it(oproep, regisseur, collega):
    for wie in (regisseur, collega):
        assert client_for(wie).get(f"/opvolging/{oproep.slug}/").status_code == 404
