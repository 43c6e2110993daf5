"""Hostile input to the uitvoering's forms: a row booked in the ledger (beheerder) and a new
decision on the amounts (beoordelaar). The harness and the properties every example checks:
`tests/hostile.py`."""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from hypothesis import example, given
from hypothesis import strategies as st

from applications.aanvragen.constants import (
    ACTIE_BESCHRIJVING_MAX,
    ACTIE_REGEL_MAX,
    ACTIE_RESULTAAT_MAX,
    ACTIE_TITEL_MAX,
)
from applications.aanvragen.models import Aanvraag
from applications.beoordeling.constants import BESLISSING_MOTIVATIE_MAX
from applications.oproepen.constants import Bijlagemoment
from applications.oproepen.models import BijlageType, Oproep
from applications.uitvoering.afsluiting import dossier_afsluiten
from applications.uitvoering.constants import (
    BBC_ACTIE_MAX,
    HEROPEN_REDEN_MAX,
    MEER_GEVRAAGD_MAX,
    NEGATIEF,
    REALISATIE_TOELICHTING_MAX,
    REFERENTIE_MAX,
    TOELICHTING_MAX,
    WIJZIGING_MOTIVATIE_MAX,
    WIJZIGING_REDEN_MAX,
    Boekingssoort,
    Opvolgstatus,
    Realisatie,
    Schijfmoment,
)
from applications.uitvoering.forms import (
    ActierapportForm,
    AfsluitenForm,
    BoekingForm,
    HerbeslissingForm,
    HeropenenForm,
    LedenwijzigingForm,
    OpvolgBeoordelingForm,
    PlanwijzigingBeoordelingForm,
    PlanwijzigingForm,
    WijzigingActieForm,
)
from applications.uitvoering.models import (
    Actiewijziging,
    Afsluiting,
    Betalingsschijf,
    Boeking,
    Herbeslissing,
    Ledenwijziging,
    Opvolgbijlage,
    Opvolgmoment,
    Planwijziging,
)
from applications.uitvoering.opvolging import Rapportinvoer, acties_van_jaar, opvolgmoment_bewaren
from applications.uitvoering.services import boeking_maken
from applications.uitvoering.wijzigingen import VELDEN, planwijziging_bewaren

