"""The open data of a call read back as RDF: the OSLO classes and terms are queried as triples
(not compared as strings), and the document is validated with pyshacl against the profile's own
SHACL shapes (tests/data/oslo/, with its source in tests/data/README.md)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pyshacl import validate
from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef, namespace
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from applications.opendata.jsonld import AFWIJKINGEN
from applications.uitvoering import services as uitvoering_services
from applications.uitvoering.constants import Boekingssoort

from ..conftest import client_for
from .conftest import GEHEIM, Gepubliceerd

pytestmark = pytest.mark.django_db

SUBSIDIE = Namespace("http://data.vlaanderen.be/ns/subsidie#")
SUBSIDIE_HTTPS = Namespace("https://data.vlaanderen.be/ns/subsidie#")
M8G = Namespace("http://data.europa.eu/m8g/")
CPSV = Namespace("http://purl.org/vocab/cpsv#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SCHEMAS = Namespace("https://schema.org/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
ORG = Namespace("http://www.w3.org/ns/org#")
TRANSACTIE = Namespace("http://data.vlaanderen.be/ns/transactie#")
LBLOD = Namespace("http://lblod.data.gift/vocabularies/subsidie/")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

SHAPES = Path(__file__).parent.parent / "data" / "oslo" / "besluit-subsidie-ap-SHACL.ttl"

SH = Namespace("http://www.w3.org/ns/shacl#")
CONSUMPTIE_SHAPE = URIRef(
    "https://data.vlaanderen.be/shacl/besluit-subsidie-ap#SubsidiemaatregelConsumptieShape"
)


def _rol_pad(shapes: Graph) -> None:
    """The draft spells the participation role path data.europe.eu: europa, as in CPSV."""
    fout, goed = URIRef("http://data.europe.eu/m8g/role"), M8G.role
    for s, p, _o in list(shapes.triples((None, SH.path, fout))):
        shapes.remove((s, p, fout))
        shapes.add((s, p, goed))


def _produceert_of(shapes: Graph) -> None:
    """The consumption produces a FinanciëleTransactie or a SubsidieToekenningsbesluit: the
    draft's two sh:class shapes on one path, each required of every value, become one sh:or."""
    for eigenschap in list(shapes.objects(CONSUMPTIE_SHAPE, SH.property)):
        if shapes.value(eigenschap, SH.path) != CPSV.produces:
            continue
        klasse = shapes.value(eigenschap, SH["class"])
        shapes.remove((eigenschap, SH["class"], klasse))
        keuzes: list[Node] = []
        for k in (SUBSIDIE["FinanciëleTransactie"], SUBSIDIE.SubsidieToekenningsbesluit):
            keuze = BNode()
            shapes.add((keuze, SH["class"], k))
            keuzes.append(keuze)
        lijst = BNode()
        Collection(shapes, lijst, keuzes)
        shapes.add((eigenschap, SH["or"], lijst))


# Each departure from the draft's shapes, by the key of `jsonld.AFWIJKINGEN` (also listed in the
# README, "API and open data"): how the test corrects the shapes, and the path the draft, as
# published, reports for it.
CORRECTIES = {
    "m8g:role": (_rol_pad, URIRef("http://data.europe.eu/m8g/role")),
    "cpsv:produces": (_produceert_of, CPSV.produces),
}


def _graaf(client: Client, url: str) -> Graph:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    # The context is in the document: parsing needs no network (a remote context would fail here).
    document = json.loads(response.content)
    assert isinstance(document["@context"], dict)
    return Graph().parse(data=response.content, format="json-ld")


def _shapes(gecorrigeerd: bool) -> Graph:
    shapes = Graph().parse(SHAPES, format="turtle")
    if gecorrigeerd:
        for correctie, _pad in CORRECTIES.values():
            correctie(shapes)
    return shapes


@pytest.fixture
def graaf(gepubliceerd: Gepubliceerd) -> Graph:
    return _graaf(Client(), "/open-data/gepubliceerd-test/subsidies.jsonld")


