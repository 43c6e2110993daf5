"""The private storage checked against the rows that refer to it (`manage.py bestanden_nakijken`).

Files and rows live apart, so two things can drift:

- A file that no row refers to. `store_file` writes a file just before its row and removes it
  again when the transaction does not commit, but a process killed between the write and the
  COMMIT (a server restart, an out-of-memory kill) leaves the file behind. Nobody can reach it
  through the portal, yet it holds what a regisseur uploaded: it should not stay for ever.
- A row whose file is gone: data lost on the disk or in the bucket. Nothing in the portal
  notices until someone downloads it, so the check reports it and fails.

A file without a row that is younger than the waiting time may belong to a transaction that is
still under way; it is reported, never removed. Before each removal the rows are asked again, so
a file that a row came to refer to meanwhile stays.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.core.files.storage import Storage, storages
from django.db.models import FileField, Model
from django.utils import timezone

logger = logging.getLogger(__name__)

DEFAULT_WACHTTIJD = datetime.timedelta(hours=24)


def file_fields() -> Iterator[tuple[type[Model], FileField]]:
    """Every file field of every model: where rows refer to stored files."""
    for model in apps.get_models():
        for veld in model._meta.concrete_fields:
            if isinstance(veld, FileField):
                yield model, veld


def storage_names(storage: Storage) -> list[str]:
    """Every file in the storage, by its storage name (`bijlagen/12/abc.pdf`), sorted."""

    def walk(map_: str) -> Iterator[str]:
        mappen, bestanden = storage.listdir(map_)
        for naam in bestanden:
            yield f"{map_}/{naam}" if map_ else naam
        for sub in mappen:
            yield from walk(f"{map_}/{sub}" if map_ else sub)

    try:
        return sorted(walk(""))
    except FileNotFoundError:  # a file-system storage whose folder does not exist yet
        return []


def referenced_names() -> set[str]:
    """The storage names that some row refers to."""
    namen: set[str] = set()
    for model, veld in file_fields():
        rijen = model._default_manager.exclude(**{veld.name: ""})
        namen.update(rijen.values_list(veld.name, flat=True))
    return namen


def is_referenced(naam: str) -> bool:
    return any(
        model._default_manager.filter(**{veld.name: naam}).exists() for model, veld in file_fields()
    )


@dataclass(frozen=True)
class Wees:
    """A stored file that no row refers to."""

    naam: str
    grootte: int
    gewijzigd_op: datetime.datetime


class NietVerwijderd(Exception):
    """The storage and the database do not look like a pair: removing would be guessing."""


@dataclass(frozen=True)
class Nazicht:
    bestanden: int  # files in the storage
    verwezen: int  # files that rows refer to
    wezen: list[Wees]  # without a row and older than the waiting time: may be removed
    recent: list[Wees]  # without a row, but possibly of a transaction still under way
    ontbrekend: list[str]  # rows refer to them, the storage lacks them

    def controleer_verwijderen(self) -> None:
        """Refuse to remove anything when the rows and the files do not match up: a wrong
        database, storage folder or bucket prefix would make every file look unreferenced."""
        if self.ontbrekend:
            raise NietVerwijderd(
                "Niets verwijderd: er ontbreken bestanden waarnaar de database verwijst. Kijk"
                " eerst na of de database en de opslag (map of bucket en prefix) bij elkaar horen."
            )
        if self.wezen and not self.verwezen:
            raise NietVerwijderd(
                "Niets verwijderd: geen enkele rij in de database verwijst naar een bestand, maar"
                " de opslag bevat er. Is dit de juiste database?"
            )


def nakijken(
    *,
    wachttijd: datetime.timedelta = DEFAULT_WACHTTIJD,
    now: datetime.datetime | None = None,
    storage: Storage | None = None,
) -> Nazicht:
    """Compare the storage with the rows; changes nothing."""
    storage = storage or storages["default"]
    now = now or timezone.now()
    # The rows first: a file and its row committed after this read are then both new, and the
    # file is at worst a recent one without a row, never a removable one.
    verwezen = referenced_names()
    namen = storage_names(storage)
    wezen: list[Wees] = []
    recent: list[Wees] = []
    for naam in namen:
        if naam in verwezen:
            continue
        try:
            wees = Wees(naam, storage.size(naam), storage.get_modified_time(naam))
        except FileNotFoundError:  # removed since the listing (a rollback, a deleted attachment)
            continue
        (wezen if now - wees.gewijzigd_op >= wachttijd else recent).append(wees)
    aanwezig = set(namen)
    # Asked again one by one: a row deleted (with its file) after the first read is no loss.
    ontbrekend = [
        naam
        for naam in sorted(verwezen - aanwezig)
        if is_referenced(naam) and not storage.exists(naam)
    ]
    return Nazicht(len(namen), len(verwezen), wezen, recent, ontbrekend)


def verwijder_wezen(nazicht: Nazicht, *, storage: Storage | None = None) -> list[Wees]:
    """Remove the files of `nazicht.wezen` that still have no row; return those removed.

    `NietVerwijderd` when the rows and the files do not match up (see `controleer_verwijderen`).
    """
    nazicht.controleer_verwijderen()
    storage = storage or storages["default"]
    weg: list[Wees] = []
    for wees in nazicht.wezen:
        if is_referenced(wees.naam):
            continue
        storage.delete(wees.naam)
        logger.info(
            "Removed %s (last written %s): no row refers to it", wees.naam, wees.gewijzigd_op
        )
        weg.append(wees)
    return weg
