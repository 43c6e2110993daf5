from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.beheer.backup import (
    BESTANDEN,
    DUMP,
    MANIFEST,
    BackupError,
    backup,
    default_map,
    grootte_tekst,
)


class Command(BaseCommand):
    help = (
        f"Maakt een backup van de PostgreSQL-database (pg_dump) en van alle private bestanden "
        f"in een nieuwe map: {DUMP}, {BESTANDEN}/ en {MANIFEST} (rijen per tabel, SHA-256 per "
        f"bestand). Terugzetten: manage.py restore --map MAP."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--map",
            type=Path,
            help=(
                "De map voor de backup (nieuw of leeg). Standaard "
                "backups/regierol-JJJJMMDD-UUMMSS in de projectmap (Brusselse tijd)."
            ),
        )

    def handle(self, *args: Any, map: Path | None = None, **options: Any) -> None:
        doel = map or default_map()
        try:
            manifest = backup(doel, melden=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rijen = sum(manifest.tabellen.values())
        dump = grootte_tekst(manifest.dump.grootte)
        bestanden = grootte_tekst(sum(info.grootte for info in manifest.bestanden.values()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup klaar in {doel}: {len(manifest.tabellen)} tabellen, {rijen} rijen "
                f"({dump}), {len(manifest.bestanden)} bestanden ({bestanden})."
            )
        )