def test_every_departure_from_the_shapes_is_listed():
    assert set(CORRECTIES) == set(AFWIJKINGEN)
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "http://data.europe.eu/m8g/role" in readme
    assert "FinanciëleTransactie" in readme and "SubsidieToekenningsbesluit" in readme


def test_the_document_conforms_to_the_profile_shapes_with_the_listed_corrections(graaf):
    conforms, _graph, rapport = validate(graaf, shacl_graph=_shapes(gecorrigeerd=True))
    assert conforms, rapport


def test_against_the_draft_as_published_only_the_listed_departures_fail(graaf):
    """The draft's own shapes fail only where the draft is wrong: the participation role path
    it misspells finds no value, and the decision a consumption produces is no payment."""
    conforms, rapport, _tekst = validate(graaf, shacl_graph=_shapes(gecorrigeerd=False))
    assert not conforms
    paden = {
        rapport.value(r, SH.resultPath) for r in rapport.subjects(RDF.type, SH.ValidationResult)
    }
    assert paden == {pad for _correctie, pad in CORRECTIES.values()}


def test_the_call_is_an_aanbod_with_authority_steps_budget_criteria_and_reglement(graaf):
    aanbod = graaf.value(predicate=RDF.type, object=SUBSIDIE.SubsidiemaatregelAanbod)
    assert aanbod is not None
    assert (aanbod, RDF.type, CPSV.PublicService) in graaf
    titel = graaf.value(aanbod, DCTERMS.title)
    assert titel.language == "nl"
    wse = graaf.value(aanbod, M8G.hasCompetentAuthority)
    assert (wse, RDF.type, M8G.PublicOrganisation) in graaf
    assert str(graaf.value(wse, SKOS.prefLabel)) == "Departement Werk en Sociale Economie"
    stappen = list(graaf.objects(aanbod, CPSV.follows))
    assert len(stappen) == 3
    assert all((s, RDF.type, SUBSIDIE.Subsidieprocedurestap) in graaf for s in stappen)
    budget = graaf.value(aanbod, SUBSIDIE.biedtAan)
    assert graaf.value(budget, SUBSIDIE.bedrag).toPython() == 3000000.0
    codes = {
        str(graaf.value(graaf.value(c, ADMS.identifier), SKOS.notation))
        for c in graaf.objects(aanbod, M8G.hasCriterion)
    }
    assert codes == {"WSE-LR1", "WSE-LR2", "WSE-LR3", "WSE-LR4"}
    reglement = graaf.value(aanbod, M8G.hasFormalFramework)
    assert (reglement, RDF.type, SUBSIDIE.Subsidiereglement) in graaf
    assert graaf.value(reglement, ELI.date_document) == Literal(
        "2022-04-29", datatype=namespace.XSD.date
    )
    reeks = graaf.value(aanbod, DCTERMS.hasPart)
    assert (reeks, RDF.type, LBLOD.SubsidiemaatregelAanbodReeks) in graaf


def _toegekend(graaf: Graph) -> dict[tuple[str, int], Decimal]:
    """(verband name, year) -> granted amount, read through the triples."""
    rijen: list[Any] = list(
        graaf.query(
            """
        SELECT ?naam ?begin ?bedrag WHERE {
          ?c a subsidie:SubsidiemaatregelConsumptie ;
             transactie:isInstantieVan ?aanbod ;
             m8g:hasParticipation ?deelname ;
             cpsv:produces ?besluit .
          ?aanbod a subsidie:SubsidiemaatregelAanbod .
          ?deelname m8g:role ?rol .
          ?rol skos:prefLabel "Aanvrager"@nl .
          ?verband m8g:playsRole ?deelname ; skos:prefLabel ?naam .
          ?besluit a subsidie:SubsidieToekenningsbesluit ; eli:realizes ?t .
          ?t a subsidie:SubsidieToekenning ;
             subsidie:over ?c ;
             dcterms:temporal/m8g:startTime ?begin ;
             subsidie:toegekendBedrag ?geld .
          ?geld a schemas:MonetaryAmount ; schemas:value ?bedrag ; schemas:currency "EUR" .
        }
        """,
            initNs={
                "subsidie": SUBSIDIE,
                "transactie": TRANSACTIE,
                "m8g": M8G,
                "cpsv": CPSV,
                "skos": SKOS,
                "eli": ELI,
                "dcterms": DCTERMS,
                "schemas": SCHEMAS,
            },
        )
    )
    return {
        (str(r.naam), r.begin.toPython().year): Decimal(str(r.bedrag.toPython())) for r in rijen
    }


