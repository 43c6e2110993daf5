"""The 2020-2025 subsidy formula at every bracket boundary and with each cap, and its order of
priority when the budget falls short. Populations and rates here are made up."""

from __future__ import annotations

from decimal import Decimal

import pytest

from applications.oproepen.constants import Subsidieformule
from applications.oproepen.subsidie import (
    Kandidaat,
    Lid,
    bevolkingsschijven_2020,
    indicatie,
    is_formule_gekend,
    schijfbedrag_2020,
    verdeel_2020,
)

# (inhabitants, yearly amount): every boundary of the table and the first number above it.
BOUNDARIES = [
    (1, 25_000),
    (80_000, 25_000),
    (80_001, 50_000),
    (150_000, 50_000),
    (150_001, 75_000),
    (220_000, 75_000),
    (220_001, 100_000),
    (290_000, 100_000),
    (290_001, 125_000),
    (360_000, 125_000),
    (360_001, 150_000),
    (430_000, 150_000),
    (430_001, 175_000),
    (500_000, 175_000),
    (500_001, 200_000),
    (2_000_000, 200_000),
]


@pytest.mark.parametrize(("inwoners", "bedrag"), BOUNDARIES)
def test_each_bracket_boundary_belongs_to_the_lower_bracket(inwoners: int, bedrag: int) -> None:
    assert schijfbedrag_2020(inwoners) == bedrag


@pytest.mark.parametrize(("inwoners", "bedrag"), BOUNDARIES)
def test_a_centrumstad_alone_gets_its_bracket_uncapped(inwoners: int, bedrag: int) -> None:
    result = bevolkingsschijven_2020([Lid("Stad", inwoners, True)], min_inwoners=60_000)
    assert result.bedrag == Decimal(bedrag)


