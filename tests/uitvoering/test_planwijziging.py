"""Changes to the meerjarenplan during the uitvoering: the services' rules (who, when, one open
proposal, a refusal's reason, the call's minimum of actions), the diff against the decided
version, and the approval that applies the change and seals it as a new version (snapshot and
hash at once, the PDF from the snapshot), leaving the earlier version as it was."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from applications.aanvragen.models import Aanvraag, Actie, Indiening
from applications.aanvragen.momentopname import inhoud_sha256
from applications.aanvragen.submission import aanvraag_seal
from applications.accounts.models import User
from applications.berichten.models import Bericht
from applications.besturen.models import Lidmaatschap, LokaalBestuur
from applications.uitvoering.constants import (
    Actiewijzigingssoort,
    Ledenwijzigingssoort,
    Opvolgstatus,
    Wijzigingsstatus,
)
from applications.uitvoering.models import Afsluiting, Opvolgmoment, Planwijziging
from applications.uitvoering.opvolging import acties_van_jaar
from applications.uitvoering.permissions import can_judge_planwijziging, can_propose_planwijziging
from applications.uitvoering.wijzigingen import (
    Actiegegevens,
    actie_schrappen,
    actie_voorstellen,
    lid_voorstellen,
    onderdeel_verwijderen,
    planwijziging_beoordelen,
    planwijziging_bewaren,
    planwijziging_intrekken,
    planwijziging_starten,
)
from applications.uitvoering.wijzigingsverschil import planverschil

from ..aanvraag_helpers import worker_maakt_pdfs
from ..factories import LidmaatschapFactory, UserFactory
from ..pdf_helpers import pdf_reader

pytestmark = pytest.mark.django_db

BRUSSEL = ZoneInfo("Europe/Brussels")
VOORSTEL = datetime.datetime(2024, 3, 4, 10, 0, tzinfo=BRUSSEL)
INGEDIEND = datetime.datetime(2024, 3, 5, 10, 0, tzinfo=BRUSSEL)
BESLIST = datetime.datetime(2024, 3, 20, 15, 30, tzinfo=BRUSSEL)


@pytest.fixture
def besloten(lopend: Aanvraag, regisseur: User) -> Aanvraag:
    """`lopend` (2023-2025, two actions a year) with its decided version sealed."""
    aanvraag_seal(
        aanvraag=lopend, by=regisseur, now=datetime.datetime(2023, 1, 10, 12, tzinfo=BRUSSEL)
    )
    return lopend


def _actie(aanvraag: Aanvraag, jaar: int, n: int = 0) -> Actie:
    return acties_van_jaar(aanvraag, jaar)[n]


def _gegevens(aanvraag: Aanvraag, jaar: int, titel: str, **velden: object) -> Actiegegevens:
    return Actiegegevens(
        prioriteit=_actie(aanvraag, jaar).prioriteit,
        jaar=jaar,
        titel=titel,
        **velden,  # type: ignore[arg-type]
    )


def _ingediend(aanvraag: Aanvraag, regisseur: User) -> Planwijziging:
    """A submitted proposal: the first action of 2024 replaced by a new one, and the budget and
    title of the first action of 2025 changed."""
    w = planwijziging_starten(aanvraag=aanvraag, by=regisseur, now=VOORSTEL)
    oud_2024 = _actie(aanvraag, 2024)
    actie_voorstellen(
        wijziging=w,
        by=regisseur,
        gegevens=Actiegegevens(
            prioriteit=oud_2024.prioriteit,
            jaar=2024,
            titel="Startersloket sociaal ondernemen",
            indicator="Aantal starters",
            budget=Decimal("7000.00"),
        ),
        now=VOORSTEL,
    )
    actie_schrappen(wijziging=w, by=regisseur, actie_nummer=oud_2024.pk, now=VOORSTEL)
    a2025 = _actie(aanvraag, 2025)
    actie_voorstellen(
        wijziging=w,
        by=regisseur,
        actie_nummer=a2025.pk,
        gegevens=Actiegegevens(
            prioriteit=a2025.prioriteit,
            jaar=2025,
            titel="Jobbeurs in elke gemeente",
            beschrijving=a2025.beschrijving,
            budget=Decimal("2500.50"),
        ),
        now=VOORSTEL,
    )
    return planwijziging_bewaren(
        wijziging=w,
        by=regisseur,
        motivatie="Het loket vervangt de actie.",
        indienen=True,
        now=INGEDIEND,
    )


def test_a_granted_plan_changes_by_an_approved_proposal_sealed_as_a_new_version(
    besloten: Aanvraag, regisseur: User, beoordelaar: User
) -> None:
    v1 = besloten.indieningen.get()
    v1_inhoud, v1_hash = v1.inhoud, v1.inhoud_sha256
    oud_2024, a2025 = _actie(besloten, 2024), _actie(besloten, 2025)
    w = _ingediend(besloten, regisseur)
    assert (w.status, w.ingediend_door, w.basis) == (Wijzigingsstatus.INGEDIEND, regisseur, v1)
    # The plan does not change before WSE decides.
    assert Actie.objects.filter(pk=oud_2024.pk).exists()

    w = planwijziging_beoordelen(wijziging=w, by=beoordelaar, goedkeuren=True, now=BESLIST)

    assert (w.status, w.beoordeeld_door, w.beoordeeld_op) == (
        Wijzigingsstatus.GOEDGEKEURD,
        beoordelaar,
        BESLIST,
    )
    v2 = w.versie
    assert v2 is not None and v2.nummer == 2 and v2.wijzigingsnummer == 1
    # The snapshot and its hash are there in the approval's transaction; the PDF follows.
    assert v2.inhoud_sha256 == inhoud_sha256(v2.inhoud)
    assert not v2.pdf_klaar
    assert v2.inhoud["wijziging"]["goedgekeurd_door"]["email"] == beoordelaar.email
    assert v2.inhoud["indiening"]["ingediend_door"]["email"] == regisseur.email
    titels = {a["titel"] for a in v2.inhoud["acties"]}
    assert "Startersloket sociaal ondernemen" in titels
    assert "Jobbeurs in elke gemeente" in titels
    assert oud_2024.titel not in titels
    # The aanvraag's actions took the change; the opvolgmoment of 2024 reports on them.
    assert not Actie.objects.filter(pk=oud_2024.pk).exists()
    assert "Startersloket sociaal ondernemen" in [a.titel for a in acties_van_jaar(besloten, 2024)]
    a2025.refresh_from_db()
    assert (a2025.titel, a2025.budget) == ("Jobbeurs in elke gemeente", Decimal("2500.50"))
    # The earlier version never changes.
    v1.refresh_from_db()
    assert (v1.inhoud, v1.inhoud_sha256) == (v1_inhoud, v1_hash)
    assert v1.inhoud_sha256 == inhoud_sha256(v1.inhoud)
    # Who decided what and when is kept; the regisseurs heard of the outcome, WSE of the proposal.
    assert [(s.van, s.naar) for s in w.stappen.all()] == [
        (Wijzigingsstatus.CONCEPT, Wijzigingsstatus.INGEDIEND),
        (Wijzigingsstatus.INGEDIEND, Wijzigingsstatus.GOEDGEKEURD),
    ]
    onderwerpen = {b.onderwerp: b.aan for b in Bericht.objects.all()}
    assert any(
        o.startswith("Voorstel tot wijziging") and beoordelaar.email in aan
        for o, aan in onderwerpen.items()
    )
    assert any("goedgekeurd" in o and regisseur.email in aan for o, aan in onderwerpen.items())


def test_the_sealed_pdf_of_a_change_shows_the_change_and_its_hash_and_the_earlier_one_stays(
    besloten: Aanvraag, regisseur: User, beoordelaar: User
) -> None:
    [v1] = worker_maakt_pdfs(besloten)
    v1_pdf = v1.pdf_sha256
    oud_titel = _actie(besloten, 2024).titel
    w = planwijziging_beoordelen(
        wijziging=_ingediend(besloten, regisseur), by=beoordelaar, goedkeuren=True, now=BESLIST
    )
    [v2] = worker_maakt_pdfs(besloten)
    assert v2.pk == w.versie_id
    tekst = _tekst(v2.pdf.read())
    assert "Wijziging 1 van het meerjarenplan" in tekst
    assert "Startersloket sociaal ondernemen" in tekst
    assert f"Geschrapt: {_code(besloten)} \u2013 2024 \u2013 {oud_titel}" in tekst
    assert "2.500,50" in tekst  # the changed budget, old -> new
    assert "De toegekende bedragen wijzigen niet door deze wijziging" in tekst
    assert v2.inhoud_sha256 in tekst.replace(" ", "")
    # The decided version's PDF is the same file, and says nothing of the change.
    v1.refresh_from_db()
    assert v1.pdf_sha256 == v1_pdf
    assert "Startersloket" not in _tekst(v1.pdf.read())


def _tekst(content: bytes) -> str:
    """The PDF's text as pypdf reads it, whitespace collapsed (a title may wrap in a cell)."""
    return " ".join(" ".join(p.extract_text() for p in pdf_reader(content).pages).split())


