"""The subsidy formulas of the calls: the indicative yearly amount of an aanvraag.

Only what a source states is computed (DOMAIN.md). The formula is a setting of the call
(`Oproep.subsidieformule`); a call whose formula is unknown computes nothing, and the budget page
then shows no amount, never an invented one. Every amount here is indicative: WSE decides.

The one known formula is the population-bracket table of the 2020-2025 call:

- the verband's population (all members together) falls in a bracket with a yearly amount; the
  source's "tot 80.000" is read as up to and including 80,000, and so on for every bracket;
- a verband without a centrumstad gets at most 50,000 EUR;
- a centrumstad inside a verband adds at most 50,000 EUR to what the centrumstad would get alone;
- when the budget falls short, verbanden with a centrumstad are funded first, then the others by
  highest average unemployment rate of their members.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from applications.oproepen.constants import Subsidieformule

# (up to and including this many inhabitants, yearly amount in EUR); above the last: 200,000.
BEVOLKINGSSCHIJVEN_2020: tuple[tuple[int, int], ...] = (
    (80_000, 25_000),
    (150_000, 50_000),
    (220_000, 75_000),
    (290_000, 100_000),
    (360_000, 125_000),
    (430_000, 150_000),
    (500_000, 175_000),
)
BOVENSTE_SCHIJF_2020 = 200_000
NUL = Decimal(0)
MAX_ZONDER_CENTRUMSTAD_2020 = 50_000
MAX_TOESLAG_CENTRUMSTAD_2020 = 50_000


@dataclass(frozen=True)
class Lid:
    """A member as the formula sees it: its population (None when not imported) and its kind."""

    naam: str
    inwoners: int | None
    is_centrumstad: bool


@dataclass(frozen=True)
class Indicatie:
    """The indicative yearly amount and how it came about; `bedrag` None: cannot be computed."""

    bedrag: Decimal | None
    uitleg: str


def _eur(bedrag: int | Decimal) -> str:
    return "EUR " + formats.number_format(bedrag, decimal_pos=0, force_grouping=True)


def _aantal(n: int) -> str:
    return formats.number_format(n, force_grouping=True)


def schijfbedrag_2020(inwoners: int) -> int:
    """The yearly amount of the 2020-2025 bracket that `inwoners` falls in."""
    for grens, bedrag in BEVOLKINGSSCHIJVEN_2020:
        if inwoners <= grens:
            return bedrag
    return BOVENSTE_SCHIJF_2020


def bevolkingsschijven_2020(leden: Sequence[Lid], *, min_inwoners: int | None = None) -> Indicatie:
    """The 2020-2025 formula for one verband, with both caps and the call's minimum population.

    A centrumstad applying alone need not reach the minimum (the old regime's rule). With more
    than one centrumstad in a verband, their populations together count as "the centrumstad".
    """
    if not leden:
        return Indicatie(None, _("Geen leden op de peildatum."))
    onbekend = [lid.naam for lid in leden if lid.inwoners is None]
    if onbekend:
        return Indicatie(
            None, _("Inwonersaantal niet gekend voor: %(namen)s.") % {"namen": ", ".join(onbekend)}
        )
    totaal = sum(lid.inwoners or 0 for lid in leden)
    steden = [lid for lid in leden if lid.is_centrumstad]
    alleen_centrumstad = len(leden) == 1 and bool(steden)
    if min_inwoners and totaal < min_inwoners and not alleen_centrumstad:
        return Indicatie(
            Decimal(0),
            _("%(n)s inwoners: onder het minimum van %(min)s; geen subsidie.")
            % {"n": _aantal(totaal), "min": _aantal(min_inwoners)},
        )
    bedrag = schijfbedrag_2020(totaal)
    uitleg = _("%(n)s inwoners: schijf van %(bedrag)s.") % {
        "n": _aantal(totaal),
        "bedrag": _eur(bedrag),
    }
    if not steden:
        if bedrag > MAX_ZONDER_CENTRUMSTAD_2020:
            bedrag = MAX_ZONDER_CENTRUMSTAD_2020
            uitleg += " " + _("Zonder centrumstad begrensd tot %(max)s.") % {
                "max": _eur(MAX_ZONDER_CENTRUMSTAD_2020)
            }
    elif not alleen_centrumstad:
        alleen = schijfbedrag_2020(sum(lid.inwoners or 0 for lid in steden))
        plafond = alleen + MAX_TOESLAG_CENTRUMSTAD_2020
        if bedrag > plafond:
            bedrag = plafond
            uitleg += " " + _(
                "Begrensd tot wat de centrumstad alleen krijgt (%(alleen)s) plus %(toeslag)s."
            ) % {"alleen": _eur(alleen), "toeslag": _eur(MAX_TOESLAG_CENTRUMSTAD_2020)}
    return Indicatie(Decimal(bedrag), uitleg)


FORMULES: dict[str, Callable[..., Indicatie]] = {
    Subsidieformule.BEVOLKINGSSCHIJVEN_2020: bevolkingsschijven_2020,
}


def is_formule_gekend(formule: str) -> bool:
    return formule in FORMULES


def indicatie(formule: str, leden: Sequence[Lid], *, min_inwoners: int | None) -> Indicatie | None:
    """The call's formula applied to a verband; None when the call's formula is unknown."""
    bereken = FORMULES.get(formule)
    return bereken(leden, min_inwoners=min_inwoners) if bereken else None


# --- When the budget falls short ------------------------------------------------------------------


@dataclass(frozen=True)
class Kandidaat:
    """An aanvraag competing for a year's budget with its indicative amount (None: not known)."""

    sleutel: int
    bedrag: Decimal | None
    met_centrumstad: bool
    werkloosheidsgraad: Decimal | None  # the members' average, in percent; None: unknown


@dataclass(frozen=True)
class Toewijzing:
    """What the order of priority gives one aanvraag; `bedrag` None: cannot be determined."""

    bedrag: Decimal | None
    uitleg: str


@dataclass(frozen=True)
class Verdeling:
    toewijzingen: dict[int, Toewijzing]
    tekort: bool  # the budget (may) fall short: the order of priority decides


def verdeel_2020(kandidaten: Sequence[Kandidaat], budget: Decimal) -> Verdeling:
    """Share a year's budget by the 2020-2025 order of priority.

    Everyone gets their amount while the budget suffices. Otherwise the verbanden with a
    centrumstad come first, then the others from the highest average unemployment rate down; the
    first one that no longer fits gets what is left. An amount that cannot be computed counts as
    the highest bracket: if the budget suffices even so, the others are funded in full; if not,
    nobody's share can be known. Where the order itself cannot be known (the centrumsteden alone
    exceed the budget, or a rate is missing where it decides), the share is left undetermined.
    """
    onbekend = [k for k in kandidaten if k.bedrag is None]
    bekend = [k for k in kandidaten if k.bedrag is not None]
    hoogstens = sum((k.bedrag or NUL for k in bekend), NUL) + BOVENSTE_SCHIJF_2020 * len(onbekend)
    result = {
        k.sleutel: Toewijzing(None, _("Niet te bepalen: het indicatieve bedrag is niet gekend."))
        for k in onbekend
    }
    if hoogstens <= budget:
        for k in bekend:
            result[k.sleutel] = Toewijzing(k.bedrag, _("Volledig: het budget volstaat."))
        return Verdeling(result, tekort=False)
    if onbekend:
        for k in bekend:
            result[k.sleutel] = Toewijzing(
                None,
                _(
                    "Niet te bepalen: het budget volstaat misschien niet en het bedrag van "
                    "%(n)s aanvraag/aanvragen is niet gekend."
                )
                % {"n": len(onbekend)},
            )
        return Verdeling(result, tekort=True)
    result.update(_volgens_voorrang(bekend, budget))
    return Verdeling(result, tekort=True)


def _volgens_voorrang(kandidaten: list[Kandidaat], budget: Decimal) -> dict[int, Toewijzing]:
    eerst = [k for k in kandidaten if k.met_centrumstad]
    daarna = [k for k in kandidaten if not k.met_centrumstad]
    result: dict[int, Toewijzing] = {}
    rest = budget - sum((k.bedrag or NUL for k in eerst), NUL)
    if rest < 0:
        for k in eerst:
            result[k.sleutel] = Toewijzing(
                None,
                _(
                    "Niet te bepalen: de verbanden met een centrumstad vragen samen meer dan het "
                    "budget, en de bron geeft geen volgorde tussen hen."
                ),
            )
        for k in daarna:
            result[k.sleutel] = Toewijzing(NUL, _("Geen budget meer na de centrumsteden."))
        return result
    for k in eerst:
        result[k.sleutel] = Toewijzing(k.bedrag, _("Volledig: verband met centrumstad gaat voor."))
    if any(k.werkloosheidsgraad is None for k in daarna):
        for k in daarna:
            result[k.sleutel] = Toewijzing(
                None,
                _(
                    "Niet te bepalen: het budget volstaat niet en de gemiddelde "
                    "werkloosheidsgraad is niet voor elk verband gekend."
                ),
            )
        return result
    for k in sorted(daarna, key=lambda k: k.werkloosheidsgraad or 0, reverse=True):
        bedrag = k.bedrag or NUL
        if bedrag <= rest:
            result[k.sleutel] = Toewijzing(
                bedrag, _("Volledig, in volgorde van werkloosheidsgraad.")
            )
            rest -= bedrag
        elif rest > 0:
            result[k.sleutel] = Toewijzing(rest, _("Gedeeltelijk: wat van het budget overblijft."))
            rest = NUL
        else:
            result[k.sleutel] = Toewijzing(NUL, _("Geen budget meer."))
    return result