from ..aanvragen.test_hostile_input import BESTANDSNAMEN, PDF, PDF_INHOUD
from ..factories import OproepFactory
from ..hostile import (
    BEDRAG,
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
    laatste,
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
            alleen(uitkomst.veranderd, "uitvoering_boeking", "audit_auditregel")
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
            alleen(
                uitkomst.veranderd,
                "uitvoering_herbeslissing",
                "uitvoering_terugvordering",
                "audit_auditregel",
            )
            form = HerbeslissingForm(als_querydict(invoer), aanvraag=toegekend)
            assert form.is_valid(), form.errors
            herbeslissing = Herbeslissing.objects.get(aanvraag=toegekend)
            assert herbeslissing.door == beoordelaar
            assert herbeslissing.motivatie == form.cleaned_data["motivatie"]
            assert herbeslissing.bedragen_per_jaar == {
                int(j): form.cleaned_data[f"bedrag_{j}"] for j in JAREN
            }


def _rapportvelden(prefix: str) -> dict[str, Veld]:
    return {
        f"{prefix}-realisatie": keuze(("", *Realisatie.values), ("GEREALISEERD", "klaar")),
        f"{prefix}-bbc_actie": tekstveld(BBC_ACTIE_MAX),
        f"{prefix}-code_toegepast": keuze(("on", ""), ("nee",)),
        f"{prefix}-toelichting": tekstveld(REALISATIE_TOELICHTING_MAX),
    }


@VEEL
@given(
    invoer=formulier(
        {
            **_rapportvelden("§a1"),
            **_rapportvelden("§a2"),
            "actie": keuze(("bewaren", "indienen"), ("verwijderen",)),
        }
    ),
    encoding=ENCODING,
)
def test_actierapport_form(invoer, encoding, lopend, regisseur, als_regisseur):
    acties = acties_van_jaar(lopend, 2023)
    # The field names carry the actions' ids: the placeholders are filled in per test.
    invoer = {
        naam.replace("§a1", f"a{acties[0].pk}").replace("§a2", f"a{acties[1].pk}"): waarde
        for naam, waarde in invoer.items()
    }
    with voorbeeld():
        uitkomst = post(
            als_regisseur, f"/aanvragen/{lopend.pk}/uitvoering/opvolging/2023/", invoer, encoding
        )
        if uitkomst.gelukt:
            alleen(
                uitkomst.veranderd,
                "uitvoering_opvolgmoment",
                "uitvoering_actierapport",
                "uitvoering_opvolgwijziging",
                "audit_auditregel",
            )
            moment = Opvolgmoment.objects.get(aanvraag=lopend, jaar=2023)
            for actie in acties:
                form = ActierapportForm(als_querydict(invoer), prefix=f"a{actie.pk}")
                assert form.is_valid(), form.errors
                rapport = moment.rapporten.get(actie=actie)
                assert (
                    rapport.realisatie,
                    rapport.bbc_actie,
                    rapport.code_toegepast,
                    rapport.toelichting,
                ) == (
                    form.cleaned_data["realisatie"],
                    form.cleaned_data["bbc_actie"],
                    form.cleaned_data["code_toegepast"],
                    form.cleaned_data["toelichting"],
                )
            ingediend = laatste(invoer, "actie") == "indienen"
            assert moment.status == (
                Opvolgstatus.INGEDIEND if ingediend else Opvolgstatus.IN_OPMAAK
            )


@VEEL
@given(
    invoer=formulier(
        {
            "besluit": keuze(("aanvaarden", "meer_vragen"), ("AANVAARDEN", "weigeren")),
            "reden": tekstveld(MEER_GEVRAAGD_MAX),
        }
    ),
    encoding=ENCODING,
)
def test_opvolg_beoordeling_form(invoer, encoding, lopend, regisseur, beoordelaar, als_beoordelaar):
    with voorbeeld():
        opvolgmoment_bewaren(
            aanvraag=lopend,
            jaar=2023,
            by=regisseur,
            invoer={
                a.pk: Rapportinvoer(Realisatie.GEREALISEERD, "", "AC1", True)
                for a in acties_van_jaar(lopend, 2023)
            },
            indienen=True,
        )
        uitkomst = post(
            als_beoordelaar,
            f"/aanvragen/{lopend.pk}/uitvoering/opvolging/2023/beoordelen/",
            invoer,
            encoding,
        )
        if uitkomst.gelukt:
            alleen(
                uitkomst.veranderd,
                "uitvoering_opvolgmoment",
                "uitvoering_opvolgwijziging",
                "audit_auditregel",
            )
            form = OpvolgBeoordelingForm(als_querydict(invoer))
            assert form.is_valid(), form.errors
            moment = Opvolgmoment.objects.get(aanvraag=lopend, jaar=2023)
            if form.cleaned_data["besluit"] == "aanvaarden":
                assert (moment.status, moment.meer_gevraagd) == (Opvolgstatus.AANVAARD, "")
            else:
                assert (moment.status, moment.meer_gevraagd) == (
                    Opvolgstatus.MEER_GEVRAAGD,
                    form.cleaned_data["reden"],
                )
            assert moment.beoordeeld_door == beoordelaar


@VEEL
@given(
    invoer=formulier({"bijlagetype": keuze(("§opvolg",), ("§aanvraagtype", "§vreemd_type"))}),
    bestand=st.one_of(
        st.tuples(st.sampled_from(BESTANDSNAMEN[:2]), st.just(PDF)),
        st.tuples(st.one_of(st.sampled_from(BESTANDSNAMEN), st.text(max_size=60)), PDF_INHOUD),
        st.none(),
    ),
)
@example(invoer={"bijlagetype": "§opvolg"}, bestand=("../../../etc/passwd\x00.pdf", PDF))
def test_opvolgbijlage_form(invoer, bestand, lopend, regisseur, als_regisseur):
    opvolg = BijlageType.objects.get_or_create(
        oproep=lopend.oproep,
        code="jaarrekening",
        defaults={"naam": "Jaarrekening", "voor": Bijlagemoment.OPVOLGMOMENT},
    )[0]
    vreemd = BijlageType.objects.get_or_create(
        oproep=OproepFactory.create(slug="vreemd-opvolg"),
        code="jaarrekening",
        defaults={"naam": "Vreemd", "voor": Bijlagemoment.OPVOLGMOMENT},
    )[0]
    invoer = invullen(
        invoer,
        _ids(
            opvolg=opvolg,
            aanvraagtype=lopend.oproep.aanvraag_bijlagetypes().first(),
            vreemd_type=vreemd,
        ),
    )
    with voorbeeld():
        uitkomst = post(
            als_regisseur,
            f"/aanvragen/{lopend.pk}/uitvoering/opvolging/2023/bijlagen/",
            invoer,
            bestanden={"bestand": bestand} if bestand else {},
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "uitvoering_opvolgbijlage", "uitvoering_opvolgmoment")
            bijlage = Opvolgbijlage.objects.get(opvolgmoment__aanvraag=lopend)
            assert bijlage.bijlagetype == opvolg
            assert bijlage.sha256 == hashlib.sha256(bestand[1]).hexdigest()
            with bijlage.bestand.open("rb") as opgeslagen:
                assert opgeslagen.read() == bestand[1]
            assert bijlage.naam.isprintable() and not set(bijlage.naam) & {"/", "\\"}


# --- The changes to the plan (a call whose period runs today: `nu_lopend`) ---------------------

_NU = datetime.date.today().year


def _wijziging_actievelden() -> dict[str, Veld]:
    return {
        "prioriteit": keuze(("§prioriteit1", "§prioriteit2"), ("§vreemde_prioriteit",)),
        # Only this year and later may change; last year is over.
        "jaar": keuze((str(_NU), str(_NU + 1)), (str(_NU - 1), str(_NU + 2), "1")),
        "titel": tekstveld(ACTIE_TITEL_MAX),
        "beschrijving": tekstveld(ACTIE_BESCHRIJVING_MAX),
        "doelgroep": tekstveld(ACTIE_REGEL_MAX),
        "verwacht_resultaat": tekstveld(ACTIE_RESULTAAT_MAX),
        "indicator": tekstveld(ACTIE_REGEL_MAX),
        "partners": tekstveld(ACTIE_REGEL_MAX),
        "budget": Veld(BEDRAG, GETAL),
    }


def _wijziging_ids(aanvraag: Aanvraag) -> dict[str, str]:
    prioriteiten = list(aanvraag.oproep.prioriteiten.order_by("volgorde"))
    return _ids(
        prioriteit1=prioriteiten[0],
        prioriteit2=prioriteiten[1],
        vreemde_prioriteit=OproepFactory.create(slug="vreemde-wijziging").prioriteiten.first(),
    )


@VEEL
@given(invoer=formulier(_wijziging_actievelden()), encoding=ENCODING)
def test_wijziging_actie_form(invoer, encoding, concept_wijziging, nu_lopend, als_regisseur):
    invoer = invullen(invoer, _wijziging_ids(nu_lopend))
    pad = f"/aanvragen/{nu_lopend.pk}/uitvoering/wijzigingen/{concept_wijziging.nummer}/"
    with voorbeeld():
        bestaand = set(Actiewijziging.objects.values_list("pk", flat=True))
        uitkomst = post(als_regisseur, pad + "acties/nieuw/", invoer, encoding)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "uitvoering_actiewijziging", "uitvoering_planwijziging")
            nieuw = Actiewijziging.objects.exclude(pk__in=bestaand).get()
            form = WijzigingActieForm(
                als_querydict(invoer), aanvraag=nu_lopend, jaren=[_NU, _NU + 1]
            )
            assert form.is_valid(), form.errors
            assert (nieuw.planwijziging_id, nieuw.soort) == (concept_wijziging.pk, "nieuw")
            for naam in ("prioriteit", "jaar", *VELDEN):
                assert getattr(nieuw, naam) == form.cleaned_data[naam], naam