def _code(aanvraag: Aanvraag) -> str:
    return aanvraag.oproep.prioriteiten.order_by("volgorde").first().code  # type: ignore[union-attr]


def test_the_diff_shows_added_changed_field_by_field_and_cancelled_actions_against_the_basis(
    besloten: Aanvraag, regisseur: User
) -> None:
    oud_2024, a2025 = _actie(besloten, 2024), _actie(besloten, 2025)
    verschil = planverschil(_ingediend(besloten, regisseur))
    per_soort = {a.soort: a for a in verschil.acties}
    assert set(per_soort) == set(Actiewijzigingssoort)
    gewijzigd = per_soort[Actiewijzigingssoort.GEWIJZIGD]
    assert gewijzigd.titel == a2025.titel  # named as it was
    assert [(v.veld, v.oud, v.nieuw) for v in gewijzigd.velden] == [
        ("Titel", a2025.titel, "Jobbeurs in elke gemeente"),
        ("Budget (EUR)", "1.000,00", "2.500,50"),
    ]
    nieuw = per_soort[Actiewijzigingssoort.NIEUW]
    assert ("Indicator", "", "Aantal starters") in [(v.veld, v.oud, v.nieuw) for v in nieuw.velden]
    geschrapt = per_soort[Actiewijzigingssoort.GESCHRAPT]
    assert (geschrapt.titel, geschrapt.jaar, geschrapt.velden) == (oud_2024.titel, 2024, [])


