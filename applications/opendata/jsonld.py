"""The granted subsidies of a call, and what was paid of them, as JSON-LD in the terms of the
OSLO application profile "Besluit Subsidie" (draft standard of 2 December 2019), used as its
SHACL shapes use them.

Namespace trap: the profile's terms are under `http://data.vlaanderen.be/ns/subsidie#` (http);
the older Subsidieregister terms (paid amount `uitgekeerdBedrag`) under the https form. Money is
`https://schema.org/MonetaryAmount`, as the shapes have it (not http://schema.org/).

Where this document departs from the shapes, it is because the draft is wrong; each departure is
in `AFWIJKINGEN` (and in the README, and checked in tests/opendata/test_jsonld.py).

The context is inline: the document reads offline, without fetching a remote context. Every
node has an IRI under the page of the call (`.../open-data/<call>/#...`).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from applications.opendata.selectors import Toekenning
from applications.oproepen.models import Oproep

CONTEXT: dict[str, str] = {
    "subsidie": "http://data.vlaanderen.be/ns/subsidie#",
    # The Subsidieregister's terms (https): only `uitgekeerdBedrag`, as the profile's shape of a
    # FinanciëleTransactie uses it.
    "subsidieregister": "https://data.vlaanderen.be/ns/subsidie#",
    "transactie": "http://data.vlaanderen.be/ns/transactie#",
    "besluit": "http://data.vlaanderen.be/ns/besluit#",
    "mobiliteit": "https://data.vlaanderen.be/ns/mobiliteit#",
    "lblodsubsidie": "http://lblod.data.gift/vocabularies/subsidie/",
    "cpsv": "http://purl.org/vocab/cpsv#",
    "m8g": "http://data.europa.eu/m8g/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "adms": "http://www.w3.org/ns/adms#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schemas": "https://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

# Where the document departs from the profile's SHACL shapes, and why.
AFWIJKINGEN: dict[str, str] = {
    "m8g:role": (
        "ParticipatieShape spells the path of a participation's role "
        "`http://data.europe.eu/m8g/role` ('europe'); the term of the Core Public Service "
        "vocabulary is `http://data.europa.eu/m8g/role`, which this document uses."
    ),
    "cpsv:produces": (
        "SubsidiemaatregelConsumptieShape has two property shapes on `cpsv:produces`, one with "
        "sh:class subsidie:FinanciëleTransactie and one with sh:class "
        "subsidie:SubsidieToekenningsbesluit. In SHACL each one holds for every value, so no "
        "value can pass both; the profile's model means either class (sh:or). A consumption "
        "here produces its SubsidieToekenningsbesluit and, per year in which something was "
        "paid, a FinanciëleTransactie."
    ),
}

WSE_NAAM = "Departement Werk en Sociale Economie"
REGLEMENT = (
    "Besluit van de Vlaamse Regering van 29 april 2022 over de lokale regierol sociale economie "
    "en werk (ter uitvoering van het decreet van 17 februari 2012, artikel 15)"
)
REGLEMENT_DATUM = datetime.date(2022, 4, 29)


def _taal(tekst: str) -> dict[str, str]:
    return {"@value": tekst, "@language": "nl"}


def _getypeerd(waarde: str, datatype: str) -> dict[str, str]:
    return {"@value": waarde, "@type": datatype}


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


def _geld(bedrag: Decimal) -> dict[str, Any]:
    return {
        "@type": "schemas:MonetaryAmount",
        "schemas:value": _getypeerd(f"{bedrag:.2f}", "xsd:decimal"),
        "schemas:currency": "EUR",
    }


def _tijdstip(dag: datetime.date, einde: bool) -> dict[str, str]:
    """The first or the last second of a day in Brussels, as xsd:dateTime with its offset."""
    tijd = datetime.time(23, 59, 59) if einde else datetime.time(0, 0, 0)
    moment = timezone.make_aware(datetime.datetime.combine(dag, tijd))
    return _getypeerd(moment.isoformat(), "xsd:dateTime")


def _periode(van: datetime.date, tot: datetime.date) -> dict[str, Any]:
    return {
        "@type": "m8g:PeriodOfTime",
        "m8g:startTime": _tijdstip(van, einde=False),
        "m8g:endTime": _tijdstip(tot, einde=True),
    }


def _oproepperiode(oproep: Oproep) -> dict[str, Any]:
    return _periode(
        datetime.date(oproep.eerste_jaar, 1, 1), datetime.date(oproep.laatste_jaar, 12, 31)
    )


def _identificator(notatie: str, agentschap: str) -> dict[str, Any]:
    return {"@type": "adms:Identifier", "skos:notation": notatie, "adms:schemaAgency": agentschap}


def _euro(bedrag: Decimal) -> str:
    """An amount as Dutch text: 3.000.000,00 EUR."""
    tekst = f"{bedrag:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return f"{tekst} EUR"


def _aanbod(oproep: Oproep, basis: str) -> list[dict[str, Any]]:
    """The call as SubsidiemaatregelAanbod with its series, steps, budget, criteria (the
    priorities), competent authority and reglement."""
    deadline = timezone.localtime(oproep.deadline)
    periode = f"{oproep.eerste_jaar}\N{EN DASH}{oproep.laatste_jaar}"
    stappen = [
        {
            "@id": f"{basis}#stap-indiening",
            "@type": "subsidie:Subsidieprocedurestap",
            "dcterms:description": (
                f"Indiening van de aanvraag door het regieverband, uiterlijk op "
                f"{deadline:%d-%m-%Y om %H:%M} (Brusselse tijd)."
            ),
        },
        {
            "@id": f"{basis}#stap-beoordeling",
            "@type": "subsidie:Subsidieprocedurestap",
            "dcterms:description": (
                f"Beoordeling van de aanvraag en beslissing door het {WSE_NAAM}."
            ),
        },
        {
            "@id": f"{basis}#stap-uitvoering",
            "@type": "subsidie:Subsidieprocedurestap",
            "dcterms:description": f"Uitvoering van het meerjarenplan {periode}.",
            "mobiliteit:periode": _oproepperiode(oproep),
        },
    ]
    criteria = []
    for p in oproep.prioriteiten.all():
        n = oproep.min_acties_per_prioriteit_per_jaar
        criteria.append(
            {
                "@id": f"{basis}#criterium-{p.code}",
                "@type": "m8g:Criterion",
                "dcterms:title": f"{p.code} {p.titel}",
                "adms:identifier": _identificator(p.code, WSE_NAAM),
                "subsidie:toepasbaarVoorBeslissing": _ref(f"{basis}#beslissing-toekenning"),
                "m8g:fulfilledByRequirementGroup": {
                    "@id": f"{basis}#vereisten-{p.code}",
                    "@type": "m8g:RequirementGroup",
                    "m8g:hasCriterionRequirement": {
                        "@id": f"{basis}#vereiste-{p.code}",
                        "@type": "m8g:CriterionRequirement",
                        "dcterms:description": (
                            f"Het meerjarenplan telt minstens {n} actie(s) voor deze "
                            f"beleidsprioriteit in elk jaar van de periode {periode}."
                        ),
                        "m8g:applicableInPeriodOfTime": _oproepperiode(oproep),
                    },
                },
            }
        )
    return [
        {
            "@id": f"{basis}#aanbod",
            "@type": ["subsidie:SubsidiemaatregelAanbod", "cpsv:PublicService"],
            "dcterms:title": _taal(oproep.naam),
            **({"dcterms:description": oproep.beschrijving} if oproep.beschrijving else {}),
            "m8g:hasCompetentAuthority": {
                "@id": f"{basis}#wse",
                "@type": "m8g:PublicOrganisation",
                "skos:prefLabel": _taal(WSE_NAAM),
            },
            "m8g:hasFormalFramework": {
                "@id": f"{basis}#reglement",
                "@type": "subsidie:Subsidiereglement",
                "dcterms:description": REGLEMENT,
                "eli:date_document": _getypeerd(REGLEMENT_DATUM.isoformat(), "xsd:date"),
            },
            "cpsv:follows": stappen,
            "subsidie:biedtAan": {
                "@id": f"{basis}#budget",
                "@type": "subsidie:Subsidiebedrag",
                "schemas:name": "Budget per jaar",
                "subsidie:bedrag": _getypeerd(str(float(oproep.jaarbudget)), "xsd:double"),
                "subsidie:bedragString": (
                    f"{_euro(oproep.jaarbudget)} per jaar ({periode}) voor alle "
                    f"regieverbanden samen"
                ),
            },
            "m8g:hasCriterion": criteria,
            # The Subsidiepunt's series of a call: here one round, the call's period.
            "dcterms:hasPart": {
                "@id": f"{basis}#reeks",
                "@type": "lblodsubsidie:SubsidiemaatregelAanbodReeks",
                "dcterms:title": _taal(f"{oproep.naam} ({periode})"),
                "mobiliteit:periode": _oproepperiode(oproep),
            },
        },
        {
            "@id": f"{basis}#beslissing-toekenning",
            "@type": "skos:Concept",
            "skos:prefLabel": _taal("Toekenning"),
        },
        {
            "@id": f"{basis}#rol-aanvrager",
            "@type": "skos:Concept",
            "skos:prefLabel": _taal("Aanvrager"),
        },
        {
            "@id": f"{basis}#rol-trekker",
            "@type": "skos:Concept",
            "skos:prefLabel": _taal("Trekker"),
        },
    ]


def _bestuur(basis: str, bestuur: Any) -> dict[str, Any]:
    return {
        "@id": f"{basis}#bestuur-{bestuur.nis_code}",
        "@type": ["dcterms:Agent", "besluit:Bestuurseenheid"],
        "skos:prefLabel": _taal(bestuur.naam),
        "adms:identifier": _identificator(bestuur.nis_code, "Statbel (NIS-code)"),
    }


def _consumptie(basis: str, rij: Toekenning) -> list[dict[str, Any]]:
    """One verband's take-up: its participation as applicant (and its trekker's), the
    aanvraag, the decision and one SubsidieToekenning per year."""
    aanvraag = rij.aanvraag
    verband = aanvraag.regieverband
    sleutel = f"{aanvraag.pk}"
    consumptie = f"{basis}#consumptie-{sleutel}"
    deelnames: list[dict[str, Any]] = [
        {
            "@id": f"{basis}#deelname-{sleutel}-aanvrager",
            "@type": "m8g:Participation",
            "m8g:role": _ref(f"{basis}#rol-aanvrager"),
            "dcterms:description": f"Aanvrager: regieverband {verband.naam}",
        }
    ]
    knopen: list[dict[str, Any]] = [_bestuur(basis, b) for b in rij.leden]
    verband_knoop: dict[str, Any] = {
        "@id": f"{basis}#verband-{verband.pk}",
        "@type": "dcterms:Agent",
        "skos:prefLabel": _taal(verband.naam),
        "m8g:playsRole": _ref(f"{basis}#deelname-{sleutel}-aanvrager"),
        "org:hasMember": [_ref(f"{basis}#bestuur-{b.nis_code}") for b in rij.leden],
    }
    knopen.append(verband_knoop)
    if rij.trekker is not None:
        deelnames.append(
            {
                "@id": f"{basis}#deelname-{sleutel}-trekker",
                "@type": "m8g:Participation",
                "m8g:role": _ref(f"{basis}#rol-trekker"),
                "dcterms:description": f"Trekker van regieverband {verband.naam}",
            }
        )
        trekker = _bestuur(basis, rij.trekker)
        trekker["m8g:playsRole"] = _ref(f"{basis}#deelname-{sleutel}-trekker")
        knopen = [k for k in knopen if k["@id"] != trekker["@id"]] + [trekker]
    toekenningen = [
        {
            "@id": f"{basis}#toekenning-{sleutel}-{jaar}",
            "@type": ["subsidie:SubsidieToekenning", "subsidie:Subsidiebeslissing"],
            "subsidie:over": _ref(consumptie),
            "dcterms:description": f"Toegekend aan {verband.naam} voor {jaar}",
            "dcterms:temporal": _periode(datetime.date(jaar, 1, 1), datetime.date(jaar, 12, 31)),
            "subsidie:toegekendBedrag": _geld(bedrag),
        }
        for jaar, bedrag in rij.bedragen.items()
    ]
    # What the ledger says was paid per year (payments less corrections and repayments), one
    # transaction per year, dated on the year's last payment; it requires that year's toekenning.
    transacties = [
        {
            "@id": f"{basis}#betaling-{sleutel}-{jaar}",
            "@type": "subsidie:FinanciëleTransactie",
            "dcterms:description": (
                f"Uitbetaald aan {verband.naam} voor {jaar}: betalingen min correcties en "
                f"terugbetalingen (laatste betaling op {betaald.laatste_betaling:%d-%m-%Y})"
            ),
            "subsidie:transactiedatum": _getypeerd(
                betaald.laatste_betaling.isoformat(), "xsd:date"
            ),
            "dcterms:requires": _ref(f"{basis}#toekenning-{sleutel}-{jaar}"),
            "subsidieregister:uitgekeerdBedrag": _geld(betaald.bedrag),
        }
        for jaar, betaald in rij.betalingen.items()
    ]
    aanvraag_knoop: dict[str, Any] = {
        "@id": f"{basis}#aanvraag-{sleutel}",
        "@type": ["subsidie:Aanvraag", "prov:Activity"],
    }
    if rij.ingediend_op is not None:
        aanvraag_knoop["subsidie:aanvraagdatum"] = _getypeerd(
            rij.ingediend_op.isoformat(), "xsd:date"
        )
    return [
        {
            "@id": consumptie,
            "@type": "subsidie:SubsidiemaatregelConsumptie",
            "transactie:isInstantieVan": _ref(f"{basis}#aanbod"),
            "m8g:hasParticipation": deelnames,
            "prov:wasGeneratedBy": aanvraag_knoop,
            "cpsv:produces": [
                {
                    "@id": f"{basis}#besluit-{sleutel}",
                    "@type": "subsidie:SubsidieToekenningsbesluit",
                    "adms:identifier": _identificator(aanvraag.referentie, WSE_NAAM),
                    "eli:date_document": _getypeerd(rij.beslist_op.isoformat(), "xsd:date"),
                    "eli:realizes": toekenningen,
                },
                *transacties,
            ],
        },
        *knopen,
    ]


def subsidies_document(oproep: Oproep, rijen: list[Toekenning], basis: str) -> dict[str, Any]:
    """The whole JSON-LD document of a call: `basis` is the absolute URL of its open-data page.

    A bestuur that is a member of two verbanden appears once per verband with the same IRI, which
    RDF merges."""
    graaf = _aanbod(oproep, basis)
    for rij in rijen:
        graaf.extend(_consumptie(basis, rij))
    return {"@context": CONTEXT, "@graph": graaf}


def catalogus_document(datasets: list[dict[str, Any]], basis: str) -> dict[str, Any]:
    """The DCAT catalogue of the portal's open data: one dataset per published call, each with
    its JSON-LD and CSV distributions. `datasets` hold slug, naam, pagina, jsonld and csv."""
    context = {
        **CONTEXT,
        "dcat": "http://www.w3.org/ns/dcat#",
        "foaf": "http://xmlns.com/foaf/0.1/",
    }
    return {
        "@context": context,
        "@graph": [
            {
                "@id": f"{basis}#catalogus",
                "@type": "dcat:Catalog",
                "dcterms:title": _taal(
                    "Open data van het portaal lokale regierol sociale economie en werk"
                ),
                "dcterms:description": _taal(
                    "Toegekende subsidies lokale regierol sociale economie en werk, per oproep "
                    "waarvan de beslissingen gepubliceerd zijn."
                ),
                "dcterms:publisher": {
                    "@id": f"{basis}#wse",
                    "@type": ["foaf:Agent", "m8g:PublicOrganisation"],
                    "foaf:name": _taal(WSE_NAAM),
                },
                "dcat:dataset": [
                    {
                        "@id": f"{d['pagina']}#dataset",
                        "@type": "dcat:Dataset",
                        "dcterms:title": _taal(f"Toegekende subsidies {d['naam']}"),
                        "dcterms:description": _taal(
                            "Per regieverband: naam, trekker, leden (NIS-code), het "
                            "toegekende bedrag per jaar volgens de beslissingen van het "
                            f"{WSE_NAAM}, en wat daarvan per jaar betaald is."
                        ),
                        "dcterms:identifier": d["slug"],
                        "dcterms:publisher": _ref(f"{basis}#wse"),
                        "dcterms:temporal": _periode(d["van"], d["tot"]),
                        "dcat:landingPage": _ref(d["pagina"]),
                        "dcterms:conformsTo": _ref(
                            "https://data.vlaanderen.be/doc/applicatieprofiel/besluit-subsidie/ontwerpstandaard/"
                            "2019-12-02"
                        ),
                        "dcat:distribution": [
                            {
                                "@id": f"{d['pagina']}#jsonld",
                                "@type": "dcat:Distribution",
                                "dcterms:title": _taal("JSON-LD (OSLO Besluit Subsidie)"),
                                "dcat:accessURL": _ref(d["jsonld"]),
                                "dcat:downloadURL": _ref(d["jsonld"]),
                                "dcat:mediaType": _ref(
                                    "https://www.iana.org/assignments/media-types/application/ld+json"
                                ),
                            },
                            {
                                "@id": f"{d['pagina']}#csv",
                                "@type": "dcat:Distribution",
                                "dcterms:title": _taal("CSV (puntkomma, decimale komma, UTF-8)"),
                                "dcat:accessURL": _ref(d["csv"]),
                                "dcat:downloadURL": _ref(d["csv"]),
                                "dcat:mediaType": _ref(
                                    "https://www.iana.org/assignments/media-types/text/csv"
                                ),
                            },
                        ],
                    }
                    for d in datasets
                ],
            }
        ],
    }
