"""What changed between two sealed versions of an aanvraag, field by field and action by action."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext_lazy

from applications.aanvragen.models import Indiening


@dataclass(frozen=True)
class Wijziging:
    veld: str
    oud: str
    nieuw: str


@dataclass
class ActieVerschil:
    titel: str
    plaats: str  # priority code and year
    soort: str  # "nieuw", "verwijderd" or "gewijzigd"
    wijzigingen: list[Wijziging]


@dataclass
class VersieVerschil:
    oud: Indiening
    nieuw: Indiening
    velden: list[Wijziging]
    acties: list[ActieVerschil]
    bijlagen_nieuw: list[str]
    bijlagen_weg: list[str]

    @property
    def is_leeg(self) -> bool:
        return not (self.velden or self.acties or self.bijlagen_nieuw or self.bijlagen_weg)


VELD_LABELS = {
    "contact.naam": gettext_lazy("Contactpersoon"),
    "contact.functie": gettext_lazy("Functie contactpersoon"),
    "contact.email": gettext_lazy("E-mailadres contactpersoon"),
    "contact.telefoon": gettext_lazy("Telefoon contactpersoon"),
    "omgevingsanalyse": gettext_lazy("Omgevingsanalyse"),
    "visie": gettext_lazy("Visie en beleidsplanning"),
    "leden": gettext_lazy("Leden (NIS-codes)"),
}


ACTIE_LABELS = {
    "prioriteit": gettext_lazy("Beleidsprioriteit"),
    "jaar": gettext_lazy("Jaar"),
    "titel": gettext_lazy("Titel"),
    "beschrijving": gettext_lazy("Beschrijving"),
    "doelgroep": gettext_lazy("Doelgroep"),
    "verwacht_resultaat": gettext_lazy("Verwacht resultaat"),
    "indicator": gettext_lazy("Indicator"),
    "partners": gettext_lazy("Partners"),
    "budget": gettext_lazy("Budget (EUR)"),
}


def _flat(inhoud: dict[str, Any]) -> dict[str, str]:
    contact = inhoud.get("contact", {})
    return {
        **{f"contact.{k}": str(v) for k, v in contact.items()},
        "omgevingsanalyse": inhoud.get("omgevingsanalyse", ""),
        "visie": inhoud.get("visie", ""),
        "leden": ", ".join(inhoud.get("leden", [])),
    }


def _actie_text(key: str, value: object) -> str:
    if key == "budget":
        return formats.number_format(Decimal(str(value)), 2, force_grouping=True)
    return str(value)


def versie_verschil(oud: Indiening, nieuw: Indiening) -> VersieVerschil:
    """Field by field and action by action: what the regisseurs changed between two versions.

    Read from the content sealed with each version, so it shows what was submitted, not what
    the aanvraag holds now. Actions are matched by their identity, so a renamed action is a
    change, not a removal plus an addition.
    """
    a, b = _flat(oud.inhoud), _flat(nieuw.inhoud)
    velden = [
        Wijziging(str(VELD_LABELS.get(k, k)), a.get(k, ""), b.get(k, ""))
        for k in VELD_LABELS
        if a.get(k, "") != b.get(k, "")
    ]
    oude = {x["id"]: x for x in oud.inhoud.get("acties", [])}
    nieuwe = {x["id"]: x for x in nieuw.inhoud.get("acties", [])}
    acties: list[ActieVerschil] = []
    for pk, x in nieuwe.items():
        plaats = f"{x['prioriteit']} {x['jaar']}"
        if pk not in oude:
            acties.append(ActieVerschil(x["titel"], plaats, "nieuw", []))
            continue
        y = oude[pk]
        changes = [
            Wijziging(str(label), _actie_text(k, y.get(k, "")), _actie_text(k, x.get(k, "")))
            for k, label in ACTIE_LABELS.items()
            if str(y.get(k, "")) != str(x.get(k, ""))
        ]
        if changes:
            acties.append(ActieVerschil(x["titel"], plaats, "gewijzigd", changes))
    for pk, y in oude.items():
        if pk not in nieuwe:
            acties.append(
                ActieVerschil(y["titel"], f"{y['prioriteit']} {y['jaar']}", "verwijderd", [])
            )
    oude_bijlagen = {x["sha256"]: x["naam"] for x in oud.inhoud.get("bijlagen", [])}
    nieuwe_bijlagen = {x["sha256"]: x["naam"] for x in nieuw.inhoud.get("bijlagen", [])}
    return VersieVerschil(
        oud=oud,
        nieuw=nieuw,
        velden=velden,
        acties=sorted(acties, key=lambda d: (d.plaats, d.titel)),
        bijlagen_nieuw=[n for h, n in nieuwe_bijlagen.items() if h not in oude_bijlagen],
        bijlagen_weg=[n for h, n in oude_bijlagen.items() if h not in nieuwe_bijlagen],
    )