def test_the_diff_reads_the_old_values_from_the_sealed_basis_not_from_the_plan_now(
    besloten: Aanvraag, regisseur: User
) -> None:
    a2025 = _actie(besloten, 2025)
    w = _ingediend(besloten, regisseur)
    Actie.objects.filter(pk=a2025.pk).update(titel="Ondertussen anders")
    gewijzigd = next(a for a in planverschil(w).acties if a.soort == "gewijzigd")
    assert gewijzigd.velden[0].oud == a2025.titel


def test_a_refusal_needs_a_reason_and_changes_nothing(
    besloten: Aanvraag, regisseur: User, beoordelaar: User
) -> None:
    w = _ingediend(besloten, regisseur)
    acties = set(Actie.objects.filter(aanvraag=besloten).values_list("pk", "titel", "budget"))
    with pytest.raises(ValidationError) as fout:
        planwijziging_beoordelen(wijziging=w, by=beoordelaar, goedkeuren=False, reden="  ")
    assert "reden" in fout.value.message_dict
    w.refresh_from_db()
    assert w.status == Wijzigingsstatus.INGEDIEND
    w = planwijziging_beoordelen(
        wijziging=w, by=beoordelaar, goedkeuren=False, reden="Het budget is niet onderbouwd."
    )
    assert (w.status, w.reden, w.versie) == (
        Wijzigingsstatus.GEWEIGERD,
        "Het budget is niet onderbouwd.",
        None,
    )
    assert (
        set(Actie.objects.filter(aanvraag=besloten).values_list("pk", "titel", "budget")) == acties
    )
    assert besloten.indieningen.count() == 1
    assert Bericht.objects.filter(onderwerp__contains="geweigerd").exists()
    # Decided is final.
    with pytest.raises(ValidationError):
        planwijziging_beoordelen(wijziging=w, by=beoordelaar, goedkeuren=True)


