"""The aanvraag as a PDF document, printed from a snapshot (`momentopname.aanvraag_inhoud`): the
frozen one of a submission for the sealed PDF, one taken now for a draft. The engine itself is
`applications.core.pdf`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from applications.aanvragen.models import Aanvraag
from applications.aanvragen.momentopname import FORMAAT, aanvraag_inhoud
from applications.core.pdf import render_pdf


@dataclass(frozen=True)
class Stempel:
    """What the PDF says about its own state: a draft, or which submitted version it is, and the
    SHA-256 of the snapshot it was printed from."""

    concept: bool
    versie: int | None = None
    ingediend_op: datetime.datetime | None = None
    ingediend_door: str = ""
    mandaat: str = ""
    inhoud_sha256: str = ""


TEMPLATE = "aanvragen/pdf/aanvraag.html"


@dataclass(frozen=True)
class Prioriteit:
    code: str
    titel: str
    anker: int


@dataclass(frozen=True)
class Actie:
    titel: str
    beschrijving: str
    doelgroep: str
    verwacht_resultaat: str
    indicator: str
    partners: str
    budget: Decimal


@dataclass
class Cel:
    jaar: int
    acties: list[Actie] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((a.budget for a in self.acties), Decimal(0))


def stempel_van_indiening(inhoud: dict[str, Any], inhoud_sha256: str) -> Stempel:
    """The stamp of a sealed version, read from its snapshot alone."""
    gegevens = inhoud["indiening"]
    door = gegevens["ingediend_door"] or {}
    return Stempel(
        concept=False,
        versie=gegevens["versie"],
        ingediend_op=datetime.datetime.fromisoformat(gegevens["ingediend_op"]),
        ingediend_door=door.get("naam", ""),
        mandaat=gegevens["mandaat"],
        inhoud_sha256=inhoud_sha256,
    )


def context_uit_inhoud(
    inhoud: dict[str, Any], stempel: Stempel, aangemaakt_op: datetime.datetime | None = None
) -> dict[str, Any]:
    """Everything the template prints, read from a snapshot and nothing else (no query), so a
    sealed PDF shows what was submitted even after the aanvraag, its verband or the call changed.
    `aangemaakt_op`: the moment the document says it was made (a draft: now, unless given)."""
    if inhoud.get("formaat") != FORMAAT:
        raise ValueError(f"A PDF is printed from a snapshot of format {FORMAAT} only.")
    oproep = inhoud["oproep"]
    jaren = list(range(oproep["eerste_jaar"], oproep["laatste_jaar"] + 1))
    prioriteiten = [
        Prioriteit(p["code"], p["titel"], n) for n, p in enumerate(inhoud["prioriteiten"], 1)
    ]
    cellen: dict[tuple[str, int], Cel] = {
        (p.code, jaar): Cel(jaar) for p in prioriteiten for jaar in jaren
    }
    for a in inhoud["acties"]:
        cel = cellen.setdefault((a["prioriteit"], a["jaar"]), Cel(a["jaar"]))
        cel.acties.append(
            Actie(
                titel=a["titel"],
                beschrijving=a["beschrijving"],
                doelgroep=a["doelgroep"],
                verwacht_resultaat=a["verwacht_resultaat"],
                indicator=a["indicator"],
                partners=a["partners"],
                budget=Decimal(a["budget"]),
            )
        )
    rows = [(p, [cellen[(p.code, jaar)] for jaar in jaren]) for p in prioriteiten]
    per_jaar = [sum((cells[i].total for _p, cells in rows), Decimal(0)) for i in range(len(jaren))]
    contact = inhoud["contact"]
    return {
        "aanvraag": {
            "referentie": inhoud["aanvraag"]["referentie"],
            "contact_naam": contact["naam"],
            "contact_functie": contact["functie"],
            "contact_email": contact["email"],
            "contact_telefoon": contact["telefoon"],
            "omgevingsanalyse": inhoud["omgevingsanalyse"],
            "visie": inhoud["visie"],
        },
        "oproep": {
            "naam": oproep["naam"],
            "slug": oproep["slug"],
            "eerste_jaar": oproep["eerste_jaar"],
            "laatste_jaar": oproep["laatste_jaar"],
            "peildatum": datetime.date.fromisoformat(oproep["peildatum"]),
        },
        "verband": inhoud["regieverband"],
        "leden": inhoud["leden_gegevens"],
        "plan": {
            "rows": rows,
            "aantal_acties": sum(len(c.acties) for _p, cells in rows for c in cells),
        },
        "begroting": {
            "jaren": jaren,
            "rows": [
                {
                    "prioriteit": p,
                    "cells": [c.total for c in cells],
                    "total": sum((c.total for c in cells), Decimal(0)),
                }
                for p, cells in rows
            ],
            "per_jaar": per_jaar,
            "total": sum(per_jaar, Decimal(0)),
        },
        "bijlagen": inhoud["bijlagen"],
        "wijziging": _wijziging(inhoud.get("wijziging")),
        "stempel": stempel,
        "aangemaakt_op": stempel.ingediend_op or aangemaakt_op or timezone.now(),
    }


def _wijziging(wijziging: dict[str, Any] | None) -> dict[str, Any] | None:
    """The change to the plan a version seals (see `submission.aanvraag_seal`), with its moments
    and dates read back for the template; None for a version the regisseurs submitted."""
    if not wijziging:
        return None
    return {
        **wijziging,
        "ingediend_op": datetime.datetime.fromisoformat(wijziging["ingediend_op"]),
        "goedgekeurd_op": datetime.datetime.fromisoformat(wijziging["goedgekeurd_op"]),
        "leden": [
            {**lid, "datum": datetime.date.fromisoformat(lid["datum"])}
            for lid in wijziging["leden"]
        ],
        "leden_na": {
            **wijziging["leden_na"],
            "datum": datetime.date.fromisoformat(wijziging["leden_na"]["datum"]),
        },
    }


def aanvraag_context(
    aanvraag: Aanvraag, stempel: Stempel, aangemaakt_op: datetime.datetime | None = None
) -> dict[str, Any]:
    """The template's context for the aanvraag as it is now (a draft, or an aanvraag submitted
    before sealing existed): a snapshot taken now, printed as a sealed one would be."""
    return context_uit_inhoud(aanvraag_inhoud(aanvraag), stempel, aangemaakt_op)


def render_aanvraag(aanvraag: Aanvraag, stempel: Stempel) -> bytes:
    """The application document as the aanvraag is now."""
    return render_pdf(TEMPLATE, aanvraag_context(aanvraag, stempel))


def render_inhoud(inhoud: dict[str, Any], inhoud_sha256: str) -> bytes:
    """The sealed PDF of a submission, printed from its snapshot alone."""
    stempel = stempel_van_indiening(inhoud, inhoud_sha256)
    return render_pdf(TEMPLATE, context_uit_inhoud(inhoud, stempel))