def test_one_toekenning_per_year_with_the_decided_amounts(graaf, gepubliceerd):
    jaren = gepubliceerd.oproep.jaren
    assert _toegekend(graaf) == {
        **{
            ("Maasland (test)", j): Decimal(b)
            for j, b in zip(jaren, ["40000", "45000", "50000"], strict=True)
        },
        **{("Mijntrio (test)", j): Decimal("30000") for j in jaren},
    }


def test_a_later_decision_on_the_amounts_is_what_is_published(gepubliceerd, beoordelaar):
    """Granted now, as the ledger and the API say it: the newest later decision, with its
    date; the JSON-LD and the CSV agree (the page shows the CSV's figures: tested below)."""
    jaren = gepubliceerd.oproep.jaren
    uitvoering_services.bedragen_herzien(
        aanvraag=gepubliceerd.maasland,
        by=beoordelaar,
        bedragen=dict(zip(jaren, [Decimal(40000), Decimal(45000), Decimal(20000)], strict=True)),
        motivatie="Verzonnen: minder acties in het laatste jaar.",
        now=timezone.make_aware(datetime.datetime(2031, 6, 1, 10, 0)),
    )
    graaf = _graaf(Client(), "/open-data/gepubliceerd-test/subsidies.jsonld")
    assert _toegekend(graaf)[("Maasland (test)", jaren[-1])] == Decimal(20000)
    assert _toegekend(graaf)[("Maasland (test)", jaren[0])] == Decimal(40000)
    regels = Client().get("/open-data/gepubliceerd-test/subsidies.csv").content.decode("utf-8-sig")
    laatste = next(
        r.split(";")
        for r in regels.splitlines()
        if r.startswith("gepubliceerd-test;Maasland") and f";{jaren[-1]};" in r
    )
    assert (laatste[6], laatste[7]) == ("20000,00", "2031-06-01")


def test_members_by_nis_code_and_the_trekker(graaf):
    rijen = graaf.query(
        """
        SELECT ?naam ?nis WHERE {
          ?verband skos:prefLabel ?naam ; org:hasMember ?lid .
          ?lid adms:identifier/skos:notation ?nis .
        }
        """,
        initNs={"skos": SKOS, "org": ORG, "adms": ADMS},
    )
    leden: dict[str, set[str]] = {}
    for r in rijen:
        leden.setdefault(str(r.naam), set()).add(str(r.nis))
    assert leden == {
        "Maasland (test)": {"72018", "73107"},
        "Mijntrio (test)": {"71004", "71070", "72039"},
    }
    trekkers = graaf.query(
        """
        SELECT ?nis WHERE {
          ?deelname m8g:role/skos:prefLabel "Trekker"@nl .
          ?bestuur m8g:playsRole ?deelname ; adms:identifier/skos:notation ?nis .
        }
        """,
        initNs={"skos": SKOS, "m8g": M8G, "adms": ADMS},
    )
    assert {str(r.nis) for r in trekkers} == {"71004"}


def test_no_paid_amount_while_nothing_was_paid(graaf):
    assert not list(graaf.triples((None, SUBSIDIE_HTTPS.uitgekeerdBedrag, None)))
    assert not list(graaf.subjects(RDF.type, SUBSIDIE["FinanciëleTransactie"]))