@VEEL
@given(
    invoer=formulier(
        {
            "soort": keuze(("toetreding", "uittreding"), ("TOETREDING", "lid")),
            "bestuur": keuze(
                ("Maaseik (72021)", "72021", "Maasmechelen", "73107", "Kinrooi"),
                ("Atlantis", "99999", "Wachtebeke (44073)"),
            ),
            "datum": Veld(_datum(_NU - 1, _NU + 1), FOUTE_DATUM),
        }
    ),
    encoding=ENCODING,
)
def test_ledenwijziging_form(invoer, encoding, concept_wijziging, nu_lopend, als_regisseur):
    pad = f"/aanvragen/{nu_lopend.pk}/uitvoering/wijzigingen/{concept_wijziging.nummer}/leden/"
    with voorbeeld():
        uitkomst = post(als_regisseur, pad, invoer, encoding)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "uitvoering_ledenwijziging", "uitvoering_planwijziging")
            form = LedenwijzigingForm(als_querydict(invoer))
            assert form.is_valid(), form.errors
            lid = Ledenwijziging.objects.get(planwijziging=concept_wijziging)
            assert (lid.soort, lid.bestuur, lid.datum) == (
                form.cleaned_data["soort"],
                form.cleaned_data["lokaal_bestuur"],
                form.cleaned_data["datum"],
            )


