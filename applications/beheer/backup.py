"""Backup and restore of the portal: the PostgreSQL database and every file of the private storage.

A backup is a folder with three things:

- `database.dump`: `pg_dump --format=custom` of the configured database;
- `bestanden/`: a copy of every file in the private storage (attachments, sealed PDFs, decision
  letters), read through Django's storage API, so the file system and S3 work alike;
- `manifest.json`: when, the applied migrations per app, the row count of every table and the
  SHA-256 and size of the dump and of every file.

The row counts, the migrations and the list of files the database refers to are read in the very
snapshot that pg_dump dumps (`pg_export_snapshot`), so a backup taken while the portal runs still
matches its manifest exactly. Files are copied after the dump: a file added meanwhile is copied
without a row referring to it (harmless); a file the dump refers to but that is gone is listed as
missing in the manifest, and the backup ends with an error that names it.

A restore checks the whole folder against its manifest before it changes anything, refuses a
database that already holds tables unless told to overwrite it, restores the dump in one
transaction, writes the files back through the storage API and checks the result against the
manifest again: the same row count in every table, the same SHA-256 for every file.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import psycopg2
from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import connection
from django.utils import timezone
from psycopg2 import sql

from applications.beheer.bestanden import file_fields, storage_names

MANIFEST = "manifest.json"
DUMP = "database.dump"
BESTANDEN = "bestanden"
FORMAAT = 1
_CHUNK = 1024 * 1024

Melden = Callable[[str], None]

# Connection options of libpq that DATABASES["default"]["OPTIONS"] may hold, and the environment
# variable pg_dump/pg_restore read each from. The connection goes through the environment, so the
# password never shows on a command line (where `ps` would show it).
_LIBPQ_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message (Dutch) says why and what to do."""


@dataclass(frozen=True)
class Bestand:
    """A file as the manifest knows it."""

    sha256: str
    grootte: int


@dataclass(frozen=True)
class Manifest:
    """What `manifest.json` says about a backup."""

    gemaakt_op: str
    database: str
    serverversie: str
    dump: Bestand
    migraties: dict[str, list[str]]
    tabellen: dict[str, int]
    bestanden: dict[str, Bestand]
    ontbrekende_bestanden: list[str]

    def as_json(self) -> str:
        data = {
            "formaat": FORMAAT,
            "gemaakt_op": self.gemaakt_op,
            "database": {
                "naam": self.database,
                "serverversie": self.serverversie,
                "dump": {"bestand": DUMP, **_bestand_json(self.dump)},
            },
            "migraties": self.migraties,
            "tabellen": self.tabellen,
            "bestanden": {naam: _bestand_json(info) for naam, info in self.bestanden.items()},
            "ontbrekende_bestanden": self.ontbrekende_bestanden,
        }
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, tekst: str) -> Manifest:
        """Parse and check the shape of a manifest; ValueError says what is wrong."""
        data = json.loads(tekst)
        if not isinstance(data, dict) or data.get("formaat") != FORMAAT:
            raise ValueError(f"geen manifest van formaat {FORMAAT}")
        database = _dict(data, "database")
        dump = _dict(database, "dump")
        if dump.get("bestand") != DUMP:
            raise ValueError(f"het manifest noemt geen {DUMP}")
        migraties = _dict(data, "migraties")
        tabellen = _dict(data, "tabellen")
        bestanden = _dict(data, "bestanden")
        ontbrekend = data.get("ontbrekende_bestanden", [])
        if not (
            all(isinstance(namen, list) for namen in migraties.values())
            and all(isinstance(naam, str) for namen in migraties.values() for naam in namen)
            and all(isinstance(n, int) and not isinstance(n, bool) for n in tabellen.values())
            and isinstance(ontbrekend, list)
        ):
            raise ValueError("'migraties', 'tabellen' of 'ontbrekende_bestanden' is ongeldig")
        return cls(
            gemaakt_op=str(data.get("gemaakt_op", "?")),
            database=str(database.get("naam", "?")),
            serverversie=str(database.get("serverversie", "?")),
            dump=_bestand(dump, DUMP),
            migraties=migraties,
            tabellen=tabellen,
            bestanden={naam: _bestand(info, naam) for naam, info in bestanden.items()},
            ontbrekende_bestanden=[str(naam) for naam in ontbrekend],
        )


def _dict(data: dict[str, Any], sleutel: str) -> dict[str, Any]:
    waarde = data.get(sleutel)
    if not isinstance(waarde, dict):
        raise ValueError(f"'{sleutel}' ontbreekt")
    return waarde


def _bestand_json(info: Bestand) -> dict[str, Any]:
    return {"sha256": info.sha256, "grootte": info.grootte}


def _bestand(info: object, naam: str) -> Bestand:
    if (
        isinstance(info, dict)
        and isinstance(info.get("sha256"), str)
        and isinstance(info.get("grootte"), int)
    ):
        return Bestand(sha256=info["sha256"], grootte=info["grootte"])
    raise ValueError(f"SHA-256 of grootte van {naam} ontbreekt")


