from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.besturen.kbo_import import import_kbo


class Command(BaseCommand):
    help = (
        "Leest de KBO-nummers van gemeenten, OCMW's en regieverbanden uit een CSV- of "
        ".xlsx-bestand met de kolommen soort (gemeente, ocmw of regieverband), sleutel "
        "(NIS-code, of de naam van het regieverband) en kbo. Het hele bestand of niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bestand", type=Path, help="Het bestand met de KBO-nummers.")

    def handle(self, *args: Any, bestand: Path, **options: Any) -> None:
        try:
            with bestand.open("rb") as handle:
                report = import_kbo(handle)
        except OSError as exc:
            raise CommandError(f"Kan {bestand} niet lezen: {exc.strerror or exc}.") from exc
        except ValidationError as exc:
            lines = [f"{bestand.name} is geweigerd; er is niets opgeslagen.", *exc.messages]
            raise CommandError("\n".join(lines)) from exc
        if report.is_empty:
            self.stdout.write(f"Geen wijzigingen; {report.unchanged} nummers waren al zo.")
            return
        self.stdout.write(f"{len(report.changed)} gewijzigd:")
        for row in report.changed:
            self.stdout.write(f"  {row}")
        if report.unchanged:
            self.stdout.write(f"{report.unchanged} nummers waren al zo.")
        self.stdout.write(self.style.SUCCESS("Klaar."))