def _boek(aanvraag, by, soort: str, jaar: int, bedrag: str, dag: datetime.date) -> None:
    uitvoering_services.boeking_maken(
        aanvraag=aanvraag,
        by=by,
        soort=Boekingssoort(soort),
        jaar=jaar,
        datum=dag,
        bedrag=Decimal(bedrag),
        referentie=f"REF-{GEHEIM}",
        toelichting=f"Toelichting {GEHEIM}",
    )


@pytest.fixture
def betaald(gepubliceerd: Gepubliceerd, beheerder) -> Gepubliceerd:
    """Maasland, first year: 20,000 paid, 5,000 corrected, 10,000 paid later (25,000 on
    2026-06-15); second year 45,000. The trio's first-year payment was corrected to nothing."""
    eerste, tweede, _derde = gepubliceerd.oproep.jaren
    maasland, trio = gepubliceerd.maasland, gepubliceerd.trio
    _boek(maasland, beheerder, "betaling", eerste, "20000", datetime.date(2026, 2, 1))
    _boek(maasland, beheerder, "correctie", eerste, "5000", datetime.date(2026, 7, 1))
    _boek(maasland, beheerder, "betaling", eerste, "10000", datetime.date(2026, 6, 15))
    _boek(maasland, beheerder, "betaling", tweede, "45000", datetime.date(2026, 3, 1))
    _boek(trio, beheerder, "betaling", eerste, "30000", datetime.date(2026, 2, 1))
    _boek(trio, beheerder, "correctie", eerste, "30000", datetime.date(2026, 2, 2))
    return gepubliceerd


def _betaald(graaf: Graph) -> dict[tuple[str, int], tuple[Decimal, datetime.date]]:
    """(verband name, year) -> (paid, date), read through the triples: the consumption produces
    a FinanciëleTransactie that requires the year's toekenning and has the https-form
    uitgekeerdBedrag."""
    rijen: list[Any] = list(
        graaf.query(
            """
        SELECT ?naam ?begin ?bedrag ?datum WHERE {
          ?c a subsidie:SubsidiemaatregelConsumptie ;
             m8g:hasParticipation ?deelname ;
             cpsv:produces ?transactie .
          ?deelname m8g:role/skos:prefLabel "Aanvrager"@nl .
          ?verband m8g:playsRole ?deelname ; skos:prefLabel ?naam .
          ?transactie a subsidie:FinanciëleTransactie ;
             subsidie:transactiedatum ?datum ;
             dcterms:requires ?t ;
             register:uitgekeerdBedrag ?geld .
          ?t a subsidie:SubsidieToekenning ; subsidie:over ?c ;
             dcterms:temporal/m8g:startTime ?begin .
          ?geld a schemas:MonetaryAmount ; schemas:value ?bedrag ; schemas:currency "EUR" .
        }
        """,
            initNs={
                "subsidie": SUBSIDIE,
                "register": SUBSIDIE_HTTPS,
                "m8g": M8G,
                "cpsv": CPSV,
                "skos": SKOS,
                "dcterms": DCTERMS,
                "schemas": SCHEMAS,
            },
        )
    )
    return {
        (str(r.naam), r.begin.toPython().year): (
            Decimal(str(r.bedrag.toPython())),
            r.datum.toPython(),
        )
        for r in rijen
    }


def test_what_the_ledger_says_was_paid_per_verband_and_year(betaald):
    eerste, tweede, _derde = betaald.oproep.jaren
    graaf = _graaf(Client(), "/open-data/gepubliceerd-test/subsidies.jsonld")
    assert _betaald(graaf) == {
        ("Maasland (test)", eerste): (Decimal("25000"), datetime.date(2026, 6, 15)),
        ("Maasland (test)", tweede): (Decimal("45000"), datetime.date(2026, 3, 1)),
    }
    # Only the https form of the term, as the shape has it; never the http one.
    assert not list(graaf.triples((None, SUBSIDIE.uitgekeerdBedrag, None)))
    assert len(list(graaf.subjects(RDF.type, SUBSIDIE["FinanciëleTransactie"]))) == 2
    # Granted stays what the decisions say.
    assert _toegekend(graaf)[("Maasland (test)", eerste)] == Decimal("40000")


