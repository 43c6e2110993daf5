"""The geometry of the uitvoering page's two charts: stacked horizontal bars in SVG, drawn by the
template without any script (as the coverage and budget pages draw theirs). Coordinates are
strings with a decimal point, so no locale turns them into "12,5" inside an SVG attribute.

A chart never stands alone: the page shows the same numbers in a table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from applications.uitvoering.cijfers import Geld, Realisaties

# The chart's width in SVG units; the bars start after the labels.
BREEDTE = 420
# Text of 14 units: still about 12 px on a phone, where the chart is 355 px wide.
REALISATIE_LABEL = 88  # room for a priority's code ("WSE-LR1")
REALISATIE_BALK = 290
RIJ = 22  # a bar and its gap
JAARKOP = 22  # the year above its priorities
GELD_BALK = 400
GELD_RIJ = 42  # the verband's name above its bar


def _coord(waarde: float) -> str:
    return f"{waarde:.1f}"


@dataclass(frozen=True)
class Segment:
    soort: str  # the CSS modifier: a realisation status, or betaald / openstaand / terug
    x: str
    breedte: str


@dataclass(frozen=True)
class Balk:
    label: str
    y: str
    segmenten: list[Segment]
    einde: str  # where the text after the bar starts
    tekst: str  # that text (a count), or ""


@dataclass(frozen=True)
class Groep:
    titel: str
    y: str
    balken: list[Balk]


@dataclass(frozen=True)
class Grafiek:
    groepen: list[Groep]
    hoogte: int


def _segmenten(delen: list[tuple[str, float]], begin: float, schaal: float) -> list[Segment]:
    segmenten = []
    x = begin
    for soort, waarde in delen:
        if waarde <= 0:
            continue
        breedte = waarde * schaal
        segmenten.append(Segment(soort, _coord(x), _coord(breedte)))
        x += breedte
    return segmenten


def realisatiegrafiek(telling: Realisaties) -> Grafiek:
    """Per year a group, per priority a bar of its actions split by status; every bar on one
    scale (the most actions of any priority in any year), so the lengths compare."""
    meeste = max((rij.totaal for rij in telling.rijen), default=0)
    schaal = REALISATIE_BALK / meeste if meeste else 0.0
    groepen = []
    y = 0
    for jaar in telling.jaren:
        balken = []
        for i, rij in enumerate(jaar.rijen):
            segmenten = _segmenten(
                [(s, float(n)) for s, n in rij.per_status], REALISATIE_LABEL, schaal
            )
            einde = REALISATIE_LABEL + rij.totaal * schaal + 4
            balken.append(
                Balk(
                    label=rij.code,
                    y=str(JAARKOP + i * RIJ),
                    segmenten=segmenten,
                    einde=_coord(einde),
                    tekst=str(rij.totaal),
                )
            )
        groepen.append(Groep(str(jaar.jaar), str(y), balken))
        y += JAARKOP + len(balken) * RIJ + 6
    return Grafiek(groepen, max(y, 1))


def geldgrafiek(geld: Geld) -> Grafiek:
    """Per verband one bar: what was paid within the grant, what is still to pay, and what was
    paid beyond it (to recover); its length is granted plus to recover, on one scale for all."""
    grootste = geld.grootste
    schaal = GELD_BALK / float(grootste) if grootste > 0 else 0.0
    balken = []
    for i, rij in enumerate(geld.rijen):
        binnen: Decimal = rij.betaald - rij.terug_te_vorderen
        balken.append(
            Balk(
                label=rij.aanvraag.regieverband.naam,
                y=str(i * GELD_RIJ),
                segmenten=_segmenten(
                    [
                        ("betaald", float(binnen)),
                        ("openstaand", float(rij.openstaand)),
                        ("terug", float(rij.terug_te_vorderen)),
                    ],
                    0,
                    schaal,
                ),
                einde="0",
                tekst="",
            )
        )
    return Grafiek([Groep("", "0", balken)], max(len(balken) * GELD_RIJ, 1))
