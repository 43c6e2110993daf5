"""WSE's uitvoering of a call in figures (/uitvoering/<call>/): the actions of the granted
aanvragen per priority, year and realisation, the money per verband after a later decision and a
repayment, the two exports read back, who sees them, and a fixed number of queries."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from applications.aanvragen.models import Aanvraag, Actie
from applications.accounts.models import User
from applications.audit.models import Auditregel
from applications.besturen.models import Regieverband
from applications.oproepen.models import Oproep
from applications.uitvoering.cijfers import (
    NIET_GERAPPORTEERD,
    REALISATIESTATUSSEN,
    geld_per_verband,
    realisaties,
)
from applications.uitvoering.constants import Boekingssoort, Opvolgstatus, Realisatie
from applications.uitvoering.models import Actierapport, Opvolgmoment, Terugvordering
from applications.uitvoering.selectors import oproep_betalingen
from applications.uitvoering.services import bedragen_herzien, boeking_maken

from ..conftest import client_for
from ..factories import (
    AanvraagFactory,
    ActieFactory,
    BeslissingFactory,
    OproepFactory,
    RegieverbandFactory,
    UserFactory,
)
from ..libreoffice import calc_leest

pytestmark = pytest.mark.django_db

G, L, U, S = (
    Realisatie.GEREALISEERD,
    Realisatie.LOPEND,
    Realisatie.UITGESTELD,
    Realisatie.GESCHRAPT,
)
N = NIET_GERAPPORTEERD
BETAALD_OP = datetime.date(2026, 2, 1)


@pytest.fixture
def oproep() -> Oproep:
    return OproepFactory.create(slug="uitvoering-test", eerste_jaar=2023, laatste_jaar=2025)


def _toegekend(oproep: Oproep, naam: str, door: User) -> Aanvraag:
    aanvraag = AanvraagFactory.create(
        regieverband=RegieverbandFactory.create(naam=naam), oproep=oproep, goedgekeurd=True
    )
    BeslissingFactory.create(aanvraag=aanvraag, door=door)  # EUR 50.000 a year
    return aanvraag


def _acties(aanvraag: Aanvraag, *cellen: tuple[int, str]) -> list[Actie]:
    prioriteiten = {p.code: p for p in aanvraag.oproep.prioriteiten.all()}
    return [
        ActieFactory.create(aanvraag=aanvraag, jaar=jaar, prioriteit=prioriteiten[code])
        for jaar, code in cellen
    ]


def _rapport(aanvraag: Aanvraag, jaar: int, status: str, per_actie: dict[Actie, str]) -> None:
    moment = Opvolgmoment.objects.create(aanvraag=aanvraag, jaar=jaar, status=status)
    for actie, realisatie in per_actie.items():
        Actierapport.objects.create(opvolgmoment=moment, actie=actie, realisatie=realisatie)


def _betaal(aanvraag: Aanvraag, door: User, jaar: int, bedrag: str, soort=Boekingssoort.BETALING):
    boeking_maken(
        aanvraag=aanvraag,
        by=door,
        soort=soort,
        jaar=jaar,
        datum=BETAALD_OP,
        bedrag=Decimal(bedrag),
        referentie=f"FIN-{jaar}-{bedrag}",
    )


@pytest.fixture
def wereld(oproep, beoordelaar, beheerder) -> dict[str, Aanvraag]:
    """Two granted aanvragen with actions reported in every state an opvolgmoment can be in, one
    submitted aanvraag and one of another call (neither counts); A's amounts lowered after it
    was paid, and part of it paid back."""
    a = _toegekend(oproep, "Verband A", beoordelaar)
    a1, a2, a3, a4 = _acties(
        a, (2023, "WSE-LR1"), (2023, "WSE-LR1"), (2023, "WSE-LR2"), (2024, "WSE-LR1")
    )
    _rapport(a, 2023, Opvolgstatus.AANVAARD, {a1: G, a2: L, a3: S})
    # Being written: what it says does not count yet.
    _rapport(a, 2024, Opvolgstatus.IN_OPMAAK, {a4: G})

    b = _toegekend(oproep, "Verband B", beoordelaar)
    b1, b2, _b3 = _acties(b, (2023, "WSE-LR1"), (2024, "WSE-LR2"), (2025, "WSE-LR4"))
    _rapport(b, 2023, Opvolgstatus.INGEDIEND, {b1: U})
    # Sent back for more: not counted until it comes in again.
    _rapport(b, 2024, Opvolgstatus.MEER_GEVRAAGD, {b2: L})

    ingediend = AanvraagFactory.create(
        regieverband=RegieverbandFactory.create(naam="Verband C"), oproep=oproep, ingediend=True
    )
    _acties(ingediend, (2023, "WSE-LR1"))
    ander = _toegekend(OproepFactory.create(slug="andere-oproep"), "Verband D", beoordelaar)
    _acties(ander, (2030, "WSE-LR1"))
    _betaal(ander, beheerder, 2030, "1000")

    _betaal(a, beheerder, 2023, "50000")
    _betaal(a, beheerder, 2024, "30000")
    bedragen_herzien(
        aanvraag=a,
        by=beoordelaar,
        bedragen={2023: Decimal(40000), 2024: Decimal(50000), 2025: Decimal(50000)},
        motivatie="Een deel van 2023 werd niet besteed.",
    )
    _betaal(a, beheerder, 2023, "4000", soort=Boekingssoort.TERUGBETALING)
    _betaal(b, beheerder, 2023, "50000")
    return {"a": a, "b": b}


def test_the_actions_are_counted_by_priority_year_and_realisation(wereld, oproep):
    telling = realisaties(oproep)
    per_cel = {(r.jaar, r.code): r.aantallen for r in telling.rijen if r.aantallen}
    assert per_cel == {
        (2023, "WSE-LR1"): {G: 1, L: 1, U: 1},
        (2023, "WSE-LR2"): {S: 1},
        (2024, "WSE-LR1"): {N: 1},
        (2024, "WSE-LR2"): {N: 1},
        (2025, "WSE-LR4"): {N: 1},
    }
    # Every priority of every year has its row, empty or not.
    assert [(r.jaar, r.code) for r in telling.rijen][:5] == [
        (2023, "WSE-LR1"),
        (2023, "WSE-LR2"),
        (2023, "WSE-LR3"),
        (2023, "WSE-LR4"),
        (2024, "WSE-LR1"),
    ]
    assert [j.totaal.per_status for j in telling.jaren] == [
        [(G, 1), (L, 1), (U, 1), (S, 1), (N, 0)],
        [(G, 0), (L, 0), (U, 0), (S, 0), (N, 2)],
        [(G, 0), (L, 0), (U, 0), (S, 0), (N, 1)],
    ]
    assert telling.totaal.totaal == 7
    assert list(REALISATIESTATUSSEN) == [G, L, U, S, N]


def test_the_money_per_verband_after_a_later_decision_and_a_repayment(wereld, oproep):
    a = wereld["a"]
    # The later decision turned what was paid too much in 2023 into an amount to recover.
    assert list(Terugvordering.objects.filter(aanvraag=a).values_list("jaar", "bedrag")) == [
        (2023, Decimal("10000.00"))
    ]
    geld = geld_per_verband(oproep)
    rijen = {
        r.aanvraag.regieverband.naam: (r.toegekend, r.betaald, r.openstaand, r.terug_te_vorderen)
        for r in geld.rijen
    }
    assert rijen == {
        # 40.000 + 50.000 + 50.000; 50.000 - 4.000 + 30.000; 20.000 + 50.000; 2023: 6.000.
        "Verband A": (Decimal(140000), Decimal(76000), Decimal(70000), Decimal(6000)),
        "Verband B": (Decimal(150000), Decimal(50000), Decimal(100000), Decimal(0)),
    }
    assert [r.herzien for r in geld.rijen] == [True, False]
    assert (geld.toegekend, geld.betaald, geld.openstaand, geld.terug_te_vorderen) == (
        Decimal(290000),
        Decimal(126000),
        Decimal(170000),
        Decimal(6000),
    )
    # The same totals as the budget page's.
    budget = oproep_betalingen(oproep)
    assert (budget.toegekend, budget.betaald) == (geld.toegekend, geld.betaald)


def test_a_withdrawn_aanvraag_with_money_in_its_ledger_stays_in_the_figures(oproep, beheerder):
    verband = RegieverbandFactory.create(naam="Verband met ingetrokken aanvraag")
    aanvraag = AanvraagFactory.create(regieverband=verband, oproep=oproep, goedgekeurd=True)
    BeslissingFactory.create(aanvraag=aanvraag)
    _betaal(aanvraag, beheerder, 2023, "20000")
    Aanvraag.objects.filter(pk=aanvraag.pk).update(status="ingetrokken")
    (rij,) = geld_per_verband(oproep).rijen
    # Nothing is granted to an aanvraag that is not granted: all that was paid is to recover.
    assert (rij.toegekend, rij.betaald, rij.terug_te_vorderen) == (0, Decimal(20000), 20000)
    assert not rij.goedgekeurd
    html = client_for(beheerder).get(f"/uitvoering/{oproep.slug}/").content.decode()
    assert "Ingetrokken</span>" in html


def test_the_page_shows_both_tables_with_totals_and_both_charts(wereld, oproep, beoordelaar):
    html = client_for(beoordelaar).get(f"/uitvoering/{oproep.slug}/").content.decode()
    realisatie = html[html.index('id="realisatie"') : html.index('id="geld"')]
    assert realisatie.count("<tbody>") == 3
    assert "Totaal 2024" in realisatie
    assert '<td class="text-end fw-bold">7</td>' in realisatie  # the call's total
    assert realisatie.count('class="grafiek-segment grafiek-balk--niet_gerapporteerd"') == 3
    assert f"/export/{oproep.slug}/realisaties.xlsx" in realisatie
    geld = html[html.index('id="geld"') :]
    for bedrag in ("140.000,00", "76.000,00", "70.000,00", "6.000,00", "290.000,00", "126.000,00"):
        assert bedrag in geld
    assert "na een nieuwe beslissing over de bedragen" in geld
    assert f'href="/aanvragen/{wereld["a"].pk}/uitvoering/"' in geld
    assert geld.count('class="grafiek-segment grafiek-balk--terug"') == 1
    assert f"/export/{oproep.slug}/uitvoering.csv" in geld
    assert "Verband C" not in html and "Verband D" not in html
    # Linked from the follow-up overview of the call.
    opvolging = client_for(beoordelaar).get(f"/opvolging/{oproep.slug}/").content.decode()
    assert f'href="/uitvoering/{oproep.slug}/"' in opvolging
    budget = client_for(beoordelaar).get(f"/budget/{oproep.slug}/").content.decode()
    assert f'href="/uitvoering/{oproep.slug}/"' in budget


def test_a_call_without_grants_shows_empty_tables(oproep, beheerder):
    html = client_for(beheerder).get(f"/uitvoering/{oproep.slug}/").content.decode()
    assert "Nog geen goedgekeurde aanvragen in deze oproep." in html
    assert 'aria-labelledby="grafiek-geld"' not in html


def _xlsx(client: Client, pad: str) -> list[tuple]:
    response = client.get(pad)
    assert response.status_code == 200
    return list(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )


def _csv(client: Client, pad: str) -> list[list[str]]:
    response = client.get(pad)
    inhoud = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(inhoud), delimiter=";"))


def test_the_finance_export_per_verband_opens_with_the_right_totals(wereld, oproep, beheerder):
    client = client_for(beheerder)
    rijen = _xlsx(client, f"/export/{oproep.slug}/uitvoering.xlsx")
    assert rijen[0] == (
        "Regieverband",
        "Referentie aanvraag",
        "Status aanvraag",
        "Nieuwe beslissing over de bedragen",
        "Toegekend nu (EUR)",
        "Betaald (EUR)",
        "Nog te betalen (EUR)",
        "Terug te vorderen (EUR)",
    )
    *verbanden, totaal = rijen[1:]
    assert [r[0] for r in verbanden] == ["Verband A", "Verband B"]
    assert verbanden[0][3:] == ("ja", 140000, 76000, 70000, 6000)
    assert totaal == ("Totaal", None, None, None, 290000, 126000, 170000, 6000)
    for kolom in range(4, 8):  # every total is the sum of its column, as numbers
        assert sum(r[kolom] for r in verbanden) == totaal[kolom]
    regel = Auditregel.objects.filter(soort=Auditregel.Soort.DOWNLOAD).latest("pk")
    assert regel.gegevens["bestandsnaam"] == "regierol-uitvoering-test-uitvoering.xlsx"
    assert regel.gegevens["rijen"] == 3  # two verbanden and the total
    csv_rijen = _csv(client, f"/export/{oproep.slug}/uitvoering.csv")
    assert csv_rijen[-1] == ["Totaal", "", "", "", "290000,00", "126000,00", "170000,00", "6000,00"]
    # The same file in LibreOffice Calc: the totals are numbers and add up there too.
    *in_calc, totaal_calc = calc_leest(
        client.get(f"/export/{oproep.slug}/uitvoering.xlsx").content
    )[1:]
    assert [Decimal(c) for c in totaal_calc[4:]] == [290000, 126000, 170000, 6000]
    for kolom in range(4, 8):
        assert sum(Decimal(r[kolom]) for r in in_calc) == Decimal(totaal_calc[kolom])
    assert csv_rijen[1][:2] == ["Verband A", wereld["a"].referentie]


def test_the_analysts_export_counts_the_actions_with_a_total_row(wereld, oproep, beoordelaar):
    client = client_for(beoordelaar)
    rijen = _xlsx(client, f"/export/{oproep.slug}/realisaties.xlsx")
    assert rijen[0] == (
        "Jaar",
        "Prioriteit (code)",
        "Prioriteit",
        "Gerealiseerd",
        "Lopend",
        "Uitgesteld",
        "Geschrapt",
        "Niet gerapporteerd",
        "Totaal acties",
    )
    *data, totaal = rijen[1:]
    assert len(data) == 12  # four priorities, three years
    assert data[0] == (2023, "WSE-LR1", "Prioriteit 1", 1, 1, 1, 0, 0, 3)
    assert totaal == ("Totaal", None, None, 1, 1, 1, 1, 3, 7)
    for kolom in range(3, 9):
        assert sum(r[kolom] for r in data) == totaal[kolom]
    csv_rijen = _csv(client, f"/export/{oproep.slug}/realisaties.csv")
    assert csv_rijen[-1] == ["Totaal", "", "", "1", "1", "1", "1", "3", "7"]


@pytest.mark.parametrize(
    "pad",
    [
        "/uitvoering/{slug}/",
        "/export/{slug}/uitvoering.csv",
        "/export/{slug}/uitvoering.xlsx",
        "/export/{slug}/realisaties.csv",
        "/export/{slug}/realisaties.xlsx",
    ],
)
def test_only_wse_sees_the_figures(wereld, oproep, pad, regisseur, collega, beoordelaar, beheerder):
    """As the URL x role table says of the page and of /export/ (one pattern for every kind)."""
    url = pad.format(slug=oproep.slug)
    for wie in (regisseur, collega):
        assert client_for(wie).get(url).status_code == 404
    anoniem = client_for(None).get(url)
    assert anoniem.status_code == 302 and anoniem["Location"].startswith("/accounts/login/")
    for wie in (beoordelaar, beheerder):
        assert client_for(wie).get(url).status_code == 200


def test_a_reviewer_who_is_also_regisseur_of_a_verband_gets_no_link_to_its_aanvraag(wereld, oproep):
    verband: Regieverband = wereld["a"].regieverband
    beide = UserFactory.create(beoordelaar=True, regisseur_van=[verband])
    html = client_for(beide).get(f"/uitvoering/{oproep.slug}/").content.decode()
    assert f'href="/aanvragen/{wereld["a"].pk}/uitvoering/"' not in html
    assert f'href="/aanvragen/{wereld["b"].pk}/uitvoering/"' in html
    assert "140.000,00" in html


def _meer(oproep: Oproep, n: int, door: User, beheerder: User, begin: int) -> None:
    """n more granted aanvragen, each with an action per priority and year, a reported
    opvolgmoment, a payment and, for every other one, a later decision."""
    for i in range(begin, begin + n):
        aanvraag = _toegekend(oproep, f"Schaalverband {i:03d}", door)
        acties = _acties(aanvraag, *((j, f"WSE-LR{p}") for j in oproep.jaren for p in (1, 2)))
        _rapport(aanvraag, 2023, Opvolgstatus.AANVAARD, {a: G for a in acties if a.jaar == 2023})
        _betaal(aanvraag, beheerder, 2023, "50000")
        if i % 2:
            bedragen_herzien(
                aanvraag=aanvraag,
                by=door,
                bedragen={2023: Decimal(45000), 2024: Decimal(50000), 2025: Decimal(50000)},
                motivatie="Verzonnen.",
            )


def test_the_page_and_exports_take_as_many_queries_at_ten_times_the_aanvragen(
    oproep, beoordelaar, beheerder
):
    client = client_for(beoordelaar)
    paden = [
        f"/uitvoering/{oproep.slug}/",
        *(
            f"/export/{oproep.slug}/{s}.{f}"
            for s in ("uitvoering", "realisaties")
            for f in ("csv", "xlsx")
        ),
    ]

    def tel() -> dict[str, int]:
        uitkomst = {}
        for pad in paden:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(pad)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
            assert response.status_code == 200
            uitkomst[pad] = len(queries)
        return uitkomst

    _meer(oproep, 2, beoordelaar, beheerder, 0)
    client.get(paden[0])  # session and permissions warm
    klein = tel()
    _meer(oproep, 18, beoordelaar, beheerder, 2)
    # Again: making the data may take over a minute on a busy machine, and the first request
    # after a minute writes the session's last activity (one query more, not the page's).
    client.get(paden[0])
    groot = tel()
    assert groot == klein
    assert klein[paden[0]] == PAGINA_QUERIES, klein


# Session, user, two-step device, the user's groups, the call, the calls to choose from, the
# priorities, the actions counted, the aanvragen with money, their later decisions, their
# decisions, their payments summed, the user's own verbanden (a WSE user who is a regisseur).
PAGINA_QUERIES = 12
