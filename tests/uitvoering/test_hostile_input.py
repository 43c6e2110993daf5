"""Hostile input to the uitvoering's forms: a row booked in the ledger (beheerder) and a new
decision on the amounts (beoordelaar). The harness and the properties every example checks:
`tests/hostile.py`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from applications.beoordeling.constants import BESLISSING_MOTIVATIE_MAX
from applications.oproepen.models import Oproep
from applications.uitvoering.constants import (
    NEGATIEF,
    REFERENTIE_MAX,
    TOELICHTING_MAX,
    Boekingssoort,
    Schijfmoment,
)
from applications.uitvoering.forms import BoekingForm, HerbeslissingForm
from applications.uitvoering.models import Betalingsschijf, Boeking, Herbeslissing
from applications.uitvoering.services import boeking_maken

from ..factories import OproepFactory
from ..hostile import (
    BEDRAG_VAN_OPROEP,
    ENCODING,
    FOUTE_DATUM,
    GETAL,
    VEEL,
    Veld,
    _bedrag,
    _datum,
    _ids,
    alleen,
    als_querydict,
    formulier,
    invullen,
    keuze,
    post,
    tekstveld,
    voorbeeld,
)

JAREN = ("2030", "2031", "2032")  # the years of the test call (OproepFactory)


def _schijven(oproep: Oproep) -> tuple[Betalingsschijf, Betalingsschijf]:
    eigen = Betalingsschijf.objects.create(
        oproep=oproep, naam="Voorschot", percentage=Decimal(60), moment=Schijfmoment.BEGIN_JAAR
    )
    vreemd = Betalingsschijf.objects.create(
        oproep=OproepFactory.create(slug="vreemde-oproep"),
        naam="Vreemd",
        percentage=Decimal(50),
        moment=Schijfmoment.BEGIN_JAAR,
    )
    return eigen, vreemd


@VEEL
@given(
    invoer=formulier(
        {
            "soort": keuze(tuple(Boekingssoort.values), ("BETALING", "storno")),
            "jaar": keuze(JAREN, ("2029", "2033")),
            "datum": Veld(_datum(2020, 2030), FOUTE_DATUM),
            "bedrag": Veld(_bedrag("60000"), st.one_of(GETAL, st.just("-100"))),
            "referentie": tekstveld(REFERENTIE_MAX),
            "schijf": keuze(("§schijf", ""), ("§vreemde_schijf",)),
            "toelichting": tekstveld(TOELICHTING_MAX),
        }
    ),
    encoding=ENCODING,
)
def test_boeking_form(invoer, encoding, toegekend, beheerder, als_beheerder):
    with voorbeeld():
        eigen, vreemd = _schijven(toegekend.oproep)
        # Something paid each year, so that corrections can succeed too.
        for jaar in toegekend.oproep.jaren:
            boeking_maken(
                aanvraag=toegekend,
                by=beheerder,
                soort=Boekingssoort.BETALING,
                jaar=jaar,
                datum=datetime.date(2026, 1, 5),
                bedrag=Decimal(10000),
                referentie="FIN-0",
            )
        bestaand = set(Boeking.objects.values_list("pk", flat=True))
        invoer = invullen(invoer, _ids(schijf=eigen, vreemde_schijf=vreemd))
        uitkomst = post(
            als_beheerder, f"/aanvragen/{toegekend.pk}/uitvoering/boekingen/", invoer, encoding
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "uitvoering_boeking")
            form = BoekingForm(als_querydict(invoer), aanvraag=toegekend)
            assert form.is_valid(), form.errors
            data = form.cleaned_data
            rij = Boeking.objects.exclude(pk__in=bestaand).get()
            teken = -1 if data["soort"] in NEGATIEF else 1
            assert (
                rij.soort,
                rij.jaar,
                rij.datum,
                rij.bedrag,
                rij.referentie,
                rij.toelichting,
                rij.schijf,
                rij.geboekt_door,
            ) == (
                data["soort"],
                data["jaar"],
                data["datum"],
                teken * data["bedrag"],
                data["referentie"],
                data["toelichting"],
                data["schijf"],
                beheerder,
            )


@VEEL
@given(
    invoer=formulier(
        {
            **{f"bedrag_{jaar}": BEDRAG_VAN_OPROEP for jaar in JAREN},
            "motivatie": tekstveld(BESLISSING_MOTIVATIE_MAX),
        }
    ),
    encoding=ENCODING,
)
def test_herbeslissing_form(invoer, encoding, toegekend, beoordelaar, als_beoordelaar):
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar, f"/aanvragen/{toegekend.pk}/uitvoering/bedragen/", invoer, encoding
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "uitvoering_herbeslissing", "uitvoering_terugvordering")
            form = HerbeslissingForm(als_querydict(invoer), aanvraag=toegekend)
            assert form.is_valid(), form.errors
            herbeslissing = Herbeslissing.objects.get(aanvraag=toegekend)
            assert herbeslissing.door == beoordelaar
            assert herbeslissing.motivatie == form.cleaned_data["motivatie"]
            assert herbeslissing.bedragen_per_jaar == {
                int(j): form.cleaned_data[f"bedrag_{j}"] for j in JAREN
            }
