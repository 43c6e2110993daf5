"""The ledger's rules: nothing paid beyond what is granted (per year and in total), corrections
and repayments as rows of their own, a later decision that lowers a year below what was paid
turns the difference into an amount to recover, and the call's tranches."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from applications.aanvragen.models import Aanvraag
from applications.accounts.models import User
from applications.uitvoering.constants import Boekingssoort, Schijfmoment
from applications.uitvoering.models import Betalingsschijf, Boeking, Terugvordering
from applications.uitvoering.selectors import grootboek, oproep_betalingen
from applications.uitvoering.services import bedragen_herzien, boeking_maken

from ..factories import AanvraagFactory, BeslissingFactory, UserFactory

pytestmark = pytest.mark.django_db

DAG = datetime.date(2026, 3, 1)


def _boek(
    aanvraag: Aanvraag,
    by: User,
    bedrag: str,
    jaar: int = 2030,
    soort: Boekingssoort = Boekingssoort.BETALING,
) -> Boeking:
    return boeking_maken(
        aanvraag=aanvraag,
        by=by,
        soort=soort,
        jaar=jaar,
        datum=DAG,
        bedrag=Decimal(bedrag),
        referentie=f"FIN-{jaar}-{bedrag}",
    )


def test_payments_fill_a_year_up_to_what_is_granted(toegekend, beheerder):
    _boek(toegekend, beheerder, "30000")
    _boek(toegekend, beheerder, "20000")
    jaar = grootboek(toegekend).jaren[0]
    assert (jaar.jaar, jaar.toegekend, jaar.betaald, jaar.openstaand) == (
        2030,
        Decimal("50000.00"),
        Decimal("50000.00"),
        Decimal("0.00"),
    )
    boek = grootboek(toegekend)
    assert (boek.toegekend, boek.betaald, boek.openstaand) == (
        Decimal("150000.00"),
        Decimal("50000.00"),
        Decimal("100000.00"),
    )


def test_a_payment_beyond_the_years_grant_is_refused_with_what_is_left(toegekend, beheerder):
    _boek(toegekend, beheerder, "45000")
    with pytest.raises(ValidationError) as refused:
        _boek(toegekend, beheerder, "5000.01")
    assert refused.value.message_dict["bedrag"] == [
        "Deze betaling brengt 2030 op EUR 50.000,01, meer dan de EUR 50.000,00 die toegekend "
        "is. Er kan nog EUR 5.000,00 betaald worden."
    ]
    assert Boeking.objects.count() == 1


def test_a_payment_beyond_the_total_grant_is_refused_when_another_year_was_overpaid(
    toegekend, beheerder, beoordelaar
):
    _boek(toegekend, beheerder, "50000", jaar=2030)
    # 2030 lowered to 40.000: 10.000 too much paid there.
    bedragen_herzien(
        aanvraag=toegekend,
        by=beoordelaar,
        bedragen={2030: Decimal(40000), 2031: Decimal(50000), 2032: Decimal(50000)},
        motivatie="Minder gerealiseerd in 2030.",
    )
    _boek(toegekend, beheerder, "50000", jaar=2031)
    # 2032 alone still has room, the whole grant (140.000, 100.000 paid) has 40.000.
    with pytest.raises(ValidationError) as refused:
        _boek(toegekend, beheerder, "45000", jaar=2032)
    assert "meer dan de EUR 140.000,00 die in totaal toegekend is" in str(
        refused.value.message_dict["bedrag"]
    )
    _boek(toegekend, beheerder, "40000", jaar=2032)


def test_a_correction_is_a_negative_row_and_never_edits_the_payment(toegekend, beheerder):
    betaling = _boek(toegekend, beheerder, "20000")
    correctie = _boek(toegekend, beheerder, "2000", soort=Boekingssoort.CORRECTIE)
    betaling.refresh_from_db()
    assert betaling.bedrag == Decimal("20000.00")
    assert correctie.bedrag == Decimal("-2000.00")
    assert grootboek(toegekend).jaren[0].betaald == Decimal("18000.00")


def test_a_correction_takes_back_at_most_what_the_year_holds(toegekend, beheerder):
    _boek(toegekend, beheerder, "1000")
    with pytest.raises(ValidationError) as refused:
        _boek(toegekend, beheerder, "1000.01", soort=Boekingssoort.CORRECTIE)
    assert "hoogstens terug wat voor 2030 betaald is: EUR 1.000,00" in str(refused.value)


def test_the_database_refuses_a_row_whose_sign_does_not_fit_its_kind(toegekend, beheerder):
    with pytest.raises(IntegrityError), transaction.atomic():
        Boeking.objects.create(
            aanvraag=toegekend,
            jaar=2030,
            soort=Boekingssoort.BETALING,
            datum=DAG,
            bedrag=Decimal("-5"),
            referentie="x",
            geboekt_door=beheerder,
        )


def test_lowering_a_grant_below_what_was_paid_creates_a_terugvordering_settled_by_repayment(
    toegekend, beheerder, beoordelaar
):
    _boek(toegekend, beheerder, "50000")
    herbeslissing = bedragen_herzien(
        aanvraag=toegekend,
        by=beoordelaar,
        bedragen={2030: Decimal(42000), 2031: Decimal(50000), 2032: Decimal(50000)},
        motivatie="Een actie werd geschrapt.",
    )
    terug = Terugvordering.objects.get()
    assert (terug.jaar, terug.bedrag, terug.herbeslissing) == (
        2030,
        Decimal("8000.00"),
        herbeslissing,
    )
    assert grootboek(toegekend).jaren[0].terug_te_vorderen == Decimal("8000.00")
    # More than is to be recovered cannot be repaid; the rest settles it.
    with pytest.raises(ValidationError):
        _boek(toegekend, beheerder, "8000.01", soort=Boekingssoort.TERUGBETALING)
    _boek(toegekend, beheerder, "8000", soort=Boekingssoort.TERUGBETALING)
    jaar = grootboek(toegekend).jaren[0]
    assert (jaar.betaald, jaar.terug_te_vorderen, jaar.openstaand) == (
        Decimal("42000.00"),
        Decimal("0"),
        Decimal("0.00"),
    )


def test_lowering_again_claims_only_what_is_newly_too_much(toegekend, beheerder, beoordelaar):
    _boek(toegekend, beheerder, "50000")
    for nieuw in (45000, 40000):
        bedragen_herzien(
            aanvraag=toegekend,
            by=beoordelaar,
            bedragen={2030: Decimal(nieuw), 2031: Decimal(50000), 2032: Decimal(50000)},
            motivatie="Minder.",
        )
    assert sorted(t.bedrag for t in Terugvordering.objects.all()) == [
        Decimal("5000.00"),
        Decimal("5000.00"),
    ]
    assert grootboek(toegekend).terug_te_vorderen == Decimal("10000.00")


def test_raising_a_grant_stays_within_the_calls_yearly_budget(toegekend, beoordelaar):
    toegekend.oproep.jaarbudget = Decimal("60000")
    toegekend.oproep.save()
    with pytest.raises(ValidationError) as refused:
        bedragen_herzien(
            aanvraag=toegekend,
            by=beoordelaar,
            bedragen={2030: Decimal("60000.01"), 2031: Decimal(50000), 2032: Decimal(50000)},
            motivatie="Meer.",
        )
    assert "nog EUR 10.000,00 over" in str(refused.value)


def test_only_beheerders_book_and_only_reviewers_decide_amounts(
    toegekend, regisseur, beoordelaar, beheerder
):
    for wie in (regisseur, beoordelaar):
        with pytest.raises(PermissionDenied):
            _boek(toegekend, wie, "10")
    for wie in (regisseur, beheerder):
        with pytest.raises(PermissionDenied):
            bedragen_herzien(
                aanvraag=toegekend,
                by=wie,
                bedragen={j: Decimal(1) for j in toegekend.oproep.jaren},
                motivatie="x",
            )


def test_a_beheerder_who_is_regisseur_of_the_verband_books_nothing_for_it(toegekend):
    beide = UserFactory.create(beheerder=True, regisseur_van=[toegekend.regieverband])
    with pytest.raises(PermissionDenied):
        _boek(toegekend, beide, "10")


def test_no_payments_for_an_aanvraag_that_is_not_granted(beheerder, verband, oproep):
    afgewezen = AanvraagFactory.create(regieverband=verband, oproep=oproep, afgewezen=True)
    BeslissingFactory.create(aanvraag=afgewezen, uitkomst="afgewezen")
    with pytest.raises(ValidationError, match="goedgekeurde aanvraag"):
        _boek(afgewezen, beheerder, "10")


def test_a_booking_in_the_future_or_outside_the_grant_is_refused(toegekend, beheerder):
    with pytest.raises(ValidationError) as refused:
        boeking_maken(
            aanvraag=toegekend,
            by=beheerder,
            soort=Boekingssoort.BETALING,
            jaar=2030,
            datum=datetime.date.today() + datetime.timedelta(days=1),
            bedrag=Decimal(10),
            referentie="x",
        )
    assert "datum" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _boek(toegekend, beheerder, "10", jaar=2029)
    assert refused.value.message_dict["jaar"] == ["Voor 2029 is niets toegekend."]


def test_tranches_of_the_call_split_each_year_and_add_up_to_at_most_100(toegekend):
    oproep = toegekend.oproep
    voorschot = Betalingsschijf.objects.create(
        oproep=oproep, naam="Voorschot", percentage=Decimal(60), moment=Schijfmoment.BEGIN_JAAR
    )
    Betalingsschijf.objects.create(
        oproep=oproep, naam="Saldo", percentage=Decimal(40), moment=Schijfmoment.NA_OPVOLGMOMENT
    )
    te_veel = Betalingsschijf(
        oproep=oproep, naam="Extra", percentage=Decimal(1), moment=Schijfmoment.BEGIN_JAAR
    )
    with pytest.raises(ValidationError, match="hoogstens 100"):
        te_veel.full_clean()
    jaar = grootboek(toegekend, vandaag=datetime.date(2030, 1, 1)).jaren[0]
    assert [(s.schijf, s.bedrag, s.verschuldigd) for s in jaar.schijven] == [
        (voorschot, Decimal("30000.00"), True),
        (Betalingsschijf.objects.get(naam="Saldo"), Decimal("20000.00"), False),
    ]
    vroeger = grootboek(toegekend, vandaag=datetime.date(2029, 12, 31)).jaren[0]
    assert not any(s.verschuldigd for s in vroeger.schijven)


def test_a_tranche_is_paid_once_the_years_payments_reach_it(toegekend, beheerder):
    oproep = toegekend.oproep
    Betalingsschijf.objects.create(
        oproep=oproep, naam="Voorschot", percentage=Decimal(60), moment=Schijfmoment.BEGIN_JAAR
    )
    Betalingsschijf.objects.create(
        oproep=oproep, naam="Saldo", percentage=Decimal(40), moment=Schijfmoment.NA_OPVOLGMOMENT
    )

    def standen() -> list[str]:
        jaar = grootboek(toegekend, vandaag=datetime.date(2030, 3, 1)).jaren[0]
        return [s.stand for s in jaar.schijven]

    assert standen() == ["te betalen", "nog niet verschuldigd"]
    _boek(toegekend, beheerder, "29999.99", jaar=2030)
    assert standen() == ["te betalen", "nog niet verschuldigd"]  # a cent short
    _boek(toegekend, beheerder, "0.01", jaar=2030)
    assert standen() == ["betaald", "nog niet verschuldigd"]
    _boek(toegekend, beheerder, "20000", jaar=2030)
    assert standen() == ["betaald", "betaald"]


def test_call_totals_count_granted_and_paid_per_year(toegekend, beheerder, verband, oproep):
    ander = AanvraagFactory.create(oproep=oproep, goedgekeurd=True)
    BeslissingFactory.create(aanvraag=ander)
    _boek(toegekend, beheerder, "20000")
    _boek(ander, beheerder, "5000", jaar=2031)
    totalen = oproep_betalingen(oproep)
    assert [
        (j.jaar, j.budget, j.toegekend, j.betaald, j.nog_te_betalen) for j in totalen.jaren
    ] == [
        (2030, Decimal("3000000.00"), Decimal("100000.00"), Decimal("20000.00"), Decimal(80000)),
        (2031, Decimal("3000000.00"), Decimal("100000.00"), Decimal("5000.00"), Decimal(95000)),
        (2032, Decimal("3000000.00"), Decimal("100000.00"), Decimal("0"), Decimal(100000)),
    ]
    assert (totalen.toegekend, totalen.betaald) == (Decimal("300000.00"), Decimal("25000.00"))