@pytest.mark.parametrize(
    ("inwoners", "bedrag"),
    [(60_000, 25_000), (80_000, 25_000), (80_001, 50_000), (150_001, 50_000), (900_000, 50_000)],
)
def test_a_verband_without_centrumstad_gets_at_most_50000(inwoners: int, bedrag: int) -> None:
    leden = [Lid("A", inwoners // 2, False), Lid("B", inwoners - inwoners // 2, False)]
    result = bevolkingsschijven_2020(leden, min_inwoners=60_000)
    assert result.bedrag == Decimal(bedrag)
    if inwoners > 150_000:
        assert "begrensd" in result.uitleg


def test_a_centrumstad_in_a_verband_adds_at_most_50000_to_what_it_gets_alone() -> None:
    # The city alone (100,000) gets 50,000; with its partners the verband has 300,000
    # inhabitants (bracket 125,000) but gets at most 50,000 + 50,000.
    leden = [Lid("Stad", 100_000, True), Lid("Rand", 200_000, False)]
    result = bevolkingsschijven_2020(leden, min_inwoners=60_000)
    assert result.bedrag == Decimal(100_000)
    assert "centrumstad alleen" in result.uitleg


def test_the_centrumstad_cap_does_not_bite_when_the_bracket_is_lower() -> None:
    # City alone 170,000 (75,000); verband 230,000 (100,000) stays under 75,000 + 50,000.
    leden = [Lid("Stad", 170_000, True), Lid("Rand", 60_000, False)]
    assert bevolkingsschijven_2020(leden, min_inwoners=None).bedrag == Decimal(100_000)


def test_two_centrumsteden_count_together_as_the_centrumstad() -> None:
    leden = [Lid("Stad 1", 70_000, True), Lid("Stad 2", 70_000, True), Lid("Rand", 300_000, False)]
    # Together 140,000 alone gives 50,000; plus 50,000 caps the 440,000 bracket (175,000).
    assert bevolkingsschijven_2020(leden, min_inwoners=None).bedrag == Decimal(100_000)


def test_under_the_minimum_a_verband_gets_nothing_but_a_centrumstad_alone_does() -> None:
    klein = [Lid("A", 30_000, False), Lid("B", 29_999, False)]
    result = bevolkingsschijven_2020(klein, min_inwoners=60_000)
    assert result.bedrag == Decimal(0)
    assert "minimum" in result.uitleg
    assert bevolkingsschijven_2020(klein, min_inwoners=None).bedrag == Decimal(25_000)
    stad = [Lid("Stad", 45_000, True)]
    assert bevolkingsschijven_2020(stad, min_inwoners=60_000).bedrag == Decimal(25_000)


def test_an_unknown_population_gives_no_amount_and_says_whose() -> None:
    result = bevolkingsschijven_2020([Lid("A", 90_000, False), Lid("B", None, False)])
    assert result.bedrag is None
    assert "B" in result.uitleg
    assert bevolkingsschijven_2020([]).bedrag is None


def test_an_unknown_formula_computes_nothing() -> None:
    assert not is_formule_gekend(Subsidieformule.ONBEKEND)
    assert indicatie(Subsidieformule.ONBEKEND, [Lid("A", 90_000, False)], min_inwoners=None) is None
    assert indicatie(
        Subsidieformule.BEVOLKINGSSCHIJVEN_2020, [Lid("A", 90_000, False)], min_inwoners=None
    ) == bevolkingsschijven_2020([Lid("A", 90_000, False)])


# --- Order of priority ----------------------------------------------------------------------------


def _k(sleutel: int, bedrag: int, stad: bool = False, graad: str | None = "5") -> Kandidaat:
    return Kandidaat(sleutel, Decimal(bedrag), stad, Decimal(graad) if graad else None)


def test_everyone_gets_their_amount_while_the_budget_suffices() -> None:
    result = verdeel_2020([_k(1, 50_000), _k(2, 25_000, graad=None)], Decimal(75_000)).toewijzingen
    assert {k: t.bedrag for k, t in result.items()} == {1: 50_000, 2: 25_000}


def test_centrumsteden_first_then_by_highest_unemployment_the_last_one_partly() -> None:
    kandidaten = [
        _k(1, 100_000, stad=True),
        _k(2, 50_000, graad="4.1"),
        _k(3, 50_000, graad="7.9"),
        _k(4, 50_000, graad="6.0"),
    ]
    result = verdeel_2020(kandidaten, Decimal(180_000)).toewijzingen
    assert result[1].bedrag == 100_000
    assert result[3].bedrag == 50_000  # highest rate
    assert result[4].bedrag == 30_000  # what is left
    assert "Gedeeltelijk" in result[4].uitleg
    assert result[2].bedrag == 0


def test_a_missing_rate_leaves_the_order_of_the_others_undetermined() -> None:
    kandidaten = [_k(1, 100_000, stad=True), _k(2, 50_000), _k(3, 50_000, graad=None)]
    result = verdeel_2020(kandidaten, Decimal(150_000)).toewijzingen
    assert result[1].bedrag == 100_000
    assert result[2].bedrag is None and result[3].bedrag is None
    assert "werkloosheidsgraad" in result[3].uitleg


def test_centrumsteden_beyond_the_budget_cannot_be_ordered() -> None:
    kandidaten = [_k(1, 200_000, stad=True), _k(2, 150_000, stad=True), _k(3, 25_000)]
    result = verdeel_2020(kandidaten, Decimal(300_000)).toewijzingen
    assert result[1].bedrag is None and result[2].bedrag is None
    assert result[3].bedrag == 0


def test_an_unknown_amount_counts_as_the_highest_bracket() -> None:
    kandidaten = [_k(1, 50_000), Kandidaat(2, None, False, None)]
    genoeg = verdeel_2020(kandidaten, Decimal(250_000))
    assert not genoeg.tekort
    assert genoeg.toewijzingen[1].bedrag == 50_000
    assert genoeg.toewijzingen[2].bedrag is None
    krap = verdeel_2020(kandidaten, Decimal(100_000))
    assert krap.tekort
    assert krap.toewijzingen[1].bedrag is None
    assert "niet gekend" in krap.toewijzingen[1].uitleg


def test_the_sharing_says_whether_the_budget_falls_short() -> None:
    assert not verdeel_2020([_k(1, 50_000)], Decimal(50_000)).tekort
    assert verdeel_2020([_k(1, 50_000)], Decimal(49_999)).tekort
