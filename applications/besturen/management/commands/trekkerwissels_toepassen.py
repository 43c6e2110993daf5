from typing import Any

from django.core.management.base import BaseCommand

from applications.besturen.services import trekkerwissels_toepassen


class Command(BaseCommand):
    help = (
        "Past de geplande trekkerwissels toe waarvan de dag gekomen is (de worker doet het elke "
        "nacht; veilig om vaker te draaien)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        gewijzigd = trekkerwissels_toepassen()
        for verband in gewijzigd:
            trekker = verband.trekker.naam if verband.trekker else "de vereniging zelf"
            self.stdout.write(f"{verband.naam}: trekker is nu {trekker}")
        self.stdout.write(f"{len(gewijzigd)} trekkerwissel(s) toegepast.")
