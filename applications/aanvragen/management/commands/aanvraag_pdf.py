from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.aanvragen.models import Aanvraag, Indiening
from applications.aanvragen.submission import PdfVerwijderd, PdfWordtVerzegeld, aanvraag_pdf


class Command(BaseCommand):
    help = (
        "Schrijft de PDF van één aanvraag: de laatste verzegelde versie van een ingediende "
        "aanvraag, of een concept (met 'CONCEPT - niet ingediend') zolang ze wijzigbaar is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("aanvraag_id", type=int, help="Het nummer (id) van de aanvraag.")
        parser.add_argument("--out", required=True, type=Path, help="Het PDF-bestand om te maken.")
        parser.add_argument(
            "--versie", type=int, default=None, help="Een eerdere verzegelde versie (1, 2, ...)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            aanvraag = Aanvraag.objects.select_related("oproep", "regieverband").get(
                pk=options["aanvraag_id"]
            )
        except Aanvraag.DoesNotExist:
            raise CommandError(f"Geen aanvraag met id {options['aanvraag_id']}.") from None
        try:
            bestand = aanvraag_pdf(aanvraag, nummer=options["versie"])
        except Indiening.DoesNotExist:
            raise CommandError(
                f"Aanvraag {aanvraag.referentie} heeft geen verzegelde versie {options['versie']}."
            ) from None
        except PdfWordtVerzegeld as wacht:
            raise CommandError(
                f"De PDF van versie {wacht.indiening.nummer} van {aanvraag.referentie} wordt nog "
                f"gemaakt (SHA-256 van de ingediende gegevens {wacht.indiening.inhoud_sha256}). "
                "Zie python manage.py pdfs_verzegelen."
            ) from None
        except PdfVerwijderd as weg:
            raise CommandError(
                f"De PDF van versie {weg.indiening.nummer} van {aanvraag.referentie} werd na de "
                f"archieftermijn verwijderd (SHA-256 {weg.indiening.pdf_sha256})."
            ) from None
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"De map {out.parent} bestaat niet.")
        out.write_bytes(bestand.inhoud)
        soort = (
            f"verzegelde versie {bestand.indiening.nummer}, SHA-256 {bestand.indiening.pdf_sha256}"
            if bestand.indiening
            else "niet verzegeld"
        )
        self.stdout.write(f"{out}: {aanvraag.referentie}, {len(bestand.inhoud)} bytes, {soort}.")
