from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from applications.aanvragen.verzegeling import pdf_maken, pdfs_in_de_maak


class Command(BaseCommand):
    help = (
        "Toont de ingediende versies waarvan de verzegelde PDF nog niet gemaakt is (de worker "
        "probeert ze opnieuw), met hun pogingen en laatste fout. Met --nu maakt het ze meteen, "
        "ook wie na een fout nog moet wachten; faalt als er dan nog een ontbreekt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--nu", action="store_true", help="Maak de ontbrekende PDF's nu, in dit proces."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wachtrij = pdfs_in_de_maak()
        if not wachtrij.wachtend:
            self.stdout.write("Elke ingediende versie heeft haar verzegelde PDF.")
            return
        for i in wachtrij.wachtend:
            op = timezone.localtime(i.ingediend_op).strftime("%Y-%m-%d %H:%M:%S")
            regel = (
                f"{i.aanvraag.referentie} versie {i.nummer}, ingediend {op}, "
                f"{i.pdf_pogingen} poging(en)"
            )
            if i.pdf_laatste_fout:
                regel += f", laatste fout: {i.pdf_laatste_fout}"
            self.stdout.write(regel)
        if not options["nu"]:
            return
        gemaakt = sum(pdf_maken(i.pk, ook_als_niet_aan_de_beurt=True) for i in wachtrij.wachtend)
        over = len(pdfs_in_de_maak().wachtend)
        self.stdout.write(f"{gemaakt} PDF('s) gemaakt, {over} ontbreken nog.")
        if over:
            raise CommandError(f"{over} verzegelde PDF('s) ontbreken nog.")