def test_with_payments_the_document_still_conforms_with_only_the_listed_corrections(betaald):
    graaf = _graaf(Client(), "/open-data/gepubliceerd-test/subsidies.jsonld")
    conforms, _graph, rapport = validate(graaf, shacl_graph=_shapes(gecorrigeerd=True))
    assert conforms, rapport
    conforms, rapport_graaf, _tekst = validate(graaf, shacl_graph=_shapes(gecorrigeerd=False))
    assert not conforms
    paden = {
        rapport_graaf.value(r, SH.resultPath)
        for r in rapport_graaf.subjects(RDF.type, SH.ValidationResult)
    }
    assert paden == {pad for _correctie, pad in CORRECTIES.values()}


def test_a_transaction_without_its_amount_date_or_toekenning_fails_the_shape(betaald):
    """The shapes do check the transactions: take one term away and validation fails on it."""
    for pad in (
        SUBSIDIE_HTTPS.uitgekeerdBedrag,
        SUBSIDIE.transactiedatum,
        DCTERMS.requires,
    ):
        graaf = _graaf(Client(), "/open-data/gepubliceerd-test/subsidies.jsonld")
        graaf.remove((None, pad, None))
        conforms, rapport, _tekst = validate(graaf, shacl_graph=_shapes(gecorrigeerd=True))
        assert not conforms
        assert {
            rapport.value(r, SH.resultPath) for r in rapport.subjects(RDF.type, SH.ValidationResult)
        } == {pad}


def test_the_csv_and_the_page_show_paid_beside_granted(betaald):
    eerste, tweede, derde = betaald.oproep.jaren
    regels = (
        Client().get("/open-data/gepubliceerd-test/subsidies.csv").content.decode("utf-8-sig")
    ).splitlines()
    kop = regels[0].split(";")
    uit_csv = {
        (k[1], int(k[5])): (k[kop.index("toegekend_eur")], k[kop.index("betaald_eur")])
        for k in (r.split(";") for r in regels[1:])
    }
    assert uit_csv[("Maasland (test)", eerste)] == ("40000,00", "25000,00")
    assert uit_csv[("Maasland (test)", tweede)] == ("45000,00", "45000,00")
    assert uit_csv[("Maasland (test)", derde)] == ("50000,00", "0,00")
    assert uit_csv[("Mijntrio (test)", eerste)] == ("30000,00", "0,00")
    response = Client().get("/open-data/gepubliceerd-test/")
    rijen = {r.aanvraag.regieverband.naam: r for r in response.context["rijen"]}
    assert rijen["Maasland (test)"].totaal_betaald == Decimal("70000")
    assert rijen["Mijntrio (test)"].totaal_betaald == Decimal(0)
    assert response.context["totaal_betaald"] == Decimal("70000")
    assert response.context["totalen_per_jaar"][0] == (eerste, Decimal("70000"), Decimal("25000"))
    html = response.content.decode()
    assert "betaald € 25.000,00" in html
    assert "betaald € 70.000,00" in html
    for url in (
        "/open-data/gepubliceerd-test/subsidies.jsonld",
        "/open-data/gepubliceerd-test/subsidies.csv",
        "/open-data/gepubliceerd-test/",
    ):
        tekst = Client().get(url).content.decode("utf-8-sig")
        assert GEHEIM not in tekst  # no references or explanations of single bookings


