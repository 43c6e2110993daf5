"""The import of KBO numbers from a file that a beheerder brings (`manage.py import_kbo FILE`).

Columns (any order, more columns are ignored, `;` or `,`, UTF-8, or an .xlsx workbook): `soort`
(gemeente, ocmw or regieverband), `sleutel` (the NIS code of the bestuur, or the exact name of the
regieverband as in /beheer/) and `kbo` (the number, with or without dots or spaces; empty clears
it). The whole file or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.besturen.kbo import controleer_kbo
from applications.besturen.models import LokaalBestuur, Regieverband
from applications.besturen.tables import (
    LineProblem,
    cell,
    column_positions,
    header_of,
    problem_messages,
    table_rows,
)

KBO_COLUMNS = ("soort", "sleutel", "kbo")
SOORTEN = ("gemeente", "ocmw", "regieverband")


@dataclass
class KboImportReport:
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not self.changed


# What a row sets: (model field, the object's key) -> number.
_Doel = tuple[str, int]


@transaction.atomic
def import_kbo(bestand: IO[bytes]) -> KboImportReport:
    """Set the KBO numbers of a beheerder's CSV (or .xlsx) file; the whole file or nothing.

    Columns (any order, more columns are ignored, `;` or `,`): `soort` (gemeente, ocmw or
    regieverband), `sleutel` (the NIS code of the bestuur, or the exact name of the regieverband)
    and `kbo` (the number, with or without dots; empty clears it). Refused, listing every bad
    line: an unknown soort, NIS code or verband, a number with wrong check digits, one
    organisation given twice, or one number for two organisations (counting the numbers already
    in the portal that the file does not change).
    """
    rows = table_rows(bestand, delimiters=";,", xlsx=True)
    posities = column_positions(header_of(rows), KBO_COLUMNS)
    besturen = {b.nis_code: b for b in LokaalBestuur.objects.all()}
    verbanden = {v.naam: v for v in Regieverband.objects.all()}
    problemen: list[LineProblem] = []
    nieuw: dict[_Doel, tuple[int, str]] = {}
    for regel, cellen in rows:
        soort = cell(cellen, posities["soort"]).lower()
        sleutel = cell(cellen, posities["sleutel"])
        tekst = cell(cellen, posities["kbo"])
        if soort not in SOORTEN:
            problemen.append(LineProblem(regel, _onbekende_soort(soort)))
            continue
        doel = _doel(soort, sleutel, besturen, verbanden)
        if doel is None:
            problemen.append(LineProblem(regel, _onbekende_sleutel(soort, sleutel)))
            continue
        try:
            nummer = controleer_kbo(tekst) if tekst else ""
        except ValidationError as exc:
            problemen.extend(LineProblem(regel, boodschap) for boodschap in exc.messages)
            continue
        if doel in nieuw:
            problemen.append(LineProblem(regel, _dubbel(soort, sleutel, nieuw[doel][0])))
            continue
        nieuw[doel] = (regel, nummer)
    problemen.extend(_botsingen(nieuw, besturen, verbanden))
    if problemen:
        raise ValidationError(
            problem_messages(problemen, total=len(problemen), limit=50), code="kbo"
        )
    return _opslaan(nieuw, besturen, verbanden)


def _doel(
    soort: str,
    sleutel: str,
    besturen: dict[str, LokaalBestuur],
    verbanden: dict[str, Regieverband],
) -> _Doel | None:
    if soort == "regieverband":
        verband = verbanden.get(sleutel)
        return ("kbo", verband.pk) if verband else None
    bestuur = besturen.get(sleutel)
    return (f"kbo_{soort}", bestuur.pk) if bestuur else None


def _huidig(
    besturen: dict[str, LokaalBestuur], verbanden: dict[str, Regieverband]
) -> dict[_Doel, str]:
    """Every number in the portal now, by what holds it."""
    huidig: dict[_Doel, str] = {}
    for bestuur in besturen.values():
        huidig[("kbo_gemeente", bestuur.pk)] = bestuur.kbo_gemeente
        huidig[("kbo_ocmw", bestuur.pk)] = bestuur.kbo_ocmw
    for verband in verbanden.values():
        huidig[("kbo", verband.pk)] = verband.kbo
    return huidig


def _botsingen(
    nieuw: dict[_Doel, tuple[int, str]],
    besturen: dict[str, LokaalBestuur],
    verbanden: dict[str, Regieverband],
) -> list[LineProblem]:
    """One number, one organisation: after the file, no number may be held twice."""
    na = _huidig(besturen, verbanden)
    na.update({doel: nummer for doel, (_regel, nummer) in nieuw.items()})
    houders: dict[str, list[_Doel]] = {}
    for doel, nummer in na.items():
        if nummer:
            houders.setdefault(nummer, []).append(doel)
    namen = _namen(besturen, verbanden)
    problemen = []
    for doel, (regel, nummer) in nieuw.items():
        anderen = [namen[d] for d in houders.get(nummer, []) if d != doel]
        if anderen:
            problemen.append(
                LineProblem(
                    regel,
                    _("KBO-nummer %(nummer)s hoort dan ook bij %(anderen)s.")
                    % {"nummer": nummer, "anderen": ", ".join(sorted(anderen))},
                )
            )
    return problemen


def _namen(
    besturen: dict[str, LokaalBestuur], verbanden: dict[str, Regieverband]
) -> dict[_Doel, str]:
    namen: dict[_Doel, str] = {}
    for bestuur in besturen.values():
        namen[("kbo_gemeente", bestuur.pk)] = _("gemeente %(naam)s") % {"naam": bestuur}
        namen[("kbo_ocmw", bestuur.pk)] = _("OCMW %(naam)s") % {"naam": bestuur}
    for verband in verbanden.values():
        namen[("kbo", verband.pk)] = _("regieverband %(naam)s") % {"naam": verband.naam}
    return namen


def _opslaan(
    nieuw: dict[_Doel, tuple[int, str]],
    besturen: dict[str, LokaalBestuur],
    verbanden: dict[str, Regieverband],
) -> KboImportReport:
    huidig = _huidig(besturen, verbanden)
    namen = _namen(besturen, verbanden)
    report = KboImportReport()
    gewijzigd = {doel: nummer for doel, (_r, nummer) in nieuw.items() if huidig[doel] != nummer}
    report.unchanged = len(nieuw) - len(gewijzigd)
    # First clear every number that changes, then write the new ones: two organisations that
    # swap numbers never hold one number at once (the database refuses that).
    for veld, pk in gewijzigd:
        _model(veld).objects.filter(pk=pk).update(**{veld: ""})
    for (veld, pk), nummer in sorted(gewijzigd.items()):
        _model(veld).objects.filter(pk=pk).update(**{veld: nummer})
        oud = huidig[(veld, pk)] or "-"
        report.changed.append(f"{namen[(veld, pk)]}: {oud} -> {nummer or '-'}")
    return report


def _model(veld: str) -> type[LokaalBestuur] | type[Regieverband]:
    return Regieverband if veld == "kbo" else LokaalBestuur


def _onbekende_soort(soort: str) -> str:
    return _("soort %(soort)r is geen van gemeente, ocmw of regieverband.") % {"soort": soort}


def _onbekende_sleutel(soort: str, sleutel: str) -> str:
    if soort == "regieverband":
        return _("geen regieverband heet %(sleutel)r (de naam zoals in /beheer/).") % {
            "sleutel": sleutel
        }
    return _("%(sleutel)r is de NIS-code van geen lokaal bestuur.") % {"sleutel": sleutel}


def _dubbel(soort: str, sleutel: str, eerder: int) -> str:
    return _("%(soort)s %(sleutel)s staat al op regel %(regel)s.") % {
        "soort": soort,
        "sleutel": sleutel,
        "regel": eerder,
    }