def test_one_open_proposal_per_aanvraag_at_a_time(besloten: Aanvraag, regisseur: User) -> None:
    w = planwijziging_starten(aanvraag=besloten, by=regisseur, now=VOORSTEL)
    with pytest.raises(ValidationError) as fout:
        planwijziging_starten(aanvraag=besloten, by=regisseur, now=VOORSTEL)
    assert fout.value.code == "al_open"
    planwijziging_intrekken(wijziging=w, by=regisseur, now=VOORSTEL)
    tweede = planwijziging_starten(aanvraag=besloten, by=regisseur, now=VOORSTEL)
    assert tweede.nummer == 2
    # The database holds the rule too.
    with pytest.raises(Exception):  # noqa: B017 (IntegrityError inside an atomic block)
        from django.db import transaction

        with transaction.atomic():
            Planwijziging.objects.create(aanvraag=besloten, nummer=3, basis=tweede.basis)


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2022, 12, 31, 23, 0, tzinfo=BRUSSEL),
        datetime.datetime(2026, 1, 1, 0, 30, tzinfo=BRUSSEL),
    ],
)
def test_a_change_is_proposed_only_during_the_period(
    besloten: Aanvraag, regisseur: User, moment: datetime.datetime
) -> None:
    with pytest.raises(ValidationError, match="periode"):
        planwijziging_starten(aanvraag=besloten, by=regisseur, now=moment)


def test_a_draft_cannot_be_changed_or_submitted_once_the_period_is_over(
    besloten: Aanvraag, regisseur: User
) -> None:
    w = planwijziging_starten(aanvraag=besloten, by=regisseur, now=VOORSTEL)
    with pytest.raises(ValidationError, match="periode"):
        planwijziging_bewaren(
            wijziging=w,
            by=regisseur,
            motivatie="Te laat.",
            indienen=True,
            now=datetime.datetime(2026, 2, 1, tzinfo=BRUSSEL),
        )


def test_an_aanvraag_that_was_not_granted_has_no_changes(
    aanvraag: Aanvraag, regisseur: User
) -> None:
    with pytest.raises(ValidationError, match="goedgekeurde"):
        planwijziging_starten(
            aanvraag=aanvraag, by=regisseur, now=datetime.datetime(2031, 3, 1, tzinfo=BRUSSEL)
        )


def test_who_proposes_and_who_decides(
    besloten: Aanvraag, regisseur: User, collega: User, beoordelaar: User, beheerder: User
) -> None:
    for wie in (collega, beoordelaar, beheerder):
        with pytest.raises(PermissionDenied):
            planwijziging_starten(aanvraag=besloten, by=wie, now=VOORSTEL)
    w = _ingediend(besloten, regisseur)
    for wie in (regisseur, collega):
        with pytest.raises(PermissionDenied):
            planwijziging_beoordelen(wijziging=w, by=wie, goedkeuren=True, now=BESLIST)
    # A reviewer who is also a regisseur of the verband never judges its change.
    dubbel = UserFactory.create(beoordelaar=True, regisseur_van=[besloten.regieverband])
    with pytest.raises(PermissionDenied):
        planwijziging_beoordelen(wijziging=w, by=dubbel, goedkeuren=True, now=BESLIST)
    # A beheerder decides too.
    w = planwijziging_beoordelen(wijziging=w, by=beheerder, goedkeuren=True, now=BESLIST)
    assert w.status == Wijzigingsstatus.GOEDGEKEURD


