"""Hostile input to WSE's review forms (beoordelaar) and the regisseurs' follow-up: the
lead, questions and answers, notes, changes asked, extensions, withdrawal, reviews and
decisions.

The harness and the properties every example checks: `tests/hostile.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

import pytest
from django.utils.html import escape
from hypothesis import example, given
from hypothesis import strategies as st

from applications.aanvragen.constants import REDEN_MAX
from applications.aanvragen.forms import IntrekkenForm, VerlengingForm
from applications.aanvragen.models import Aanvraag, Statuswijziging, Verlenging
from applications.aanvragen.selectors import begroting
from applications.aanvragen.statuses import AanvraagStatus
from applications.accounts.models import User
from applications.beoordeling.constants import (
    ANTWOORD_MAX,
    BEOORDELING_MOTIVATIE_MAX,
    BESLISSING_MOTIVATIE_MAX,
    SCORE_MOTIVATIE_MAX,
    TERUGSTUUR_REDEN_MAX,
    VRAAG_MAX,
    Advies,
)
from applications.beoordeling.forms import (
    AntwoordForm,
    BeoordelingForm,
    BeslissingForm,
    NotitieForm,
    TakeForm,
    VoorstelTerugsturenForm,
    VraagForm,
    WijzigingenForm,
    bedragen_uit,
)
from applications.beoordeling.models import (
    Beoordeling,
    BeoordelingConcept,
    Beslissing,
    Beslissingsvoorstel,
    Notitie,
    Voorstelstatus,
    Vraag,
)
from applications.beoordeling.services import beslissing_voorstellen, vraag_stellen
from applications.besturen.models import Regieverband
from applications.oproepen.models import Oproep

from ..conftest import client_for
from ..factories import AanvraagFactory, UserFactory
from ..hostile import (
    BEDRAG_VAN_OPROEP,
    ENCODING,
    FOUT_MOMENT,
    RARE_MOMENTEN,
    VEEL,
    WEINIG,
    Veld,
    _foute_tekst,
    _ids,
    _moment,
    _tekst,
    alleen,
    als_querydict,
    formulier,
    invullen,
    keuze,
    post,
    tekstveld,
    voorbeeld,
)

pytestmark = pytest.mark.django_db


# --- Fixtures -------------------------------------------------------------------------------------


@pytest.fixture
def tweede_beoordelaar(db: None) -> User:
    return UserFactory.create(beoordelaar=True, email="erik@example.org")


@pytest.fixture
def in_behandeling(verband: Regieverband, oproep: Oproep, beoordelaar: User) -> Aanvraag:
    return AanvraagFactory.create(
        regieverband=verband,
        oproep=oproep,
        in_behandeling=True,
        ingediend_op=oproep.deadline - datetime.timedelta(days=1),
        behandelaar=beoordelaar,
    )


# --- WSE's review (beoordelaar) and the regisseurs' follow-up -----------------------------------


@VEEL
@given(
    invoer=formulier(
        {"behandelaar": keuze(("§beoordelaar", "§tweede"), ("§regisseur", "§beheerder"))},
        prefix="behandelaar-",
    ),
    encoding=ENCODING,
)
def test_take_form(
    invoer,
    encoding,
    in_behandeling,
    beoordelaar,
    tweede_beoordelaar,
    regisseur,
    beheerder,
    als_beoordelaar,
):
    invoer = invullen(
        invoer,
        _ids(
            beoordelaar=beoordelaar,
            tweede=tweede_beoordelaar,
            regisseur=regisseur,
            beheerder=beheerder,
        ),
    )
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar, f"/beoordeling/{in_behandeling.pk}/nemen/", invoer, encoding
        )
        if uitkomst.gelukt:
            alleen(
                uitkomst.veranderd,
                "aanvragen_aanvraag",
                "beoordeling_notitie",
                "aanvragen_statuswijziging",
            )
            form = TakeForm(als_querydict(invoer), prefix="behandelaar")
            assert form.is_valid(), form.errors
            aanvraag = Aanvraag.objects.get(pk=in_behandeling.pk)
            assert aanvraag.behandelaar == form.cleaned_data["behandelaar"]


@pytest.mark.parametrize(
    ("soort", "form_class", "model"),
    [("vraag", VraagForm, Vraag), ("notitie", NotitieForm, Notitie)],
)
@VEEL
@given(invoer=st.data(), encoding=ENCODING)
def test_vraag_and_notitie_forms(
    soort, form_class, model, invoer, encoding, in_behandeling, beoordelaar, als_beoordelaar
):
    data = invoer.draw(formulier({"tekst": tekstveld(VRAAG_MAX)}, prefix=f"{soort}-"), label="post")
    with voorbeeld():
        bestaand = set(model.objects.values_list("pk", flat=True))
        uitkomst = post(
            als_beoordelaar, f"/beoordeling/{in_behandeling.pk}/{soort}/", data, encoding
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, f"beoordeling_{soort}")
            form = form_class(als_querydict(data), prefix=soort)
            assert form.is_valid(), form.errors
            assert model.objects.exclude(pk__in=bestaand).get().tekst == form.cleaned_data["tekst"]


@pytest.fixture
def vraag(in_behandeling: Aanvraag, beoordelaar: User) -> Vraag:
    return vraag_stellen(aanvraag=in_behandeling, by=beoordelaar, tekst="Een vraag?")


@VEEL
@given(invoer=st.data(), encoding=ENCODING)
def test_antwoord_form(invoer, encoding, in_behandeling, vraag, regisseur, collega):
    data = invoer.draw(
        formulier({"antwoord": tekstveld(ANTWOORD_MAX)}, prefix=f"v{vraag.pk}-"), label="post"
    )
    wie = invoer.draw(st.sampled_from(("regisseur", "regisseur", "collega")), label="wie")
    with voorbeeld():
        uitkomst = post(
            client_for(regisseur if wie == "regisseur" else collega),
            f"/aanvragen/{in_behandeling.pk}/vragen/{vraag.pk}/antwoord/",
            data,
            encoding,
        )
        if wie == "collega":
            assert uitkomst.response.status_code == 404
        elif uitkomst.gelukt:
            alleen(uitkomst.veranderd, "beoordeling_vraag", "berichten_bericht")
            form = AntwoordForm(als_querydict(data), prefix=f"v{vraag.pk}")
            assert form.is_valid(), form.errors
            assert Vraag.objects.get(pk=vraag.pk).antwoord == form.cleaned_data["antwoord"]


MOMENT = Veld(st.one_of(_moment(2027, 2099), st.sampled_from(RARE_MOMENTEN[:4])), FOUT_MOMENT)


@VEEL
@given(
    invoer=formulier({"reden": tekstveld(REDEN_MAX), "tot": MOMENT}, prefix="wijzigingen-"),
    encoding=ENCODING,
)
# Found: see test_uitstel_form.
@example(
    invoer={"wijzigingen-reden": "x", "wijzigingen-tot": "9999-12-31T23:59:59-14:00"},
    encoding="multipart",
)
def test_wijzigingen_form(invoer, encoding, in_behandeling, als_beoordelaar):
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar,
            f"/beoordeling/{in_behandeling.pk}/wijzigingen/",
            invoer,
            encoding,
        )
        if uitkomst.gelukt:
            alleen(
                uitkomst.veranderd,
                "aanvragen_aanvraag",
                "aanvragen_statuswijziging",
                "berichten_bericht",
            )
            form = WijzigingenForm(als_querydict(invoer), prefix="wijzigingen")
            assert form.is_valid(), form.errors
            aanvraag = Aanvraag.objects.get(pk=in_behandeling.pk)
            assert aanvraag.status == AanvraagStatus.WIJZIGINGEN_GEVRAAGD
            assert aanvraag.wijzigingen_tot == form.cleaned_data["tot"]
            wijziging = Statuswijziging.objects.filter(aanvraag=aanvraag).latest("pk")
            assert wijziging.reden == form.cleaned_data["reden"]


@VEEL
@given(
    invoer=formulier({"reden": tekstveld(REDEN_MAX), "tot": MOMENT}, prefix="uitstel-"),
    encoding=ENCODING,
)
# Found: a moment beyond year 9999 in UTC was saved and broke every page of the aanvraag.
@example(
    invoer={"uitstel-reden": "x", "uitstel-tot": "9999-12-31T23:59:59-14:00"}, encoding="multipart"
)
def test_uitstel_form(invoer, encoding, aanvraag, als_beoordelaar, als_regisseur):
    with voorbeeld():
        uitkomst = post(als_beoordelaar, f"/beoordeling/{aanvraag.pk}/uitstel/", invoer, encoding)
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_verlenging")
            form = VerlengingForm(als_querydict(invoer), prefix="uitstel")
            assert form.is_valid(), form.errors
            verlenging = Verlenging.objects.get(aanvraag=aanvraag)
            assert (verlenging.tot, verlenging.reden) == (
                form.cleaned_data["tot"],
                form.cleaned_data["reden"],
            )
            # The regisseurs' pages show the deadline the extension set.
            assert als_regisseur.get(f"/aanvragen/{aanvraag.pk}/").status_code == 200


@VEEL
@given(invoer=formulier({"reden": Veld(_tekst(), _foute_tekst())}), encoding=ENCODING)
def test_intrekken_form(invoer, encoding, in_behandeling, regisseur, als_regisseur):
    with voorbeeld():
        uitkomst = post(
            als_regisseur, f"/aanvragen/{in_behandeling.pk}/intrekken/", invoer, encoding
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "aanvragen_aanvraag", "aanvragen_statuswijziging")
            form = IntrekkenForm(als_querydict(invoer))
            assert form.is_valid(), form.errors
            aanvraag = Aanvraag.objects.get(pk=in_behandeling.pk)
            assert aanvraag.status == AanvraagStatus.INGETROKKEN
            wijziging = Statuswijziging.objects.filter(aanvraag=aanvraag).latest("pk")
            assert wijziging.reden == form.cleaned_data["reden"]


def _beoordeling_velden(oproep: Oproep) -> dict[str, Veld]:
    velden: dict[str, Veld] = {
        "advies": keuze(tuple(Advies.values), ("GOEDKEUREN", "ja")),
        "motivatie": tekstveld(BEOORDELING_MOTIVATIE_MAX),
    }
    for nummer in range(1, 5):
        velden[f"score_§p{nummer}"] = keuze(("1", "3", "5"), ("0", "6", "2.5"))
        velden[f"motivatie_§p{nummer}"] = tekstveld(SCORE_MOTIVATIE_MAX)
    for jaar in oproep.jaren:
        velden[f"bedrag_{jaar}"] = BEDRAG_VAN_OPROEP
    return velden


def _prioriteit_ids(oproep: Oproep) -> dict[str, str]:
    return {
        f"§p{nummer}": str(p.pk)
        for nummer, p in enumerate(oproep.prioriteiten.order_by("volgorde"), start=1)
    }


def _namen_invullen(invoer: dict[str, Any], ids: Mapping[str, str]) -> dict[str, Any]:
    """Placeholders in field names too (the review form names fields after priorities)."""
    result = {}
    for naam, waarde in invoer.items():
        for placeholder, waarde_id in ids.items():
            naam = naam.replace(placeholder, waarde_id)
        result[naam] = invullen(waarde, ids)
    return result


# The call of the `oproep` fixture: 2030-2032, scores 1 to 5 (the model's default).
OPROEP_JAREN = Oproep(eerste_jaar=2030, laatste_jaar=2032)


@VEEL
@given(invoer=formulier(_beoordeling_velden(OPROEP_JAREN)), encoding=ENCODING)
def test_beoordeling_form(invoer, encoding, in_behandeling, beoordelaar, als_beoordelaar):
    oproep = in_behandeling.oproep
    invoer = _namen_invullen(invoer, _prioriteit_ids(oproep))
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar,
            f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/",
            invoer,
            encoding,
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "beoordeling_beoordeling", "beoordeling_score")
            form = BeoordelingForm(als_querydict(invoer), oproep=oproep)
            assert form.is_valid(), form.errors
            beoordeling = Beoordeling.objects.get(aanvraag=in_behandeling, beoordelaar=beoordelaar)
            assert (beoordeling.advies, beoordeling.motivatie) == (
                form.cleaned_data["advies"],
                form.cleaned_data["motivatie"],
            )
            assert {s.prioriteit_id: (s.score, s.motivatie) for s in beoordeling.scores.all()} == (
                form.scores()
            )
            assert beoordeling.bedragen_per_jaar == bedragen_uit(form, oproep)


@WEINIG
@given(
    invoer=formulier(
        {
            "uitkomst": keuze(
                (AanvraagStatus.GOEDGEKEURD.value, AanvraagStatus.AFGEWEZEN.value),
                (AanvraagStatus.INGETROKKEN.value, AanvraagStatus.CONCEPT.value),
            ),
            "motivatie": tekstveld(BESLISSING_MOTIVATIE_MAX),
            **{f"bedrag_{jaar}": BEDRAG_VAN_OPROEP for jaar in OPROEP_JAREN.jaren},
            "reden_boven_gevraagd": tekstveld(REDEN_MAX),
        },
        prefix="beslissing-",
    ),
    encoding=ENCODING,
)
def test_beslissing_form(invoer, encoding, in_behandeling, als_beoordelaar, als_regisseur):
    oproep = in_behandeling.oproep
    with voorbeeld():
        # As sent from the confirmation step: the figures were seen.
        bevestigd = {**invoer, "beslissing-bevestigd": "on"}
        uitkomst = post(
            als_beoordelaar,
            f"/beoordeling/{in_behandeling.pk}/beslissing/",
            bevestigd,
            encoding,
        )
        if uitkomst.gelukt:
            alleen(
                uitkomst.veranderd,
                "aanvragen_aanvraag",
                "beoordeling_beslissing",
                "aanvragen_statuswijziging",
                "berichten_bericht",
            )
            kosten = begroting(in_behandeling)
            form = BeslissingForm(
                als_querydict(bevestigd),
                prefix="beslissing",
                oproep=oproep,
                gevraagd=dict(zip(kosten["jaren"], kosten["per_jaar"], strict=True)),
            )
            assert form.is_valid(), form.errors
            beslissing = Beslissing.objects.get(aanvraag=in_behandeling)
            assert (beslissing.uitkomst, beslissing.motivatie) == (
                form.cleaned_data["uitkomst"],
                form.motivatie_voor_brief().strip(),
            )
            if beslissing.uitkomst == AanvraagStatus.GOEDGEKEURD:
                assert beslissing.bedragen_per_jaar == bedragen_uit(form, oproep)
            letter = als_regisseur.get(f"/aanvragen/{in_behandeling.pk}/beslissing.pdf")
            assert letter.status_code == 200


@VEEL
@given(invoer=formulier(_beoordeling_velden(OPROEP_JAREN)), encoding=ENCODING)
def test_beoordeling_concept(invoer, encoding, in_behandeling, beoordelaar, als_beoordelaar):
    """A draft: anything may be empty, what is typed is checked; only the draft changes."""
    oproep = in_behandeling.oproep
    invoer = {**_namen_invullen(invoer, _prioriteit_ids(oproep)), "actie": "concept"}
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar,
            f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/",
            invoer,
            encoding,
        )
        if uitkomst.gelukt:
            alleen(uitkomst.veranderd, "beoordeling_beoordelingconcept")
            form = BeoordelingForm(als_querydict(invoer), oproep=oproep).als_concept()
            assert form.is_valid(), form.errors
            concept = BeoordelingConcept.objects.get(
                aanvraag=in_behandeling, beoordelaar=beoordelaar
            )
            assert concept.gegevens == form.ingevuld()
            # What the draft keeps, the form shows again (escaped), field by field.
            page = als_beoordelaar.get(f"/beoordeling/{in_behandeling.pk}/mijn-beoordeling/")
            assert page.status_code == 200
            html = page.content.decode()
            for waarde in concept.gegevens.values():
                assert str(escape(waarde)) in html, waarde


@pytest.fixture
def voorstel(in_behandeling: Aanvraag) -> Beslissingsvoorstel:
    """A decision proposed by another reviewer, under a call with the vier-ogenprincipe."""
    Oproep.objects.filter(pk=in_behandeling.oproep_id).update(vier_ogen=True)
    in_behandeling.oproep.refresh_from_db()
    return beslissing_voorstellen(
        aanvraag=in_behandeling,
        by=UserFactory.create(beoordelaar=True),
        uitkomst=AanvraagStatus.AFGEWEZEN,
        motivatie="Voorgesteld door een collega.",
    )


@WEINIG
@given(
    invoer=formulier(
        {
            "voorstel": keuze(("§voorstel",), ("99999999999", "1.5", "§aanvraag")),
            "reden": tekstveld(TERUGSTUUR_REDEN_MAX),
        }
    ),
    actie=st.sampled_from(("bevestigen", "terugsturen")),
    encoding=ENCODING,
)
def test_voorstel_forms(invoer, actie, encoding, in_behandeling, voorstel, als_beoordelaar):
    prefix = "voorstel-" if actie == "bevestigen" else "terug-"
    data = {
        prefix + naam: waarde
        for naam, waarde in invullen(
            invoer, _ids(voorstel=voorstel, aanvraag=in_behandeling)
        ).items()
    }
    with voorbeeld():
        uitkomst = post(
            als_beoordelaar,
            f"/beoordeling/{in_behandeling.pk}/voorstel/{actie}/",
            data,
            encoding,
        )
        voorstel.refresh_from_db()
        if not uitkomst.gelukt:
            assert voorstel.status == Voorstelstatus.OPEN
        elif actie == "bevestigen":
            alleen(
                uitkomst.veranderd,
                "aanvragen_aanvraag",
                "aanvragen_statuswijziging",
                "beoordeling_beslissing",
                "beoordeling_beslissingsvoorstel",
                "berichten_bericht",
            )
            assert voorstel.status == Voorstelstatus.BEVESTIGD
            assert Beslissing.objects.get(aanvraag=in_behandeling).uitkomst == "afgewezen"
        else:
            alleen(uitkomst.veranderd, "beoordeling_beslissingsvoorstel")
            form = VoorstelTerugsturenForm(als_querydict(data), prefix="terug")
            assert form.is_valid(), form.errors
            assert voorstel.status == Voorstelstatus.TERUGGESTUURD
            assert voorstel.reden == form.cleaned_data["reden"]