@VEEL
@given(
    invoer=formulier(
        {
            "motivatie": tekstveld(WIJZIGING_MOTIVATIE_MAX),
            "actie": keuze(("bewaren", "indienen"), ("INDIENEN",)),
        }
    ),
    encoding=ENCODING,
)
def test_planwijziging_form(invoer, encoding, concept_wijziging, nu_lopend, als_regisseur):
    pad = f"/aanvragen/{nu_lopend.pk}/uitvoering/wijzigingen/{concept_wijziging.nummer}/"
    with voorbeeld():
        uitkomst = post(als_regisseur, pad, invoer, encoding)
        if uitkomst.gelukt:
            alleen(
                uitkomst.veranderd,
                "uitvoering_planwijziging",
                "uitvoering_planwijzigingstap",
                "berichten_bericht",
                "audit_auditregel",
            )
            form = PlanwijzigingForm(als_querydict(invoer))
            assert form.is_valid(), form.errors
            concept_wijziging.refresh_from_db()
            assert concept_wijziging.motivatie == form.cleaned_data["motivatie"]
            ingediend = laatste(invoer, "actie") == "indienen"
            assert concept_wijziging.status == ("ingediend" if ingediend else "concept")


@VEEL
@given(
    invoer=formulier(
        {
            "besluit": keuze(("goedkeuren", "weigeren"), ("GOEDKEUREN", "aanvaarden")),
            "reden": tekstveld(WIJZIGING_REDEN_MAX),
        }
    ),
    encoding=ENCODING,
)
def test_planwijziging_beoordeling_form(
    invoer, encoding, concept_wijziging, nu_lopend, regisseur, beoordelaar, als_beoordelaar
):
    concept_wijziging.refresh_from_db()
    if concept_wijziging.status == "concept":  # the first example submits it, for all of them
        planwijziging_bewaren(
            wijziging=concept_wijziging, by=regisseur, motivatie="Verzonnen.", indienen=True
        )
    pad = f"/aanvragen/{nu_lopend.pk}/uitvoering/wijzigingen/{concept_wijziging.nummer}/"
    with voorbeeld():
        uitkomst = post(als_beoordelaar, pad + "beoordelen/", invoer, encoding)
        if uitkomst.gelukt:
            form = PlanwijzigingBeoordelingForm(als_querydict(invoer))
            assert form.is_valid(), form.errors
            wijziging = Planwijziging.objects.get(pk=concept_wijziging.pk)
            assert wijziging.beoordeeld_door == beoordelaar
            if form.cleaned_data["besluit"] == "goedkeuren":
                alleen(
                    uitkomst.veranderd,
                    "uitvoering_planwijziging",
                    "uitvoering_planwijzigingstap",
                    "uitvoering_actiewijziging",
                    "aanvragen_actie",
                    "aanvragen_aanvraag",
                    "aanvragen_indiening",
                    "berichten_bericht",
                    "audit_auditregel",
                )
                assert (wijziging.status, wijziging.reden) == ("goedgekeurd", "")
                assert wijziging.versie is not None
            else:
                alleen(
                    uitkomst.veranderd,
                    "uitvoering_planwijziging",
                    "uitvoering_planwijzigingstap",
                    "berichten_bericht",
                    "audit_auditregel",
                )
                assert (wijziging.status, wijziging.reden) == (
                    "geweigerd",
                    form.cleaned_data["reden"],
                )


@VEEL
@given(invoer=formulier({"bevestigen": keuze(("on", "true"), ("", "false"))}), encoding=ENCODING)
def test_afsluiten_form(invoer, encoding, afsluitbaar, beoordelaar, als_beoordelaar):
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar, f"/aanvragen/{afsluitbaar.pk}/uitvoering/afsluiten/", invoer, encoding
        )
        gesloten = Afsluiting.objects.filter(aanvraag=afsluitbaar).first()
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "uitvoering_afsluiting", "audit_auditregel")
            assert AfsluitenForm(als_querydict(invoer)).is_valid()
            assert gesloten is not None and gesloten.afgesloten_door == beoordelaar
        else:
            assert uitkomst.response.status_code == 400
            assert gesloten is None


@VEEL
@given(invoer=formulier({"reden": tekstveld(HEROPEN_REDEN_MAX)}), encoding=ENCODING)
def test_heropenen_form(invoer, encoding, afsluitbaar, beoordelaar, beheerder, als_beheerder):
    with voorbeeld():
        dossier_afsluiten(aanvraag=afsluitbaar, by=beoordelaar)
        uitkomst = post(
            als_beheerder, f"/aanvragen/{afsluitbaar.pk}/uitvoering/heropenen/", invoer, encoding
        )
        afsluiting = Afsluiting.objects.get(aanvraag=afsluitbaar)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "uitvoering_afsluiting", "audit_auditregel")
            form = HeropenenForm(als_querydict(invoer))
            assert form.is_valid(), form.errors
            assert afsluiting.heropend_door == beheerder
            assert afsluiting.heropen_reden == form.cleaned_data["reden"].strip()
        else:
            assert uitkomst.response.status_code == 400
            assert afsluiting.heropend_op is None