def test_a_submitted_proposal_is_not_edited_and_the_reviewer_does_not_edit_a_draft(
    besloten: Aanvraag, regisseur: User, beoordelaar: User
) -> None:
    w = planwijziging_starten(aanvraag=besloten, by=regisseur, now=VOORSTEL)
    with pytest.raises(PermissionDenied):
        actie_schrappen(
            wijziging=w, by=beoordelaar, actie_nummer=_actie(besloten, 2025).pk, now=VOORSTEL
        )
    w = _ingediend_vanuit(w, besloten, regisseur)
    with pytest.raises(ValidationError, match="ingediend"):
        actie_schrappen(
            wijziging=w, by=regisseur, actie_nummer=_actie(besloten, 2025, 1).pk, now=VOORSTEL
        )


def _ingediend_vanuit(w: Planwijziging, aanvraag: Aanvraag, regisseur: User) -> Planwijziging:
    a = _actie(aanvraag, 2025)
    actie_voorstellen(
        wijziging=w,
        by=regisseur,
        actie_nummer=a.pk,
        gegevens=Actiegegevens(prioriteit=a.prioriteit, jaar=2025, titel="Nieuwe titel"),
        now=VOORSTEL,
    )
    return planwijziging_bewaren(
        wijziging=w, by=regisseur, motivatie="Waarom.", indienen=True, now=INGEDIEND
    )


def test_actions_of_a_past_year_do_not_change(besloten: Aanvraag, regisseur: User) -> None:
    w = planwijziging_starten(aanvraag=besloten, by=regisseur, now=VOORSTEL)
    a2023 = _actie(besloten, 2023)
    with pytest.raises(ValidationError, match="voorbij"):
        actie_schrappen(wijziging=w, by=regisseur, actie_nummer=a2023.pk, now=VOORSTEL)
    with pytest.raises(ValidationError, match="voorbij"):
        actie_voorstellen(
            wijziging=w, by=regisseur, gegevens=_gegevens(besloten, 2023, "Te laat"), now=VOORSTEL
        )
    with pytest.raises(ValidationError, match="niets gewijzigd"):
        a = _actie(besloten, 2025)
        actie_voorstellen(
            wijziging=w,
            by=regisseur,
            actie_nummer=a.pk,
            gegevens=Actiegegevens(
                prioriteit=a.prioriteit,
                jaar=a.jaar,
                titel=a.titel,
                beschrijving=a.beschrijving,
                budget=a.budget,
            ),
            now=VOORSTEL,
        )


def test_submitting_needs_a_motivation_a_change_and_the_calls_minimum_of_actions(
    besloten: Aanvraag, regisseur: User
) -> None:
    w = planwijziging_starten(aanvraag=besloten, by=regisseur, now=VOORSTEL)
    with pytest.raises(ValidationError) as fout:
        planwijziging_bewaren(wijziging=w, by=regisseur, motivatie="", indienen=True, now=INGEDIEND)
    assert len(fout.value.messages) == 2  # no motivation, nothing changed
    a = _actie(besloten, 2024)
    schrap = actie_schrappen(wijziging=w, by=regisseur, actie_nummer=a.pk, now=VOORSTEL)
    with pytest.raises(ValidationError, match=f"{a.prioriteit.code} in 2024"):
        planwijziging_bewaren(
            wijziging=w, by=regisseur, motivatie="Weg ermee.", indienen=True, now=INGEDIEND
        )
    # The draft is saved; taking the cancellation out again is possible.
    onderdeel_verwijderen(wijziging=w, by=regisseur, onderdeel=schrap, now=VOORSTEL)
    assert not w.acties.exists()