# --- Shared helpers -----------------------------------------------------------------------------


def default_map(now: datetime.datetime | None = None) -> Path:
    """`backups/regierol-YYYYmmdd-HHMMSS` (Brussels time) in the project folder."""
    moment = timezone.localtime(now or timezone.now())
    return Path(settings.BASE_DIR) / "backups" / f"regierol-{moment:%Y%m%d-%H%M%S}"


def grootte_tekst(grootte: int) -> str:
    """A size as a person reads it: `512 bytes`, `3,4 MB`."""
    if grootte < 100_000:
        return f"{grootte} bytes"
    return f"{grootte / 1_000_000:.1f} MB".replace(".", ",")


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        raise BackupError(
            f"Backup en herstel werken alleen met PostgreSQL; deze installatie gebruikt "
            f"{connection.vendor} (DATABASE_URL). Kopieer bij SQLite het databasebestand en de "
            f"map met private bestanden zelf."
        )


def require_program(naam: str) -> str:
    pad = shutil.which(naam)
    if pad is None:
        raise BackupError(
            f"{naam} is niet gevonden. Installeer de PostgreSQL-clientprogramma's (Debian-pakket "
            f"postgresql-client), van dezelfde of een nieuwere hoofdversie dan de databaseserver."
        )
    return pad


def libpq_env() -> dict[str, str]:
    """The environment for pg_dump/pg_restore: the current one plus the connection of Django's
    default database (host, port, user, password, database, SSL options)."""
    instellingen = connection.settings_dict
    env = dict(os.environ)
    for sleutel, variabele in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if instellingen.get(sleutel):
            env[variabele] = str(instellingen[sleutel])
    for optie, variabele in _LIBPQ_ENV.items():
        waarde = instellingen.get("OPTIONS", {}).get(optie)
        if waarde not in (None, ""):
            env[variabele] = str(waarde)
    return env


def run_program(opdracht: list[str], wat: str) -> None:
    # The program is found by shutil.which and every argument is built here, none from user input
    # but paths; the connection (password included) travels in the environment.
    uitkomst = subprocess.run(  # noqa: S603
        opdracht, env=libpq_env(), capture_output=True, text=True, check=False
    )
    if uitkomst.returncode != 0:
        fout = uitkomst.stderr.strip() or uitkomst.stdout.strip() or f"code {uitkomst.returncode}"
        raise BackupError(f"{wat} is mislukt:\n{fout}")


def hash_stream(stream: Any, kopie: Any = None) -> Bestand:
    """SHA-256 and size of what `stream` yields, optionally written on to `kopie` meanwhile."""
    h = hashlib.sha256()
    grootte = 0
    while chunk := stream.read(_CHUNK):
        h.update(chunk)
        grootte += len(chunk)
        if kopie is not None:
            kopie.write(chunk)
    return Bestand(sha256=h.hexdigest(), grootte=grootte)


def hash_file(pad: Path) -> Bestand:
    with pad.open("rb") as stream:
        return hash_stream(stream)


def hash_stored(storage: Storage, naam: str) -> Bestand:
    with storage.open(naam, "rb") as stream:
        return hash_stream(stream)


def safe_name(naam: str) -> PurePosixPath:
    """A stored file's name as a relative path, refusing anything that could leave the folder."""
    pad = PurePosixPath(naam)
    if (
        not naam
        or "\\" in naam
        or "\x00" in naam
        or pad.is_absolute()
        or any(deel in ("", ".", "..") for deel in naam.split("/"))
    ):
        raise BackupError(f"Ongeldige bestandsnaam in de backup: {naam!r}.")
    return pad


def tables_of(cursor: Any) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_catalog.pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
        "AND schemaname NOT LIKE 'pg\\_%' ORDER BY schemaname, tablename"
    )
    return [(schema, tabel) for schema, tabel in cursor.fetchall()]


def row_counts(cursor: Any) -> dict[str, int]:
    """The exact number of rows of every table, keyed `schema.table`."""
    aantallen = {}
    for schema, tabel in tables_of(cursor):
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}.{}").format(
                sql.Identifier(schema), sql.Identifier(tabel)
            )
        )
        aantallen[f"{schema}.{tabel}"] = cursor.fetchone()[0]
    return aantallen


def _applied_migrations(cursor: Any, tabellen: dict[str, int]) -> dict[str, list[str]]:
    if "public.django_migrations" not in tabellen:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    migraties: dict[str, list[str]] = {}
    for app, naam in cursor.fetchall():
        migraties.setdefault(app, []).append(naam)
    return migraties


