"""What a proposed change does to the meerjarenplan, against the sealed version it started from
(`Planwijziging.basis`): actions added, changed field by field (old -> new) or cancelled, and
besturen joining or leaving. The reviewer reads it on the proposal's page; its plain-data form
is sealed with an approved change and printed in its PDF (`als_gegevens`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import ngettext

from applications.aanvragen.versions import ACTIE_LABELS
from applications.uitvoering.constants import Actiewijzigingssoort, Ledenwijzigingssoort
from applications.uitvoering.models import Actiewijziging, Ledenwijziging, Planwijziging

# The fields of an action in the order the diff shows them (as `versions.ACTIE_LABELS`).
ACTIEVELDEN = tuple(ACTIE_LABELS)


@dataclass(frozen=True)
class Veldwijziging:
    veld: str
    oud: str
    nieuw: str


@dataclass
class Actieverschil:
    """One action the proposal touches. `velden`: for a changed action the fields that differ
    (old -> new); for a new one every field given (old empty); for a cancelled one none."""

    soort: Actiewijzigingssoort
    prioriteit: str  # the priority's code
    jaar: int
    titel: str
    onderdeel: Actiewijziging
    velden: list[Veldwijziging] = field(default_factory=list)

    @property
    def soort_label(self) -> str:
        return str(self.soort.label)


@dataclass
class Ledenverschil:
    soort: Ledenwijzigingssoort
    naam: str
    nis_code: str
    datum: datetime.date
    onderdeel: Ledenwijziging

    @property
    def soort_label(self) -> str:
        return str(self.soort.label)


@dataclass
class Planverschil:
    acties: list[Actieverschil]
    leden: list[Ledenverschil]

    @property
    def is_leeg(self) -> bool:
        return not (self.acties or self.leden)


def _tekst(veld: str, waarde: object) -> str:
    if veld == "budget":
        return formats.number_format(Decimal(str(waarde)), 2, force_grouping=True)
    return str(waarde)


def actie_gegevens(onderdeel: Actiewijziging) -> dict[str, str]:
    """The action as the proposal has it, in the form of a snapshot's action (all text)."""
    return {
        "prioriteit": onderdeel.prioriteit.code,
        "jaar": str(onderdeel.jaar),
        "titel": onderdeel.titel,
        "beschrijving": onderdeel.beschrijving,
        "doelgroep": onderdeel.doelgroep,
        "verwacht_resultaat": onderdeel.verwacht_resultaat,
        "indicator": onderdeel.indicator,
        "partners": onderdeel.partners,
        "budget": str(Decimal(onderdeel.budget).quantize(Decimal("0.01"))),
    }


def basis_acties(wijziging: Planwijziging) -> dict[int, dict[str, Any]]:
    """The actions of the version the proposal is compared against, by their id."""
    return {int(a["id"]): a for a in wijziging.basis.inhoud.get("acties", [])}


def planverschil(wijziging: Planwijziging) -> Planverschil:
    """The proposal against its basis: read from the sealed snapshot for the old values, so the
    reviewer sees what changes against what was decided (or last approved), never against the
    aanvraag as it is now. Sorted by year, priority and title."""
    oude = basis_acties(wijziging)
    acties: list[Actieverschil] = []
    for onderdeel in wijziging.acties.all():
        nieuw = actie_gegevens(onderdeel)
        soort = Actiewijzigingssoort(onderdeel.soort)
        verschil = Actieverschil(
            soort=soort,
            prioriteit=nieuw["prioriteit"],
            jaar=onderdeel.jaar,
            titel=onderdeel.titel,
            onderdeel=onderdeel,
        )
        if soort == Actiewijzigingssoort.NIEUW:
            verschil.velden = [
                Veldwijziging(str(ACTIE_LABELS[k]), "", _tekst(k, nieuw[k]))
                for k in ACTIEVELDEN
                if nieuw[k] not in ("", "0.00")
            ]
        elif soort == Actiewijzigingssoort.GEWIJZIGD:
            oud = oude.get(onderdeel.actie_nummer or 0, {})
            verschil.velden = [
                Veldwijziging(str(ACTIE_LABELS[k]), _tekst(k, oud.get(k, "")), _tekst(k, nieuw[k]))
                for k in ACTIEVELDEN
                if _vergelijkbaar(k, oud.get(k, "")) != _vergelijkbaar(k, nieuw[k])
            ]
            # Its title in the list: as it was, so the reviewer recognises the action.
            verschil.titel = str(oud.get("titel", onderdeel.titel))
        acties.append(verschil)
    leden = [
        Ledenverschil(
            soort=Ledenwijzigingssoort(lid.soort),
            naam=lid.bestuur.naam,
            nis_code=lid.bestuur.nis_code,
            datum=lid.datum,
            onderdeel=lid,
        )
        for lid in wijziging.leden.all()
    ]
    return Planverschil(
        acties=sorted(acties, key=lambda a: (a.jaar, a.prioriteit, a.titel)),
        leden=sorted(leden, key=lambda lid: (lid.datum, lid.naam)),
    )


def _vergelijkbaar(veld: str, waarde: object) -> str:
    if veld == "budget" and waarde != "":
        return str(Decimal(str(waarde)).quantize(Decimal("0.01")))
    return str(waarde)


def als_gegevens(verschil: Planverschil) -> dict[str, Any]:
    """The diff as plain data for the sealed snapshot (only text and integers, canonical)."""
    return {
        "acties": [
            {
                "soort": str(a.soort),
                "soort_label": a.soort_label,
                "prioriteit": a.prioriteit,
                "jaar": a.jaar,
                "titel": a.titel,
                "velden": [{"veld": v.veld, "oud": v.oud, "nieuw": v.nieuw} for v in a.velden],
            }
            for a in verschil.acties
        ],
        "leden": [
            {
                "soort": str(lid.soort),
                "soort_label": lid.soort_label,
                "naam": lid.naam,
                "nis_code": lid.nis_code,
                "datum": lid.datum.isoformat(),
            }
            for lid in verschil.leden
        ],
    }


def samenvatting(verschil: Planverschil) -> str:
    """One line for the timeline and the e-mails: how many actions and members change."""
    tel = {s: 0 for s in Actiewijzigingssoort}
    for a in verschil.acties:
        tel[a.soort] += 1
    nieuw = tel[Actiewijzigingssoort.NIEUW]
    gewijzigd = tel[Actiewijzigingssoort.GEWIJZIGD]
    geschrapt = tel[Actiewijzigingssoort.GESCHRAPT]
    delen = [
        ngettext("%(n)s actie toegevoegd", "%(n)s acties toegevoegd", nieuw) % {"n": nieuw},
        ngettext("%(n)s gewijzigd", "%(n)s gewijzigd", gewijzigd) % {"n": gewijzigd},
        ngettext("%(n)s geschrapt", "%(n)s geschrapt", geschrapt) % {"n": geschrapt},
    ]
    if verschil.leden:
        n = len(verschil.leden)
        delen.append(
            ngettext("%(n)s wijziging van de leden", "%(n)s wijzigingen van de leden", n) % {"n": n}
        )
    return ", ".join(delen)