def test_members_join_and_leave_as_memberships_with_dates_keeping_the_history(
    besloten: Aanvraag, regisseur: User, beoordelaar: User
) -> None:
    verband = besloten.regieverband
    kinrooi = LokaalBestuur.objects.get(nis_code="72018")
    maaseik = LokaalBestuur.objects.get(nis_code="72021")
    oud = LidmaatschapFactory.create(regieverband=verband, bestuur=kinrooi)
    w = planwijziging_starten(aanvraag=besloten, by=regisseur, now=VOORSTEL)
    lid_voorstellen(
        wijziging=w,
        by=regisseur,
        soort=Ledenwijzigingssoort.TOETREDING,
        bestuur=maaseik,
        datum=datetime.date(2024, 9, 1),
        now=VOORSTEL,
    )
    lid_voorstellen(
        wijziging=w,
        by=regisseur,
        soort=Ledenwijzigingssoort.UITTREDING,
        bestuur=kinrooi,
        datum=datetime.date(2024, 7, 1),
        now=VOORSTEL,
    )
    with pytest.raises(ValidationError, match="al lid"):
        lid_voorstellen(
            wijziging=w,
            by=regisseur,
            soort=Ledenwijzigingssoort.TOETREDING,
            bestuur=LokaalBestuur.objects.get(nis_code="73107"),
            datum=datetime.date(2024, 9, 1),
            now=VOORSTEL,
        )
    with pytest.raises(ValidationError, match="geen lid"):
        lid_voorstellen(
            wijziging=w,
            by=regisseur,
            soort=Ledenwijzigingssoort.UITTREDING,
            bestuur=LokaalBestuur.objects.get(nis_code="73042"),
            datum=datetime.date(2024, 9, 1),
            now=VOORSTEL,
        )
    rijen = Lidmaatschap.objects.filter(regieverband=verband).count()
    w = planwijziging_bewaren(
        wijziging=w, by=regisseur, motivatie="Maaseik sluit aan.", indienen=True, now=INGEDIEND
    )
    w = planwijziging_beoordelen(wijziging=w, by=beoordelaar, goedkeuren=True, now=BESLIST)
    assert Lidmaatschap.objects.filter(regieverband=verband).count() == rijen + 1
    nieuw = Lidmaatschap.objects.get(regieverband=verband, bestuur=maaseik)
    assert (nieuw.van, nieuw.tot) == (datetime.date(2024, 9, 1), None)
    oud.refresh_from_db()
    assert (oud.van, oud.tot) == (datetime.date(2020, 1, 1), datetime.date(2024, 6, 30))
    leden = w.versie.inhoud["wijziging"]  # type: ignore[union-attr]
    assert leden["leden_na"]["datum"] == "2024-09-01"
    assert {b["nis_code"] for b in leden["leden_na"]["leden"]} == {"73107", "72021"}


def test_an_approval_is_refused_once_the_years_opvolgmoment_was_submitted(
    besloten: Aanvraag, regisseur: User, beoordelaar: User
) -> None:
    w = _ingediend(besloten, regisseur)
    Opvolgmoment.objects.create(aanvraag=besloten, jaar=2024, status=Opvolgstatus.INGEDIEND)
    with pytest.raises(ValidationError, match="2024"):
        planwijziging_beoordelen(wijziging=w, by=beoordelaar, goedkeuren=True, now=BESLIST)
    assert Indiening.objects.filter(aanvraag=besloten).count() == 1


def test_a_closed_dossier_takes_no_change_and_an_open_proposal_is_not_decided(
    besloten: Aanvraag, regisseur: User, beoordelaar: User
) -> None:
    """A closed dossier is read-only (`is_afgesloten`): no proposal is started, and one that was
    submitted before the closing is no longer approved (a reopening lets it be decided)."""
    w = _ingediend(besloten, regisseur)
    Afsluiting.objects.create(aanvraag=besloten, afgesloten_door=beoordelaar)
    acties = set(Actie.objects.filter(aanvraag=besloten).values_list("pk", "titel", "budget"))
    with pytest.raises(PermissionDenied, match="afgesloten"):
        planwijziging_beoordelen(wijziging=w, by=beoordelaar, goedkeuren=True)
    w.refresh_from_db()
    assert w.status == Wijzigingsstatus.INGEDIEND
    assert not can_judge_planwijziging(beoordelaar, besloten)
    assert not can_propose_planwijziging(regisseur, besloten)
    w.status = Wijzigingsstatus.INGETROKKEN
    w.save(update_fields=["status"])
    with pytest.raises(PermissionDenied, match="afgesloten"):
        planwijziging_starten(aanvraag=besloten, by=regisseur, now=VOORSTEL)
    assert (
        set(Actie.objects.filter(aanvraag=besloten).values_list("pk", "titel", "budget")) == acties
    )
    assert besloten.indieningen.count() == 1