def _referenced_files(cursor: Any, tabellen: dict[str, int]) -> set[str]:
    """The names of the stored files that rows of the database refer to (every FileField)."""
    namen: set[str] = set()
    for model, veld in file_fields():
        tabel = model._meta.db_table
        if f"public.{tabel}" not in tabellen:
            continue
        cursor.execute(
            sql.SQL("SELECT {kolom} FROM {tabel} WHERE {kolom} <> ''").format(
                kolom=sql.Identifier(veld.column), tabel=sql.Identifier(tabel)
            )
        )
        namen.update(naam for (naam,) in cursor.fetchall())
    return namen


# --- Backup -------------------------------------------------------------------------------------


def _prepare_folder(backupmap: Path) -> bool:
    """Make sure `backupmap` is a new or empty folder; True when it was made here."""
    if backupmap.exists():
        if not backupmap.is_dir():
            raise BackupError(f"{backupmap} bestaat al en is geen map.")
        if any(backupmap.iterdir()):
            raise BackupError(
                f"De map {backupmap} bestaat al en is niet leeg; een backup overschrijft niets. "
                f"Kies een nieuwe map."
            )
        nieuw = False
    else:
        backupmap.mkdir(parents=True, mode=0o700)
        nieuw = True
    # The backup holds everything (password hashes, two-step secrets): only its owner reads it.
    backupmap.chmod(0o700)
    return nieuw


def _clear(backupmap: Path, *, nieuw: bool) -> None:
    """Leave a folder of a failed backup as it was found: gone if made here, else empty."""
    if nieuw:
        shutil.rmtree(backupmap, ignore_errors=True)
        return
    for pad in backupmap.iterdir():
        if pad.is_dir() and not pad.is_symlink():
            shutil.rmtree(pad, ignore_errors=True)
        else:
            pad.unlink(missing_ok=True)


def backup(backupmap: Path, *, melden: Melden) -> Manifest:
    """Write a backup into `backupmap` (new or empty) and return its manifest.

    A backup that fails halfway leaves no half-written folder behind. One whose database refers
    to files that the storage lacks is written, with those files listed, and then reported."""
    require_postgresql()
    pg_dump = require_program("pg_dump")
    nieuw = _prepare_folder(backupmap)
    try:
        manifest = _write_backup(backupmap, pg_dump, melden)
    except psycopg2.Error as exc:
        _clear(backupmap, nieuw=nieuw)
        raise BackupError(f"De database weigert of is niet bereikbaar:\n{exc}") from exc
    except OSError as exc:
        _clear(backupmap, nieuw=nieuw)
        raise BackupError(f"De backup kon niet geschreven worden: {exc}") from exc
    except BaseException:
        _clear(backupmap, nieuw=nieuw)
        raise
    if manifest.ontbrekende_bestanden:
        raise BackupError(
            f"De backup in {backupmap} is geschreven, maar "
            f"{len(manifest.ontbrekende_bestanden)} bestand(en) waarnaar de database verwijst "
            f"ontbreken in de opslag:\n"
            + "\n".join(f"  {bestandsnaam}" for bestandsnaam in manifest.ontbrekende_bestanden)
        )
    return manifest


def _write_backup(backupmap: Path, pg_dump: str, melden: Melden) -> Manifest:
    gemaakt_op = timezone.localtime()
    dump = backupmap / DUMP
    naam = connection.settings_dict["NAME"]

    raw = psycopg2.connect(**connection.get_connection_params())
    try:
        # One read-only snapshot for the dump and for everything the manifest says about it.
        raw.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, serverversie = cursor.fetchone()
            tabellen = row_counts(cursor)
            migraties = _applied_migrations(cursor, tabellen)
            verwezen = _referenced_files(cursor, tabellen)
            melden(f"Database {naam} dumpen ({len(tabellen)} tabellen)")
            run_program(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={dump}",
                ],
                "pg_dump",
            )
        raw.rollback()
    finally:
        raw.close()
    dump.chmod(0o600)

    storage = storages["default"]
    namen = storage_names(storage)
    melden(f"{len(namen)} bestanden kopiëren")
    bestanden: dict[str, Bestand] = {}
    for bestandsnaam in namen:
        doel = backupmap / BESTANDEN / safe_name(bestandsnaam)
        doel.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with storage.open(bestandsnaam, "rb") as bron, doel.open("wb") as kopie:
            bestanden[bestandsnaam] = hash_stream(bron, kopie)
    ontbrekend = sorted(verwezen - set(bestanden))

    manifest = Manifest(
        gemaakt_op=gemaakt_op.isoformat(),
        database=naam,
        serverversie=serverversie,
        dump=hash_file(dump),
        migraties=migraties,
        tabellen=tabellen,
        bestanden=bestanden,
        ontbrekende_bestanden=ontbrekend,
    )
    # Written last: a folder without a manifest is no backup, and restore says so.
    (backupmap / MANIFEST).write_text(manifest.as_json(), encoding="utf-8")
    return manifest


# --- Restore ------------------------------------------------------------------------------------
