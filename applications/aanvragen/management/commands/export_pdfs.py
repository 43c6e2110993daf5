from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from applications.aanvragen.submission import NOG_TE_VERZEGELEN, pdf_export
from applications.oproepen.models import Oproep


class Command(BaseCommand):
    help = (
        "Schrijft de laatste verzegelde PDF van elke ingediende aanvraag van een oproep in een "
        "map, met SHA256SUMS (controle: sha256sum -c SHA256SUMS) en overzicht.csv."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--oproep", required=True, help="De korte naam, bv. 2023-2025.")
        parser.add_argument("--out", required=True, type=Path, help="De map (wordt gemaakt).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            oproep = Oproep.objects.get(slug=options["oproep"])
        except Oproep.DoesNotExist:
            slugs = ", ".join(Oproep.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"Geen oproep '{options['oproep']}'. Bestaande: {slugs}.") from None
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        files = pdf_export(oproep)
        for name, content in files:
            (out / name).write_bytes(content)
        pdfs = sum(name.endswith(".pdf") for name, _content in files)
        self.stdout.write(f"{pdfs} PDF's van oproep {oproep.slug} geschreven in {out}.")
        if any(name == NOG_TE_VERZEGELEN for name, _content in files):
            self.stdout.write(
                f"Nog niet elke PDF is gemaakt: {NOG_TE_VERZEGELEN} noemt de versies die nog "
                "verzegeld worden."
            )