def test_refused_and_undecided_aanvragen_and_private_data_stay_out(gepubliceerd):
    client = Client()
    for url in (
        "/open-data/gepubliceerd-test/subsidies.jsonld",
        "/open-data/gepubliceerd-test/subsidies.csv",
        "/open-data/gepubliceerd-test/",
        "/open-data/catalog.jsonld",
    ):
        tekst = client.get(url).content.decode("utf-8-sig")
        assert GEHEIM not in tekst
        assert GEHEIM.lower() not in tekst
        assert "Afgewezen verband" not in tekst
        assert "Lopend verband" not in tekst


def test_a_call_not_published_has_no_open_data(gepubliceerd):
    gepubliceerd.oproep.beslissingen_gepubliceerd = False
    gepubliceerd.oproep.save()
    client = Client()
    for suffix in ("", "subsidies.jsonld", "subsidies.csv"):
        assert client.get(f"/open-data/gepubliceerd-test/{suffix}").status_code == 404
    catalogus = _graaf(client, "/open-data/catalog.jsonld")
    assert not list(catalogus.subjects(RDF.type, DCAT.Dataset))


def test_the_catalogue_describes_each_published_call_with_two_distributions(gepubliceerd):
    catalogus = _graaf(Client(), "/open-data/catalog.jsonld")
    (dataset,) = catalogus.subjects(RDF.type, DCAT.Dataset)
    assert (None, DCAT.dataset, dataset) in catalogus
    urls = {
        str(catalogus.value(d, DCAT.downloadURL))
        for d in catalogus.objects(dataset, DCAT.distribution)
    }
    assert urls == {
        "http://testserver/open-data/gepubliceerd-test/subsidies.jsonld",
        "http://testserver/open-data/gepubliceerd-test/subsidies.csv",
    }


def test_the_csv_has_a_row_per_verband_and_year_with_the_same_figures(graaf, gepubliceerd):
    response = Client().get("/open-data/gepubliceerd-test/subsidies.csv")
    regels = response.content.decode("utf-8-sig").splitlines()
    assert regels[0].split(";") == [
        "oproep",
        "regieverband",
        "trekker_nis_code",
        "trekker",
        "leden_nis_codes",
        "jaar",
        "toegekend_eur",
        "beslist_op",
        "betaald_eur",
    ]
    uit_csv = {
        (kolom[1], int(kolom[5])): Decimal(kolom[6].replace(",", "."))
        for kolom in (r.split(";") for r in regels[1:])
    }
    assert uit_csv == _toegekend(graaf)
    trio = next(r.split(";") for r in regels[1:] if r.startswith("gepubliceerd-test;Mijntrio"))
    assert trio[2:5] == ["71004", "Beringen", "71004 71070 72039"]


def test_the_public_page_shows_the_same_figures(gepubliceerd):
    response = Client().get("/open-data/gepubliceerd-test/")
    assert response.status_code == 200
    rijen = {r.aanvraag.regieverband.naam: r for r in response.context["rijen"]}
    assert set(rijen) == {"Maasland (test)", "Mijntrio (test)"}
    assert rijen["Maasland (test)"].totaal == Decimal("135000")
    assert response.context["totaal"] == Decimal("225000")
    gedekt = {
        g.bestuur.nis_code: [a.regieverband.naam for a in g.aanvragen]
        for g in response.context["dekking"].gemeenten
        if g.gedekt
    }
    assert gedekt == {
        "72018": ["Maasland (test)"],
        "73107": ["Maasland (test)"],
        "71004": ["Mijntrio (test)"],
        "71070": ["Mijntrio (test)"],
        "72039": ["Mijntrio (test)"],
    }


def test_a_shared_cache_keeps_the_page_only_as_anonymous_visitors_see_it(gepubliceerd, regisseur):
    assert Client().get("/open-data/gepubliceerd-test/")["Cache-Control"] == "public, max-age=300"
    ingelogd = client_for(regisseur).get("/open-data/gepubliceerd-test/")
    assert ingelogd.status_code == 200
    assert ingelogd["Cache-Control"] == "private, no-cache"
