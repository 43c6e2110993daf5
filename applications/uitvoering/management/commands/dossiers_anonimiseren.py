from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from applications.uitvoering.bewaring import bewaarplan, uitvoeren


class Command(BaseCommand):
    help = (
        "Past de bewaartermijnen van afgesloten dossiers toe (instellingen van de oproep): na de "
        "bewaartermijn worden contactpersonen en vertrokken gebruikers geanonimiseerd, na de "
        "archieftermijn worden verzegelde PDF's in hun geheel verwijderd (hun SHA-256 blijft). "
        "Zonder --uitvoeren toont het alleen wat het zou veranderen en verandert het niets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--uitvoeren",
            action="store_true",
            help="Voer de wijzigingen echt uit (anders alleen een voorbeeld).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = bewaarplan()
        for regel in plan.regels():
            self.stdout.write(regel)
        if plan.leeg:
            self.stdout.write("Niets te doen: geen dossier of gebruiker is aan de beurt.")
            return
        if not options["uitvoeren"]:
            self.stdout.write(
                "Voorbeeld: er is niets gewijzigd. Voer uit met --uitvoeren om dit te doen."
            )
            return
        samenvatting = uitvoeren(plan)
        self.stdout.write(
            "Uitgevoerd: "
            + ", ".join(f"{k.replace('_', ' ')}: {v}" for k, v in samenvatting.items())
        )
