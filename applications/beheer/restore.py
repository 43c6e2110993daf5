"""Restoring a backup made by applications.beheer.backup: everything is checked against the
manifest first, then the dump and the files are restored, then rows and hashes are verified."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader

from applications.beheer.backup import (
    BESTANDEN,
    DUMP,
    MANIFEST,
    BackupError,
    Manifest,
    Melden,
    hash_file,
    hash_stored,
    require_postgresql,
    require_program,
    row_counts,
    run_program,
    safe_name,
    tables_of,
)


@dataclass
class Herstelverslag:
    """What a restore did, for the summary."""

    tabellen: int = 0
    rijen: int = 0
    bestanden_geschreven: int = 0
    bestanden_al_aanwezig: int = 0
    bytes: int = 0
    opmerkingen: list[str] = field(default_factory=list)


def read_manifest(backupmap: Path) -> Manifest:
    pad = backupmap / MANIFEST
    try:
        return Manifest.from_json(pad.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{pad} bestaat niet: dit is geen (volledige) backup.") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{pad} is onleesbaar of onvolledig: {exc}.") from exc


def check_folder(backupmap: Path, manifest: Manifest) -> None:
    """Every file of the backup against the manifest; refuses with the list of what differs."""
    fouten = []
    if not (backupmap / DUMP).is_file():
        fouten.append(f"{DUMP} ontbreekt")
    elif hash_file(backupmap / DUMP) != manifest.dump:
        fouten.append(f"{DUMP} verschilt van het manifest (SHA-256 of grootte)")
    verwacht = set()
    for naam, info in sorted(manifest.bestanden.items()):
        pad = backupmap / BESTANDEN / safe_name(naam)
        verwacht.add(pad)
        if not pad.is_file():
            fouten.append(f"{BESTANDEN}/{naam} ontbreekt")
        elif hash_file(pad) != info:
            fouten.append(f"{BESTANDEN}/{naam} verschilt van het manifest (SHA-256 of grootte)")
    if (backupmap / BESTANDEN).is_dir():
        for pad in sorted((backupmap / BESTANDEN).rglob("*")):
            if pad.is_file() and pad not in verwacht:
                fouten.append(f"{pad.relative_to(backupmap)} staat niet in het manifest")
    if fouten:
        raise BackupError(
            f"De backup in {backupmap} is beschadigd of gewijzigd; er is niets hersteld:\n"
            + "\n".join(f"  {fout}" for fout in fouten)
        )


def check_migrations(manifest: Manifest) -> list[tuple[str, str]]:
    """Refuses a backup of a newer version of the portal, or of one from before the split into
    apps (whose migrations this version no longer has); returns this version's migrations that
    the backup does not have yet (to apply with `migrate` after the restore)."""
    in_backup = {(app, naam) for app, namen in manifest.migraties.items() for naam in namen}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    bekend = set(loader.disk_migrations)
    for migratie in loader.disk_migrations.values():
        bekend.update(migratie.replaces)
    onbekend = sorted(in_backup - bekend)
    if onbekend:
        raise BackupError(
            "De backup komt van een nieuwere versie van het portaal, of van een versie van voor "
            "de opsplitsing in apps (december 2026): deze versie kent de volgende migraties "
            "niet. Herstel met de versie waarmee de backup gemaakt is.\n"
            + "\n".join(f"  {app}.{naam}" for app, naam in onbekend)
        )
    return sorted(set(loader.disk_migrations) - in_backup)


def herstel(backupmap: Path, *, ja: bool, melden: Melden) -> Herstelverslag:
    """Restore the backup in `backupmap` into the configured database and private storage."""
    try:
        return _herstel(backupmap, ja=ja, melden=melden)
    except DatabaseError as exc:
        raise BackupError(f"De database weigert of is niet bereikbaar:\n{exc}") from exc


def _herstel(backupmap: Path, *, ja: bool, melden: Melden) -> Herstelverslag:
    require_postgresql()
    pg_restore = require_program("pg_restore")
    manifest = read_manifest(backupmap)
    melden(f"Backup van {manifest.gemaakt_op} controleren")
    check_folder(backupmap, manifest)
    nog_te_migreren = check_migrations(manifest)

    with connection.cursor() as cursor:
        bestaande_tabellen = tables_of(cursor)
    naam = connection.settings_dict["NAME"]
    if bestaande_tabellen and not ja:
        raise BackupError(
            f"De database {naam} is niet leeg ({len(bestaande_tabellen)} tabellen); er is niets "
            f"hersteld. Herstel in een lege database, of gebruik --ja om de inhoud te vervangen."
        )

    storage = storages["default"]
    al_aanwezig = set()
    anders = []
    for bestandsnaam, info in sorted(manifest.bestanden.items()):
        if storage.exists(bestandsnaam):
            if hash_stored(storage, bestandsnaam) == info:
                al_aanwezig.add(bestandsnaam)
            else:
                anders.append(bestandsnaam)
    if anders and not ja:
        raise BackupError(
            "De opslag bevat al bestanden met dezelfde naam en een andere inhoud; er is niets "
            "hersteld. Gebruik --ja om ze te vervangen:\n"
            + "\n".join(f"  {bestandsnaam}" for bestandsnaam in anders)
        )

    opdracht = [
        pg_restore,
        "--no-owner",
        "--no-privileges",
        "--single-transaction",
        "--exit-on-error",
        "--no-password",
        f"--dbname={naam}",
    ]
    if bestaande_tabellen:
        opdracht += ["--clean", "--if-exists"]
    melden(f"Database {naam} herstellen")
    # pg_restore needs the tables free; our own connection holds nothing, but let go of it anyway.
    connection.close()
    run_program([*opdracht, str(backupmap / DUMP)], "pg_restore")

    verslag = Herstelverslag()
    melden(f"{len(manifest.bestanden)} bestanden terugzetten")
    for bestandsnaam in sorted(manifest.bestanden):
        if bestandsnaam in al_aanwezig:
            verslag.bestanden_al_aanwezig += 1
            continue
        if storage.exists(bestandsnaam):
            storage.delete(bestandsnaam)
        with (backupmap / BESTANDEN / safe_name(bestandsnaam)).open("rb") as bron:
            opgeslagen = storage.save(bestandsnaam, File(bron, name=bestandsnaam))
        if opgeslagen != bestandsnaam:
            raise BackupError(
                f"De opslag bewaarde {bestandsnaam} onder een andere naam ({opgeslagen}); "
                f"de database verwijst naar de oorspronkelijke naam."
            )
        verslag.bestanden_geschreven += 1

    melden("Resultaat controleren")
    _verify(manifest, storage, verslag)
    if nog_te_migreren:
        verslag.opmerkingen.append(
            f"Deze versie van het portaal heeft {len(nog_te_migreren)} migratie(s) die de backup "
            f"nog niet had: voer nu 'python manage.py migrate' uit."
        )
    if manifest.ontbrekende_bestanden:
        verslag.opmerkingen.append(
            f"Al bij de backup ontbraken {len(manifest.ontbrekende_bestanden)} bestand(en) "
            f"waarnaar de database verwijst: " + ", ".join(manifest.ontbrekende_bestanden)
        )
    return verslag


def _verify(manifest: Manifest, storage: Storage, verslag: Herstelverslag) -> None:
    """The restored database and files against the manifest; raises with every difference."""
    fouten = []
    with connection.cursor() as cursor:
        aantallen = row_counts(cursor)
    for tabel, verwacht in sorted(manifest.tabellen.items()):
        gevonden = aantallen.get(tabel)
        if gevonden != verwacht:
            fouten.append(f"tabel {tabel}: {gevonden} rijen, verwacht {verwacht}")
    extra = sorted(set(aantallen) - set(manifest.tabellen))
    if extra:
        verslag.opmerkingen.append(
            "Tabellen die niet in de backup stonden, zijn blijven staan: " + ", ".join(extra)
        )
    for naam, info in sorted(manifest.bestanden.items()):
        if not storage.exists(naam):
            fouten.append(f"bestand {naam} ontbreekt in de opslag")
        elif hash_stored(storage, naam) != info:
            fouten.append(f"bestand {naam} verschilt van het manifest")
    if fouten:
        raise BackupError(
            "Het herstel komt niet overeen met het manifest:\n"
            + "\n".join(f"  {fout}" for fout in fouten)
        )
    verslag.tabellen = len(manifest.tabellen)
    verslag.rijen = sum(manifest.tabellen.values())
    verslag.bytes = sum(info.grootte for info in manifest.bestanden.values())
