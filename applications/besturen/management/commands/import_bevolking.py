from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.besturen.population import BevolkingImportReport, import_bevolking


class Command(BaseCommand):
    help = (
        "Leest het aantal inwoners per gemeente uit Statbels bestand TF_SOC_POP_STRUCT_<jaar> "
        "(.txt of .csv met | of ,, of .xlsx) en bewaart het per lokaal bestuur (idempotent). "
        "Gemeenten buiten Vlaanderen worden overgeslagen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("bestand", type=Path, help="Het bestand van Statbel.")
        parser.add_argument(
            "--jaar",
            type=int,
            help="Het referentiejaar (1 januari); standaard het jaar in de bestandsnaam.",
        )

    def handle(self, *args: Any, bestand: Path, jaar: int | None = None, **options: Any) -> None:
        try:
            with bestand.open("rb") as handle:
                report = import_bevolking(bestand=handle, naam=bestand.name, referentiejaar=jaar)
        except OSError as exc:
            raise CommandError(f"Kan {bestand} niet lezen: {exc.strerror or exc}.") from exc
        except ValidationError as exc:
            lines = [f"{bestand.name} is geweigerd; er is niets opgeslagen.", *exc.messages]
            raise CommandError("\n".join(lines)) from exc
        self._write(report)

    def _write(self, report: BevolkingImportReport) -> None:
        jaar = report.referentiejaar
        self.stdout.write(
            f"Bevolking op 1 januari {jaar} uit {report.bron}: {report.besturen} besturen met "
            f"cijfers ({len(report.added)} toegevoegd, {len(report.changed)} gewijzigd, "
            f"{report.unchanged} ongewijzigd)."
        )
        if report.skipped:
            self.stdout.write(
                f"{len(report.skipped)} NIS-codes van buiten Vlaanderen overgeslagen."
            )
        if report.changed:
            self.stdout.write(f"{len(report.changed)} gewijzigd:")
            for row in report.changed:
                self.stdout.write(f"  {row}")
        if report.missing:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(report.missing)} geldige Vlaamse besturen zonder cijfer voor {jaar}:"
                )
            )
            for row in report.missing:
                self.stdout.write(f"  {row}")
        if report.is_empty:
            self.stdout.write("Geen wijzigingen.")
        else:
            self.stdout.write(self.style.SUCCESS("Klaar."))
