from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.beheer.backup import BackupError, grootte_tekst
from applications.beheer.restore import herstel


class Command(BaseCommand):
    help = (
        "Zet een backup van manage.py backup terug in de geconfigureerde database en private "
        "opslag. Controleert eerst elk bestand tegen het manifest en weigert een database die al "
        "tabellen heeft (tenzij --ja); controleert daarna rijen per tabel en de SHA-256 van elk "
        "bestand."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--map", type=Path, required=True, help="De map van de backup.")
        parser.add_argument(
            "--ja",
            action="store_true",
            help=(
                "Vervang de inhoud van een database die niet leeg is (pg_restore --clean) en "
                "bestanden met dezelfde naam in de opslag."
            ),
        )

    def handle(self, *args: Any, map: Path, ja: bool = False, **options: Any) -> None:
        try:
            verslag = herstel(map, ja=ja, melden=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for opmerking in verslag.opmerkingen:
            self.stdout.write(self.style.WARNING(f"Let op: {opmerking}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Hersteld uit {map}: {verslag.tabellen} tabellen met {verslag.rijen} rijen en "
                f"{verslag.bestanden_geschreven + verslag.bestanden_al_aanwezig} bestanden "
                f"({grootte_tekst(verslag.bytes)}, waarvan {verslag.bestanden_al_aanwezig} al "
                f"aanwezig); rijen per tabel en SHA-256 van elk bestand komen overeen met het "
                f"manifest."
            )
        )
